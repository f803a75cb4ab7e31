-- __concat metamethods may yield inside coroutines; the concatenation goes
-- on from the right after each resume, with strings and numbers joined
-- directly between metamethod calls.

local mt = {}
local function box(v) return setmetatable({v = v}, mt) end
local function val(x) return type(x) == "table" and x.v or x end
mt.__concat = function(a, b)
  coroutine.yield("concat")
  return val(a) .. val(b)
end

local function run(f)
  local co = coroutine.wrap(f)
  local yields = 0
  while true do
    local r = co()
    if r ~= "concat" then return r, yields end
    yields = yields + 1
  end
end

local a, b, c = box(10), box(12), box("hello")
local r, n = run(function() return a .. b end)
assert(r == "1012" and n == 1, tostring(r))

r, n = run(function() return a .. b .. c .. a end)
assert(r == "1012hello10" and n == 3, tostring(r))

r, n = run(function() return "a" .. "b" .. a .. "c" .. c .. b .. "x" end)
assert(r == "ab10chello12x" and n == 3, tostring(r))

-- numbers are formatted as tostring does
r = run(function() return 1 .. a .. 2.5 end)
assert(r == "1102.5", r)

-- outside a coroutine the same metamethod cannot yield
local ok, err = pcall(function() return a .. b end)
assert(not ok and string.find(err, "yield", 1, true), err)

-- concatenating a value without __concat names it
ok, err = pcall(function() local t = {} return "x" .. t end)
assert(not ok and string.find(err, "attempt to concatenate a table value (local 't')", 1, true), err)
