-- Deep non-tail recursion works; runaway recursion is a catchable error.

-- 10000 levels of ordinary recursion are fine
local function depth(n)
  if n == 0 then return 0 end
  return 1 + depth(n - 1)
end
assert(depth(10000) == 10000)

-- recursion with many locals per frame
local function wide(n)
  local a, b, c, d, e, f, g, h = n, n, n, n, n, n, n, n
  if n == 0 then return 0 end
  return wide(n - 1) + a - b + c - d + e - f + g - h + 1
end
assert(wide(5000) == 5000)

-- infinite recursion raises "stack overflow", caught by pcall
local function runaway(n) return 1 + runaway(n + 1) end
local ok, msg = pcall(runaway, 1)
assert(not ok)
assert(type(msg) == "string" and string.find(msg, "stack overflow", 1, true), msg)

-- after a stack overflow the interpreter is still usable
assert(depth(1000) == 1000)
ok, msg = pcall(runaway, 1)
assert(not ok and string.find(msg, "stack overflow", 1, true))

-- overflow through a metamethod chain (__index function calling itself)
local t = setmetatable({}, {})
getmetatable(t).__index = function(tab, k) return tab[k] end
ok, msg = pcall(function() return t.x end)
assert(not ok and string.find(msg, "stack overflow", 1, true), msg)

-- overflow through pcall inside recursion still unwinds cleanly
local function nested_pcall(n)
  local ok2, err = pcall(nested_pcall, n + 1)
  if not ok2 then error(err, 0) end
  return err
end
ok, msg = pcall(nested_pcall, 1)
assert(not ok and string.find(tostring(msg), "overflow", 1, true), tostring(msg))

-- overflow inside a coroutine is reported through resume
local co = coroutine.create(function() return runaway(1) end)
local ok3, msg3 = coroutine.resume(co)
assert(not ok3 and string.find(msg3, "stack overflow", 1, true), msg3)
assert(coroutine.status(co) == "dead")

-- xpcall with a message handler runs the handler after an overflow
local handled
ok, msg = xpcall(runaway, function(m) handled = m; return "handled" end, 1)
assert(not ok and msg == "handled" and string.find(handled, "stack overflow", 1, true))

-- deep recursion through string.gsub callbacks (native -> Lua -> native)
local function g(n)
  if n == 0 then return "" end
  return (string.gsub("x", "x", function() return g(n - 1) end)) .. "y"
end
assert(#g(150) == 150)

-- error objects that are tables survive a deep unwind
local function throw_at(n)
  if n == 0 then error({code = 7}) end
  local r = throw_at(n - 1)
  return r
end
ok, msg = pcall(throw_at, 5000)
assert(not ok and type(msg) == "table" and msg.code == 7)
