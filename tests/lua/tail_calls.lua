-- Proper tail calls (manual 3.4.10): unbounded depth in constant stack.

-- a million-deep tail recursion must not overflow
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
assert(loop(1000000, 0) == 1000000)

-- mutual tail recursion
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
assert(is_even(1000001) == false and is_odd(1000001) == true)

-- tail calls through a method call
local obj = {n = 0}
function obj:step(k)
  if k == 0 then return self.n end
  self.n = self.n + 1
  return self:step(k - 1)
end
assert(obj:step(500000) == 500000)

-- tail call through varargs keeps all results
local function passthrough(n, ...)
  if n == 0 then return ... end
  return passthrough(n - 1, ...)
end
assert(select("#", passthrough(300000, 1, nil, 3)) == 3)
assert(select(3, passthrough(300000, 1, nil, 3)) == 3)

-- tail call to a native function
local function tail_native(s) return string.upper(s) end
assert(tail_native("abc") == "ABC")
local function tail_select(...) return select("#", ...) end
assert(tail_select(1, 2, 3) == 3)

-- tail call to a callable table (__call)
local callable = setmetatable({}, {__call = function(self, n, acc)
  if n == 0 then return acc end
  return self(n - 1, acc + 2)
end})
assert(callable(200000, 0) == 400000)

-- return (f(x)) is NOT a tail call, but still works for moderate depth
local function not_tail(n)
  if n == 0 then return 0 end
  return (not_tail(n - 1))
end
assert(not_tail(1000) == 0)

-- a tail call replaces the frame: the traceback does not grow
local function deep_tb(n)
  if n == 0 then return debug.traceback("tb", 1) end
  return deep_tb(n - 1)
end
local tb = deep_tb(100000)
local lines = 0
for _ in string.gmatch(tb, "\n") do lines = lines + 1 end
assert(lines < 30, "traceback has " .. lines .. " lines")
assert(string.find(tb, "(...tail calls...)", 1, true), tb)

-- tail call in a coroutine
local co = coroutine.wrap(function() return loop(300000, 5) end)
assert(co() == 300005)

-- errors raised after many tail calls are catchable
local function tail_error(n)
  if n == 0 then error("bottom", 0) end
  return tail_error(n - 1)
end
local ok, msg = pcall(tail_error, 100000)
assert(not ok and msg == "bottom")
