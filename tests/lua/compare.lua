-- Comparisons: exact integer/float comparisons, strings, mixed types.

-- integers and floats compare by mathematical value
assert(1 == 1.0 and -0 == -0.0)
assert(2^53 == 2^53 + 0 and math.tointeger(2^53) == 2^53)
local i53 = 1 << 53
assert(i53 == 2^53)
assert(i53 + 1 ~= 2^53)          -- exact: 2^53+1 is not 2^53
assert(i53 + 1 > 2^53)
assert(2^53 < i53 + 1)
assert(not (i53 + 1 <= 2^53))
assert(i53 + 1 >= 2^53)

-- near 2^63: maxinteger is below 2^63 exactly
local maxi, mini = math.maxinteger, math.mininteger
assert(maxi < 2^63)
assert(maxi + 0.0 == 2^63)        -- the float conversion rounds up
assert(maxi ~= 2^63)
assert(not (maxi >= 2^63))
assert(maxi <= 2^63)
assert(mini == -2^63)
assert(mini <= -2^63 and mini >= -2^63)
assert(mini > -2^63 - 2^11 and mini < -2^63 + 2^11)
assert(-2^64 < mini)
assert(2^64 > maxi)
assert(maxi < math.huge and mini > -math.huge)

-- integers vs non-integral floats
assert(1 < 1.5 and 2 > 1.5 and not (1 == 1.5))
assert(-1 > -1.5 and -2 < -1.5)
assert(maxi < 1e100 and mini > -1e100)
assert(3 <= 3.0 and 3 >= 3.0)
assert(maxi - 1 < maxi + 0.0)

-- NaN never compares true
local nan = 0 / 0
assert(not (1 < nan) and not (1 > nan) and not (maxi <= nan) and not (mini >= nan))
assert(1 ~= nan)

-- strings compare byte-wise (C locale)
assert("a" < "b" and "a" < "ab" and "" < "a")
assert("Z" < "a")                 -- uppercase before lowercase
assert("abc" < "abd" and "abc" <= "abc" and "abc" >= "abc")
assert(not ("abc" < "abc"))
assert("10" < "9")                -- lexicographic, not numeric
assert("a\0b" > "a" and "a\0b" < "a\1")
assert("\255" > "\127")
assert("a\0a" < "a\0b")
assert(("x"):rep(100) < ("x"):rep(101))

-- equality across types is false, never an error
assert(1 ~= "1" and "1" ~= 1)
assert(nil ~= false)
assert({} ~= {})
local t = {}
assert(t == t)
assert(print == print)
assert(not (0 == false))

-- ordering across types is an error
local function cmp_err(f, expected)
  local ok, msg = pcall(f)
  assert(not ok)
  assert(string.find(msg, expected, 1, true), msg)
end
cmp_err(function() return 1 < "2" end, "attempt to compare number with string")
cmp_err(function() return "2" < 1 end, "attempt to compare string with number")
cmp_err(function() return 1 < nil end, "attempt to compare number with nil")
cmp_err(function() return nil <= 1 end, "attempt to compare nil with number")
cmp_err(function() return {} < {} end, "attempt to compare two table values")
cmp_err(function() return true > false end, "attempt to compare two boolean values")
cmp_err(function() local x return x >= 0 end, "attempt to compare number with nil")  -- x >= 0 is 0 <= x
cmp_err(function() return 1 > "x" end, "attempt to compare string with number")  -- a > b is b < a

-- comparison results are booleans
assert((1 < 2) == true and (2 < 1) == false)
assert(type(1 == 1) == "boolean")

-- comparisons in loops with mixed subtypes
local count = 0
for x = 1, 10 do
  if x < 5.5 then count = count + 1 end
end
assert(count == 5)

-- math.ult: unsigned comparison
assert(math.ult(1, 2) and not math.ult(2, 1))
assert(math.ult(1, -1))                -- -1 is the largest unsigned
assert(not math.ult(-1, 1))
assert(math.ult(maxi, mini))
