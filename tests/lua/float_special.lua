-- Special float values: -0.0, infinities, NaN.

local inf, nan = math.huge, 0.0 / 0.0

-- negative zero compares equal to zero but keeps its sign
local nz = -0.0
assert(nz == 0.0 and nz == 0)
assert(1 / nz == -inf)
assert(1 / 0.0 == inf)
assert(tostring(nz) == "-0.0")
assert(tostring(0.0) == "0.0")
assert(tostring(-0.0 + 0.0) == "0.0")
assert(tostring(0.0 * -1) == "-0.0")
assert(tostring(-(0.0)) == "-0.0")
assert(tostring(-0) == "0")            -- integer zero has no sign
assert(math.type(-0) == "integer")
-- -0.0 as a table key is the same key as 0
local t = {}
t[-0.0] = "z"
assert(t[0] == "z" and t[0.0] == "z")

-- infinities
assert(inf > math.maxinteger and -inf < math.mininteger)
assert(inf == inf and -inf == -inf and inf ~= -inf)
assert(inf + 1 == inf and inf - inf ~= inf - inf)
assert(tostring(inf) == "inf" and tostring(-inf) == "-inf")
assert(math.type(inf) == "float")
assert(2^1024 == inf)
assert(-2^1024 == -inf)
assert(math.huge // 1 == inf)
assert(math.floor(inf) == inf and math.ceil(-inf) == -inf)

-- NaN is not equal to anything, not even itself
assert(nan ~= nan)
assert(not (nan == nan))
assert(not (nan < nan) and not (nan <= nan) and not (nan > nan) and not (nan >= nan))
assert(not (nan < 1) and not (1 < nan) and not (nan <= 1) and not (1 <= nan))
assert(not (nan < inf) and not (nan > -inf))
assert(not (nan == 1) and nan ~= 1)
local n2 = nan
assert(n2 ~= nan)                       -- even the same value
assert(rawequal(n2, n2) == false)
assert(math.type(nan) == "float")
assert(nan ~= nan and nan + 1 ~= nan + 1)
-- tostring of NaN is "-nan" when its sign bit is set, else "nan" (C printf);
-- 0/0 computed at run time on x86-64 has the sign bit set, so lua5.4 prints "-nan"
local function signbit(x) return string.byte(string.pack("<d", x), 8) >= 128 end
local function nan_string(x) return signbit(x) and "-nan" or "nan" end
local s = tostring(nan)
assert(s == nan_string(nan), s)
assert(tostring(-nan) == nan_string(-nan) and tostring(-nan) ~= s)
local zero = 0
assert(tostring(zero / zero) == nan_string(zero / zero))
assert(tostring(math.huge - math.huge) == nan_string(math.huge - math.huge))
assert(string.format("%f", nan) == s and string.format("%.3f", -nan) == tostring(-nan))
assert(nan .. "" == s)

-- NaN cannot be a table key, but it can be looked up
local ok, msg = pcall(function() local x = {} x[nan] = 1 end)
assert(not ok and string.find(msg, "table index is NaN", 1, true), msg)
assert(({})[nan] == nil)
assert(rawget({}, nan) == nil)
ok, msg = pcall(rawset, {}, nan, 1)
assert(not ok and string.find(msg, "table index is NaN", 1, true), msg)

-- NaN in a constructor is an error too
ok, msg = pcall(function() return {[0/0] = 1} end)
assert(not ok and string.find(msg, "table index is NaN", 1, true), msg)

-- float to integer conversions reject NaN and inf
ok, msg = pcall(function() return nan | 0 end)
assert(not ok and string.find(msg, "number (upvalue 'nan') has no integer representation", 1, true), msg)
ok, msg = pcall(function() return inf // 1 | 0 end)
assert(not ok and string.find(msg, "number has no integer representation", 1, true), msg)
assert(math.tointeger(nan) == nil and math.tointeger(inf) == nil)

-- formatting of special values
assert(string.format("%.1f", inf) == "inf")
assert(string.format("%.1f", -inf) == "-inf")
assert(string.format("%d", 3.0) == "3")
assert(string.format("%g", -0.0) == "-0")
assert(string.format("%a", 1.0) == "0x1p+0")
assert(math.abs(-0.0) == 0 and 1 / math.abs(-0.0) == inf)

-- sorting refuses an invalid order function only when it notices; NaN-free sort works
local arr = {3, -0.0, 0, inf, -inf, 1}
table.sort(arr)
assert(arr[1] == -inf and arr[6] == inf and arr[5] == 3)
