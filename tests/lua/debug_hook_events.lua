-- debug.sethook events compared with the exact sequences Lua 5.4 produces:
-- line events over multi-line statements and block ends (if/elseif/else,
-- while, repeat-until, numeric and generic for, do with <close>, table
-- constructors, calls spanning lines, goto, break, varargs), call / return /
-- tail call events for Lua, C, metamethods and iterators, count events (also
-- mixed with line events), hooks set on one coroutine only, and the
-- transferred values that call and return hooks read through getinfo "r".
--
-- Each case is a chunk named "=h"; only events of that chunk and of C
-- functions are recorded.

local function trace(src, mask, count)
  local f = assert(load(src, "=h"))
  local ev = {}
  debug.sethook(function(e, l)
    local info = debug.getinfo(2, "nS")
    if info.short_src ~= "h" and info.what ~= "C" then return end
    if e == "line" then
      ev[#ev + 1] = tostring(l)
    else
      ev[#ev + 1] = e .. "(" .. tostring(info.name) .. ")"
    end
  end, mask, count)
  local r = f()
  debug.sethook()
  return table.concat(ev, " ") .. (type(r) == "string" and (" => " .. r) or "")
end

-- case 1
local got = trace([=[
local a = 0
if a > 0 then
  a = 1
elseif a < 0
then
  a = 2
else
  a = 3
end
while a < 5 do
  a = a + 1
end
repeat
  a = a - 1
until a
  < 2
for i = 1, 2 do
  a = a + i
end
for k, v in ipairs({10, 20}) do
  a = a + v
end
do
  local x <close> = nil
  a = a + 1
end
local t = {
  1,
  2,
}
local s = a
  + 1
return s
]=], "l")
assert(got == "1 2 4 8 10 11 10 11 10 14 16 14 16 14 16 14 16 17 18 17 18 17 20 21 20 21 20 22 24 25 27 28 30 32 33",
  "case 1: got " .. got)

-- case 2
local got = trace([=[
local function f(x)
  if x then
    return 1
  end
  return 2
end
local t = {f(true),
  f(false)}
local y = f(
  nil)
while true do
  if y then break end
end
local n = 0
for i = 1, 3 do
  if i == 2 then goto continue end
  n = n + i
  ::continue::
end
local function g(...)
  local a, b = ...
  return a
end
g(1, 2)
return n
]=], "l")
assert(got == "6 7 2 3 8 2 5 9 10 9 2 5 12 14 15 16 17 15 16 15 16 17 15 23 24 21 22 25",
  "case 2: got " .. got)

-- case 3
local got = trace([=[
local function add(a, b) return a + b end
local function tail(x) return add(x, 1) end
local t = setmetatable({}, {__index = function(t, k) return k end, __add = function() return 0 end})
local s = tail(1)
local v = t.foo
local w = t + 1
for k in pairs({1}) do end
s = select("#", 1, 2)
s = ("a"):rep(2)
return s
]=], "cr")
assert(got == "return(sethook) call(f) call(setmetatable) return(setmetatable) call(tail) tail call(nil) return(nil) call(index) return(index) call(add) return(add) call(pairs) return(pairs) call(for iterator) return(for iterator) call(for iterator) return(for iterator) call(select) return(select) call(rep) return(rep) return(f) call(sethook) => aa",
  "case 3: got " .. got)

-- case 4
local got = trace([=[
local x = 0
for i = 1, 5 do x = x + i end
return x
]=], "", 1)
assert(got == "count(f) count(f) count(f) count(f) count(f) count(f) count(f) count(f) count(f) count(f) count(f) count(f) count(f) count(f) count(f) count(f)",
  "case 4: got " .. got)

-- case 5
local got = trace([=[
local x = 0
for i = 1, 5 do x = x + i end
return x
]=], "l", 2)
assert(got == "1 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 2 count(f) 3",
  "case 5: got " .. got)

-- case 6
local got = trace([=[
local co = coroutine.create(function(a)
  local x = coroutine.yield(a + 1)
  return x * 2
end)
local log = {}
debug.sethook(co, function(e, l) log[#log + 1] = e .. (l and (":" .. l) or "") end, "crl")
local ok1, v1 = coroutine.resume(co, 1)
local here = 1
local ok2, v2 = coroutine.resume(co, 5)
assert(v1 == 2 and v2 == 10)
assert(debug.gethook(co) ~= nil)
return table.concat(log, " ")
]=], "l")
assert(got == "1 4 1 5 6 7 8 9 10 11 12 => call line:2 call return line:3 return",
  "case 6: got " .. got)

-- case 7
local got = trace([=[
local function f(a, b, ...) return a, ... end
local function take(ev)
  local ar = debug.getinfo(3, "r")
  local t = {}
  for i = ar.ftransfer, ar.ftransfer + ar.ntransfer - 1 do
    local _, v = debug.getlocal(3, i)
    t[#t + 1] = tostring(v)
  end
  return ev .. "[" .. table.concat(t, ",") .. "]"
end
local log = {}
debug.sethook(function(e)
  local n = debug.getinfo(2, "n").name
  if n == "f" or n == "select" then log[#log + 1] = take(e) end
end, "cr")
f(1, 2, 3, 4)
select(2, "a", "b", "c")
debug.sethook()
return table.concat(log, " ")
]=], "l")
assert(got == "1 10 11 12 15 12 => call[1,2] return[1,3,4] call[2,a,b,c] return[b,c]",
  "case 7: got " .. got)

print("OK")
