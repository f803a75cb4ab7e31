-- Upvalues shared between coroutines and their creators; closures outliving coroutines.

-- a coroutine and the main code share an upvalue
local shared = 0
local co = coroutine.wrap(function()
  for _ = 1, 3 do
    shared = shared + 1
    coroutine.yield(shared)
  end
end)
assert(co() == 1)
shared = 10
assert(co() == 11)
assert(shared == 11)

-- closures created inside a coroutine capture its locals (open while suspended)
local getter, setter
local gen = coroutine.create(function()
  local inside = "start"
  getter = function() return inside end
  setter = function(v) inside = v end
  coroutine.yield()
  local seen = inside              -- sees the change made from outside
  coroutine.yield(seen)
  inside = "from coroutine"
end)
coroutine.resume(gen)
assert(getter() == "start")
setter("changed outside")
local _, seen = coroutine.resume(gen)
assert(seen == "changed outside")
coroutine.resume(gen)
assert(coroutine.status(gen) == "dead")
-- after the coroutine died the closures still work on the closed variable
assert(getter() == "from coroutine")
setter("after death")
assert(getter() == "after death")

-- each coroutine instance has its own locals
local function counter_co()
  return coroutine.wrap(function()
    local n = 0
    while true do n = n + 1; coroutine.yield(n) end
  end)
end
local c1, c2 = counter_co(), counter_co()
assert(c1() == 1 and c1() == 2 and c2() == 1 and c1() == 3 and c2() == 2)

-- loop variables captured inside a coroutine are fresh per iteration
local fns = {}
local filler = coroutine.wrap(function()
  for i = 1, 3 do
    fns[i] = function() return i end
    coroutine.yield()
  end
end)
filler(); filler(); filler()
assert(fns[1]() == 1 and fns[2]() == 2 and fns[3]() == 3)

-- a closure passed into a coroutine and called there modifies the creator's local
local total = 0
local function add(v) total = total + v end
local worker = coroutine.create(function(f)
  for i = 1, 4 do f(i); coroutine.yield() end
end)
coroutine.resume(worker, add)
for _ = 1, 4 do coroutine.resume(worker) end
assert(total == 10 and coroutine.status(worker) == "dead")

-- a coroutine that errors keeps the closures it created valid
local keep
local bad = coroutine.create(function()
  local secret = 42
  keep = function() secret = secret + 1; return secret end
  error("boom")
end)
assert(not coroutine.resume(bad))
assert(keep() == 43 and keep() == 44)

-- deep recursion inside a coroutine with upvalues at each level
local depth_co = coroutine.wrap(function()
  local function rec(n, acc)
    if n == 0 then coroutine.yield(acc()) return end
    local level = n
    return rec(n - 1, function() return acc() + level end)
  end
  rec(200, function() return 0 end)
end)
assert(depth_co() == 200 * 201 // 2)

-- yielding from nested Lua calls preserves every frame's locals
local nested = coroutine.wrap(function()
  local function inner(x) local y = x * 2; coroutine.yield(y); return y + 1 end
  local function middle(x) local z = inner(x) + 10; coroutine.yield(z); return z end
  return middle(5)
end)
assert(nested() == 10 and nested() == 21 and nested() == 21)
