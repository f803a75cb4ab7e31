-- Vararg-heavy code: select('#'), select(i, ...), table.pack/unpack, forwarding
-- varargs through several calls, multiple returns.
local R = tonumber(arg and arg[1]) or 600000
local unpack = table.unpack or unpack
local pack = table.pack or function(...) return {n = select("#", ...), ...} end

local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end

local function forward(...) return sum(...) end
local function twice(...) return forward(...), select("#", ...) end
local function first_rest(a, ...) return a, ... end

local function packsum(...)
  local t = pack(...)
  local s = 0
  for i = 1, t.n do s = s + t[i] end
  return s, unpack(t, 1, t.n)
end

local check = 0
for i = 1, R do
  local a, n = twice(i, 1, 2, 3, 4)
  local s = packsum(first_rest(i, 5, 6, 7))
  local x, y, z = first_rest(i, i + 1, i + 2)
  check = (check + a + n + s + x + y + z + sum()) % 1000000007
end
print(check)
