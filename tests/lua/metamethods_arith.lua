-- Arithmetic and bitwise metamethods, operand order, fallbacks.

local V = {}
V.__index = V
local function vec(x) return setmetatable({x = x}, V) end
local function val(o) return type(o) == "table" and o.x or o end
local log = {}
for _, ev in ipairs({"add", "sub", "mul", "div", "mod", "pow", "idiv",
                     "band", "bor", "bxor", "shl", "shr"}) do
  V["__" .. ev] = function(a, b)
    log[#log + 1] = ev .. "(" .. tostring(val(a)) .. "," .. tostring(val(b)) .. ")"
    return ev
  end
end
V.__unm = function(a, b) log[#log + 1] = "unm"; assert(rawequal(a, b)); return -a.x end
V.__bnot = function(a, b) log[#log + 1] = "bnot"; assert(rawequal(a, b)); return ~a.x end

local v = vec(5)
assert(v + 1 == "add" and 1 + v == "add")
assert(v - 2 == "sub" and v * 3 == "mul" and v / 4 == "div")
assert(v % 5 == "mod" and v ^ 6 == "pow" and v // 7 == "idiv")
assert(v & 1 == "band" and v | 1 == "bor" and v ~ 1 == "bxor")
assert(v << 1 == "shl" and v >> 1 == "shr")
assert(-v == -5 and ~v == ~5)
-- operand order is preserved: the left operand is first even if only the right has the metamethod
log = {}
local _ = 10 - v
_ = v - 10
_ = "s" .. tostring(2 ^ v)
assert(log[1] == "sub(10,5)" and log[2] == "sub(5,10)" and log[3] == "pow(2,5)")

-- the first operand's metamethod is preferred; otherwise the second's
local A = setmetatable({}, {__add = function() return "A" end})
local B = setmetatable({}, {__add = function() return "B" end})
assert(A + B == "A" and B + A == "B")
assert(1 + B == "B" and A + 1 == "A")

-- metamethods get called for strings that are not numbers? no: strings have
-- their own arithmetic via the string metatable; a table wins if it has one
assert("10" + A == "A")

-- numbers with a table whose metamethod is missing: error names the table
local plain = {}
local ok, msg = pcall(function() return plain + 1 end)
assert(not ok and string.find(msg, "attempt to perform arithmetic on a table value (upvalue 'plain')", 1, true), msg)
ok, msg = pcall(function() return plain & 1 end)
assert(not ok and string.find(msg, "attempt to perform bitwise operation on a table value (upvalue 'plain')", 1, true), msg)

-- bitwise on floats without integer representation: metamethod is tried first
local BW = setmetatable({}, {__bor = function(a, b) return "bor!" end})
assert(BW | 1.5 == "bor!" and 1.5 | BW == "bor!")

-- result of a metamethod is adjusted to one value
local M = setmetatable({}, {__mul = function() return 1, 2, 3 end})
assert(select("#", M * 2) == 1 and M * 2 == 1)

-- metamethods through constants and immediate operands (ADDI/ADDK/MMBINI/MMBINK paths)
local K = setmetatable({}, {__add = function(a, b) return {a, b} end,
                             __sub = function(a, b) return {a, b} end,
                             __shr = function(a, b) return {a, b} end})
local r = K + 1
assert(r[1] == K and r[2] == 1)
r = 1 + K
assert(r[1] == 1 and r[2] == K)
r = K + 2.5
assert(r[2] == 2.5)
r = K - 100000
assert(r[1] == K and r[2] == 100000)
r = K >> 3
assert(r[1] == K and r[2] == 3)
r = 3 >> K
assert(r[1] == 3 and r[2] == K)

-- __unm and __len on non-tables are looked up in their metatables
assert(-setmetatable({}, {__unm = function() return "neg" end}) == "neg")

-- __concat with numbers on either side
local C = setmetatable({}, {__concat = function(a, b)
  return (type(a) == "table" and "C" or tostring(a)) .. "|" .. (type(b) == "table" and "C" or tostring(b))
end})
assert(C .. 1 == "C|1" and 1 .. C == "1|C" and "s" .. C == "s|C")
assert(C .. 1.5 == "C|1.5")

-- metamethod lookup uses the metatable (raw), not __index
local sneaky = setmetatable({}, {__index = {__add = function() return "no" end}})
ok = pcall(function() return sneaky + 1 end)
assert(not ok)

-- __div and __idiv called even when operands are numbers on one side
local D = setmetatable({}, {__div = function(a, b) return "div" end, __idiv = function() return "idiv" end})
assert(1 / D == "div" and D // 0 == "idiv")
