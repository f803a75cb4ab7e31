-- a closure counter: upvalues shared by two closures
local function counter(start)
  local n = start
  local function inc(by) n = n + (by or 1); return n end
  local function get() return n end
  return inc, get
end
local inc, get = counter(10)
inc()
inc(5)
print(get(), inc())
