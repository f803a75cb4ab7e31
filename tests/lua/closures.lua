-- Closures and upvalues: sharing, per-iteration freshness, counters.

-- a counter factory
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
assert(c1() == 1 and c1() == 2 and c2() == 1 and c1() == 3)

-- two closures share the same upvalue
local function pair()
  local v = 0
  return function(x) v = x end, function() return v end
end
local set, get = pair()
set(42)
assert(get() == 42)
set("s")
assert(get() == "s")

-- closures see later changes to the enclosing local
local x = 1
local function getx() return x end
x = 2
assert(getx() == 2)

-- the upvalue stays alive after the enclosing function returns and is closed
local function make()
  local t = {}
  for i = 1, 3 do
    t[i] = function() return i end       -- fresh i per iteration
  end
  return t
end
local fs = make()
assert(fs[1]() == 1 and fs[2]() == 2 and fs[3]() == 3)

-- while loops: a local declared inside the body is fresh per iteration
local ws = {}
local k = 0
while k < 3 do
  k = k + 1
  local kk = k
  ws[k] = function() kk = kk + 10; return kk end
end
assert(ws[1]() == 11 and ws[1]() == 21 and ws[2]() == 12)

-- nested closures: an upvalue of an upvalue
local function outer()
  local a = 1
  return function()
    local b = 2
    return function()
      a = a + 1
      return a + b
    end
  end
end
local mid = outer()
local inner1, inner2 = mid(), mid()
assert(inner1() == 4 and inner2() == 5)  -- both share a

-- a closure referring to a parameter
local function adder(n) return function(m) return n + m end end
assert(adder(3)(4) == 7)

-- recursion through an upvalue
local fib
fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
assert(fib(20) == 6765)

-- upvalues and varargs
local function bind(f, ...)
  local args = table.pack(...)
  return function(...)
    local all = {table.unpack(args, 1, args.n)}
    for _, v in ipairs({...}) do all[#all + 1] = v end
    return f(table.unpack(all))
  end
end
assert(bind(math.max, 1, 9)(3, 4) == 9)

-- closures created in a loop with break keep correct values
local saved
for i = 1, 10 do
  local j = i * i
  if i == 4 then saved = function() return j end; break end
end
assert(saved() == 16)

-- many closures over the same local see one variable
local shared = 0
local incs = {}
for i = 1, 5 do incs[i] = function() shared = shared + i end end
for i = 1, 5 do incs[i]() end
assert(shared == 15)

-- functions are values; each closure creation is a distinct value
local function mk() return function() end end
assert(type(mk()) == "function")

-- deep nesting of upvalues across many levels
local function level(n, acc)
  if n == 0 then return function() return acc end end
  local here = n
  return level(n - 1, function() return here + acc() end)
end
assert(level(50, function() return 0 end)()() == 50 * 51 / 2)
