-- __index and __newindex as tables and functions, chains, raw access.

-- __index as a table
local base = {greet = "hi", n = 1}
local obj = setmetatable({}, {__index = base})
assert(obj.greet == "hi" and obj.missing == nil)
assert(rawget(obj, "greet") == nil)
obj.n = 2                               -- creates own field, base unchanged
assert(obj.n == 2 and base.n == 1)

-- chains of __index tables
local a = {x = "a"}
local b = setmetatable({y = "b"}, {__index = a})
local c = setmetatable({z = "c"}, {__index = b})
assert(c.x == "a" and c.y == "b" and c.z == "c" and c.w == nil)

-- __index as a function receives the table and the key
local calls = {}
local fobj = setmetatable({present = 1}, {__index = function(t, k)
  calls[#calls + 1] = k
  return k .. "!"
end})
assert(fobj.present == 1)              -- no call for present keys
assert(fobj.abc == "abc!")
assert(#calls >= 1 and calls[1] == "abc")
assert(fobj[1] == "1!")                -- numbers concatenate
local ok, msg = pcall(function() return fobj[{}] end)
assert(not ok and string.find(msg, "attempt to concatenate", 1, true))

-- __index function: only the first result is used
local multi = setmetatable({}, {__index = function() return 1, 2, 3 end})
assert(select("#", multi.k) == 1)

-- __newindex as a function: only for absent keys
local log = {}
local guarded = setmetatable({existing = 1}, {__newindex = function(t, k, v)
  log[#log + 1] = k .. "=" .. tostring(v)
  rawset(t, k, v)
end})
guarded.existing = 10                  -- present: no metamethod
guarded.new = 20                       -- absent: metamethod
guarded.new = 30                       -- now present: no metamethod
assert(table.concat(log, ",") == "new=20")
assert(guarded.existing == 10 and guarded.new == 30)

-- __newindex as a table redirects the assignment there
local store = {}
local redirect = setmetatable({}, {__newindex = store})
redirect.k = "v"
assert(rawget(redirect, "k") == nil and store.k == "v")
-- ...and the redirected table's own __newindex applies
local inner_log = {}
local store2 = setmetatable({}, {__newindex = function(t, k, v) inner_log[#inner_log + 1] = k end})
local redirect2 = setmetatable({}, {__newindex = store2})
redirect2.q = 1
assert(inner_log[1] == "q" and rawget(store2, "q") == nil)

-- read-only table idiom
local ro = setmetatable({}, {__index = {v = 1}, __newindex = function(_, k)
  error("attempt to modify read-only field " .. k, 2)
end})
ok, msg = pcall(function() ro.v = 2 end)
assert(not ok and string.find(msg, "read-only field v", 1, true))
assert(ro.v == 1)

-- __index on non-table values: strings use the string table
assert(("abc").len == string.len)
assert(("x"):upper() == "X")
-- indexing a number without a metatable is an error
ok, msg = pcall(function() local n = 5 return n.x end)
assert(not ok and string.find(msg, "attempt to index a number value (local 'n')", 1, true), msg)

-- the metatable is consulted at each access (changes are seen immediately)
local mt = {}
local dyn = setmetatable({}, mt)
assert(dyn.k == nil)
mt.__index = {k = "late"}
assert(dyn.k == "late")
mt.__index = nil
assert(dyn.k == nil)

-- a long __index chain (loop detection limit is large, 2000 in PUC)
local chain = {final = true}
for _ = 1, 100 do chain = setmetatable({}, {__index = chain}) end
assert(chain.final == true)
-- a cyclic __index chain is an error, not a hang
local c1, c2 = {}, {}
setmetatable(c1, {__index = c2})
setmetatable(c2, {__index = c1})
ok, msg = pcall(function() return c1.nope end)
assert(not ok and string.find(msg, "'__index' chain too long; possible loop", 1, true), msg)
ok, msg = pcall(function() local n1 = setmetatable({}, {}) getmetatable(n1).__newindex = n1 n1.x = 1 end)
assert(not ok and string.find(msg, "'__newindex' chain too long; possible loop", 1, true), msg)

-- __index receives the key as written (a float stays a float)
local keys = {}
local kn = setmetatable({}, {__index = function(_, k) keys[#keys + 1] = math.type(k) end})
local _ = kn[2.0]
assert(keys[1] == "float")
rawset(kn, 3, "three")
assert(kn[3.0] == "three")
