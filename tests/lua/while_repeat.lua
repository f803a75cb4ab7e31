-- while and repeat loops, break, and the scope of repeat's condition.

local i, s = 0, 0
while i < 10 do
  i = i + 1
  s = s + i
end
assert(i == 10 and s == 55)

-- while with a false condition never runs
local ran = false
while false do ran = true end
assert(not ran)
while nil do ran = true end
assert(not ran)

-- any value other than nil/false is true
local n = 0
while 0 do n = n + 1; if n == 3 then break end end
assert(n == 3)
n = 0
while "" do n = n + 1; break end
assert(n == 1)

-- repeat runs at least once
local r = 0
repeat r = r + 1 until true
assert(r == 1)

-- repeat's until sees locals of the body
local k = 0
repeat
  local done = k >= 3
  k = k + 1
until done
assert(k == 4)

-- upvalues captured in the body with until referencing them
local fs = {}
local j = 0
repeat
  j = j + 1
  local v = j
  fs[j] = function() return v end
until v >= 3
assert(#fs == 3 and fs[2]() == 2)

-- break exits only the innermost loop
local pairs_found = 0
for a = 1, 3 do
  local b = 0
  while true do
    b = b + 1
    if b > a then break end
    pairs_found = pairs_found + 1
  end
end
assert(pairs_found == 1 + 2 + 3)

-- break inside repeat
local x = 0
repeat
  x = x + 1
  if x == 5 then break end
until false
assert(x == 5)

-- condition evaluated each time
local calls = 0
local function cond() calls = calls + 1; return calls < 4 end
while cond() do end
assert(calls == 4)

-- nested repeat with a local shadowing an outer variable in until
local outer = "out"
local iters = 0
repeat
  local outer = iters
  iters = iters + 1
until outer == 2
assert(iters == 3 and outer == "out")

-- long-running loop (checks loop back-edges don't leak stack)
local acc = 0
local c = 0
while c < 100000 do c = c + 1; acc = acc + c % 7 end
assert(c == 100000 and acc > 0)

-- break as the last statement of a block followed by other statements is fine (5.4)
local z = 0
while true do
  z = z + 1
  if z > 2 then break end
end
assert(z == 3)
assert(load("while true do break; local a = 1 end"))
