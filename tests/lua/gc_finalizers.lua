-- Finalizers (__gc): run once, in reverse order of marking (the order in
-- which setmetatable gave objects a finalizer), resurrection, errors in
-- finalizers, re-registration, finalizable cycles.

local function full() collectgarbage(); collectgarbage() end

-- order: reverse of marking, not of creation
do
  local log = {}
  collectgarbage("stop")
  local objs = {}
  for i = 1, 6 do objs[i] = {id = i} end
  local mt = {__gc = function(o) log[#log + 1] = o.id end}
  -- mark in the order 3, 1, 5, 2, 6, 4
  for _, i in ipairs({3, 1, 5, 2, 6, 4}) do setmetatable(objs[i], mt) end
  objs = nil
  collectgarbage("restart")
  full()
  assert(table.concat(log, " ") == "4 6 2 5 1 3", table.concat(log, " "))
end

-- finalizable objects in a cycle are all finalized, each once
do
  local count = {}
  local function make()
    local mt = {__gc = function(o) count[o.name] = (count[o.name] or 0) + 1 end}
    local a = setmetatable({name = "a"}, mt)
    local b = setmetatable({name = "b"}, mt)
    a.peer, b.peer = b, a
  end
  make()
  full()
  full()
  assert(count.a == 1 and count.b == 1)
end

-- a finalizer sees the objects its object refers to intact, even when they
-- are finalizable themselves and die in the same cycle
do
  local seen
  local function make()
    local inner = setmetatable({v = "inner"}, {__gc = function() end})
    setmetatable({child = inner}, {__gc = function(o) seen = o.child.v end})
  end
  make()
  full()
  assert(seen == "inner")
end

-- resurrection: the object survives its finalizer and stays usable; its
-- finalizer does not run again unless setmetatable marks it anew
do
  local runs, saved = 0, nil
  local mt = {}
  mt.__gc = function(o) runs = runs + 1; saved = o end
  local function make() setmetatable({data = {1, 2, 3}}, mt) end
  make()
  full()
  assert(runs == 1 and saved.data[3] == 3)
  saved = nil
  full()
  assert(runs == 1)
  -- re-registered from inside its own finalizer: runs once per registration
  local again = 0
  local mt2 = {}
  mt2.__gc = function(o)
    again = again + 1
    if again < 3 then setmetatable(o, mt2) end
  end
  local function make2() setmetatable({}, mt2) end
  make2()
  for _ = 1, 5 do full() end
  assert(again == 3, again)
end

-- an error in a finalizer does not stop the others or the program
do
  local ran = {}
  collectgarbage("stop")
  local function make()
    setmetatable({}, {__gc = function() ran[#ran + 1] = "first" end})
    setmetatable({}, {__gc = function() error("boom in __gc") end})
    setmetatable({}, {__gc = function() ran[#ran + 1] = "last" end})
  end
  make()
  collectgarbage("restart")
  local ok = pcall(full)
  assert(ok)
  assert(table.concat(ran, ",") == "last,first", table.concat(ran, ","))
end

-- a __gc that is not a function is ignored; __gc = false marks nothing
do
  local function make()
    setmetatable({}, {__gc = 42})
    setmetatable({}, {__gc = false})
  end
  make()
  full()
end

-- a finalizer may allocate, collect and create new finalizable objects
do
  local inner_ran = false
  local function make()
    setmetatable({}, {__gc = function()
      local t = {}
      for i = 1, 1000 do t[i] = {i} end
      collectgarbage()
      setmetatable({}, {__gc = function() inner_ran = true end})
    end})
  end
  make()
  full()
  full()
  assert(inner_ran)
end

-- the object is the finalizer's argument, with its fields intact
do
  local got
  local function make() setmetatable({x = "field"}, {__gc = function(o) got = o.x end}) end
  make()
  full()
  assert(got == "field")
end

-- objects kept by a live table are not finalized
do
  local fired = false
  local keep = {setmetatable({}, {__gc = function() fired = true end})}
  full()
  assert(not fired and keep[1])
end
print("ok")
