-- Generic `for` over the builtin iterators (`next` from pairs, ipairs'
-- iterator): lunette steps them without a call; results must match a
-- real call in every case, including the ones it hands back to the call.

-- pairs visits every entry once, array and hash parts
local t = {10, 20, 30, x = 1, y = 2, [2.5] = "f", [true] = "b"}
local seen, n = {}, 0
for k, v in pairs(t) do
  assert(seen[k] == nil)
  seen[k] = v
  n = n + 1
end
assert(n == 7)
for k, v in pairs(t) do assert(seen[k] == v) end

-- one loop variable, three, and extra variables are nil
local keys = 0
for k in pairs(t) do keys = keys + 1; assert(t[k] ~= nil) end
assert(keys == 7)
for k, v, extra, more in pairs({a = 1}) do
  assert(k == "a" and v == 1 and extra == nil and more == nil)
end
for i, v, extra in ipairs({"p", "q"}) do
  assert(extra == nil and ({"p", "q"})[i] == v)
end

-- `next` written directly, with and without the initial key
local cnt = 0
for k, v in next, {1, 2, 3} do cnt = cnt + v end
assert(cnt == 6)
cnt = 0
for k, v in next, {a = 1, b = 2}, nil do cnt = cnt + v end
assert(cnt == 3)

-- ipairs stops at the first nil and counts from 1
local got = {}
for i, v in ipairs({1, 2, nil, 4}) do got[#got + 1] = i end
assert(#got == 2 and got[2] == 2)
for _ in ipairs({}) do error("empty table iterated") end

-- ipairs honours __index (the iterator is really called then)
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
local sum = 0
for i, v in ipairs(proxy) do sum = sum + v end
assert(sum == 60)

-- pairs honours __pairs
local custom = setmetatable({}, {__pairs = function(tt)
  local i = 0
  return function() i = i + 1; if i <= 2 then return i, "v" .. i end end, tt, nil
end})
local cat = {}
for k, v in pairs(custom) do cat[#cat + 1] = v end
assert(#cat == 2 and cat[2] == "v2")

-- assigning existing fields (even to nil) while traversing is allowed
local m = {}
for i = 1, 50 do m["k" .. i] = i end
local visited = 0
for k, v in pairs(m) do
  visited = visited + 1
  m[k] = nil
end
assert(visited == 50 and next(m) == nil)

-- an invalid key raises the error of a real call
local ok, err = pcall(function()
  for k, v in next, {a = 1}, "nokey" do end
end)
assert(not ok and string.find(err, "invalid key to 'next'", 1, true))

-- a non-table state still goes through the call (and its error)
ok, err = pcall(function() for k in next, 42 do end end)
assert(not ok and string.find(err, "bad argument #1 to 'for iterator'", 1, true), err)

-- ipairs with a non-integer control value keeps Lua's behaviour
local r = {}
for i, v in ipairs({"a", "b", "c"}), {"a", "b", "c"}, 1 do r[#r + 1] = v end
assert(#r == 2 and r[1] == "b")

-- a call hook sees the iterator calls
local calls = 0
debug.sethook(function() calls = calls + 1 end, "c")
for k, v in pairs({1, 2, 3}) do end
debug.sethook()
assert(calls >= 4)

print("ok")
