-- Operator precedence and associativity (manual 3.4.8).

-- ^ is right associative and binds tighter than unary minus
assert(2 ^ 3 ^ 2 == 2 ^ 9)
assert(2 ^ 3 ^ 2 == 512.0)
assert(-2 ^ 2 == -4.0)
assert((-2) ^ 2 == 4.0)
assert(-2 ^ -2 == -0.25)
assert(2 ^ -1 == 0.5)

-- .. is right associative (matters for metamethods and numbers)
assert(1 .. 2 .. 3 == "123")
local calls = 0
local mt = {__concat = function(a, b)
  calls = calls + 1
  local x = type(a) == "table" and a.n or a
  local y = type(b) == "table" and b.n or b
  return setmetatable({n = x .. y}, nil)
end}
local C = setmetatable({n = "C"}, mt)
-- right associative: "x" .. "y" is done first, then one metamethod call
local r = C .. "x" .. "y"
assert(calls == 1 and r.n == "Cxy")
calls = 0
-- forced left: the result table has no metatable, so the second concat fails
assert(not pcall(function() return (C .. "x") .. "y" end))
assert(calls >= 1)

-- .. is lower than + and -
assert(1 + 2 .. 3 == "33")
assert("a" .. 2 * 3 == "a6")

-- unary operators
assert(not nil == true)
assert(not 1 == false)
assert(- - 2 == 2)
assert(#"abc" + 1 == 4)
assert(-#"abc" == -3)
assert(~0 == -1)
assert(~~5 == 5)
assert((not 1 == 2) == false)   -- (not 1) == 2 is false == 2
assert(-3 % 5 == 2)           -- (-3) % 5
assert(-3 ^ 2 == -9.0)

-- multiplicative over additive, left associative
assert(2 + 3 * 4 == 14)
assert(10 - 4 - 3 == 3)
assert(2 * 3 % 4 == 2)
assert(7 // 2 * 2 == 6)
assert(100 / 10 / 5 == 2.0)

-- comparison lower than concatenation and arithmetic
assert("a" .. "b" == "ab")
assert(1 + 1 < 3)
assert(1 < 2 == true)

-- and/or: and binds tighter than or
assert((1 or 2 and nil) == 1)
assert((nil and 1 or 2) == 2)
assert((false or nil) == nil)
assert((nil or false) == false)
assert((1 and 2) == 2)
assert((nil and error("not evaluated")) == nil)
assert((1 or error("not evaluated")) == 1)
assert((1 < 2 and "yes" or "no") == "yes")

-- bitwise precedence: or < xor < and < shift < concat
assert(1 | 2 ~ 3 & 4 == 1 | (2 ~ (3 & 4)))
assert(1 | 6 == 7)
assert(5 & 3 | 8 == 9)
assert(1 << 2 + 1 == 8)          -- + binds tighter than <<
assert(6 & 3 == 2)
assert(3 ~ 5 == 6)
assert(1 << 4 >> 2 == 4)          -- left associative
-- .. binds tighter than <<, and strings are not coerced by bitwise operators
local ok2, e2 = pcall(load("return 2 .. 3 << 1"))
assert(not ok2 and string.find(e2, "bitwise operation on a string value", 1, true))
-- comparisons bind looser than bitwise operators: (1 | 2) == 3
assert((1 | 2 == 3) == true)
assert((6 & 3 ~= 2) == false)
assert((1 << 1 < 3) == true)

-- comparison operators are not associative in a useful way
assert(pcall(load("return 1 < 2 < 3")) == false)
