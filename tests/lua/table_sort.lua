-- table.sort: default order, comparators, stability-independent checks, errors.

local function is_sorted(t, lt)
  lt = lt or function(a, b) return a < b end
  for i = 2, #t do
    if lt(t[i], t[i - 1]) then return false end
  end
  return true
end

-- numbers
local t = {5, 3, 8, 1, 9, 2, 7}
table.sort(t)
assert(table.concat(t, ",") == "1,2,3,5,7,8,9")
-- mixed integers and floats
t = {3, 1.5, 2, -0.5, 10, 2.25}
table.sort(t)
assert(table.concat(t, ",") == "-0.5,1.5,2,2.25,3,10")
-- strings
t = {"banana", "apple", "Cherry", "apple2", ""}
table.sort(t)
assert(table.concat(t, ",") == ",Cherry,apple,apple2,banana")

-- comparator: descending
t = {5, 3, 8, 1}
table.sort(t, function(a, b) return a > b end)
assert(table.concat(t, ",") == "8,5,3,1")
-- comparator on records
local people = {{n = "b", age = 30}, {n = "a", age = 25}, {n = "c", age = 35}}
table.sort(people, function(x, y) return x.age < y.age end)
assert(people[1].n == "a" and people[3].n == "c")

-- edge sizes
t = {}
table.sort(t)
assert(#t == 0)
t = {1}
table.sort(t)
assert(t[1] == 1)
t = {2, 1}
table.sort(t)
assert(t[1] == 1 and t[2] == 2)

-- large random arrays with duplicates
math.randomseed(42)
for _, size in ipairs({10, 100, 1000, 5000}) do
  local a = {}
  for i = 1, size do a[i] = math.random(1, size // 3 + 1) end
  table.sort(a)
  assert(is_sorted(a), "size " .. size)
  local d = {}
  for i = 1, size do d[i] = math.random() end
  table.sort(d, function(x, y) return x > y end)
  assert(is_sorted(d, function(x, y) return x > y end))
end
-- already sorted and reverse sorted inputs
local asc, desc = {}, {}
for i = 1, 2000 do asc[i] = i; desc[i] = 2001 - i end
table.sort(asc); table.sort(desc)
assert(is_sorted(asc) and is_sorted(desc) and desc[1] == 1)
-- all equal
local eq = {}
for i = 1, 500 do eq[i] = 7 end
table.sort(eq)
assert(eq[1] == 7 and eq[500] == 7)

-- errors: incomparable values
local ok, msg = pcall(table.sort, {1, "x", 2})
assert(not ok and string.find(msg, "attempt to compare", 1, true), msg)
ok, msg = pcall(table.sort, {{}, {}})
assert(not ok and string.find(msg, "attempt to compare two table values", 1, true), msg)
-- an invalid order function may be detected
ok, msg = pcall(table.sort, {5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
  function(a, b) return true end)
assert(not ok and string.find(msg, "invalid order function for sorting", 1, true) or ok)
-- comparator errors propagate
ok, msg = pcall(table.sort, {3, 2, 1}, function() error("cmp failed", 0) end)
assert(not ok and msg == "cmp failed")
-- comparator that is not a function
ok, msg = pcall(table.sort, {3, 2, 1}, 42)
assert(not ok and string.find(msg, "bad argument #2 to 'sort' (function expected, got number)", 1, true)
       or not ok and string.find(msg, "(function expected, got number)", 1, true), msg)

-- sort respects __lt on elements
local mt = {__lt = function(a, b) return a.k < b.k end}
local objs = {}
for i, k in ipairs({3, 1, 2}) do objs[i] = setmetatable({k = k}, mt) end
table.sort(objs)
assert(objs[1].k == 1 and objs[2].k == 2 and objs[3].k == 3)

-- sort works through __index/__newindex/__len (5.4 uses lua_geti/seti)
local store = {3, 1, 2}
local proxy = setmetatable({}, {
  __index = store, __newindex = store, __len = function() return #store end})
table.sort(proxy)
assert(store[1] == 1 and store[2] == 2 and store[3] == 3)
