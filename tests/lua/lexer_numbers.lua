-- Lexer: numeric literals (decimal, hex, hex floats, exponents, overflow).

assert(math.type(3) == "integer")
assert(math.type(3.0) == "float")
assert(math.type(3e0) == "float")
assert(math.type(.5) == "float" and .5 == 0.5)
assert(math.type(5.) == "float" and 5. == 5)
assert(1e2 == 100.0 and math.type(1e2) == "float")
assert(1E-2 == 0.01)
assert(2e+3 == 2000)

-- hexadecimal integers
assert(0x10 == 16 and 0XFF == 255 and 0xa == 10)
assert(math.type(0x10) == "integer")
assert(0x7fffffffffffffff == math.maxinteger)
-- hex integers wrap around modulo 2^64
assert(0xffffffffffffffff == -1)
assert(0x8000000000000000 == math.mininteger)
assert(0x10000000000000000 == 0)
assert(0x1ffffffffffffffff == -1)
assert(math.type(0xffffffffffffffff) == "integer")

-- hex floats
assert(0x1p4 == 16.0 and math.type(0x1p4) == "float")
assert(0x.8 == 0.5)
assert(0x1.8 == 1.5)
assert(0xA.8p1 == 21.0)
assert(0x1p-1 == 0.5)
assert(0X1P+2 == 4.0)
assert(0x.1p4 == 1.0)
assert(0xF0.0 == 240.0)

-- decimal integers that overflow become floats
assert(math.type(9223372036854775807) == "integer")
assert(math.type(9223372036854775808) == "float")
assert(9223372036854775808 == 2^63)
assert(math.type(18446744073709551616) == "float")
assert(-9223372036854775808 == -2^63)          -- unary minus on a float
assert(math.type(-9223372036854775808) == "float")
assert(math.type(-9223372036854775807 - 1) == "integer")
assert(100000000000000000000 == 1e20)

-- float precision of literals
assert(0.1 + 0.2 ~= 0.3)
assert(1e308 * 10 == math.huge)
assert(1e309 == math.huge)
assert(1e-400 == 0)
assert(2^53 == 9007199254740992.0)

-- literals through tonumber agree with the lexer
assert(tonumber("0x1p4") == 0x1p4)
assert(tonumber("1e1") == 1e1)
assert(tonumber("0x10") == 16)

-- malformed numbers are syntax errors
local function bad(src)
  local f, msg = load("return " .. src)
  assert(f == nil, src)
  assert(string.find(msg, "malformed number near", 1, true), msg)
end
bad("3x")
bad("0x")
bad("1e")
bad("1e+")
bad("3.4.5")
bad("0xg")
bad("08z")
bad("1..2")

-- a number followed by .. needs a space
assert(load("return 1 .. 2")() == "12")
-- concatenation of numbers keeps their formats
assert(1 .. "" == "1" and 1.0 .. "" == "1.0")
assert(0x10 .. "" == "16")
assert(1e100 .. "" == "1e+100")
