-- Cyclic garbage is collected: after building a million cyclic structures
-- (tables, closures and coroutines referring to each other) and dropping
-- them, memory returns to its base level; memory also stays bounded while
-- they are built (automatic collection keeps up).

-- the stress mode collects very often: fewer structures keep it quick
local N = os.getenv("LUNETTE_GC_STRESS") and 20000 or 1000000

local function full() collectgarbage(); collectgarbage() end

local function make(i)
  local kind = i % 5
  if kind == 0 then
    -- two tables referring to each other
    local a, b = {}, {}
    a.peer, b.peer = b, a
  elseif kind == 1 then
    -- a table holding a closure that captures the table
    local t = {i}
    t.get = function() return t[1] end
  elseif kind == 2 then
    -- closures capturing each other through shared upvalues
    local f, g
    f = function() return g end
    g = function() return f end
  elseif kind == 3 then
    -- a table as its own metatable, with a self-referring __index
    local t = setmetatable({}, {})
    getmetatable(t).__index = t
    getmetatable(t).owner = t
  elseif i % 50 == 4 then
    -- a suspended coroutine whose stack holds a table that holds it
    local holder = {}
    local co = coroutine.create(function(h)
      local mine = h
      coroutine.yield()
      return mine
    end)
    holder.co = co
    coroutine.resume(co, holder)
  else
    -- a longer ring of tables and closures
    local first = {}
    local cur = first
    for _ = 1, 4 do
      local nxt = {}
      cur.next = nxt
      cur.fn = function() return nxt end
      cur = nxt
    end
    cur.next = first
  end
end

full()
local base = collectgarbage("count")
local peak = base
for i = 1, N do
  make(i)
  if i % 1000 == 0 then
    local c = collectgarbage("count")
    if c > peak then peak = c end
  end
end
full()
local after = collectgarbage("count")
-- back to the base (within 10% plus a little slack for internal buffers)
assert(after < base * 1.10 + 100,
  string.format("memory did not return: base %.0f KB, after %.0f KB", base, after))
-- bounded while building: far below what a million structures occupy
assert(peak < base + 64 * 1024,
  string.format("peak %.0f KB over base %.0f KB", peak, base))

-- a structure is not collected while it is reachable only through a cycle
-- that includes a live value
local anchor = {}
do
  local a, b = {}, {}
  a.peer, b.peer = b, a
  anchor.a = a
  b.tag = "kept"
end
full()
assert(anchor.a.peer.tag == "kept" and anchor.a.peer.peer == anchor.a)

-- a coroutine reachable only from a suspended coroutine's stack survives
local outer = coroutine.wrap(function()
  local inner = coroutine.create(function() coroutine.yield("inner alive") end)
  coroutine.yield()
  return select(2, coroutine.resume(inner))
end)
outer()
full()
assert(outer() == "inner alive")
print("ok")
