-- coroutine.wrap, coroutine.close, yields across pcall and metamethods.

-- wrap returns a function; errors propagate to the caller (with position)
local f = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
assert(f(1) == 2 and f(5) == 10)
local ok, msg = pcall(f)
assert(not ok and msg == "cannot resume dead coroutine", msg)
local w = coroutine.wrap(function() error("w") end)
ok, msg = pcall(w)
assert(not ok and string.find(msg, "coroutine_wrap.lua:%d+: w$"), msg)
local h = coroutine.wrap(function() error({tag = "t"}) end)
ok, msg = pcall(h)
assert(not ok and type(msg) == "table" and msg.tag == "t")
-- wrap passes all values
local pass = coroutine.wrap(function(...) return select("#", ...) end)
assert(pass(nil, nil) == 2)

-- yield across pcall inside the coroutine (allowed in 5.4)
local co = coroutine.create(function()
  local ok1, e = pcall(function()
    coroutine.yield(1)
    error("after", 0)
  end)
  coroutine.yield(e)
  return "end"
end)
local r = {}
for _ = 1, 3 do local _, v = coroutine.resume(co); r[#r + 1] = v end
assert(table.concat(r, ",") == "1,after,end")
-- pcall(coroutine.yield, v) yields v and returns true plus the resume values
co = coroutine.create(function() return pcall(coroutine.yield, 5) end)
local _, y = coroutine.resume(co)
assert(y == 5)
local _, pok, pv = coroutine.resume(co, "back")
assert(pok == true and pv == "back")

-- yield inside a metamethod called from Lua code
local mt = {__index = function(_, k) return coroutine.yield(k) end,
            __add = function(a, b) return coroutine.yield("add") end}
co = coroutine.wrap(function()
  local t = setmetatable({}, mt)
  local v = t.key
  local s = t + 1
  return v, s
end)
assert(co() == "key")
assert(co("value") == "add")
local v1, v2 = co(99)
assert(v1 == "value" and v2 == 99)

-- yield inside a for iterator
local function iter() return coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i, i * i) end end) end
local s = 0
for i, sq in iter() do s = s + i + sq end
assert(s == 6 + 14)

-- yield across a native boundary that does not support it is an error
co = coroutine.wrap(function()
  table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end)
end)
ok, msg = pcall(co)
assert(not ok and string.find(msg, "attempt to yield across a C-call boundary", 1, true), msg)

-- coroutine.close: suspended or dead coroutines
co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
assert(coroutine.close(co) == true and coroutine.status(co) == "dead")
assert(coroutine.close(coroutine.create(print)) == true)
local bad = coroutine.create(function() error("x", 0) end)
coroutine.resume(bad)
local cok, cerr = coroutine.close(bad)
assert(cok == false and cerr == "x")
-- close runs pending to-be-closed variables, an error there is returned
co = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() error("cl", 0) end})
  coroutine.yield()
end)
coroutine.resume(co)
cok, cerr = coroutine.close(co)
assert(cok == false and cerr == "cl")
-- cannot close a running coroutine
ok, msg = pcall(coroutine.close, coroutine.running())
assert(not ok and string.find(msg, "cannot close a running coroutine", 1, true), msg)

-- wrap inside wrap (nested generators)
local function nums(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local function evens(n)
  return coroutine.wrap(function() for x in nums(n) do if x % 2 == 0 then coroutine.yield(x) end end end)
end
local ev = {}
for x in evens(10) do ev[#ev + 1] = x end
assert(table.concat(ev, ",") == "2,4,6,8,10")

-- a coroutine keeps its own stack of locals across yields
local deep = coroutine.wrap(function()
  local function rec(n)
    if n == 0 then coroutine.yield("bottom") return 0 end
    local here = n
    return rec(n - 1) + here
  end
  return rec(100)
end)
assert(deep() == "bottom" and deep() == 5050)
