-- Values being returned stay alive while the function's to-be-closed
-- variables are closed, even when a collection runs in a __close handler.
local function closer(f) return setmetatable({}, {__close = f}) end

local function many(...)
  local x <close> = closer(function()
    local junk = {}
    for i = 1, 100 do junk[i] = {i} end
    collectgarbage()
  end)
  return ...
end

local t = {many(10, "twenty", {30}, 40, 50, 60, 70, 80, 90, 100)}
assert(#t == 10, #t)
assert(t[1] == 10 and t[2] == "twenty" and t[3][1] == 30 and t[10] == 100)

-- results computed in the function (fresh tables only the stack holds)
local function fresh(n)
  local y <close> = closer(function() collectgarbage() end)
  local r = {}
  for i = 1, n do r[i] = {i} end
  return table.unpack(r)
end
local u = {fresh(20)}
assert(#u == 20)
for i = 1, 20 do assert(u[i][1] == i) end

-- two variables, the second handler collecting, the first checking
local function two(...)
  local a <close> = closer(function() collectgarbage() end)
  local b <close> = closer(function() collectgarbage() end)
  return ...
end
local s = table.pack(two(string.rep("x", 50), {1}, {2}, {3}))
assert(s.n == 4 and #s[1] == 50 and s[2][1] == 1 and s[4][1] == 3)

print("ok")
