-- Weak tables, ephemerons, finalizer order and resurrection, string keys.

local function full() collectgarbage(); collectgarbage() end

-- weak values: collectable values go, strings and numbers stay
local wv = setmetatable({}, {__mode = "v"})
wv[1] = {}; wv[2] = "str"; wv[3] = 42; wv.k = function() end
local keep = {}; wv[4] = keep
full()
assert(wv[1] == nil and wv.k == nil)
assert(wv[2] == "str" and wv[3] == 42 and wv[4] == keep)

-- weak keys: entries go with their keys; string keys never go
local wk = setmetatable({}, {__mode = "k"})
wk[{}] = 1; wk["s"] = 2; wk[keep] = 3
full()
local n = 0
for k in pairs(wk) do n = n + 1; assert(k == "s" or k == keep) end
assert(n == 2)

-- ephemerons: a value referring to its own key does not keep it alive
local eph = setmetatable({}, {__mode = "k"})
do
  local a = {}
  eph[a] = {ref = a}           -- value -> key cycle
  local b = {}
  eph[b] = {ref = b}
  keep.b = b                   -- b is reachable from elsewhere
end
full()
n = 0
for k, v in pairs(eph) do n = n + 1; assert(v.ref == k and k == keep.b) end
assert(n == 1)

-- chains of ephemerons are followed to a fixed point
local e2 = setmetatable({}, {__mode = "k"})
do
  local k1, k2, k3 = {}, {}, {}
  e2[k1] = k2; e2[k2] = k3; e2[k3] = "end"
  keep.k1 = k1
end
full()
local count = 0
for _ in pairs(e2) do count = count + 1 end
assert(count == 3)
keep.k1 = nil
full()
assert(next(e2) == nil)

-- finalizers run in reverse order of marking, once (objects that die
-- in the same cycle: the collector is stopped while they are made)
local order = {}
collectgarbage("stop")
for i = 1, 5 do
  setmetatable({}, {__gc = function() order[#order + 1] = i end})
end
collectgarbage("restart")
full()
assert(table.concat(order, ",") == "5,4,3,2,1", table.concat(order, ","))

-- a finalizer can resurrect its object; the finalizer is not run again
local saved
local runs = 0
do
  setmetatable({name = "phoenix"}, {__gc = function(o) runs = runs + 1; saved = o end})
end
full()
assert(runs == 1 and saved.name == "phoenix")
saved = nil
full()
assert(runs == 1)

-- __gc must be present when the metatable is set
local late = 0
local mt = {}
do setmetatable({}, mt) end
mt.__gc = function() late = late + 1 end
full()
assert(late == 0)

-- resurrected objects leave weak-value tables before their finalizer runs
local wt = setmetatable({}, {__mode = "v"})
local seen_in_weak
do
  local o = setmetatable({}, {__gc = function(o) seen_in_weak = (wt[1] == o) end})
  wt[1] = o
end
full()
assert(seen_in_weak == false)

-- memory comes back after collecting many cycles
full()
local before = collectgarbage("count")
for _ = 1, 20000 do
  local a, b = {}, {}
  a.other = b; b.other = a
end
full()
assert(collectgarbage("count") < before + 200, collectgarbage("count") - before)
