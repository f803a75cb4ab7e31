-- Recursion that passes through native code (callbacks, metamethods, coroutines,
-- the compiler) must end in a "C stack overflow" error, never a crash.

local function overflows(f, ...)
  local ok, msg = pcall(f, ...)
  assert(not ok, "expected an overflow error")
  assert(type(msg) == "string" and string.find(msg, "stack overflow", 1, true), tostring(msg))
  return msg
end

-- Lua -> string.gsub -> Lua -> ...
local function g(n)
  if n == 0 then return "" end
  return (string.gsub("x", "x", function() return g(n - 1) end)) .. "y"
end
assert(#g(100) == 100)
local m = overflows(g, 100000)
assert(string.find(m, "C stack overflow", 1, true), m)

-- __index function that indexes the same table
local t = setmetatable({}, {__index = function(tab, k) return tab[k] end})
m = overflows(function() return t.x end)
assert(string.find(m, "C stack overflow", 1, true), m)

-- __tostring that calls tostring on a new object
local mt = {}
mt.__tostring = function() return tostring(setmetatable({}, mt)) end
m = overflows(tostring, setmetatable({}, mt))
assert(string.find(m, "C stack overflow", 1, true), m)

-- table.sort comparator that sorts again
local function sorter(n)
  if n == 0 then return end
  table.sort({2, 1}, function(a, b) sorter(n - 1); return a < b end)
end
sorter(50)
overflows(sorter, 100000)

-- coroutines resuming coroutines
local function nest(n)
  if n == 0 then return 0 end
  local c = coroutine.wrap(function() return nest(n - 1) + 1 end)
  return c()
end
assert(nest(50) == 50)
m = overflows(nest, 100000)
assert(string.find(m, "C stack overflow", 1, true), m)

-- __call chains through pcall
local callee = setmetatable({}, {})
getmetatable(callee).__call = function(self) return select(2, pcall(self)) end
local ok, r = pcall(callee)
assert(ok == true and r == "C stack overflow", r)   -- the innermost pcall caught it

-- load of a deeply nested chunk reports the overflow as load's message
local f, lm = load(string.rep("a = function() ", 10000))
assert(f == nil and string.find(lm, "C stack overflow", 1, true), lm)

-- the interpreter still works afterwards, with the same depth as before
assert(#g(100) == 100 and nest(50) == 50)
local depth = 0
local function count() depth = depth + 1; return count() + 1 end
overflows(count)
assert(depth > 1000)
