-- table.sort without a comparator on arrays of integers or of strings
-- (sorted in place), and the cases that take the general path.

local function sorted(t, lt)
  lt = lt or function(a, b) return a < b end
  for i = 2, #t do
    if lt(t[i], t[i - 1]) then return false end
  end
  return true
end

local seed = 11
local function rand(n) seed = (seed * 16807) % 2147483647; return seed % n end

-- integers, with duplicates and negatives
local ints = {}
for i = 1, 2000 do ints[i] = rand(1000) - 500 end
ints[1], ints[2] = math.mininteger, math.maxinteger
local sum = 0
for i = 1, #ints do sum = sum + ints[i] end
table.sort(ints)
assert(sorted(ints) and ints[1] == math.mininteger and ints[#ints] == math.maxinteger)
local sum2 = 0
for i = 1, #ints do sum2 = sum2 + ints[i] end
assert(sum == sum2)

-- strings, including embedded zeros, prefixes and long ones
local strs = {"b", "a\0b", "a", "", "a\0a", "ab", string.rep("z", 100), string.rep("z", 99), "B"}
for i = 1, 300 do strs[#strs + 1] = tostring(rand(100000)) end
table.sort(strs)
assert(sorted(strs))
assert(strs[1] == "")
local pos = {}
for i, s in ipairs(strs) do pos[s] = i end
assert(pos["a"] < pos["a\0a"] and pos["a\0a"] < pos["a\0b"] and pos["a\0b"] < pos["ab"])
assert(pos["B"] < pos["a"] and pos[string.rep("z", 99)] < pos[string.rep("z", 100)])

-- floats and mixed numbers take the general path and still sort
local nums = {3, 1.5, -2, 2^53, 0.25, 7, -0.5}
table.sort(nums)
assert(sorted(nums) and nums[1] == -2 and nums[#nums] == 2^53)

-- mixed strings and numbers: the comparison error, as in Lua
local ok, err = pcall(table.sort, {1, "x", 2, "y"})
assert(not ok and err:find("attempt to compare"))

-- a table with a metatable whose __index would answer for holes: the
-- present elements are sorted the same way
local mt = {__index = function() return 0 end}
local withmt = setmetatable({5, 3, 9, 1}, mt)
table.sort(withmt)
assert(withmt[1] == 1 and withmt[2] == 3 and withmt[3] == 5 and withmt[4] == 9)

-- __lt on tables is still called
local calls = 0
local cmt = {__lt = function(a, b) calls = calls + 1; return a.v < b.v end}
local objs = {}
for i = 1, 20 do objs[i] = setmetatable({v = rand(50)}, cmt) end
table.sort(objs)
assert(calls > 0)
for i = 2, #objs do assert(objs[i - 1].v <= objs[i].v) end

-- a comparator is always called
local n = 0
local t = {4, 2, 3, 1}
table.sort(t, function(a, b) n = n + 1; return a > b end)
assert(n > 0 and t[1] == 4 and t[4] == 1)

-- sort of a prefix given by __len
local lenmt = setmetatable({9, 8, 7, 1}, {__len = function() return 3 end})
table.sort(lenmt)
assert(rawget(lenmt, 1) == 7 and rawget(lenmt, 2) == 8 and rawget(lenmt, 3) == 9 and rawget(lenmt, 4) == 1)

print("ok")
