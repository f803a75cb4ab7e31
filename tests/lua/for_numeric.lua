-- Numeric for loops (manual 3.3.5): counts, float steps, overflow edges, errors.

local function collect(a, b, c)
  local out = {}
  if c then
    for i = a, b, c do out[#out + 1] = i end
  else
    for i = a, b do out[#out + 1] = i end
  end
  return out
end
local function str(t)
  local parts = {}
  for i, v in ipairs(t) do parts[i] = tostring(v) end
  return table.concat(parts, ",")
end

assert(str(collect(1, 5)) == "1,2,3,4,5")
assert(str(collect(5, 1)) == "")
assert(str(collect(5, 1, -2)) == "5,3,1")
assert(str(collect(1, 1)) == "1")
assert(str(collect(0, 10, 3)) == "0,3,6,9")
assert(str(collect(-3, -1)) == "-3,-2,-1")

-- integer loops keep integers; any float makes a float loop
for i = 1, 2 do assert(math.type(i) == "integer") end
for i = 1.0, 2 do assert(math.type(i) == "float") end
for i = 1, 2, 1.0 do assert(math.type(i) == "float") end
for i = 1, 2.5 do assert(math.type(i) == "integer") end   -- float limit is clipped
assert(str(collect(1, 2.5)) == "1,2")
assert(str(collect(1, 2.99)) == "1,2")
assert(str(collect(3, 0.5, -1)) == "3,2,1")

-- float steps accumulate
assert(str(collect(0, 1, 0.25)) == "0.0,0.25,0.5,0.75,1.0")
assert(str(collect(1, 0, -0.5)) == "1.0,0.5,0.0")
local count = 0
for _ = 0, 1, 0.1 do count = count + 1 end
assert(count == 10 or count == 11)      -- depends on rounding, but finite

-- overflow edges: the loop must stop, not wrap around
local maxi, mini = math.maxinteger, math.mininteger
assert(str(collect(maxi - 2, maxi)) == str({maxi - 2, maxi - 1, maxi}))
assert(#collect(mini, mini + 2) == 3)
assert(#collect(mini + 2, mini, -1) == 3)
assert(#collect(maxi - 10, maxi, 7) == 2)
assert(#collect(mini, maxi, maxi) == 3)        -- mini, -1, maxi-1
assert(#collect(maxi, mini, mini) == 2)        -- maxi, -1
assert(#collect(1, 0) == 0 and #collect(maxi, mini) == 0)
-- huge float limits are clipped to integers
assert(#collect(maxi - 1, math.huge) == 2)
assert(#collect(mini + 1, -math.huge, -1) == 2)
assert(#collect(1, -math.huge) == 0)

-- step zero is an error
local ok, msg = pcall(collect, 1, 10, 0)
assert(not ok and string.find(msg, "'for' step is zero", 1, true), msg)
ok, msg = pcall(collect, 1, 10, 0.0)
assert(not ok and string.find(msg, "'for' step is zero", 1, true), msg)

-- non-numeric parts are errors with specific messages
ok, msg = pcall(collect, "a", 10)
assert(not ok and string.find(msg, "bad 'for' initial value (number expected, got string)", 1, true), msg)
ok, msg = pcall(collect, 1, {})
assert(not ok and string.find(msg, "bad 'for' limit (number expected, got table)", 1, true), msg)
ok, msg = pcall(collect, 1, 2, "x")
assert(not ok and string.find(msg, "bad 'for' step (number expected, got string)", 1, true), msg)
ok, msg = pcall(collect, 1, nil)
assert(not ok and string.find(msg, "bad 'for' limit (number expected, got nil)", 1, true), msg)
-- numeric strings are converted (Lua 5.4.4)
assert(str(collect("1", 3)) == "1.0,2.0,3.0")   -- a string start makes a float loop
assert(str(collect(1, "2")) == "1,2")

-- the control variable is a copy: changing it does not change the iteration
local iters = 0
for i = 1, 5 do
  i = i + 100
  iters = iters + 1
end
assert(iters == 5)

-- limit and step are evaluated once
local calls = 0
local function lim() calls = calls + 1; return 3 end
for _ = 1, lim() do end
assert(calls == 1)

-- each iteration has a fresh variable for closures
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
assert(fs[1]() == 1 and fs[2]() == 2 and fs[3]() == 3)

-- NaN limits: an integer loop runs zero times; a float loop's entry test
-- (skip if limit < init) is false for NaN, so it runs once (Lua 5.4.4)
assert(#collect(1, 0 / 0) == 0)
assert(#collect(1.0, 0 / 0) == 1)
