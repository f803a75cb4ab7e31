-- Bitwise operators on 64-bit integers (manual 3.4.2).

assert(5 & 3 == 1 and 5 | 3 == 7 and 5 ~ 3 == 6)
assert(~0 == -1 and ~5 == -6)
assert(-1 & 0xff == 255)
assert(math.mininteger | math.maxinteger == -1)

-- shifts are logical and fill with zeros
assert(1 << 0 == 1 and 1 << 1 == 2 and 1 << 62 == 0x4000000000000000)
assert(1 << 63 == math.mininteger)
assert(1 << 64 == 0)                  -- shifts of 64 or more give 0
assert(1 << 100 == 0)
assert(-1 >> 1 == math.maxinteger)    -- logical, not arithmetic
assert(-1 >> 63 == 1)
assert(-1 >> 64 == 0)
assert(math.mininteger >> 63 == 1)
assert(0xff >> 4 == 0xf)

-- negative shift counts shift the other way
assert(1 << -1 == 0)
assert(2 << -1 == 1)
assert(8 >> -2 == 32)
assert(1 >> -63 == math.mininteger)
assert(1 >> -64 == 0)
assert(-1 << math.mininteger == 0)
assert(1 << math.maxinteger == 0)

-- floats with exact integer values are converted
assert(3.0 & 1 == 1 and math.type(3.0 & 1) == "integer")
assert(2.0 ^ 2 | 0 == 4)
assert(1 << 2.0 == 4)
assert(-0.0 | 0 == 0)
assert(2^62 | 0 == 1 << 62)
assert(-2^63 | 0 == math.mininteger)

-- non-integral floats and out-of-range floats are errors
local function err(f, pat)
  local ok, msg = pcall(f)
  assert(not ok, "expected an error")
  assert(string.find(msg, pat, 1, true), msg)
end
err(function() return 1.5 & 1 end, "number has no integer representation")
err(function() return 2^63 | 0 end, "number has no integer representation")
err(function() local x = 0.5 return x | 0 end, "number (local 'x') has no integer representation")
err(function() return 1 << 0.5 end, "number has no integer representation")
err(function() return math.huge | 0 end, "number (field 'huge') has no integer representation")

-- strings are not converted by bitwise operators in Lua 5.4
err(function() local s = "3" return s & 1 end, "attempt to perform bitwise operation on a string value (local 's')")
err(function() return {} | 1 end, "attempt to perform bitwise operation on a table value")
err(function() local t = {} return ~t.x end, "attempt to perform bitwise operation on a nil value (field 'x')")
err(function() return true ~ 1 end, "attempt to perform bitwise operation on a boolean value")

-- bitwise not of a float with an integer value
assert(~1.0 == -2)

-- xor identities over a range
for i = -5, 5 do
  for j = -5, 5 do
    assert(i ~ j == (i | j) & ~(i & j))
    assert(~(i & j) == ~i | ~j)
  end
end

-- shifting a wide range matches multiplication by powers of two (mod 2^64)
local x = 0x123456789
for n = 0, 30 do
  assert(x << n == x * (1 << n))
  assert((x << n) >> n == x)
end

-- constant folding must give the same results as run time
local one, sixtyfour = 1, 64
assert(load("return 1 << 64")() == one << sixtyfour)
assert(load("return 1 >> -1")() == 2)
assert(load("return ~0 >> 60")() == 15)
local ok = pcall(load("return 1.5 | 0"))
assert(not ok)
