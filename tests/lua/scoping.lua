-- Locals, blocks, shadowing and globals.

x_global = 1
local x_global = 2
assert(x_global == 2 and _G.x_global == 1 and _ENV.x_global == 1)

-- shadowing in nested blocks
local a = 1
do
  local a = a + 1           -- the new local is not visible in its own initializer
  assert(a == 2)
  do
    local a = a * 10
    assert(a == 20)
  end
  assert(a == 2)
end
assert(a == 1)

-- redeclaring a local in the same block creates a new variable
local b = 1
local f1 = function() return b end
local b = 2
assert(f1() == 1 and b == 2)

-- multiple assignment evaluates all expressions before assigning
local p, q = 1, 2
p, q = q, p
assert(p == 2 and q == 1)
local t = {1, 2}
local i = 1
i, t[i] = i + 1, 20          -- t[i] uses i before the assignment
assert(i == 2 and t[1] == 20 and t[2] == 2)

-- extra values are dropped, missing values are nil
local c, d, e = 1, 2
assert(c == 1 and d == 2 and e == nil)
local g = 1, 2, 3
assert(g == 1)

-- local function can recurse; local f = function cannot see itself
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
assert(fact(5) == 120)
local selfref = function() return selfref end
assert(selfref() == nil)     -- refers to the global selfref (nil)

-- locals in a loop body are fresh each iteration
local fs = {}
for k = 1, 3 do
  local v = k * 2
  fs[k] = function() return v end
end
assert(fs[1]() == 2 and fs[3]() == 6)

-- a global function statement assigns to a global (or the visible local)
function gfun() return "g" end
assert(_G.gfun() == "g")
local lfun
function lfun() return "l" end
assert(lfun() == "l" and _G.lfun == nil)

-- _ENV can be replaced lexically
do
  local _ENV = {assert = assert, y = 5}
  assert(y == 5)
  z = 7
  assert(_ENV.z == 7)
end
assert(z == nil)
local function with_env()
  local _ENV <const> = setmetatable({}, {__index = _G})
  newglobal = 42
  return newglobal, _G.newglobal
end
local v1, v2 = with_env()
assert(v1 == 42 and v2 == nil)

-- many locals in one function (limit is 200)
local src = {"local v1"}
for n = 2, 199 do src[#src + 1] = "local v" .. n .. " = " .. n end
src[#src + 1] = "return v199 + v2"
assert(load(table.concat(src, "\n"))() == 201)
local too_many = {}
for n = 1, 201 do too_many[#too_many + 1] = "local w" .. n end
local fn, msg = load(table.concat(too_many, "\n"))
assert(fn == nil and string.find(msg, "too many local variables", 1, true), msg)

-- attribs other than const/close are rejected
fn, msg = load("local x <foo> = 1")
assert(fn == nil and string.find(msg, "unknown attribute 'foo'", 1, true), msg)
