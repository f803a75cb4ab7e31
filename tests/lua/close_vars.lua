-- <close> variables (manual 3.3.8): closing order and every way to leave a block.

local log = {}
local function closer(name)
  return setmetatable({}, {__close = function(self, err)
    log[#log + 1] = name .. ":" .. tostring(err)
  end})
end
local function reset() local l = log; log = {}; return table.concat(l, " ") end

-- closed in reverse order at the end of the block
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  local c <close> = nil          -- nil and false are allowed and ignored
  local d <close> = false
end
assert(reset() == "b:nil a:nil")

-- on return, after the return values are computed
local function f()
  local x <close> = closer("x")
  log[#log + 1] = "body"
  return "result"
end
assert(f() == "result")
assert(reset() == "body x:nil")

-- on break and goto out of the block
for i = 1, 3 do
  local y <close> = closer("y" .. i)
  if i == 2 then break end
end
assert(reset() == "y1:nil y2:nil")
do
  local n = 0
  ::again::
  do
    local z <close> = closer("z" .. n)
    n = n + 1
    if n < 3 then goto again end
  end
end
assert(reset() == "z0:nil z1:nil z2:nil")

-- on error: __close receives the error object, the error propagates
local ok, err = pcall(function()
  local e1 <close> = closer("e1")
  local e2 <close> = closer("e2")
  error("boom", 0)
end)
assert(not ok and err == "boom")
assert(reset() == "e2:boom e1:boom")

-- an error inside __close replaces the original error; later closers see the new one
ok, err = pcall(function()
  local k1 <close> = closer("k1")
  local k2 <close> = setmetatable({}, {__close = function() error("in close", 0) end})
  local k3 <close> = closer("k3")
  error("original", 0)
end)
assert(not ok and err == "in close")
assert(reset() == "k3:original k1:in close")

-- an error in __close during a normal exit becomes the error
ok, err = pcall(function()
  local c1 <close> = closer("c1")
  local c2 <close> = setmetatable({}, {__close = function() error("late", 0) end})
  return 1
end)
assert(not ok and err == "late")
assert(reset() == "c1:late")

-- a value without __close is rejected when the variable is declared
ok, err = pcall(function() local bad <close> = {} end)
assert(not ok and string.find(err, "variable 'bad' got a non-closable value", 1, true), err)
ok, err = pcall(function() local bad2 <close> = 42 end)
assert(not ok and string.find(err, "variable 'bad2' got a non-closable value", 1, true), err)

-- the generic for closes its fourth value when the loop ends or breaks
local function iter_with_close(n)
  local i = 0
  return function() i = i + 1; if i <= n then return i end end, nil, nil, closer("for")
end
for _ in iter_with_close(2) do end
assert(reset() == "for:nil")
for i in iter_with_close(5) do if i == 2 then break end end
assert(reset() == "for:nil")
ok, err = pcall(function() for _ in iter_with_close(5) do error("inside", 0) end end)
assert(not ok and err == "inside" and reset() == "for:inside")

-- closing in coroutines: coroutine.close runs pending closers
local co = coroutine.create(function()
  local cc <close> = closer("co")
  coroutine.yield(1)
end)
assert(coroutine.resume(co))
assert(coroutine.close(co) == true)
assert(reset() == "co:nil" and coroutine.status(co) == "dead")

-- the value itself is passed as the first argument to __close
local seen
do
  local obj <close> = setmetatable({}, {__close = function(o) seen = o end})
  log.obj = obj
end
assert(seen == log.obj)
