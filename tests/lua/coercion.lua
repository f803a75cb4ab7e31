-- String <-> number coercions (manual 3.4.3).

-- arithmetic converts strings to numbers
assert("10" + 1 == 11 and math.type("10" + 1) == "integer")
assert("10" * "2" == 20)
assert("3.0" + 1 == 4.0 and math.type("3.0" + 1) == "float")
assert("0x10" + 0 == 16)
assert(" 5 " + 0 == 5)                 -- surrounding whitespace allowed
assert("\t7\n" * 1 == 7)
assert("1e2" + 0 == 100.0)
assert("-3" + 0 == -3)
assert(-"2" == -2 and math.type(-"2") == "integer")
assert(-"2.5" == -2.5)
assert("10" / "4" == 2.5)
assert("7" // "2" == 3)
assert("7" % "2" == 1)
assert("2" ^ "3" == 8.0)
assert(10 - "3" == 7)
assert("9223372036854775807" + 0 == math.maxinteger)
assert(math.type("9223372036854775808" + 0) == "float")   -- does not fit
assert("0x7fffffffffffffff" + 0 == math.maxinteger)
assert("0xffffffffffffffff" + 0 == -1)                    -- hex wraps

-- invalid strings raise errors mentioning the type
local function errmsg(f, ...)
  local ok, msg = pcall(f, ...)
  assert(not ok)
  return msg
end
-- (the string library's arithmetic metamethods raise these in Lua 5.4.4)
local m = errmsg(function() return "abc" + 1 end)
assert(string.find(m, "attempt to add a 'string' with a 'number'", 1, true), m)
m = errmsg(function(s) return s * 2 end, "x")
assert(string.find(m, "attempt to mul a 'string' with a 'number'", 1, true), m)
m = errmsg(function(s) return 1 - s end, "1e")
assert(string.find(m, "attempt to sub a 'number' with a 'string'", 1, true), m)
m = errmsg(function(s) return -s end, "")
assert(string.find(m, "attempt to unm a 'string' with a 'string'", 1, true), m)
m = errmsg(function(s) return s + {} end, "1")
assert(string.find(m, "attempt to add a 'string' with a 'table'", 1, true), m)
-- bitwise operators never convert strings
m = errmsg(function(s) return s & 1 end, "3")
assert(string.find(m, "attempt to perform bitwise operation on a string value (local 's')", 1, true), m)
m = errmsg(function() return {} + 1 end)
assert(string.find(m, "attempt to perform arithmetic on a table value", 1, true), m)
m = errmsg(function() return 1 + nil end)
assert(string.find(m, "attempt to perform arithmetic on a nil value", 1, true), m)

-- concatenation converts numbers to strings
assert(10 .. "" == "10")
assert(1.5 .. "" == "1.5")
assert(10.0 .. "" == "10.0")
assert(-0.0 .. "" == "-0.0")
assert(1 .. 2 == "12")
assert(2^63 .. "" == "9.2233720368548e+18")
assert(math.mininteger .. "" == "-9223372036854775808")
assert("x" .. 1e300 == "x1e+300")
m = errmsg(function() return "a" .. {} end)
assert(string.find(m, "attempt to concatenate a table value", 1, true), m)
m = errmsg(function(b) return "a" .. b end, true)
assert(string.find(m, "attempt to concatenate a boolean value (local 'b')", 1, true), m)
m = errmsg(function() local t = {} return "a" .. t.x end)
assert(string.find(m, "attempt to concatenate a nil value (field 'x')", 1, true), m)

-- comparison does NOT coerce
assert(not pcall(function() return 1 < "2" end))
assert(1 ~= "1")
assert("10" ~= 10)
m = errmsg(function() return 1 < "2" end)
assert(string.find(m, "attempt to compare number with string", 1, true), m)

-- tonumber and string conversion functions
assert(tonumber("10") == 10 and tonumber("  0x1F  ") == 31)
assert(tonumber("10", 16) == 16)
assert(tostring(10) == "10" and tostring(-10.25) == "-10.25")

-- table keys are not coerced: "1" and 1 are different keys
local t = {}
t[1] = "int"
t["1"] = "str"
assert(t[1] == "int" and t["1"] == "str")

-- string functions accept numbers as strings
assert(string.len(12345) == 5)
assert(string.upper(1e15) == "1E+15")
assert(("x"):rep(3) == "xxx")
assert(string.sub(12345, 2, 3) == "23")
-- and number arguments accept numeric strings
assert(string.rep("ab", "2") == "abab")
assert(string.char("65") == "A")
