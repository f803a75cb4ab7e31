-- Multiple results and their adjustment (manual 3.4.12).

local function none() end
local function one() return 1 end
local function three() return 1, 2, 3 end
local function count(...) return select("#", ...) end

-- a call as the last expression expands; elsewhere it gives one value
assert(count(three()) == 3)
assert(count(three(), 10) == 2)
assert(count(10, three()) == 4)
assert(count(none()) == 0)
assert(count(none(), 1) == 2)          -- none() adjusted to nil
assert(count((three())) == 1)

-- assignment lists
local a, b, c, d = three()
assert(a == 1 and b == 2 and c == 3 and d == nil)
local e, f, g = three(), 10
assert(e == 1 and f == 10 and g == nil)
local h, i = none()
assert(h == nil and i == nil)
local x, y, z = 0, three()
assert(x == 0 and y == 1 and z == 2)

-- table constructors
local t = {three()}
assert(#t == 3)
t = {three(), three()}
assert(#t == 4 and t[1] == 1 and t[2] == 1 and t[4] == 3)
t = {three(), nil}
assert(t[1] == 1 and t[2] == nil)
t = {(three())}
assert(#t == 1)
t = {none()}
assert(next(t) == nil)
t = {x = three()}
assert(t.x == 1)

-- return lists
local function ret_all() return three() end
local function ret_paren() return (three()) end
local function ret_mix() return 0, three() end
assert(count(ret_all()) == 3)
assert(count(ret_paren()) == 1)
assert(count(ret_mix()) == 4)

-- method calls and string calls expand too
local obj = {m = function(self, ...) return self, ... end}
assert(count(obj:m(1, 2)) == 3)
local function s(str) return str, #str end
assert(count(s "abc") == 2)
assert(count(s [[long]]) == 2)
local function tc(tab) return tab, 1, 2 end
assert(count(tc {}) == 3)

-- arithmetic / concat / comparisons use only the first value
assert(three() + 10 == 11)
assert(three() .. "" == "1")
assert(-three() == -1)
assert((three()) == 1)
assert(not none() == true)              -- nil

-- string.byte returning many values
assert(count(string.byte("hello", 1, -1)) == 5)
assert(select(3, string.byte("hello", 1, -1)) == 108)

-- pcall returns status + all results
assert(count(pcall(three)) == 4)
assert(count(pcall(none)) == 1)

-- many return values
local function many(n)
  if n == 0 then return end
  return n, many(n - 1)
end
assert(count(many(100)) == 100)
assert(select(100, many(100)) == 1)

-- coroutine boundaries keep all values
local co = coroutine.wrap(function(...)
  local got = table.pack(coroutine.yield(...))
  return got.n, table.unpack(got, 1, got.n)
end)
assert(count(co(1, 2, 3)) == 3)
assert(count(co(nil, nil)) == 3)

-- adjustment in a generic for's explist: only three values are used (four with a closing value)
local iter_calls = 0
local function gen() return function(_, k) iter_calls = iter_calls + 1; if k < 2 then return k + 1 end end, "state", 0, nil, "extra" end
for _ in gen() do end
assert(iter_calls == 3)
