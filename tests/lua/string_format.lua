-- string.format: every conversion, flags, widths, precision, %q, errors.

local f = string.format
assert(f("%d", 42) == "42" and f("%i", -7) == "-7")
assert(f("%5d|%-5d|%05d", 42, 42, 42) == "   42|42   |00042")
assert(f("%+d % d", 5, 5) == "+5  5")
assert(f("%x %X %#x %o", 255, 255, 255, 8) == "ff FF 0xff 10")
assert(f("%x", -1) == "ffffffffffffffff")
assert(f("%d", math.mininteger) == "-9223372036854775808")
assert(f("%d", 3.0) == "3")                      -- integral float accepted
assert(f("%d", "10") == "10")                    -- numeric string accepted
assert(f("%5.2f", 3.14159) == " 3.14")
assert(f("%.3f", 2) == "2.000")
assert(f("%e", 12345.678) == "1.234568e+04")
assert(f("%.2E", 0.000123) == "1.23E-04")
assert(f("%g %g %g", 0.0001, 1e20, 100) == "0.0001 1e+20 100")
assert(f("%.14g", 0.1) == "0.1")
assert(f("%.0f %.0f", 0.5, 1.5) == "0 2")        -- round half to even
assert(f("%a", 0.5) == "0x1p-1" and f("%A", 1) == "0X1P+0")
assert(f("%c%c%c", 76, 117, 97) == "Lua")
assert(f("%-3c|", 65) == "A  |")
assert(f("%c", 0) == "\0")
assert(f("%s %s %s", 1, 2.0, true) == "1 2.0 true")
assert(f("%s", nil) == "nil")
assert(f("%10s|%-10s|", "hi", "hi") == "        hi|hi        |")
assert(f("%.3s", "abcdef") == "abc")
assert(f("%.20s", "x") == "x")
assert(f("%5s%%", "a") == "    a%")
assert(f("%%") == "%")
assert(f("no conversions") == "no conversions")
assert(f("%s", setmetatable({}, {__tostring = function() return "TT" end})) == "TT")
assert(f("%s", "a\0b") == "a\0b")                  -- embedded zeros kept
assert(f("%5.1s|", "abc") == "    a|")

-- %q produces a Lua literal that reads back
assert(f("%q", "a\nb\0c\"") == '"a\\\nb\\0c\\""')
assert(f("%q", "\r\t\1\127") == '"\\13\\9\\1\\127"')
assert(f("%q", "\0001") == '"\\0001"')            -- digit after an escape: 3-digit form
assert(f("%q", 255) == "255")
assert(f("%q", 1.5) == "0x1.8p+0")
assert(f("%q", math.mininteger) == "0x8000000000000000")
assert(f("%q", true) == "true" and f("%q", nil) == "nil")
for _, v in ipairs({"tab\there", "quote\"s", "back\\slash", "\255\0\n", 12, -3.25, 1e100, math.maxinteger}) do
  assert(load("return " .. f("%q", v))() == v)
end

-- errors
local function err(pattern, text, ...)
  local args = table.pack(...)
  local ok, msg = pcall(function() return string.format(pattern, table.unpack(args, 1, args.n)) end)
  assert(not ok, "expected error for " .. pattern)
  assert(string.find(msg, text, 1, true), msg)
end
err("%d", "bad argument #2 to 'format' (number has no integer representation)", 3.5)
err("%d", "bad argument #2 to 'format' (number expected, got string)", "x")
err("%d", "bad argument #2 to 'format' (no value)")
err("%s", "bad argument #2 to 'format' (no value)")
err("%y", "invalid conversion '%y' to 'format'", 1)
err("%10.123f", "invalid conversion", 1)
err("%q", "bad argument #2 to 'format' (value has no literal form)", {})
err("%c", "bad argument #2 to 'format' (number expected, got table)", {})
err("%", "invalid conversion '%' to 'format'", 1)

-- extra arguments are ignored
assert(f("%d", 1, 2, 3) == "1")

-- long results
assert(#f("%s", string.rep("x", 10000)) == 10000)
assert(#f("%099d", 7) == 99)
assert(f("%.99f", 1):sub(1, 4) == "1.00")
