-- Integer and float arithmetic: result subtypes, wrap-around, conversions.

local function is_int(x) return math.type(x) == "integer" end
local function is_float(x) return math.type(x) == "float" end

-- + - * keep integers when both operands are integers
assert(is_int(1 + 2) and is_int(5 - 7) and is_int(3 * 4))
assert(is_float(1 + 2.0) and is_float(1.0 - 1) and is_float(2 * 0.5))
assert(1 + 2.0 == 3 and 3 == 3.0)

-- / and ^ always give floats
assert(is_float(4 / 2) and 4 / 2 == 2.0)
assert(is_float(2 ^ 2) and 2 ^ 2 == 4.0)
assert(is_float(1 / 3))
assert(7 / 2 == 3.5)

-- // and % keep integers for integer operands
assert(is_int(7 // 2) and 7 // 2 == 3)
assert(is_float(7.0 // 2) and 7.0 // 2 == 3.0)
assert(is_int(7 % 3) and is_float(7.5 % 2))
assert(7.5 % 2 == 1.5)

-- integer arithmetic wraps around (two's complement)
local maxi, mini = math.maxinteger, math.mininteger
assert(maxi + 1 == mini)
assert(mini - 1 == maxi)
assert(maxi * 2 == -2)
assert(-mini == mini)
assert(mini * -1 == mini)
assert(maxi + 1.0 == 2^63)         -- float arithmetic does not wrap
assert(is_float(maxi + 1.0))
assert(mini // -1 == mini)         -- wraps, no error
assert(mini % -1 == 0)
assert(maxi == 9223372036854775807 and mini == -9223372036854775808 - 0 or mini == -maxi - 1)
assert(mini == -maxi - 1)

-- unary minus keeps the subtype
assert(is_int(-3) and is_float(-3.0))
assert(-(-3) == 3)

-- math.type of non-numbers
assert(math.type("1") == nil and math.type({}) == nil)
assert(not pcall(math.type))

-- float to integer conversions
assert(math.tointeger(3.0) == 3 and is_int(math.tointeger(3.0)))
assert(math.tointeger(3.5) == nil)
assert(math.tointeger(2^63) == nil)
assert(math.tointeger(-2^63) == mini)
assert(math.tointeger(math.huge) == nil)
assert(math.tointeger(0/0) == nil)

-- floor/ceil return integers when they fit
assert(is_int(math.floor(3.7)) and math.floor(3.7) == 3)
assert(is_int(math.ceil(3.2)) and math.ceil(3.2) == 4)
assert(math.floor(-3.5) == -4 and math.ceil(-3.5) == -3)
assert(is_float(math.floor(1e100)))      -- does not fit an integer
assert(math.floor(5) == 5 and is_int(math.floor(5)))

-- exact results of mixed integer/float operations
assert(2^53 + 1 == 2^53)                 -- float rounding
assert(math.tointeger(2^53) + 1 == 9007199254740993)
assert(3 * 1.5 == 4.5)
assert(10 // 3.0 == 3.0)
assert(1e15 + 0.5 == 1000000000000000.5)

-- integer-valued floats used where integers are needed
local t = {}
t[3.0] = "x"
assert(t[3] == "x")
assert(("abc"):sub(2.0, 3.0) == "bc")
assert(not pcall(string.sub, "abc", 1.5))
assert(string.rep("a", 3.0) == "aaa")

-- abs of mininteger wraps
assert(math.abs(mini) == mini)
assert(math.abs(-0.0) == 0.0)
assert(is_int(math.abs(-3)) and is_float(math.abs(-3.0)))

-- max/min keep the type of the chosen argument
assert(is_int(math.max(1, 2)) and is_float(math.max(1, 2.0)))
assert(math.max(3, 2.5) == 3 and is_int(math.max(3, 2.5)))
assert(is_float(math.min(1.0, 2)))
