-- debug.getinfo: every option letter (S l u n t r f L), by level and by
-- function, for Lua, C and main functions, in coroutines; values as Lua 5.4
-- reports them.

local src = [[
local function f(a, b, ...)
  return debug.getinfo(1, "SlutnrfL"), debug.getinfo(2, "Sl")
end
local i1, i2 = f(1, 2)
return i1, i2, f
]]
local chunk = assert(load(src, "=g"))
local i1, i2, f = chunk()

-- S
assert(i1.source == "=g" and i1.short_src == "g" and i1.what == "Lua")
assert(i1.linedefined == 1 and i1.lastlinedefined == 3)
assert(i2.what == "main" and i2.linedefined == 0 and i2.lastlinedefined == 0)
-- l
assert(i1.currentline == 2 and i2.currentline == 4)
-- u
assert(i1.nups == 1 and i1.nparams == 2 and i1.isvararg == true)
-- t
assert(i1.istailcall == false)
-- n
assert(i1.name == "f" and i1.namewhat == "local")
-- r (no transfer outside call/return hooks)
assert(i1.ftransfer == 0 and i1.ntransfer == 0)
-- f
assert(i1.func == f)
-- L: lines with code (the VARARGPREP of a vararg function is not active)
local lines = {}
for l in pairs(i1.activelines) do lines[#lines + 1] = l end
table.sort(lines)
assert(table.concat(lines, ",") == "2,3")

-- by function: no current line and no name
local byf = debug.getinfo(f)
assert(byf.currentline == -1 and byf.name == nil and byf.namewhat == "")
assert(byf.func == f and byf.short_src == "g" and byf.istailcall == false)

-- C functions
local c = debug.getinfo(print, "SlutnfL")
assert(c.what == "C" and c.source == "=[C]" and c.short_src == "[C]")
assert(c.linedefined == -1 and c.lastlinedefined == -1 and c.currentline == -1)
assert(c.nups == 0 and c.nparams == 0 and c.isvararg == true)
assert(c.activelines == nil and c.func == print)
-- library functions written in Lua inside lunette still look like C ones
for _, fn in ipairs({pairs, ipairs, dofile, select, table.insert}) do
  local ci = debug.getinfo(fn, "S")
  assert(ci.what == "C" and ci.short_src == "[C]", tostring(fn))
end

-- a C function at a level: called as a global, with no line
local ok, info = pcall(debug.getinfo, 1, "nSl")
assert(ok and info.what == "C" and info.name == "pcall" and info.currentline == -1)

-- names the caller gives: global, method, field, local, upvalue, for iterator
local names = {}
local function rec() local i = debug.getinfo(1, "n"); names[#names + 1] = i.namewhat .. ":" .. tostring(i.name) end
g_rec = rec
local obj = {m = rec, field = rec}
g_rec(); obj:m(); obj.field()
local loc = rec; loc()
local function up() rec() end
up()
for _ in rec do end
assert(table.concat(names, " ") ==
  "global:g_rec method:m field:field local:loc upvalue:rec for iterator:for iterator", table.concat(names, " "))

-- tail calls: the callee is marked, and its caller is gone
local function t2() return debug.getinfo(1, "tn"), debug.getinfo(2, "S") end
local function t1() return t2() end
local ti, tc = t1()
assert(ti.istailcall == true and ti.name == nil and ti.namewhat == "")
assert(tc.what == "Lua" or tc.what == "main")

-- invalid options and levels
assert(not pcall(debug.getinfo, 1, ">"))
assert(not pcall(debug.getinfo, print, "X"))
assert(debug.getinfo(100) == nil)
assert(not pcall(debug.getinfo, {}))

-- coroutines: levels of a suspended coroutine
local co = coroutine.create(function(x)
  local y = x + 1
  coroutine.yield()
end)
coroutine.resume(co, 10)
local top = debug.getinfo(co, 0, "Sn")
assert(top.what == "C" and top.name == "yield")
local body = debug.getinfo(co, 1, "Sl")
assert(body.what == "Lua" and body.currentline == 87, body.currentline)
assert(debug.getinfo(co, 2) == nil)
assert(debug.getlocal(co, 1, 1) == "x" and select(2, debug.getlocal(co, 1, 2)) == 11)

-- metamethods are named by the event
local mmnames = {}
local mt = {}
for _, ev in ipairs({"index", "newindex", "add", "concat", "len", "eq", "lt", "le", "unm", "call", "close"}) do
  mt["__" .. ev] = function() local i = debug.getinfo(1, "n"); mmnames[#mmnames + 1] = i.namewhat .. ":" .. i.name; return true end
end
local a, b = setmetatable({}, mt), setmetatable({}, mt)
local _ = a.x; a.y = 1; _ = a + 1; _ = a .. "s"; _ = #a; _ = a == b; _ = a < b; _ = a <= b; _ = -a; a()
do local c <close> = a end
assert(table.concat(mmnames, " ") ==
  "metamethod:index metamethod:newindex metamethod:add metamethod:concat metamethod:len " ..
  "metamethod:eq metamethod:lt metamethod:le metamethod:unm local:a metamethod:close",
  table.concat(mmnames, " "))

print("OK")
