-- Incremental collection: "step" finishes a cycle after some steps, and
-- objects stay alive across cycles while the program keeps mutating
-- tables, upvalues, metatables and coroutines between the steps (what the
-- collector's write barriers are for).

collectgarbage()
collectgarbage("incremental")
collectgarbage("stop")   -- only the explicit steps below collect

-- a cycle over a sizeable heap takes several basic steps; one ends it
local heap = {}
for i = 1, 20000 do heap[i] = {i, tostring(i)} end
local steps = 0
repeat steps = steps + 1 until collectgarbage("step", 0) or steps > 100000
assert(steps <= 100000)
assert(steps > 1, "a basic step should not mark 20000 tables at once")
-- a large step finishes a cycle on its own
assert(collectgarbage("step", 100000) == true)

-- overwrites the stack slots that calls just left (stale copies of the
-- values they handled would otherwise keep those values alive)
local function scrub(depth)
  local a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
  if depth > 0 then scrub(depth - 1) end
  return a + p
end

-- small basic steps from here on (2^6 bytes' worth of work each): many
-- steps per cycle, so the program runs between marking steps a lot
collectgarbage("incremental", 0, 0, 6)

-- runs `f` between basic steps until two more cycles have ended
local function during_cycles(f)
  local done, n = 0, 0
  while done < 2 do
    f(n)
    scrub(3)
    n = n + 1
    if collectgarbage("step", 0) then done = done + 1 end
  end
  return n
end

-- new objects stored only into old (already marked) tables
local old = {}
for i = 1, 2000 do old[i] = {} end
during_cycles(function(n)
  local k = n % 2000 + 1
  old[k] = {v = k, s = "s" .. k}         -- array slot
  old["f" .. k] = {v = -k}               -- new string key, new value
  old[k].inner = {k}                     -- field of a new table
end)
for k = 1, 2000 do
  local t = old[k]
  if next(t) then
    assert(t.v == k and t.s == "s" .. k and t.inner[1] == k)
  end
  local f = old["f" .. k]
  assert(f == nil or f.v == -k)
end

-- objects moved from one table to another between steps
local a, b = {}, {}
for i = 1, 1000 do a[i] = {id = i} end
during_cycles(function(n)
  local i = n % 1000 + 1
  if a[i] then b[i], a[i] = a[i], nil else a[i], b[i] = b[i], nil end
end)
for i = 1, 1000 do
  local t = a[i] or b[i]
  assert(t and t.id == i and not (a[i] and b[i]))
end

-- closed upvalues assigned new objects
local setters, getters = {}, {}
for i = 1, 200 do
  local x = {n = i, list = {i, i * 2}}
  setters[i] = function(v) x = v end
  getters[i] = function() return x end
end
during_cycles(function(n)
  local i = n % 200 + 1
  setters[i]({n = i, list = {i, i * 2}})
end)
for i = 1, 200 do
  local x = getters[i]()
  assert(x.n == i and x.list[1] == i and x.list[2] == i * 2)
end

-- metatables set on old tables
local objs = {}
for i = 1, 500 do objs[i] = {} end
during_cycles(function(n)
  local i = n % 500 + 1
  setmetatable(objs[i], {__index = {answer = {i}}})
end)
for i = 1, 500 do
  local mt = getmetatable(objs[i])
  assert(mt == nil or objs[i].answer[1] == i)
end

-- a suspended coroutine's stack gets new objects through resume
local co = coroutine.wrap(function()
  local keep = {}
  local v = coroutine.yield()
  while v do
    keep[#keep % 300 + 1] = v
    v = coroutine.yield(#keep)
  end
  local sum = 0
  for _, t in ipairs(keep) do sum = sum + t[1] end
  return sum
end)
co()
local total = during_cycles(function(n) co({1, tostring(n)}) end)
assert(total > 0)
assert(co(false) == math.min(total, 300))

-- weak tables keep following the marking while it is under way
local weak = setmetatable({}, {__mode = "v"})
local strong = {}
during_cycles(function(n)
  local t = {n}
  weak[n % 100 + 1] = t
  if n % 2 == 0 then strong[n % 100 + 1] = t end
end)
for i, t in pairs(strong) do
  assert(t[1] % 2 == 0)
end
collectgarbage()
for i, t in pairs(weak) do
  assert(strong[i] == t, "a weak value with no other reference survived a full cycle")
end

-- everything built above is still intact after full collections
collectgarbage()
collectgarbage()
for i = 1, 20000 do assert(heap[i][1] == i and heap[i][2] == tostring(i)) end
collectgarbage("restart")
assert(collectgarbage("isrunning"))
print("ok")
