-- debug library basics: getinfo, getlocal, getupvalue/setupvalue, traceback.

local function f(a, b, ...)
  local info = debug.getinfo(1, "nSlu")
  return info
end
local i = f(1, 2)
assert(i.currentline == 4 and i.linedefined == 3 and i.lastlinedefined == 6)
assert(i.what == "Lua" and string.find(i.short_src, "debug_basic%.lua$") and string.find(i.source, "^@.*debug_basic%.lua$"))
assert(i.nparams == 2 and i.isvararg == true and i.nups == 1)   -- _ENV (for "debug")
assert(i.name == "f" and i.namewhat == "local")

-- native functions
local p = debug.getinfo(print)
assert(p.what == "C" and p.short_src == "[C]" and p.source == "=[C]")
assert(p.currentline == -1 and p.linedefined == -1 and p.nparams == 0 and p.isvararg == true)

-- the main chunk
local m = debug.getinfo(1)
assert(m.what == "main" and m.currentline == 19 and m.func ~= nil)
-- levels beyond the stack give nil
assert(debug.getinfo(100) == nil)
-- the "f" option returns the function itself
local function self_ref() return debug.getinfo(1, "f").func end
assert(self_ref() == self_ref)

-- getlocal: names and values of active locals, parameters first
local function locs(x, y)
  local z = x + y
  local n1, v1 = debug.getlocal(1, 1)
  local n3, v3 = debug.getlocal(1, 3)
  return n1, v1, n3, v3
end
local n1, v1, n3, v3 = locs(10, 20)
assert(n1 == "x" and v1 == 10 and n3 == "z" and v3 == 30)
assert(debug.getlocal(1, 100) == nil)
-- getlocal on a function (not active): parameter names only
assert(debug.getlocal(f, 1) == "a" and debug.getlocal(f, 2) == "b" and debug.getlocal(f, 3) == nil)
-- setlocal changes a local of an active function
local function setter()
  local target = 1
  debug.setlocal(1, 1, 99)
  return target
end
assert(setter() == 99)

-- upvalues
local up = 5
local function g() return up end
local name, val = debug.getupvalue(g, 1)
assert(name == "up" and val == 5)
assert(debug.setupvalue(g, 1, 9) == "up" and g() == 9 and up == 9)
assert(debug.getupvalue(g, 2) == nil)
-- the main chunk's first upvalue is _ENV
local mainf = load("return x")
assert(debug.getupvalue(mainf, 1) == "_ENV")
debug.setupvalue(mainf, 1, {x = "from env"})
assert(mainf() == "from env")

-- traceback: message, header, and one line per frame
local tb = debug.traceback("msg", 1)
assert(string.find(tb, "^msg\nstack traceback:\n"), tb)
assert(string.find(tb, "debug_basic%.lua:%d+: in main chunk"), tb)
local function inner() return debug.traceback() end
local function outer() local r = inner(); return r end
local tb2 = outer()
assert(string.find(tb2, "in upvalue 'inner'", 1, true), tb2)
assert(string.find(tb2, "in local 'outer'", 1, true), tb2)
-- non-string messages are returned untouched
local t = {}
assert(debug.traceback(t) == t)
assert(string.find(debug.traceback(nil), "^stack traceback:\n"))   -- nil: no message line

-- getinfo on a coroutine
local co = coroutine.create(function() local here = 1; coroutine.yield() end)
coroutine.resume(co)
local ci = debug.getinfo(co, 1, "l")
assert(ci and ci.currentline == 75, ci and ci.currentline)
assert(debug.getlocal(co, 1, 1) == "here")

-- getmetatable / setmetatable bypass __metatable
local prot = setmetatable({}, {__metatable = "locked"})
assert(getmetatable(prot) == "locked" and type(debug.getmetatable(prot)) == "table")
debug.setmetatable(prot, nil)
assert(getmetatable(prot) == nil)
