-- debug.sethook: call/return/line/count events, per-coroutine hooks, gethook.

local function record(mask, count, f)
  local t = {}
  debug.sethook(function(ev, line)
    t[#t + 1] = line and (ev .. ":" .. line) or ev
  end, mask, count)
  f()
  debug.sethook()
  return t
end

-- line events: one per new line, and again when a loop jumps back
local lines = record("l", 0, function()
  local s = 0
  for i = 1, 3 do
    s = s + i
  end
  return s
end)
local seen = {}
for _, e in ipairs(lines) do seen[e] = (seen[e] or 0) + 1 end
assert(seen["line:15"] == 1, "local s")
assert(seen["line:17"] == 3, "loop body runs three times")
assert(seen["line:19"] == 1, "return")

-- call and return events name the function at level 2
local names = {}
local function callee() return 1 end
debug.sethook(function(ev)
  local info = debug.getinfo(2, "n")
  names[#names + 1] = ev .. " " .. tostring(info and info.name)
end, "cr")
callee()
debug.sethook()
local joined = table.concat(names, ",")
assert(string.find(joined, "call callee", 1, true), joined)
assert(string.find(joined, "return callee", 1, true), joined)
assert(names[1] == "return sethook", names[1])

-- tail calls are reported as such
local evs = {}
local function last() return 2 end
local function first() return last() end
debug.sethook(function(ev) evs[#evs + 1] = ev end, "c")
first()
debug.sethook()
assert(table.concat(evs, " "):find("tail call", 1, true))

-- count events
local n = 0
debug.sethook(function(ev) assert(ev == "count"); n = n + 1 end, "", 10)
for _ = 1, 100 do local _ = {} end
debug.sethook()
assert(n >= 20, n)

-- gethook reports the hook, its mask and count
local function h() end
debug.sethook(h, "crl", 7)
local f, mask, count = debug.gethook()
debug.sethook()
assert(f == h and mask == "crl" and count == 7)
assert(debug.gethook() == nil)

-- a hook set on a coroutine only sees that coroutine
local co = coroutine.create(function()
  coroutine.yield(10)
  return 20
end)
local trace = {}
debug.sethook(co, function(ev) trace[#trace + 1] = ev end, "cr")
repeat until not coroutine.resume(co)
assert(table.concat(trace, " ") == "call call return return", table.concat(trace, " "))
assert(debug.gethook() == nil)
