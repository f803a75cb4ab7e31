-- error, pcall, xpcall, assert: values, levels, handlers.

-- pcall returns true plus results, or false plus the error value
assert(select("#", pcall(function() return 1, 2 end)) == 3)
local ok, e = pcall(error, "msg")
assert(not ok and e == "msg")            -- error called directly: no position (level 1 is C)

-- level 1 (default) adds the position of the function that called error
local function lvl1() error("one") end
ok, e = pcall(lvl1)
assert(not ok and string.find(e, "errors_basic%.lua:9: one$"), e)

-- level 2 points at the caller of the function that called error
local function check(x) if not x then error("bad input", 2) end end
local function caller() check(false) end   -- line 15
ok, e = pcall(caller)
assert(not ok and string.find(e, "errors_basic%.lua:15: bad input$"), e)

-- level 0: no position
ok, e = pcall(function() error("plain", 0) end)
assert(e == "plain")

-- non-string error values are passed through untouched
local errobj = {code = 42}
ok, e = pcall(function() error(errobj) end)
assert(not ok and e == errobj)
ok, e = pcall(function() error(123) end)
assert(e == 123 and math.type(e) == "integer")   -- numbers get no position
ok, e = pcall(function() error() end)
assert(not ok and e == nil)
ok, e = pcall(function() error(nil) end)
assert(not ok and e == nil)
ok, e = pcall(function() error(true) end)
assert(e == true)

-- nested pcall
ok, e = pcall(function()
  local ok2, e2 = pcall(error, "inner", 0)
  assert(not ok2 and e2 == "inner")
  error("outer", 0)
end)
assert(e == "outer")

-- pcall without a function
ok, e = pcall(pcall)
assert(not ok and string.find(e, "bad argument #1 to 'pcall' (value expected)", 1, true), e)
ok, e = pcall(42)
assert(not ok and string.find(e, "attempt to call a number value", 1, true), e)

-- xpcall: the handler receives the error and its result is returned
ok, e = xpcall(function() error("x", 0) end, function(m) return "handled: " .. m end)
assert(not ok and e == "handled: x")
-- extra arguments are passed to the function
local r1, r2 = xpcall(function(a, b) return a + b end, print, 3, 4)
assert(r1 == true and r2 == 7)
-- the handler runs before the stack unwinds: traceback shows the error site
local function deep() error("deep error") end
ok, e = xpcall(function() deep() end, debug.traceback)
assert(not ok and string.find(e, "deep error", 1, true) and string.find(e, "stack traceback:", 1, true), e)
assert(string.find(e, "in upvalue 'deep'", 1, true), e)
assert(string.find(e, "[C]: in function 'error'", 1, true), e)
-- a handler that errors itself
ok, e = xpcall(function() error("a") end, function() error("b") end)
assert(not ok)          -- the result is an error in error handling (message varies)
-- xpcall argument checks
ok, e = pcall(xpcall, print)
assert(not ok and string.find(e, "bad argument #2 to 'xpcall' (function expected, got no value)", 1, true), e)

-- assert returns all its arguments on success
local a, b, c = assert(1, 2, 3)
assert(a == 1 and b == 2 and c == 3)
ok, e = pcall(assert, false)
assert(not ok and e == "assertion failed!")
ok, e = pcall(assert, nil, "custom")
assert(e == "custom")
ok, e = pcall(assert, false, {1})
assert(type(e) == "table" and e[1] == 1)
ok, e = pcall(assert)
assert(not ok and string.find(e, "bad argument #1 to 'assert' (value expected)", 1, true), e)

-- error with a table that has __tostring
local E = setmetatable({}, {__tostring = function() return "custom error" end})
ok, e = pcall(error, E)
assert(e == E and tostring(e) == "custom error")

-- runtime errors are strings with position
ok, e = pcall(function() local x = nil; return x.y end)
assert(string.find(e, "errors_basic%.lua:%d+: attempt to index a nil value %(local 'x'%)$"), e)

-- errors inside metamethods propagate through pcall
local bad = setmetatable({}, {__add = function() error("in add", 0) end})
ok, e = pcall(function() return bad + 1 end)
assert(e == "in add")

-- error position uses the chunk name given to load
ok, e = pcall(load("error('here')", "=mychunk"))
assert(e == "mychunk:1: here", e)
ok, e = pcall(load("\n\nerror('line3')", "@file.lua"))
assert(e == "file.lua:3: line3", e)
