-- Generic for (manual 3.3.5): pairs, ipairs, custom iterators, state and control.

-- ipairs stops at the first nil
local t = {10, 20, 30, nil, 50}
local seen = {}
for i, v in ipairs(t) do seen[#seen + 1] = i .. "=" .. v end
assert(table.concat(seen, " ") == "1=10 2=20 3=30")

-- ipairs respects __index (5.4)
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * i end end})
local sq = {}
for i, v in ipairs(proxy) do sq[i] = v end
assert(#sq == 3 and sq[3] == 9)

-- pairs visits every key exactly once
local h = {1, 2, 3, x = "a", y = "b", [10] = true, [2.5] = "f"}
local n, keys = 0, {}
for k, v in pairs(h) do
  n = n + 1
  assert(keys[k] == nil)
  keys[k] = v
end
assert(n == 7 and keys.x == "a" and keys[10] == true and keys[2.5] == "f")

-- pairs returns next, t, nil
local f, s, c = pairs(h)
assert(f == next and s == h and c == nil)
-- ipairs returns an iterator, t, 0
local f2, s2, c2 = ipairs(h)
assert(type(f2) == "function" and s2 == h and c2 == 0)
assert(f2(h, 0) == 1 and select(2, f2(h, 0)) == 1)

-- assigning to existing fields while traversing is allowed
local m = {a = 1, b = 2, c = 3}
for k in pairs(m) do m[k] = nil end
assert(next(m) == nil)
local m2 = {a = 1, b = 2, c = 3}
for k, v in pairs(m2) do m2[k] = v * 10 end
assert(m2.a == 10 and m2.b == 20 and m2.c == 30)

-- a stateless custom iterator
local function range(n)
  return function(limit, i)
    if i < limit then return i + 1 end
  end, n, 0
end
local sum = 0
for i in range(100) do sum = sum + i end
assert(sum == 5050)

-- a closure iterator with several values
local function enum(list)
  local i = 0
  return function()
    i = i + 1
    if list[i] ~= nil then return i, list[i], list[i] .. "!" end
  end
end
local out = {}
for i, v, w in enum({"a", "b"}) do out[#out + 1] = i .. v .. w end
assert(table.concat(out, ",") == "1aa!,2bb!")

-- the loop stops when the first value is nil, even if others are not
local function odd_iter(_, i)
  i = i + 1
  if i <= 3 then return i, "x" end
  return nil, "ignored"
end
local cnt = 0
for _ in odd_iter, nil, 0 do cnt = cnt + 1 end
assert(cnt == 3)
-- false as first value does not stop the loop... but a falsy control (false) is fine
local fl = 0
local function falsy(_, st) fl = fl + 1; if fl == 1 then return false end end
for v in falsy, nil, 0 do assert(v == false) end
assert(fl == 2)

-- loop variables are fresh per iteration for closures
local fs = {}
for k, v in ipairs({"p", "q"}) do fs[k] = function() return v end end
assert(fs[1]() == "p" and fs[2]() == "q")

-- calling a non-function is an error; a callable table works
local ok, msg = pcall(function() for _ in 42 do end end)
assert(not ok and string.find(msg, "attempt to call a number value", 1, true), msg)
local callable = setmetatable({}, {__call = function(self, st, i)
  if i < 3 then return i + 1 end
end})
local ct = 0
for i in callable, nil, 0 do ct = ct + i end
assert(ct == 6)

-- __pairs metamethod
local mp = setmetatable({}, {__pairs = function(self)
  return function(_, k) if not k then return 1, "one" end end, self, nil
end})
local got = {}
for k, v in pairs(mp) do got[k] = v end
assert(got[1] == "one")

-- next with explicit keys
local nt = {x = 1}
assert(next(nt) == "x" and next(nt, "x") == nil)
assert(next({}) == nil)
ok, msg = pcall(next, nt, "nokey")
assert(not ok and string.find(msg, "invalid key to 'next'", 1, true), msg)
