-- Closures and upvalues: closure creation in loops, shared and open upvalues,
-- counters, higher-order functions (map/filter/fold) and function composition.
local R = tonumber(arg and arg[1]) or 4000

local function counter()
  local n = 0
  return function() n = n + 1; return n end
end

local function map(f, t)
  local r = {}
  for i = 1, #t do r[i] = f(t[i]) end
  return r
end

local function filter(p, t)
  local r, n = {}, 0
  for i = 1, #t do if p(t[i]) then n = n + 1; r[n] = t[i] end end
  return r
end

local function fold(f, acc, t)
  for i = 1, #t do acc = f(acc, t[i]) end
  return acc
end

local function compose(f, g) return function(x) return f(g(x)) end end

local check = 0
local data = {}
for i = 1, 1000 do data[i] = i end
for r = 1, R do
  local c = counter()
  for _ = 1, 1000 do c() end
  local k = r % 7
  local addk = function(x) return x + k end
  local double = function(x) return x * 2 end
  local f = compose(addk, double)
  local mapped = map(f, data)
  local evens = filter(function(x) return x % 3 == 0 end, mapped)
  local sum = fold(function(a, b) return a + b end, 0, evens)
  -- Closures capturing loop variables (a fresh upvalue per iteration).
  local fs = {}
  for i = 1, 200 do fs[i] = function() return i + k end end
  local s2 = 0
  for i = 1, 200 do s2 = s2 + fs[i]() end
  -- Shared upvalue between two closures.
  local get, set
  do
    local v = 0
    get = function() return v end
    set = function(x) v = x end
  end
  for i = 1, 500 do set(get() + i) end
  check = (check + c() + sum + s2 + get()) % 1000000007
end
print(check)
