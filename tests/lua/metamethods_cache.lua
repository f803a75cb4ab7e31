-- Metamethods added, replaced and removed after earlier lookups found them
-- (or found them absent): every lookup sees the metatable as it is now.
-- Also the table library's element access on tables with metatables.

-- __index added after lookups cached its absence
local mt = {}
local obj = setmetatable({}, mt)
for _ = 1, 3 do assert(obj.x == nil) end
mt.__index = {x = 1}
assert(obj.x == 1)
mt.__index = nil                       -- removed: absence again
assert(obj.x == nil)
mt.__index = function(_, k) return k .. "!" end
assert(obj.x == "x!")
rawset(mt, "__index", {x = 2})         -- replaced raw
assert(obj.x == 2)

-- method calls through a class chain while the chain changes
local Base = {}
Base.__index = Base
function Base:name() return "base" end
local Derived = setmetatable({}, {__index = Base})
Derived.__index = Derived
local o = setmetatable({}, Derived)
for _ = 1, 5 do assert(o:name() == "base") end
function Derived:name() return "derived" end
assert(o:name() == "derived")
Derived.name = nil
assert(o:name() == "base")
getmetatable(Derived).__index = {name = function() return "other" end}
assert(o:name() == "other")
Derived.__index = nil                  -- the instance's metatable loses __index
assert(o.name == nil)
Derived.__index = Derived

-- __newindex added after stores cached its absence
local log = {}
local mt2 = {}
local t2 = setmetatable({}, mt2)
for i = 1, 3 do t2["k" .. i] = i end
assert(t2.k3 == 3)
mt2.__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v * 10) end
t2.k1 = 5                              -- present: raw
t2.z = 1                               -- absent: metamethod
assert(t2.k1 == 5 and t2.z == 10 and log[1] == "z" and #log == 1)
mt2.__newindex = nil
t2.w = 2
assert(t2.w == 2 and #log == 1)

-- arithmetic, comparison, length, concat and call metamethods set late
local v = setmetatable({}, {})
assert(not pcall(function() return v + 1 end))
getmetatable(v).__add = function(a, b) return 42 end
assert(v + 1 == 42 and 1 + v == 42)
getmetatable(v).__add = nil
assert(not pcall(function() return v + 1 end))
assert(#v == 0)
getmetatable(v).__len = function() return 7 end
assert(#v == 7)
getmetatable(v).__concat = function(a, b) return "cat" end
assert(v .. "x" == "cat" and "x" .. v == "cat")
getmetatable(v).__call = function(self, a) return a * 2 end
assert(v(21) == 42)
local w = setmetatable({}, getmetatable(v))
assert(v ~= w)
getmetatable(v).__eq = function() return true end
assert(v == w)
getmetatable(v).__lt = function() return true end
assert(v < w)
getmetatable(v).__le = function() return false end
assert(not (v <= w))

-- a metatable shared by many objects, its event fields toggled
local shared = {}
local objs = {}
for i = 1, 20 do objs[i] = setmetatable({id = i}, shared) end
for round = 1, 4 do
  if round % 2 == 0 then
    shared.__index = function(t, k) return t.id * 100 end
  else
    shared.__index = nil
  end
  for i = 1, 20 do
    local got = objs[i].missing
    if round % 2 == 0 then assert(got == i * 100) else assert(got == nil) end
  end
end

-- table.insert / table.remove on a table with a metatable: raw for
-- present keys, __index for nil elements read, __newindex for absent keys
local reads, writes = 0, 0
local proxy = setmetatable({1, 2, 3}, {
  __index = function(_, k) reads = reads + 1; return "d" .. k end,
  __newindex = function(t, k, v) writes = writes + 1; rawset(t, k, v) end,
})
table.insert(proxy, 4)                 -- key 4 absent: __newindex
assert(writes == 1 and rawget(proxy, 4) == 4)
table.insert(proxy, 1, 0)              -- shifts up: key 5 absent once
assert(writes == 2 and proxy[1] == 0 and proxy[5] == 4 and reads == 0)
assert(table.remove(proxy, 1) == 0)    -- all present: raw
assert(writes == 2 and reads == 0 and rawget(proxy, 5) == nil)
local holey = setmetatable({1, nil, 3}, getmetatable(proxy))
rawset(holey, 3, 3)
assert(table.remove(holey, 1) == 1)    -- reads the nil slot 2 through __index
assert(reads == 1 and holey[1] == "d2" and holey[2] == 3)

-- table.remove on a class instance (metatable with __index, no __newindex)
local Coll = {}
Coll.__index = Coll
local c = setmetatable({}, Coll)
for i = 1, 10 do c[#c + 1] = i end
assert(table.remove(c, 1) == 1 and #c == 9 and c[1] == 2 and c[9] == 10)
Coll.__newindex = function(t, k, v) rawset(t, k, v and v * 2) end
c[10] = 5                              -- absent: metamethod
assert(rawget(c, 10) == 10)
assert(table.remove(c, 1) == 2 and c[1] == 3) -- present keys: raw
table.insert(c, 7)                     -- key 10 absent again: metamethod
assert(rawget(c, 10) == 14)

-- string metatable events looked up by name
local smt = getmetatable("")
assert(("x"):rep(3) == "xxx")
assert(("10") + 1 == 11)               -- string arithmetic: smt.__add
local add = smt.__add
smt.__add = nil
assert(not pcall(function() return ("10") + 1 end))
smt.__add = add
assert(("10") + 1 == 11)

-- fields cleared and assigned again (the key stays as a tombstone)
local calls = 0
local obj2 = setmetatable({a = 1, b = 2}, {__newindex = function(t, k, v)
  calls = calls + 1
  rawset(t, k, v)
end})
for _ = 1, 3 do
  obj2.a = nil                         -- present: raw, no metamethod
  assert(obj2.a == nil)
  obj2.a = 5                           -- cleared: __newindex runs
  assert(obj2.a == 5)
end
assert(calls == 3)
local plain = {x = 1}
for i = 1, 3 do plain.x = nil; assert(plain.x == nil); plain.x = i; assert(plain.x == i) end

-- a table that is its own metatable, its __newindex cleared and set
local selfmt = {}
selfmt.__newindex = function(t, k, v) rawset(t, k, v * 2) end
setmetatable(selfmt, selfmt)
selfmt.f = 1                           -- absent: doubled
assert(rawget(selfmt, "f") == 2)
selfmt.f = nil                         -- present: raw
selfmt.f = 3                           -- cleared: doubled
assert(rawget(selfmt, "f") == 6)
rawset(selfmt, "__newindex", nil)
selfmt.f = nil
selfmt.f = 4                           -- cleared, no __newindex: raw
assert(rawget(selfmt, "f") == 4)
selfmt.__newindex = function(t, k, v) rawset(t, k, "n") end -- revived event field
selfmt.g = 1
assert(rawget(selfmt, "g") == "n")

-- an event field revived by assignment is seen by later lookups
local emt = {__index = {v = 1}}
local eobj = setmetatable({}, emt)
assert(eobj.v == 1)
emt.__index = nil
assert(eobj.v == nil)
emt.__index = {v = 2}
assert(eobj.v == 2)

print("ok")
