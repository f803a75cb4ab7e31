-- rawget, rawset, rawequal, rawlen: bypassing metamethods, argument checks.

local log = {}
local mt = {
  __index = function(_, k) log[#log + 1] = "index " .. tostring(k); return "meta" end,
  __newindex = function(_, k) log[#log + 1] = "newindex " .. tostring(k) end,
  __len = function() return 99 end,
  __eq = function() return true end,
}
local t = setmetatable({10, 20, x = 1}, mt)

-- rawget
assert(rawget(t, "x") == 1 and rawget(t, "missing") == nil)
assert(rawget(t, 1) == 10 and rawget(t, 1.0) == 10)   -- float keys normalized
assert(t.missing == "meta")
assert(#log == 1)

-- rawset returns the table and skips __newindex
log = {}
assert(rawset(t, "y", 2) == t)
assert(rawget(t, "y") == 2 and #log == 0)
t.z = 3                                    -- goes through __newindex
assert(rawget(t, "z") == nil and log[1] == "newindex z")
rawset(t, 2.0, "two")
assert(rawget(t, 2) == "two")
rawset(t, "y", nil)
assert(rawget(t, "y") == nil)

-- rawlen ignores __len; works on strings
assert(#t == 99 and rawlen(t) == 2)
assert(rawlen("hello") == 5)
local ok, msg = pcall(rawlen, 5)
assert(not ok and string.find(msg, "table or string expected", 1, true), msg)

-- rawequal ignores __eq
local u = setmetatable({}, mt)
assert(t == u and not rawequal(t, u))
assert(rawequal(t, t) and rawequal(1, 1.0) and rawequal("a", "a"))
assert(not rawequal(1, "1") and not rawequal({}, {}))
assert(rawequal(nil, nil))
ok, msg = pcall(rawequal, 1)
assert(not ok and string.find(msg, "bad argument #2 to 'rawequal' (value expected)", 1, true), msg)

-- argument checks
ok, msg = pcall(rawget, "str", 1)
assert(not ok and string.find(msg, "bad argument #1 to 'rawget' (table expected, got string)", 1, true), msg)
ok, msg = pcall(rawset, {}, 1)
assert(not ok and string.find(msg, "bad argument #3 to 'rawset' (value expected)", 1, true), msg)
ok, msg = pcall(rawset, {}, nil, 1)
assert(not ok and string.find(msg, "index is nil", 1, true), msg)
ok, msg = pcall(rawget, {})
assert(not ok and string.find(msg, "bad argument #2 to 'rawget' (value expected)", 1, true), msg)

-- rawget/rawset on a table protected by __metatable still work
local prot = setmetatable({}, {__metatable = "no", __newindex = function() error("blocked") end})
rawset(prot, "k", "v")
assert(rawget(prot, "k") == "v" and prot.k == "v")

-- raw operations do not trigger __index chains
local base = {inherited = true}
local child = setmetatable({}, {__index = base})
assert(child.inherited == true and rawget(child, "inherited") == nil)

-- next and pairs on a proxy see only raw contents
local proxy = setmetatable({}, {__index = {a = 1, b = 2}})
assert(next(proxy) == nil)

-- building a table with rawset in a loop
local r = {}
for i = 1, 50 do rawset(r, i, i * i) end
assert(#r == 50 and rawget(r, 7) == 49)
