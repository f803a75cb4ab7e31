-- Collections inside metamethods, iterators, comparators, __close handlers and
-- coroutines keep every value still in use (operands, pending results, varargs).
local function gc() collectgarbage() end
-- __concat chain with a collecting metamethod
local mt = {__concat = function(a, b)
  gc()
  local x = type(a) == "table" and a.v or a
  local y = type(b) == "table" and b.v or b
  return x .. y
end}
local function obj(v) return setmetatable({v = v}, mt) end
local s = "a" .. obj("b") .. "c" .. obj("d") .. ("e"):rep(3) .. obj("f")
assert(s == "abcdeeef", s)
-- __index function collecting
local p = setmetatable({}, {__index = function(t, k) gc(); return {k} end})
local a, b, c = p.x, p.y, p.z
assert(a[1] == "x" and b[1] == "y" and c[1] == "z")
-- __call with many arguments
local callable = setmetatable({}, {__call = function(self, ...) gc(); return select("#", ...), ... end})
local n, f1, f2 = callable({1}, {2}, {3}, {4}, {5})
assert(n == 5 and f1[1] == 1 and f2[1] == 2)
-- pcall returning many fresh values
local r = table.pack(pcall(function() local t = {} for i = 1, 30 do t[i] = {i} end gc() return table.unpack(t) end))
assert(r[1] == true and r.n == 31 and r[31][1] == 30)
-- sort with a collecting comparator
local arr = {}
for i = 1, 50 do arr[i] = {v = (i * 37) % 50} end
table.sort(arr, function(x, y) if x.v % 7 == 0 then gc() end return x.v < y.v end)
for i = 2, 50 do assert(arr[i - 1].v <= arr[i].v) end
-- gsub with a collecting function
local out = ("abc"):rep(20):gsub("b", function(m) gc() return ({m})[1]:upper() end)
assert(out == ("aBc"):rep(20))
-- coroutine generator collecting between yields
local gen = coroutine.wrap(function() for i = 1, 20 do local t = {i} gc() coroutine.yield(t, {i * 2}) end end)
for i = 1, 20 do local x, y = gen() assert(x[1] == i and y[1] == i * 2) end
-- __lt and __le
local cmt = {__lt = function(x, y) gc() return x.v < y.v end, __le = function(x, y) gc() return x.v <= y.v end}
local o1, o2 = setmetatable({v = 1}, cmt), setmetatable({v = 2}, cmt)
assert(o1 < o2 and o1 <= o2 and not (o2 < o1))
-- __eq
local emt = {__eq = function(x, y) gc() return x.v == y.v end}
assert(setmetatable({v = 1}, emt) == setmetatable({v = 1}, emt))
-- __newindex function collecting
local log = {}
local w = setmetatable({}, {__newindex = function(t, k, v) gc() log[#log + 1] = v end})
w.a = {1}; w[1] = {2}; w[{}] = {3}
assert(log[1][1] == 1 and log[2][1] == 2 and log[3][1] == 3)
-- __len, __unm, arithmetic
local function num(x) return type(x) == "table" and x.v or x end
local amt = {__add = function(x, y) gc() return {num(x) + num(y)} end, __len = function() gc() return 42 end,
  __unm = function(x) gc() return {-x.v} end}
local q = setmetatable({v = 5}, amt)
assert((q + 1)[1] == 6 and (1 + q)[1] == 6 and #q == 42 and (-q)[1] == -5)
-- __close in loops with break and errors
for i = 1, 3 do
  local c <close> = setmetatable({}, {__close = function() gc() end})
  if i == 2 then break end
end
local ok, e = pcall(function()
  local c <close> = setmetatable({}, {__close = function(_, err) gc() end})
  error({"boom"})
end)
assert(not ok and e[1] == "boom")
-- varargs surviving a collecting call in between
local function va(...)
  gc()
  local t = {...}
  gc()
  return select("#", ...), ...
end
local m, v1, v2, v3 = va({1}, nil, {3})
assert(m == 3 and v1[1] == 1 and v2 == nil and v3[1] == 3)
-- generic for with a collecting iterator
local function iter(t, i) gc() i = i + 1 if t[i] then return i, {t[i]} end end
local total = 0
for i, v in iter, {10, 20, 30}, 0 do total = total + v[1] end
assert(total == 60)
-- tostring/__name/__tostring collecting
local tmt = {__tostring = function(x) gc() return "T" .. x.v end}
assert(tostring(setmetatable({v = 7}, tmt)) == "T7")
print("ok")
