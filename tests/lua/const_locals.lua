-- <const> locals (manual 3.3.7) and their compile-time errors.

local N <const> = 10
local S <const> = "str"
local F <const> = 2.5
local B <const> = false
local NIL <const> = nil
assert(N == 10 and S == "str" and F == 2.5 and B == false and NIL == nil)
assert(N * 2 == 20 and S .. "!" == "str!")

-- constants are visible in closures
local function getn() return N + 1 end
assert(getn() == 11)

-- a const initialized with a non-constant expression is still read-only
local T <const> = {}
T.x = 1                      -- the table itself is mutable
assert(T.x == 1)
local R <const> = math.random(1, 1)
assert(R == 1)

-- several names, each with its own attribute
local u <const>, v, w <const> = 1, 2, 3
v = 20
assert(u == 1 and v == 20 and w == 3)

-- assigning to a const is a compile error
local function compile_error(src, expected)
  local f, msg = load(src, "=src")
  assert(f == nil, "should not compile: " .. src)
  assert(string.find(msg, expected, 1, true), msg)
end
compile_error("local x <const> = 1; x = 2", "src:1: attempt to assign to const variable 'x'")
compile_error("local x <const> = 1; local function f() x = 2 end",
  "attempt to assign to const variable 'x'")
compile_error("local x <const> = 1\nx, y = 2, 3", "src:2: attempt to assign to const variable 'x'")
compile_error("local a, b <const> = 1, 2; b = 3", "attempt to assign to const variable 'b'")
compile_error("local x <const> = 1; for i = 1, 2 do x = i end", "attempt to assign to const variable 'x'")
compile_error("local x <const>; x = 1", "attempt to assign to const variable 'x'")
compile_error("local x <close>, y <close> = nil, nil", "multiple to-be-closed variables in local list")
compile_error("local x <cnst> = 1", "unknown attribute 'cnst'")

-- _ENV declared const cannot be assigned
compile_error("local _ENV <const> = {}; _ENV = nil", "attempt to assign to const variable '_ENV'")
-- ...and globals through a const _ENV still work
local ok = load([[
  local _ENV <const> = {val = 3}
  val = val + 1
  return val
]])
assert(ok() == 4)

-- shadowing a const with a new local is fine
local k <const> = 1
do
  local k = 2
  k = 3
  assert(k == 3)
end
assert(k == 1)

-- loop control variables are not const in 5.4 (assigning is allowed)
for i = 1, 3 do
  local j = i
  i = i * 10                 -- legal; does not affect iteration
  assert(i == j * 10)
end

-- constants fold in expressions
local K1 <const> = 1 << 4
local K2 <const> = K1 * 2 + 1
assert(K2 == 33)
local KS <const> = "a" .. "b"
assert(KS == "ab")
