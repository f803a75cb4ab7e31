-- Floor division and modulo: signs, zero divisors, floats, tables of results.

-- floor division rounds towards minus infinity
local cases = {
  -- a, b, a // b, a % b
  { 7,  3,  2,  1},
  {-7,  3, -3,  2},
  { 7, -3, -3, -2},
  {-7, -3,  2, -1},
  { 6,  3,  2,  0},
  {-6,  3, -2,  0},
  { 0,  5,  0,  0},
  { 1,  2,  0,  1},
  {-1,  2, -1,  1},
  { 1, -2, -1, -1},
  {math.maxinteger, 2, 4611686018427387903, 1},
  {math.mininteger, 2, -4611686018427387904, 0},
  {math.mininteger, -1, math.mininteger, 0},
  {math.mininteger, math.maxinteger, -2, math.maxinteger - 1},
}
for i, c in ipairs(cases) do
  local a, b, q, r = c[1], c[2], c[3], c[4]
  assert(a // b == q, "// case " .. i)
  assert(a % b == r, "% case " .. i)
  assert(math.type(a // b) == "integer" and math.type(a % b) == "integer")
  -- the invariant a == (a // b) * b + a % b
  assert((a // b) * b + a % b == a, "invariant " .. i)
  -- float versions agree when the values are exact
  if a > -2^53 and a < 2^53 and b > -2^53 and b < 2^53 then
    assert(a * 1.0 // b == q and (a * 1.0) % b == r, "float case " .. i)
  end
end

-- float modulo and division
assert(5.5 % 2 == 1.5)
assert(-5.5 % 2 == 0.5)
assert(5.5 % -2 == -0.5)
assert(-5.5 // 2 == -3.0)
assert(5.3 // 1 == 5.0)
assert(math.type(5.3 // 1) == "float")
assert(3 % math.huge == 3)
assert(-3 % math.huge == math.huge)
assert(3 % -math.huge == -math.huge)
assert(-3 % -math.huge == -3)
assert(1 // math.huge == 0 and 1 / (-1 // math.huge) == -math.huge)  -- floor(-0.0)

-- integer division/modulo by zero raise errors
local ok, msg = pcall(function(x) return 1 // x end, 0)
assert(not ok and string.find(msg, "attempt to divide by zero", 1, true), msg)
ok, msg = pcall(function(x) return 1 % x end, 0)
assert(not ok and string.find(msg, "attempt to perform 'n%0'", 1, true), msg)

-- float division by zero gives inf or nan
assert(1.0 // 0 == math.huge)
assert(-1.0 // 0 == -math.huge)
assert(1 / 0 == math.huge and -1 / 0 == -math.huge)
local nan = 0.0 / 0
assert(nan ~= nan)
local m = 1.0 % 0
assert(m ~= m)                                    -- nan
local q = 0.0 // 0
assert(q ~= q)
assert(1 // 0.0 == math.huge)
assert(5 % math.huge == 5)
local infmod = math.huge % 2
assert(infmod ~= infmod)                          -- inf % x is nan

-- math.fmod truncates towards zero (C fmod)
assert(math.fmod(7, 3) == 1)
assert(math.fmod(-7, 3) == -1)
assert(math.fmod(7, -3) == 1)
assert(math.fmod(-7, -3) == -1)
assert(math.type(math.fmod(7, 3)) == "integer")
assert(math.fmod(-7.5, 2) == -1.5)
assert(math.fmod(math.mininteger, -1) == 0)
ok, msg = pcall(function() return math.fmod(1, 0) end)
assert(not ok and string.find(msg, "bad argument #2 to 'fmod' (zero)", 1, true), msg)
local fm = math.fmod(1, 0.0)
assert(fm ~= fm)

-- constant folding must not hide errors or change results
ok = pcall(load("return 1 // 0"))
assert(not ok)
ok = pcall(load("return 1 % 0"))
assert(not ok)
assert(load("return -7 // 2")() == -4)
assert(load("return 7 % -3")() == -2)
assert(load("return 2^63 // 1")() == 2^63)
