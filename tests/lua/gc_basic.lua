-- Garbage collection: reachable values survive full collections, weak tables
-- lose unreachable entries, finalizers run, memory is reclaimed.

-- values reachable from locals, upvalues, tables, coroutines survive
local keep = {}
for i = 1, 1000 do keep[i] = {i, tostring(i) .. "x"} end
local function make() local hidden = {v = "up"}; return function() return hidden.v end end
local closure = make()
local co = coroutine.create(function() local mine = {"co"}; coroutine.yield(); return mine[1] end)
coroutine.resume(co)
collectgarbage()
collectgarbage()
for i = 1, 1000 do assert(keep[i][1] == i and keep[i][2] == i .. "x") end
assert(closure() == "up")
local _, from_co = coroutine.resume(co)
assert(from_co == "co")

-- removing keys, collecting, then reusing the table (dead keys must stay safe)
local t = {}
for i = 1, 5000 do t["k" .. i] = i end
for i = 1, 5000, 2 do t["k" .. i] = nil end
collectgarbage()
for round = 1, 20 do
  for i = 1, 100 do t["c" .. i] = round end
  for i = 1, 100, 3 do t["c" .. i] = nil end
  collectgarbage("step")
end
for i = 2, 5000, 2 do assert(t["k" .. i] == i) end
assert(t.k1 == nil and t.c2 == 20 and t.c1 == nil)
for k in pairs(t) do t[k] = nil end
collectgarbage()
assert(next(t) == nil)
t.fresh = "ok"
assert(t.fresh == "ok")

-- weak values: entries whose values are only weakly referenced disappear
-- (garbage is made inside helper calls so that no live register holds it)
local weakv = setmetatable({}, {__mode = "v"})
local function fill_weakv() weakv[1] = {} end
fill_weakv()
local strong = {}
weakv[2] = strong
weakv[3] = "strings are values, never collected from weak tables"
collectgarbage()
assert(weakv[1] == nil and weakv[2] == strong and weakv[3] ~= nil)

-- weak keys
local weakk = setmetatable({}, {__mode = "k"})
local kept_key = {}
weakk[kept_key] = 1
local function fill_weakk() weakk[{}] = 2 end
fill_weakk()
collectgarbage()
local n = 0
for k, v in pairs(weakk) do n = n + 1; assert(k == kept_key and v == 1) end
assert(n == 1)

-- ephemerons: a value referring to its own key does not keep the key alive
local eph = setmetatable({}, {__mode = "k"})
local function fill_eph()
  local key = {}
  eph[key] = {ref = key}
end
fill_eph()
collectgarbage()
assert(next(eph) == nil)

-- finalizers (__gc) run for unreachable tables, with the object as argument
local finalized = {}
local function make_finalizable()
  for i = 1, 3 do
    setmetatable({id = i}, {__gc = function(o) finalized[#finalized + 1] = o.id end})
  end
end
make_finalizable()
collectgarbage()
collectgarbage()
assert(#finalized == 3)
-- a finalizer set after setmetatable is not registered (the field must exist at setmetatable time)
local late = {}
local function make_late()
  local mt = {}
  setmetatable({}, mt)
  mt.__gc = function() late[#late + 1] = true end
end
make_late()
collectgarbage()
assert(#late == 0)

-- memory is reclaimed: count drops after freeing a large structure
collectgarbage()
local before = collectgarbage("count")
local big = {}
for i = 1, 100000 do big[i] = {i} end
local during = collectgarbage("count")
assert(during > before + 1000)          -- at least ~1 MB more (in KB)
big = nil
local function churn() local x = {} return #x end
churn()                                 -- reuse the registers the loop used
collectgarbage()
local after = collectgarbage("count")
assert(after < during - 1000, "after " .. after .. " during " .. during)

-- collecting while a loop builds strings keeps intermediate values alive
local parts = {}
for i = 1, 2000 do
  parts[#parts + 1] = string.rep("s", i % 50) .. i
  if i % 500 == 0 then collectgarbage() end
end
assert(parts[2000] == string.rep("s", 0) .. "2000" and #parts == 2000)

-- stop / restart / isrunning
collectgarbage("stop")
assert(collectgarbage("isrunning") == false)
collectgarbage("restart")
assert(collectgarbage("isrunning") == true)
