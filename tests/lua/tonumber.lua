-- tonumber: decimal and hex strings, bases 2..36, whitespace, invalid input.

-- plain conversions
assert(tonumber("10") == 10 and math.type(tonumber("10")) == "integer")
assert(tonumber("10.0") == 10 and math.type(tonumber("10.0")) == "float")
assert(tonumber("  42  ") == 42)
assert(tonumber("\t\n\v\f\r42\n") == 42)
assert(tonumber("-7") == -7 and tonumber("+7") == 7)
assert(tonumber("1e3") == 1000.0 and tonumber("1E-3") == 0.001)
assert(tonumber(".5") == 0.5 and tonumber("5.") == 5.0)
assert(tonumber("0x10") == 16 and tonumber("0X1f") == 31 and tonumber("-0x10") == -16)
assert(tonumber("0x1p4") == 16.0 and tonumber("0x.8") == 0.5)
assert(tonumber("0x") == nil)
assert(tonumber("9223372036854775807") == math.maxinteger)
assert(math.type(tonumber("9223372036854775808")) == "float")
assert(tonumber("0xffffffffffffffff") == -1)    -- hex integers wrap
assert(tonumber("1" .. string.rep("0", 30)) == 1e30)
assert(tonumber("inf") == nil and tonumber("nan") == nil)
assert(tonumber("0x1P-2") == 0.25)

-- numbers pass through unchanged
assert(tonumber(5) == 5 and math.type(tonumber(5.0)) == "float")

-- invalid strings give nil (fail), not an error
for _, s in ipairs({"", " ", "abc", "1a", "1 2", "--1", "1e", "0x1g", "1..2", "- 1", "1e1.5", "\0" .. "1", "1\0"}) do
  assert(tonumber(s) == nil, "should be nil: " .. s)
end
-- non-string, non-number values give nil
assert(tonumber(nil) == nil and tonumber({}) == nil and tonumber(true) == nil)
assert(select("#", tonumber({})) == 1)
local ok, msg = pcall(tonumber)
assert(not ok and string.find(msg, "bad argument #1 to 'tonumber' (value expected)", 1, true), msg)

-- explicit bases
assert(tonumber("10", 2) == 2)
assert(tonumber("ff", 16) == 255 and tonumber("FF", 16) == 255)
assert(tonumber("zz", 36) == 35 * 36 + 35)
assert(tonumber("Zz", 36) == 1295)
assert(tonumber("777", 8) == 511)
assert(tonumber("-ff", 16) == -255)
assert(tonumber("  11  ", 2) == 3)
assert(tonumber("2", 2) == nil)
assert(tonumber("8", 8) == nil)
assert(tonumber("1.5", 10) == nil)           -- only integers with a base
assert(tonumber("0x10", 16) == nil)          -- no prefix with a base
assert(tonumber("", 10) == nil)
assert(tonumber("1e1", 16) == 0x1e1)
assert(math.type(tonumber("10", 10)) == "integer")
-- overflow with a base wraps around
assert(tonumber("ffffffffffffffff", 16) == -1)
assert(tonumber("10000000000000000", 16) == 0)

-- base errors
ok, msg = pcall(tonumber, "10", 1)
assert(not ok and string.find(msg, "bad argument #2 to 'tonumber' (base out of range)", 1, true), msg)
ok, msg = pcall(tonumber, "10", 37)
assert(not ok and string.find(msg, "base out of range", 1, true), msg)
ok, msg = pcall(tonumber, 10, 16)
assert(not ok and string.find(msg, "bad argument #1 to 'tonumber' (string expected, got number)", 1, true), msg)
assert(tonumber("10", 16.0) == 16)

-- tonumber and the lexer agree on odd literals
assert(tonumber("0x.1") == 0x.1 and tonumber("0xA.8p1") == 0xA.8p1)
assert(tonumber("3e-2") == 3e-2)
assert(tonumber(" 0x7fffffffffffffff ") == math.maxinteger)

-- strings converted by arithmetic follow the same rules
assert(("0x10" + 0) == 16 and ("1e1" + 0) == 10.0)
