-- Errors raised while an error is being handled: message handlers, __close
-- handlers, __tostring of error objects, __gc finalizers (warnings). Each
-- behaves as in Lua 5.4 and leaves the state usable.

local function usable()
  collectgarbage()
  local s = {}
  for i = 1, 100 do s[i] = tostring(i) end
  assert(table.concat(s, ",", 1, 3) == "1,2,3")
end

-- xpcall: a handler that errors, every time, gives "error in error handling"
local ok, m = xpcall(error, function(e) error("again") end, "x")
assert(not ok and m == "error in error handling", m)
ok, m = xpcall(error, function(e) local t = nil; return t.x end, "x")
assert(not ok and m == "error in error handling", m)
usable()
-- a handler that errors a few times and then succeeds: it is called again
-- with its own error each time
local n = 0
ok, m = xpcall(error, function(e)
  n = n + 1
  if n < 5 then error(e) end
  return "handled " .. n
end, "x")
assert(not ok and m == "handled 5", m)
-- a handler returning non-strings, or nothing
ok, m = xpcall(error, function(e) return {e} end, "x")
assert(not ok and type(m) == "table" and m[1] == "x")
ok, m = xpcall(error, function() end, "x")
assert(not ok and m == nil)
-- a handler that recurses on its own
local function hrec(e) return hrec(e) .. "!" end
ok, m = xpcall(error, hrec, "x")
assert(not ok, m)
usable()
-- a stack overflow handled by a handler that needs stack itself
local function deep(k) return deep(k + 1) + 1 end
ok, m = xpcall(deep, function(e) return (string.gsub(e, "^.-:%d+: ", "")) end, 1)
assert(not ok and m == "stack overflow", m)
-- nested xpcalls with failing handlers
ok, m = xpcall(function()
  local ok2, m2 = xpcall(error, function() error("inner handler") end, "y")
  assert(not ok2 and m2 == "error in error handling")
  error("outer", 0)
end, function(e) return "H(" .. e .. ")" end)
assert(not ok and m == "H(outer)", m)
usable()

-- __close: an error in a closing method replaces the error in flight
ok, m = pcall(function()
  local x <close> = setmetatable({}, {__close = function() error("in close", 0) end})
  error("body", 0)
end)
assert(not ok and m == "in close", m)
-- several closing methods: each sees the error of the one before
ok, m = pcall(function()
  local x <close> = setmetatable({}, {__close = function(_, e) error("c1:" .. tostring(e), 0) end})
  local y <close> = setmetatable({}, {__close = function(_, e) error("c2:" .. tostring(e), 0) end})
  return 1
end)
assert(not ok and m == "c1:c2:nil", m)
ok, m = pcall(function()
  local x <close> = setmetatable({}, {__close = function(_, e) error("c1:" .. tostring(e), 0) end})
  local y <close> = setmetatable({}, {__close = function(_, e) error("c2:" .. tostring(e), 0) end})
  error("body", 0)
end)
assert(not ok and m == "c1:c2:body", m)
-- a __close that overflows the stack
ok, m = pcall(function()
  local x <close> = setmetatable({}, {__close = function() return deep(1) end})
  return 1
end)
assert(not ok and string.find(m, "stack overflow"), m)
-- __close running under xpcall with a handler: the handler sees the body's error
local seen
ok, m = xpcall(function()
  local x <close> = setmetatable({}, {__close = function(_, e) seen = e end})
  error("body2", 0)
end, function(e) return "h:" .. e end)
assert(not ok and m == "h:body2" and seen == "h:body2", tostring(seen))
usable()

-- __tostring of error objects
local bad = setmetatable({}, {__tostring = function() error("ts fails", 0) end})
ok, m = pcall(tostring, bad)
assert(not ok and m == "ts fails", m)
ok, m = pcall(error, bad)
assert(not ok and m == bad)
local notstr = setmetatable({}, {__tostring = function() return {} end})
ok, m = pcall(tostring, notstr)
assert(not ok and m == "'__tostring' must return a string", m)
local loop = setmetatable({}, {__tostring = function(v) return tostring(v) end})
ok, m = pcall(tostring, loop)
assert(not ok and string.find(m, "stack overflow"), m)
-- string.format and print go through __tostring too
ok, m = pcall(string.format, "%s", bad)
assert(not ok and m == "ts fails", m)
ok, m = pcall(print, bad)
assert(not ok and m == "ts fails", m)
-- a __tostring error inside an xpcall handler: the handler runs again on
-- that error (a string this time)
ok, m = xpcall(error, function(e) return tostring(e) end, bad)
assert(not ok and m == "ts fails", m)
usable()

-- __gc: errors in finalizers become warnings (printed on stderr by lua when
-- warnings are on) and never propagate; the collection completes
warn("@off")
local count = 0
for i = 1, 10 do
  setmetatable({}, {__gc = function() count = count + 1; error("in gc " .. i) end})
end
setmetatable({}, {__gc = function() count = count + 1; error({}) end})
setmetatable({}, {__gc = function() count = count + 1; local function r() return r() + 1 end; r() end})
collectgarbage()
collectgarbage()
assert(count == 12, count)
-- a finalizer that raises while another error is being handled
ok, m = pcall(function()
  setmetatable({}, {__gc = function() error("gc during error") end})
  collectgarbage()
  error("main", 0)
end)
assert(not ok and m == "main", m)
collectgarbage()
usable()
-- an error thrown through coroutine.close in a __close handler
local co = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() error("co close", 0) end})
  coroutine.yield(1)
end)
assert(coroutine.resume(co))
ok, m = coroutine.close(co)
assert(not ok and m == "co close", m)
usable()

print("OK")
