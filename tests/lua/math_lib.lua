-- math library: constants, rounding, min/max, sqrt/exp/log, random, ult.

assert(math.pi > 3.14159 and math.pi < 3.1416)
assert(math.huge > 1e308 and -math.huge < -1e308)
assert(math.maxinteger == 0x7fffffffffffffff and math.mininteger == -0x8000000000000000)

-- floor / ceil / modf / abs
assert(math.floor(2.5) == 2 and math.floor(-2.5) == -3 and math.ceil(2.1) == 3 and math.ceil(-2.1) == -2)
assert(math.type(math.floor(2.5)) == "integer")
assert(math.floor(-0.0) == 0)
local ip, fp = math.modf(3.7)
assert(ip == 3 and math.abs(fp - 0.7) < 1e-12 and math.type(ip) == "integer")  -- 5.4.4: integral part as an integer when it fits
ip, fp = math.modf(-3.7)
assert(ip == -3.0 and math.abs(fp + 0.7) < 1e-12)
ip, fp = math.modf(5)
assert(ip == 5 and fp == 0.0 and math.type(fp) == "float")
ip, fp = math.modf(math.huge)
assert(ip == math.huge and fp == 0.0)
ip, fp = math.modf(-math.huge)
assert(ip == -math.huge and fp == 0.0)
assert(math.abs(-5) == 5 and math.abs(5.5) == 5.5)

-- min / max
assert(math.max(1, 5, 3) == 5 and math.min(1, 5, 3) == 1)
assert(math.max(-1) == -1)
assert(math.max(1, 2.5) == 2.5 and math.min(1.0, 1) == 1)
local ok, msg = pcall(function() return math.max() end)
assert(not ok and string.find(msg, "bad argument #1 to 'max' (value expected)", 1, true), msg)
ok, msg = pcall(math.min, 1, "x")     -- 5.4.4 compares with lua_compare: no number check
assert(not ok and string.find(msg, "attempt to compare string with number", 1, true), msg)

-- sqrt, exp, log
assert(math.sqrt(16) == 4.0 and math.type(math.sqrt(16)) == "float")
assert(math.sqrt(2) ^ 2 - 2 < 1e-15)
local nan = math.sqrt(-1)
assert(nan ~= nan)
assert(math.exp(0) == 1.0)
assert(math.abs(math.log(math.exp(2)) - 2) < 1e-15)
assert(math.log(8, 2) == 3.0)
assert(math.log(100, 10) == 2.0)
assert(math.log(1) == 0.0)
assert(math.log(0) == -math.huge)
assert(math.abs(math.log(27, 3) - 3) < 1e-14)

-- trigonometry
assert(math.sin(0) == 0.0 and math.cos(0) == 1.0)
assert(math.abs(math.sin(math.pi / 2) - 1) < 1e-15)
assert(math.abs(math.tan(math.pi / 4) - 1) < 1e-15)
assert(math.abs(math.atan(1) - math.pi / 4) < 1e-15)
assert(math.abs(math.atan(1, -1) - 3 * math.pi / 4) < 1e-15)
assert(math.atan(0, -1) == math.pi)
assert(math.abs(math.asin(1) - math.pi / 2) < 1e-15 and math.abs(math.acos(0) - math.pi / 2) < 1e-15)
assert(math.deg(math.pi) == 180.0 and math.rad(180) == math.pi)

-- tointeger / type / ult
assert(math.tointeger(5.0) == 5 and math.tointeger(5.5) == nil)
assert(math.tointeger("x") == nil)
assert(math.type(1) == "integer" and math.type(1.0) == "float" and math.type("1") == nil)
assert(math.ult(0, -1) and not math.ult(-1, 0))

-- random: ranges and argument errors
math.randomseed(123)
for _ = 1, 1000 do
  local r = math.random()
  assert(r >= 0 and r < 1 and math.type(r) == "float")
  local i = math.random(10)
  assert(i >= 1 and i <= 10 and math.type(i) == "integer")
  local j = math.random(-3, 3)
  assert(j >= -3 and j <= 3)
end
assert(math.random(5, 5) == 5)
local big = math.random(math.mininteger, math.maxinteger)
assert(math.type(big) == "integer")
ok, msg = pcall(math.random, 2, 1)
assert(not ok and string.find(msg, "interval is empty", 1, true), msg)
assert(math.type(math.random(0)) == "integer")   -- random(0): all 64 bits random
ok, msg = pcall(math.random, -5)
assert(not ok and string.find(msg, "interval is empty", 1, true), msg)
ok, msg = pcall(math.random, 1, 2, 3)
assert(not ok and string.find(msg, "wrong number of arguments", 1, true), msg)
-- seeding makes sequences reproducible
math.randomseed(7)
local s1 = {math.random(1000), math.random(1000), math.random()}
math.randomseed(7)
local s2 = {math.random(1000), math.random(1000), math.random()}
assert(s1[1] == s2[1] and s1[2] == s2[2] and s1[3] == s2[3])
-- the numbers cover the range reasonably
local seen = {}
for _ = 1, 200 do seen[math.random(4)] = true end
assert(seen[1] and seen[2] and seen[3] and seen[4])

-- fmod
assert(math.fmod(7, 3) == 1 and math.fmod(-7, 3) == -1 and math.fmod(7.5, 2) == 1.5)
ok, msg = pcall(math.fmod, 5, 0)
assert(not ok and string.find(msg, "zero", 1, true), msg)

-- argument errors
ok, msg = pcall(math.floor, "a")
assert(not ok and string.find(msg, "number expected, got string", 1, true), msg)
assert(math.floor("3.7") == 3)               -- numeric strings are accepted
ok, msg = pcall(math.sqrt)
assert(not ok and string.find(msg, "number expected, got no value", 1, true), msg)
