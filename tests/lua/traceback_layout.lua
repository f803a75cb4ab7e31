-- debug.traceback text, compared line for line with what Lua 5.4 prints:
-- frame kinds (local, upvalue, field, method, global function, main chunk,
-- for iterator, metamethod, hook, C functions by their library name), tail
-- calls, the "...(skipping N levels)" elision of deep stacks, levels,
-- coroutines, and non-string messages passing through.
--
-- Each case is a chunk named "=t" run as a coroutine body, so the expected
-- stacks end at the chunk and do not depend on this file.

local function run(src)
  local f = assert(load(src, "=t"))
  local co = coroutine.create(f)
  local ok, r = coroutine.resume(co)
  assert(ok, r)
  return r
end

local function check(n, got, want)
  if got ~= want then
    error(("case %d: traceback differs\n--- got:\n%s\n--- wanted:\n%s"):format(n, got, want), 0)
  end
end

-- case 1
check(1, run([=[
local M = {}
local up = function() return debug.traceback("msg") end
function M.field() return (up()) end
function M:meth() return (M.field()) end
glob_f = function() return (M:meth()) end
local function loc() return (glob_f()) end
return (loc())
]=]), [=[
msg
stack traceback:
	t:2: in upvalue 'up'
	t:3: in field 'field'
	t:4: in method 'meth'
	t:5: in function 'glob_f'
	t:6: in local 'loc'
	t:7: in main chunk]=])

-- case 2
check(2, run([=[
local function tail2() return debug.traceback("t", 1) end
local function tail1() return tail2() end
return (tail1())
]=]), [=[
t
stack traceback:
	t:1: in function <t:1>
	(...tail calls...)
	t:3: in main chunk]=])

-- case 3
check(3, run([=[
local function f() return debug.traceback(nil, 0) end
return f()
]=]), [=[
stack traceback:
	[C]: in function 'debug.traceback'
	t:1: in function <t:1>
	(...tail calls...)]=])

-- case 4
check(4, run([=[
return select(2, xpcall(function() local x = nil; return x.y end, debug.traceback))
]=]), [=[
t:1: attempt to index a nil value (local 'x')
stack traceback:
	t:1: in function <t:1>
	[C]: in function 'xpcall'
	t:1: in main chunk]=])

-- case 5
check(5, run([=[
return select(2, xpcall(function() error("boom") end, debug.traceback))
]=]), [=[
t:1: boom
stack traceback:
	[C]: in function 'error'
	t:1: in function <t:1>
	[C]: in function 'xpcall'
	t:1: in main chunk]=])

-- case 6
check(6, run([=[
local e = {}
local ok, r = xpcall(function() error(e) end, debug.traceback)
return tostring(not ok and r == e)
]=]), [=[
true]=])

-- case 7
check(7, run([=[
return select(2, pcall(string.rep))
]=]), [=[
bad argument #1 to 'string.rep' (string expected, got no value)]=])

-- case 8
check(8, run([=[
local r
for k in function() r = debug.traceback("it") end do end
return r
]=]), [=[
it
stack traceback:
	t:2: in for iterator 'for iterator'
	t:2: in main chunk]=])

-- case 9
check(9, run([=[
local mt = {__index = function(t, k) return debug.traceback(k) end,
            __add = function(a, b) return debug.traceback("add") end,
            __lt = function(a, b) error(debug.traceback("lt"), 0) end}
local t = setmetatable({}, mt)
local a = t.idx
local b = t + 1
local ok, c = pcall(function() return t < t end)
return a .. "\n" .. b .. "\n" .. c
]=]), [=[
idx
stack traceback:
	t:1: in metamethod 'index'
	t:5: in main chunk
add
stack traceback:
	t:2: in metamethod 'add'
	t:6: in main chunk
lt
stack traceback:
	t:3: in metamethod 'lt'
	t:7: in function <t:7>
	[C]: in function 'pcall'
	t:7: in main chunk]=])

-- case 10
check(10, run([=[
local function rec(n)
  if n == 0 then return debug.traceback("deep") end
  return (rec(n - 1))
end
return rec(25)
]=]), [=[
deep
stack traceback:
	t:2: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	...	(skipping 4 levels)
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in function <t:1>
	(...tail calls...)]=])

-- case 11
check(11, run([=[
local function rec(n)
  if n == 0 then return debug.traceback("edge") end
  return (rec(n - 1))
end
return rec(20) .. "\n" .. rec(19)
]=]), [=[
edge
stack traceback:
	t:2: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in local 'rec'
	t:5: in main chunk
edge
stack traceback:
	t:2: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in upvalue 'rec'
	t:3: in local 'rec'
	t:5: in main chunk]=])

-- case 12
check(12, run([=[
local t = {}
t.sub = {fn = function() return debug.traceback("nested") end}
return (t.sub.fn())
]=]), [=[
nested
stack traceback:
	t:2: in field 'fn'
	t:3: in main chunk]=])

-- case 13
check(13, run([=[
local co = coroutine.create(function(a)
  local function inner() coroutine.yield(1) end
  inner()
end)
coroutine.resume(co)
return debug.traceback(co) .. "\n" .. debug.traceback(co, "msg", 1) .. "\n" .. debug.traceback(co, nil, 2)
]=]), [=[
stack traceback:
	[C]: in function 'coroutine.yield'
	t:2: in local 'inner'
	t:3: in function <t:1>
msg
stack traceback:
	t:2: in local 'inner'
	t:3: in function <t:1>
stack traceback:
	t:3: in function <t:1>]=])

-- case 14
check(14, run([=[
local r
debug.sethook(function() r = r or debug.traceback("hook") end, "l")
local x = 1
debug.sethook()
return r
]=]), [=[
hook
stack traceback:
	t:2: in hook '?'
	t:3: in main chunk]=])

-- case 15
check(15, run([=[
return debug.traceback("level2", 2) .. "\n" .. tostring(debug.traceback(12)) .. "\n" .. tostring(debug.traceback(print) == print)
]=]), [=[
level2
stack traceback:
12
stack traceback:
	t:1: in main chunk
true]=])

print("OK")
