-- table.insert/table.remove shifting elements: plain tables, tables with
-- holes, tables with __index/__newindex, and positions at both ends.

local function ref_insert(t, pos, v)
  local e = #t + 1
  for i = e, pos + 1, -1 do t[i] = t[i - 1] end
  t[pos] = v
end

local function ref_remove(t, pos)
  local size = #t
  local v = t[pos]
  while pos < size do t[pos] = t[pos + 1]; pos = pos + 1 end
  t[pos] = nil
  return v
end

local function same(a, b, n)
  for i = 1, n do
    if rawget(a, i) ~= rawget(b, i) then return false end
  end
  return true
end

-- plain tables: random inserts and removes against the reference
local seed = 7
local function rand(n) seed = (seed * 16807) % 2147483647; return seed % n end
local a, b = {}, {}
for i = 1, 200 do a[i] = i; b[i] = i end
for step = 1, 500 do
  if rand(2) == 0 and #a > 0 then
    local p = 1 + rand(#a)
    assert(table.remove(a, p) == ref_remove(b, p))
  else
    local p = 1 + rand(#a + 1)
    table.insert(a, p, step); ref_insert(b, p, step)
  end
  assert(#a == #b and same(a, b, #a + 2))
end

-- removing the last element and from an empty table
local e = {}
assert(table.remove(e) == nil and table.remove(e, 0) == nil and #e == 0)
local one = {"x"}
assert(table.remove(one, 1) == "x" and #one == 0)
table.insert(one, 1, "y")
assert(one[1] == "y" and #one == 1)

-- a metatable whose __index answers for nil elements, __newindex logging
local function proxied(init)
  local log = {}
  local t = setmetatable(init, {
    __index = function(_, k) log[#log + 1] = "r" .. k; return "i" .. k end,
    __newindex = function(t, k, v) log[#log + 1] = "w" .. k; rawset(t, k, v) end,
  })
  return t, log
end

local t, log = proxied({1, 2, 3, 4, 5})
table.insert(t, 2, "a")          -- key 6 absent: one __newindex
assert(#log == 1 and log[1] == "w6")
assert(t[1] == 1 and t[2] == "a" and t[3] == 2 and t[6] == 5)
assert(table.remove(t, 1) == 1)  -- every key present: no metamethod
assert(#log == 1 and t[1] == "a" and t[5] == 5 and rawget(t, 6) == nil)

-- a hole inside the shifted range: reads of the nil go through __index
local h, hlog = proxied({1, 2, 3, 4, 5})
rawset(h, 3, nil)
local n = #h                      -- a border: 5 (array part) or 2
if n == 5 then
  assert(table.remove(h, 1) == 1)
  assert(hlog[1] == "r3" and h[2] == "i3" and h[3] == 4)
  -- the reference on a copy gives the same values
  local c, clog = proxied({1, 2, 3, 4, 5})
  rawset(c, 3, nil)
  ref_remove(c, 1)
  for i = 1, 5 do assert(rawget(h, i) == rawget(c, i)) end
end

-- insert into a table whose middle has a nil and no metatable
local p = {1, 2, nil, 4}
local m = #p
table.insert(p, 1, 0)
local q = {1, 2, nil, 4}
ref_insert(q, 1, 0)
assert(same(p, q, m + 2))

-- a __newindex that changes the table while the shift runs
local moved = {}
local ch = setmetatable({1, 2, 3}, {__newindex = function(t, k, v)
  rawset(t, k, v)
  moved[#moved + 1] = k
end})
table.insert(ch, 1, 0)
assert(ch[1] == 0 and ch[2] == 1 and ch[3] == 2 and ch[4] == 3 and moved[1] == 4)

-- position errors are unchanged
assert(not pcall(table.insert, {1, 2}, 5, 1))
assert(not pcall(table.insert, {1, 2}, 0, 1))
assert(not pcall(table.remove, {1, 2}, 5))

-- `#` while a stack is pushed and popped (and is always a border)
local function is_border(t, n)
  return (n == 0 or t[n] ~= nil) and t[n + 1] == nil
end
local st = {}
for i = 1, 300 do st[#st + 1] = i end
for i = 300, 1, -1 do
  assert(#st == i)
  if i % 7 == 0 then st[#st + 1] = "x"; assert(#st == i + 1); st[#st] = nil end
  st[#st] = nil
end
assert(#st == 0)
for i = 1, 50 do st[i] = i end
for i = 50, 1, -1 do st[i] = nil; assert(#st == i - 1) end
local holes = {}
for i = 1, 64 do holes[i] = i end
for _, k in ipairs({64, 63, 20, 40, 10, 62, 1, 30}) do
  holes[k] = nil
  assert(is_border(holes, #holes))
end
for k = 61, 1, -1 do holes[k] = nil; assert(is_border(holes, #holes)) end
assert(#holes == 0)

print("ok")
