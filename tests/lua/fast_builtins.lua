-- Builtins lunette answers without a call in the common cases
-- (vm/fastcall.rs): results, subtypes and the cases handed to the real
-- builtin must be exactly Lua's.

local floor, ceil, abs, sqrt = math.floor, math.ceil, math.abs, math.sqrt
local max, min = math.max, math.min

local function same(a, b)
  return a == b and math.type(a) == math.type(b)
end

-- floor / ceil: integers stay, floats with an integer value become integers
assert(same(floor(3), 3) and same(floor(-3.5), -4) and same(floor(2.0), 2))
assert(same(ceil(3), 3) and same(ceil(-3.5), -3) and same(ceil(2.1), 3))
assert(same(floor(2^70), 2^70))            -- no integer value: stays a float
assert(floor(1/0) == 1/0 and floor(-1/0) == -1/0)
local nan = floor(0/0)
assert(nan ~= nan)
assert(same(floor("3.7"), 3))               -- a string: the builtin converts it
assert(not pcall(floor, {}))
assert(select("#", floor(1.5)) == 1)

-- abs, sqrt
assert(same(abs(-5), 5) and same(abs(-2.5), 2.5) and same(abs(math.mininteger), math.mininteger))
assert(same(sqrt(16), 4.0) and same(sqrt(2.25), 1.5))
assert(same(sqrt("4"), 2.0))

-- max / min keep the first of equal values and the argument's subtype
assert(same(max(1, 2), 2) and same(max(2.5, 1.5), 2.5) and same(min(3, -1), -1))
assert(same(max(1, 1.0), 1) and same(max(1.0, 1), 1.0))
assert(same(min(2, 2.0), 2))
assert(same(max(1, 5, 3), 5) and same(min(4, 2, 8, 1), 1))
local m = max(0/0, 1)
assert(m ~= m)
assert(max(1, 0/0) == 1 and min(1, 0/0) == 1)
local ok, err = pcall(max)
assert(not ok and err:find("value expected", 1, true))

-- string.byte and string.len
local s = "hello"
assert(s:byte() == 104 and s:byte(2) == 101 and s:byte(-1) == 111)
assert(select("#", s:byte(10)) == 0)         -- out of range: no results
assert(select("#", ("")["byte"]("")) == 0)
local a, b, c = s:byte(1, 3)
assert(a == 104 and b == 101 and c == 108)
assert(string.len(s) == 5 and #s == 5 and string.len("") == 0)
assert(string.byte("A", 1.0) == 65)           -- a float index: converted by the builtin

-- rawget, rawequal, rawlen ignore metamethods
local t = setmetatable({1, 2, x = 3}, {
  __index = function() return "meta" end,
  __len = function() return 99 end,
  __eq = function() return true end,
})
assert(rawget(t, "x") == 3 and rawget(t, "missing") == nil and t.missing == "meta")
assert(rawget(t, 1) == 1)
assert(rawlen(t) == 2 and #t == 99 and rawlen("abc") == 3)
local u = setmetatable({}, getmetatable(t))
assert(rawequal(t, t) and not rawequal(t, u) and t == u)
assert(rawequal(1, 1.0) and not rawequal("1", 1))
assert(not pcall(rawget, "str", 1))
assert(not pcall(rawlen, 5))

-- several results wanted: the rest are nil
local p, q = floor(2.5)
assert(p == 2 and q == nil)
local packed = table.pack(abs(-1), abs(-2))
assert(packed.n == 2 and packed[1] == 1 and packed[2] == 2)

-- select over varargs: one result kept, several, all
local function sel(...)
  local n = select("#", ...)
  local one = select(2, ...)
  local a, b = select(2, ...)
  local last = select(n, ...)
  local all = table.pack(select(2, ...))
  local neg = select(-1, ...)
  return n, one, a, b, last, all, neg
end
local n, one, a2, b2, last, all, neg = sel(10, 20, 30)
assert(n == 3 and one == 20 and a2 == 20 and b2 == 30 and last == 30 and neg == 30)
assert(all.n == 2 and all[1] == 20 and all[2] == 30)
assert(select("#") == 0 and select("#", nil, nil) == 2)
assert(select("#abc", 1, 2) == 2)
assert(select(2.0, "a", "b") == "b")
assert(select(5, 1, 2) == nil and table.pack(select(5, 1, 2)).n == 0)
local function count(...) return select("#", ...) end
assert(count(table.unpack({1, 2, 3, nil, 5}, 1, 5)) == 5)
local function second(...) return (select(2, ...)) end
assert(second(1) == nil and second(1, 2, 3) == 2)
local ok, msg = pcall(select, 0, 1)
assert(not ok and msg:find("index out of range"))
ok, msg = pcall(function(...) return select(0, ...) end, 1)
assert(not ok and msg:find("index out of range"))
ok, msg = pcall(function(...) return select("x", ...) end, 1)
assert(not ok and msg:find("number expected"))
ok = pcall(function(...) return select(-3, ...) end, 1)
assert(not ok)

-- a call hook sees the calls
local calls = 0
debug.sethook(function() calls = calls + 1 end, "c")
floor(1.5); abs(-1)
debug.sethook()
assert(calls >= 2)

-- the builtins can be replaced
local saved = math.floor
math.floor = function() return "mine" end
assert(math.floor(1.5) == "mine")
math.floor = saved

print("ok")
