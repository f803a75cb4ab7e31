-- Expression code generation: and/or values, comparisons as values, constant
-- folding, nested calls and temporaries, assignment evaluation order.

local T, F, N = true, false, nil
-- and/or produce operand values, not booleans
assert((1 and 2) == 2 and (N and 1) == nil and (F and 1) == false)
assert((N or F) == false and (F or N) == nil and (0 or 1) == 0 and ("" or 1) == "")
local a = N and 1 or 2
assert(a == 2)
local b = T and F or "x"           -- the classic pitfall: false in the middle
assert(b == "x")
local c = (T and {F}) and 1
assert(c == 1)
local x = x or {}
assert(type(x) == "table")

-- comparisons and not as values
local lt, le, eq, ne = 1 < 2, 2 <= 1, "a" == "a", 1 ~= 1.0
assert(lt == true and le == false and eq == true and ne == false)
local nt = not (1 < 2)
assert(nt == false and not nil == true and not 0 == false)
local v = (1 < 2) == (3 < 4)
assert(v == true)
local mixed = 1 < 2 and "yes" or "no"
assert(mixed == "yes")
local k = 10
local r1 = k > 5 and k < 20 and "in" or "out"
local r2 = (k < 5 or k > 8) and "edge" or "mid"
assert(r1 == "in" and r2 == "edge")

-- conditions with constants on either side (compiled with immediate operands)
local n = 5
if 3 < n then n = n + 1 end
if n >= 6 then n = n * 2 end
if 12 == n then n = -n end
if -12 ~= n then n = 0 end
assert(n == -12)
local f = 2.5
assert(f > 2 and f < 3 and 2 < f and not (f == 2) and f ~= 2)
assert(("b" > "a") and not ("b" < "a"))

-- short-circuit evaluation skips side effects
local calls = 0
local function bump(val) calls = calls + 1; return val end
local _ = bump(false) and bump(true)
local _ = bump(true) or bump(false)
assert(calls == 2)
calls = 0
if bump(nil) and bump(1) then error("unreachable") end
while bump(false) or bump(nil) do end
assert(calls == 3)

-- constant folding produces the same values as run-time evaluation
local two, three = 2, 3
assert(2 ^ 53 + 1 == two ^ 53 + 1)
assert(7 // 2 == 7 // two and -7 // 2 == -7 // two and 7 % -3 == 7 % -three)
assert(1 << 63 == 1 << (three * 21))
assert(math.type(3 // 1.0) == "float" and math.type(2 * 3) == "integer")
assert(tostring(-0.0) == "-0.0" and tostring(0.0 * -1) == tostring(-(0.0)))
assert(-(-9223372036854775807 - 1) == math.mininteger)
assert("a" .. "b" .. 1 .. 2.0 == "ab12.0")
assert(#"abc" == 3 and -(-3) == 3 and ~~7 == 7 and not not 1 == true)
assert(10 / 4 == 2.5 and 2 ^ -1 == 0.5)

-- nested calls and temporaries
local function id(...) return ... end
local function add(p, q) return p + q end
assert(add(add(1, 2), add(id(3), add(4, 5))) == 15)
assert(add(id(1, 2), id(3, 4)) == 4)
local t = {m = function(self, z) return self.val + z end, val = 10}
assert(t:m(t:m(t:m(1))) == 31)
assert(select("#", id(id(id(1, 2, 3)))) == 3)
assert(({id(1, 2, 3)})[3] == 3)
assert((id(4, 5)) == 4)
local s = string.format("%d-%d", id(7, 8))
assert(s == "7-8")

-- assignment: all right-hand expressions are evaluated before assigning
local i = 1
local arr = {10, 20, 30}
i, arr[i] = i + 1, 99
assert(i == 2 and arr[1] == 99)
local p, q = 1, 2
p, q = q, p
assert(p == 2 and q == 1)
local u = {1, 2, 3}
u[1], u[2], u[3] = u[3], u[1], u[2]
assert(u[1] == 3 and u[2] == 1 and u[3] == 2)
-- swapping through fields and upvalues
local obj = {x = "x", y = "y"}
obj.x, obj.y = obj.y, obj.x
assert(obj.x == "y" and obj.y == "x")
local up1, up2 = "a", "b"
local function swap() up1, up2 = up2, up1 end
swap()
assert(up1 == "b" and up2 == "a")

-- long chains mixing many operators with correct precedence
local w = 2
local big = w + 3 * w ^ 2 // 1 - -w % 3 .. "" .. (w << 1 | 1) .. (w > 1 and "t" or "f")
assert(big == "13.05t", big)          -- 2 + 12.0 - 1 is the float 13.0

-- many temporaries in one expression (register pressure)
local e = ((1 + 2) * (3 + 4) - (5 + 6) * (7 - 8)) // ((9 - 10) * (11 - 12) + (13 - 14) * -1)
assert(e == 16)
local parts = {}
for j = 1, 60 do parts[j] = "(" .. j .. "+x)" end
local fn = load("local x = ... return " .. table.concat(parts, "*") .. " % 1000003")
assert(math.type(fn(1)) == "integer")
local sum = load("local x = ... return " .. table.concat(parts, "+"))
assert(sum(1) == 60 * 61 // 2 + 60)
