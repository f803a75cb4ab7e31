-- Runaway recursion of every kind ends in Lua's error (never a crash), the
-- error is catchable, and the state keeps working afterwards.

local function usable()
  collectgarbage()
  local t = {}
  for i = 1, 1000 do t[i] = i * 2 end
  assert(#t == 1000 and t[1000] == 2000)
  assert(select(2, pcall(error, "still fine")) == "still fine")
end

local function fails_with(text, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "should fail")
  assert(type(err) == "string", type(err))
  assert(string.find(err, text, 1, true), err)
  usable()
  return err
end

-- plain Lua recursion: the Lua stack overflows
local function rec(n) return rec(n + 1) + 1 end
local e = fails_with("stack overflow", rec, 1)
assert(string.find(e, "^.-:%d+: stack overflow"), e)
-- non-tail recursion through a vararg function
local function vrec(...) return 1 + vrec(1, ...) end
fails_with("stack overflow", vrec)

-- __index functions calling themselves through the table
local mt = {}
mt.__index = function(t, k) return t[k] end
fails_with("stack overflow", function() return setmetatable({}, mt).x end)
-- __index chains of tables that loop
local a, b = {}, {}
setmetatable(a, {__index = b}); setmetatable(b, {__index = a})
fails_with("'__index' chain too long; possible loop", function() return a.x end)
local c, d = {}, {}
setmetatable(c, {__newindex = d}); setmetatable(d, {__newindex = c})
fails_with("'__newindex' chain too long; possible loop", function() c.x = 1 end)
-- arithmetic metamethods recursing
local am = {}
am.__add = function(x, y) return x + y end
fails_with("stack overflow", function() return setmetatable({}, am) + 1 end)
-- __eq, __lt, __concat, __len, __call recursing
local em = {}
em.__eq = function(x, y) return x == y end
fails_with("stack overflow", function() return setmetatable({}, em) == setmetatable({}, em) end)
local lm = {}
lm.__lt = function(x, y) return x < y end
fails_with("stack overflow", function() return setmetatable({}, lm) < setmetatable({}, lm) end)
local cm = {}
cm.__concat = function(x, y) return x .. y end
fails_with("stack overflow", function() return setmetatable({}, cm) .. "x" end)
local lenm = {}
lenm.__len = function(x) return #x end
fails_with("stack overflow", function() return #setmetatable({}, lenm) end)
local callm = {}
callm.__call = function(self) return 1 + self() end
fails_with("stack overflow", function() return setmetatable({}, callm)() end)

-- __tostring loops: tostring calls itself (C stack)
local tm = {}
tm.__tostring = function(v) return tostring(v) end
fails_with("stack overflow", tostring, setmetatable({}, tm))

-- pcall chains: each level adds a protected call
local depth = 0
local function pc(n) depth = n; return pcall(pc, n + 1) end
local r = table.pack(pc(1))
assert(r[r.n - 1] == false and string.find(r[r.n], "stack overflow"), tostring(r[r.n]))
assert(depth > 100)
usable()
-- error inside a deep pcall chain is caught by the innermost pcall
local function pe(n) if n == 0 then error("bottom") end return pcall(pe, n - 1) end
local ok, inner_ok, msg = pe(50)
assert(ok == true and inner_ok == true)

-- nested coroutines: coroutine.wrap inside coroutine.wrap, 100000 deep
local function nest(n)
  if n == 0 then return 0 end
  return coroutine.wrap(function() return nest(n - 1) end)()
end
fails_with("C stack overflow", nest, 100000)
assert(nest(50) == 0)
-- resume inside resume
local function nestr(n)
  if n == 0 then return "bottom" end
  local co = coroutine.create(nestr)
  local ok, v = coroutine.resume(co, n - 1)
  if not ok then error(v, 0) end
  return v
end
fails_with("C stack overflow", nestr, 100000)
assert(nestr(20) == "bottom")

-- string.gsub callbacks recursing into gsub
local function g(s) return (string.gsub(s, ".", g)) end
fails_with("stack overflow", g, "x")
-- string.gsub with a __index table replacement that recurses
local gm = setmetatable({}, {__index = function(t, k) return string.gsub(k, ".", t) end})
fails_with("stack overflow", string.gsub, "abc", ".", gm)

-- table.sort comparators that sort again
local function cmp(x, y) table.sort({3, 2, 1}, cmp); return x < y end
fails_with("stack overflow", table.sort, {3, 2, 1}, cmp)
-- an invalid order function is Lua's error, not a crash
local big = {}
for i = 1, 200 do big[i] = (i * 7919) % 211 end
local ok2, err2 = pcall(table.sort, big, function(x, y) return true end)
assert(not ok2 and string.find(err2, "invalid order function for sorting"), err2)
usable()

-- load of a reader that recurses into load: the innermost load fails
-- (C stack overflow), the levels above see odd reader results; no crash
local function lr() return load(lr) end
local okl = pcall(lr)
assert(okl)
usable()

-- recursion through xpcall's message handler on a stack overflow
local function h(m) return "handled: " .. m end
local okx, ex = xpcall(rec, h, 1)
assert(not okx and string.find(ex, "^handled: .*stack overflow"), ex)
usable()

-- a coroutine that overflows its own stack leaves the caller's intact
local co = coroutine.create(function() return rec(1) end)
local okc, ec = coroutine.resume(co)
assert(not okc and string.find(ec, "stack overflow"), ec)
assert(coroutine.status(co) == "dead")
usable()

print("OK")
