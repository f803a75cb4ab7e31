-- Weak tables beyond the basics: kv tables, ephemeron chains built in
-- adversarial order and across tables, resurrected keys and values,
-- non-collectable keys and values.

local function full() collectgarbage(); collectgarbage() end
local function size(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
local keep = {}

-- kv: an entry goes when either side dies
do
  local kv = setmetatable({}, {__mode = "kv"})
  local k, v = {}, {}
  keep.k, keep.v = k, v
  local function fill()
    kv[k] = {}          -- value dies
    kv[{}] = v          -- key dies
    kv[k] = nil
    kv[{}] = {}         -- both die
    kv[1] = {}          -- value dies, key is a number
    kv.name = v         -- string key, live value: stays
    kv[true] = "s"      -- nothing collectable: stays
  end
  fill()
  full()
  assert(size(kv) == 2 and kv.name == v and kv[true] == "s")
  keep.k, keep.v = nil, nil
end

-- an ephemeron chain inserted back to front, reached from its first key
do
  local e = setmetatable({}, {__mode = "k"})
  local function fill()
    local ks = {}
    for i = 1, 50 do ks[i] = {i} end
    for i = 50, 2, -1 do e[ks[i - 1]] = ks[i] end
    e[ks[50]] = "tail"
    keep.head = ks[1]
  end
  fill()
  full()
  assert(size(e) == 50)
  local function walk()
    local k, n = keep.head, 0
    while type(e[k]) == "table" do k = e[k]; n = n + 1 end
    return n, e[k]
  end
  local n, last = walk()
  assert(n == 49 and last == "tail")
  keep.head = nil
  full()
  assert(next(e) == nil)
end

-- ephemerons across two tables: e1's value is a key of e2
do
  local e1 = setmetatable({}, {__mode = "k"})
  local e2 = setmetatable({}, {__mode = "k"})
  local function fill()
    local k1, k2 = {}, {}
    e2[k2] = "reached through e1"
    e1[k1] = k2
    keep.k1 = k1
  end
  fill()
  full()
  assert(size(e1) == 1 and size(e2) == 1)
  keep.k1 = nil
  full()
  assert(next(e1) == nil and next(e2) == nil)
end

-- a value that refers to its key through a closure keeps nothing alive
do
  local e = setmetatable({}, {__mode = "k"})
  local function fill()
    for _ = 1, 10 do
      local key = {}
      e[key] = function() return key end
    end
  end
  fill()
  full()
  assert(next(e) == nil)
end

-- a weak-valued table does not keep its values' keys in an ephemeron alive
do
  local wv = setmetatable({}, {__mode = "v"})
  local e = setmetatable({}, {__mode = "k"})
  local function fill()
    local o = {}
    wv[1] = o
    e[o] = {back = wv}
  end
  fill()
  full()
  assert(wv[1] == nil and next(e) == nil)
end

-- resurrected objects: removed from weak values before their finalizer
-- runs, but from weak keys only after it ran
do
  local wk = setmetatable({}, {__mode = "k"})
  local wv = setmetatable({}, {__mode = "v"})
  local in_keys, in_values
  local function fill()
    local o = setmetatable({}, {__gc = function(o)
      in_keys = wk[o]
      in_values = wv[1]
    end})
    wk[o] = "key entry"
    wv[1] = o
  end
  fill()
  full()
  assert(in_keys == "key entry" and in_values == nil)
  full()
  assert(next(wk) == nil)
end

-- a table can be weak in itself: its own metatable entry survives
do
  local self_weak = {}
  setmetatable(self_weak, {__mode = "k"})
  self_weak[self_weak] = "self"
  full()
  assert(self_weak[self_weak] == "self")
end

-- changing __mode after creation is honoured at the next collection
do
  local mt = {}
  local t = setmetatable({}, mt)
  local function fill() t[1] = {} end
  fill()
  full()
  assert(t[1] ~= nil)
  mt.__mode = "v"
  full()
  assert(t[1] == nil)
end

-- many entries: only the dead ones go
do
  local wv = setmetatable({}, {__mode = "v"})
  local live = {}
  local function fill()
    for i = 1, 10000 do
      local o = {i}
      wv[i] = o
      if i % 3 == 0 then live[#live + 1] = o end
    end
  end
  fill()
  full()
  local n = 0
  for i, o in pairs(wv) do n = n + 1; assert(i % 3 == 0 and o[1] == i) end
  assert(n == #live)
end
print("ok")
