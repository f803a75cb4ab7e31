-- __eq, __lt, __le: when they are called and how results are converted.

local eq_calls = 0
local EQ = {__eq = function(a, b) eq_calls = eq_calls + 1; return a.id == b.id end}
local function obj(id) return setmetatable({id = id}, EQ) end
local a1, a2, b = obj(1), obj(1), obj(2)
assert(a1 == a2 and a1 ~= b)
assert(eq_calls == 2)

-- __eq is not called for primitive equal references
eq_calls = 0
assert(a1 == a1 and eq_calls == 0)
-- nor when types differ, nor when one side is not a table/userdata
assert(a1 ~= 1 and a1 ~= "x" and a1 ~= nil)
assert(eq_calls == 0)

-- either operand's __eq may be used (first operand first)
local plain = {id = 1}
assert(a1 == plain)                      -- a1's __eq used
assert(plain == a1)                      -- second operand's __eq used
assert(eq_calls == 2)

-- the result is converted to a boolean
local truthy = setmetatable({}, {__eq = function() return "yes" end})
local other = setmetatable({}, getmetatable(truthy))
local r = (truthy == other)
assert(r == true)
local falsy = setmetatable({}, {__eq = function() return nil end})
r = (falsy == {})
assert(r == false)
assert((falsy ~= {}) == true)

-- rawequal bypasses __eq
assert(not rawequal(a1, a2) and rawequal(a1, a1))

-- __lt and __le
local L = {}
L.__lt = function(x, y) return x.v < y.v end
L.__le = function(x, y) return x.v <= y.v end
local function lv(v) return setmetatable({v = v}, L) end
local x, y = lv(1), lv(2)
assert(x < y and not (y < x))
assert(x <= y and x <= lv(1) and not (y <= x))
assert(y > x and y >= x)                 -- a > b is b < a
-- results converted to booleans
local ltm = setmetatable({}, {__lt = function() return 0 end, __le = function() return false end})
assert((ltm < ltm) == true and (ltm <= ltm) == false)

-- mixed operands: metamethod from either side
local N = setmetatable({}, {__lt = function(a, b)
  local av = type(a) == "table" and 10 or a
  local bv = type(b) == "table" and 10 or b
  return av < bv
end})
assert(N < 11 and 9 < N and not (N < 10))
assert(N > 9 and 11 > N)

-- (whether __le falls back to "not __lt" depends on LUA_COMPAT_LT_LE; not tested)
local ok, msg

-- comparing tables without metamethods is an error
ok, msg = pcall(function() return {} < {} end)
assert(not ok and string.find(msg, "attempt to compare two table values", 1, true), msg)
ok, msg = pcall(function() return {} < 1 end)
assert(not ok and string.find(msg, "attempt to compare table with number", 1, true), msg)

-- __lt on strings/numbers is never consulted for primitive comparisons
assert("a" < "b" and 1 < 2)

-- sort with __lt objects
local list = {lv(3), lv(1), lv(2)}
table.sort(list)
assert(list[1].v == 1 and list[2].v == 2 and list[3].v == 3)

-- __eq with different metatables still called (5.4: first operand then second)
local E1 = setmetatable({}, {__eq = function() return true end})
local E2 = setmetatable({}, {__eq = function() return false end})
assert(E1 == E2 and not (E2 == E1))

-- __eq is used by table lookups? no: keys are raw
local kt = {}
kt[a1] = "a1"
assert(kt[a2] == nil)

-- comparison in a numeric context: __lt with immediate constants
local I = setmetatable({}, {__lt = function(a, b) return type(a) == "number" end,
                           __le = function(a, b) return type(b) == "number" end})
assert(1 < I and not (I < 1))
assert(I <= 1 and not (1 <= I))
assert(not (I >= 1) and (I > 1))      -- a >= b is b <= a, a > b is b < a (operands swapped)
