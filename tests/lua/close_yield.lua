-- __close methods may yield: on block exit, on return (with values kept),
-- and while pcall unwinds after an error (the error reaches pcall intact).

local function closer(name, trace)
  return setmetatable({}, {__close = function(_, err)
    trace[#trace + 1] = name .. ":" .. tostring(err)
    coroutine.yield(name)
    trace[#trace + 1] = name .. " done"
  end})
end

-- block exit
local trace = {}
local co = coroutine.wrap(function()
  do
    local a <close> = closer("a", trace)
    local b <close> = closer("b", trace)
  end
  return "end"
end)
assert(co() == "b")          -- closed in reverse order
assert(co() == "a")
assert(co() == "end")
assert(table.concat(trace, ",") == "b:nil,b done,a:nil,a done", table.concat(trace, ","))

-- return values survive the yields of the closing methods
trace = {}
co = coroutine.wrap(function()
  local function f()
    local x <close> = closer("x", trace)
    return 1, 2, 3
  end
  return f()
end)
assert(co() == "x")
local r = table.pack(co())
assert(r.n == 3 and r[1] == 1 and r[2] == 2 and r[3] == 3)

-- open results (return of a call) survive too
co = coroutine.wrap(function()
  local x <close> = closer("open", {})
  return table.unpack({10, 20, 30, 40})
end)
assert(co() == "open")
r = table.pack(co())
assert(r.n == 4 and r[4] == 40)

-- a native closing method: coroutine.yield itself
co = coroutine.wrap(function()
  local y <close> = setmetatable({}, {__close = coroutine.yield})
  return "after"
end)
local v = co()
assert(getmetatable(v) ~= nil)   -- yield received the closed value
assert(co() == "after")

-- an error: pcall unwinds, closing methods yield, the error comes out of pcall
trace = {}
co = coroutine.wrap(function()
  local ok, err = pcall(function()
    local a <close> = closer("a", trace)
    local b <close> = closer("b", trace)
    error("boom", 0)
  end)
  return ok, err
end)
assert(co() == "b")
assert(co() == "a")
local ok, err = co()
assert(ok == false and err == "boom", tostring(err))
assert(trace[1] == "b:boom" and trace[3] == "a:boom", table.concat(trace, ","))

-- an error raised by a closing method replaces the original one
co = coroutine.wrap(function()
  return pcall(function()
    local a <close> = setmetatable({}, {__close = function(_, e)
      coroutine.yield("a saw " .. tostring(e))
    end})
    local b <close> = setmetatable({}, {__close = function()
      coroutine.yield("b")
      error("from b", 0)
    end})
    error("first", 0)
  end)
end)
assert(co() == "b")
assert(co() == "a saw from b")
local ok2, err2 = co()
assert(ok2 == false and err2 == "from b")
