-- Number to string conversion (%.14g for floats, ".0" for integral floats).

local cases = {
  {0.1, "0.1"},
  {1e100, "1e+100"},
  {2^63, "9.2233720368548e+18"},
  {-2^63, "-9.2233720368548e+18"},
  {-0.0, "-0.0"},
  {0.0, "0.0"},
  {1e15, "1e+15"},
  {1e16, "1e+16"},
  {1e14, "1e+14"},
  {100.0, "100.0"},
  {2^24, "16777216.0"},
  {2^53, "9.007199254741e+15"},
  {1e-5, "1e-05"},
  {123e-7, "1.23e-05"},
  {1.5e-10, "1.5e-10"},
  {1/3, "0.33333333333333"},
  {0.1 + 0.2, "0.3"},
  {math.pi, "3.1415926535898"},
  {-math.pi, "-3.1415926535898"},
  {255/256, "0.99609375"},
  {12345.6789e10, "1.23456789e+14"},
  {1e21, "1e+21"},
  {5e-324, "4.9406564584125e-324"},
  {math.huge, "inf"},
  {-math.huge, "-inf"},
  {3.0, "3.0"},
  {-3.0, "-3.0"},
  {1e300 * 1e10, "inf"},
  {123456.7890123456, "123456.78901235"},
  {99999999999999.9, "1e+14"},              -- rounds up to 15 digits then %g switches to exponent
  {999999999999999.9, "1e+15"},
  {0.000123456789012345, "0.00012345678901234"},
  {1e-310, "1e-310"},                       -- subnormal
  {2^-1022, "2.2250738585072e-308"},
  {12345678901234567890, "1.2345678901235e+19"},
  {-1.5e-7, "-1.5e-07"},
  {5e15 + 0.5, "5e+15"},
  {1/7, "0.14285714285714"},
  {1e14 + 0.5, "1e+14"},
  -- integers print all digits
  {123456789012345678, "123456789012345678"},
  {math.maxinteger, "9223372036854775807"},
  {math.mininteger, "-9223372036854775808"},
  {0, "0"},
  {-1, "-1"},
}
for i, c in ipairs(cases) do
  local got = tostring(c[1])
  assert(got == c[2], "case " .. i .. ": expected " .. c[2] .. " got " .. got)
  -- concatenation and string.format("%s") agree with tostring
  assert(c[1] .. "" == c[2], "concat case " .. i)
  assert(string.format("%s", c[1]) == c[2], "format case " .. i)
end

-- NaN prints as "nan" or "-nan" (sign follows the platform's printf)
local nan_s = tostring(0/0)
assert(nan_s == "-nan" or nan_s == "nan", nan_s)
local pos_nan = tostring(-(0/0))
assert(pos_nan == "nan" or pos_nan == "-nan", pos_nan)
assert(nan_s ~= pos_nan)               -- the two NaNs differ in sign

-- tostring round trip: tonumber(tostring(x)) == x for "nice" floats
for _, x in ipairs({0.5, 0.25, 1e10, 123.125, -7.75, 2^-10}) do
  assert(tonumber(tostring(x)) == x)
end

-- %.14g loses precision for floats that need 17 digits
assert(tostring(0.1 + 0.7) == "0.8")
assert(tonumber(tostring(0.1 + 0.7)) ~= 0.1 + 0.7)

-- string.format %q keeps integers/floats exact
assert(string.format("%q", 0.1) == "0x1.999999999999ap-4")
assert(string.format("%q", 1) == "1")
assert(string.format("%q", math.mininteger) == "0x8000000000000000")
assert(string.format("%q", 1/0) == "1e9999" and string.format("%q", -1/0) == "-1e9999")
assert(string.format("%q", 0/0) == "(0/0)")
assert(load("return " .. string.format("%q", math.pi))() == math.pi)

-- integer vs float results display differently
assert(tostring(3 / 1) == "3.0" and tostring(3 // 1) == "3")
assert(tostring(2^2) == "4.0" and tostring(1 << 2) == "4")
assert(tostring(10 // 3.0) == "3.0")
assert(tostring(-7 % 3.0) == "2.0")

-- tostring of mixed values
assert(table.concat({tostring(1), tostring(1.0), tostring(-0.0)}, "\t") == "1\t1.0\t-0.0")
