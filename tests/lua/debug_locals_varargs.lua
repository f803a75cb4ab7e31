-- debug.getlocal / debug.setlocal: named locals in scope order, parameter
-- names of a function value, varargs through negative indices "(vararg)",
-- unnamed stack slots "(temporary)" and "(C temporary)", the control
-- variables of loops "(for state)", and coroutines; as in Lua 5.4.

local function locals(level)
  local t = {}
  local i = 1
  while true do
    local n, v = debug.getlocal(level + 1, i)
    if not n then break end
    t[#t + 1] = n .. "=" .. tostring(v)
    i = i + 1
  end
  return table.concat(t, " ")
end

-- named locals in order; inner blocks' locals come and go; the slots past
-- them are temporaries
local function named(level)
  local t = {}
  for i = 1, math.huge do
    local n, v = debug.getlocal(level + 1, i)
    if not n or not n:find("^[%a_][%w_]*$") then break end
    t[#t + 1] = n .. "=" .. tostring(v)
  end
  return table.concat(t, " ")
end
do
  local snaps = {}
  local function f(a, b)
    local c = a + b
    snaps[1] = named(1)
    do
      local d = c * 2
      snaps[2] = named(1)
    end
    snaps[3] = named(1)
  end
  f(1, 2)
  assert(snaps[1] == "a=1 b=2 c=3", snaps[1])
  assert(snaps[2] == "a=1 b=2 c=3 d=6", snaps[2])
  assert(snaps[3] == "a=1 b=2 c=3", snaps[3])
end

-- parameter names of a function value (only parameters)
do
  local function g(x, y, ...) local z end
  assert(debug.getlocal(g, 1) == "x" and debug.getlocal(g, 2) == "y")
  assert(debug.getlocal(g, 3) == nil and debug.getlocal(g, 0) == nil)
  assert(debug.getlocal(print, 1) == nil)
end

-- varargs: negative indices
do
  local function v(a, ...)
    local r = {}
    for i = 1, select("#", ...) + 1 do
      local n, val = debug.getlocal(1, -i)
      r[#r + 1] = tostring(n) .. "=" .. tostring(val)
    end
    assert(debug.setlocal(1, -2, "changed") == "(vararg)")
    local _, second = ...
    return table.concat(r, " "), second
  end
  local s, second = v(0, "x", nil, 3)
  assert(s == "(vararg)=x (vararg)=nil (vararg)=3 nil=nil", s)
  assert(second == "changed")
  local function nv(a) return debug.getlocal(1, -1) end
  assert(nv(1) == nil)
end

-- temporaries: slots past the named locals
do
  local function f()
    -- level 3 is g, in the middle of evaluating (a+1) + h()
    local n3, v3 = debug.getlocal(3, 3)
    local n4 = debug.getlocal(3, 4)
    assert(debug.setlocal(3, 3, 10) == "(temporary)")
    return n3 .. "=" .. tostring(v3) .. " " .. tostring(n4)
  end
  local desc
  local function h() desc = f() return 20 end
  local function g(a, b) return (a + 1) + h() end
  assert(g(0, 0) == 30)
  assert(desc == "(temporary)=1 nil", desc)
end

-- C temporaries: the arguments of a running C function
do
  local n1, v1 = debug.getlocal(0, 1)
  local n2, v2 = debug.getlocal(0, 2)
  assert(n1 == "(C temporary)" and v1 == 0 and n2 == "(C temporary)" and v2 == 2)
  assert(debug.getlocal(0, 3) == nil)
end

-- loop control variables
do
  local names
  for i = 1, 1 do names = locals(1) end
  assert(names:find("names=nil (for state)=1 (for state)=0 (for state)=1 i=1", 1, true), names)
  for k in pairs({true}) do names = locals(1) end
  assert(names:find("(for state)", 1, true) and names:find("k=1", 1, true), names)
end

-- a local function is visible only after its definition is complete
do
  local seen = {}
  local code = assert(load([[
    local A = function ()
      return x
    end
    return
  ]], "=lf"))
  debug.sethook(function(e, l)
    if l == 1 or l == 3 or l == 4 then
      seen[#seen + 1] = l .. ":" .. tostring(debug.getlocal(2, 1))
    end
  end, "l")
  code()
  debug.sethook()
  assert(table.concat(seen, " ") == "3:(temporary) 4:A", table.concat(seen, " "))
end

-- levels out of range are errors; a missing local is nil
assert(not pcall(debug.getlocal, 50, 1))
assert(not pcall(debug.setlocal, 50, 1, 1))
assert(debug.getlocal(1, 200) == nil)

-- coroutines
do
  local co = coroutine.create(function(p, ...)
    local q = p * 2
    coroutine.yield()
    return p, q, ...
  end)
  coroutine.resume(co, 5, "va")
  assert(debug.getlocal(co, 1, 1) == "p" and select(2, debug.getlocal(co, 1, 2)) == 10)
  assert(debug.getlocal(co, 1, -1) == "(vararg)")
  assert(debug.setlocal(co, 1, 2, 99) == "q")
  local _, p, q, va = coroutine.resume(co)
  assert(p == 5 and q == 99 and va == "va")
end

print("OK")
