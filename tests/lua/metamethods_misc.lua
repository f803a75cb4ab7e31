-- __call, __len, __concat, __tostring, __name, __metatable, __pairs, __close, __unm.

-- __call receives the object first, then the call arguments
local C = setmetatable({tag = "C"}, {__call = function(self, a, b, ...)
  return self.tag, a, b, select("#", ...)
end})
local tag, a, b, extra = C(1, 2, 3, 4)
assert(tag == "C" and a == 1 and b == 2 and extra == 2)
-- method-call syntax and pcall on a callable table
local holder = {c = C}
assert(holder.c("x") == "C")
assert(select(2, pcall(C, "p")) == "C")
-- nested __call: a __call that is itself a callable table
local inner = setmetatable({}, {__call = function(self, o, x) return "inner", x, self, o end})
local outer = setmetatable({}, {__call = inner})
local r1, r2, r3, r4 = outer(42)
assert(r1 == "inner" and r2 == 42 and r3 == inner and r4 == outer)
-- calling a table without __call is an error with the variable name
local ok, msg = pcall(function() local t = {} t() end)
assert(not ok and string.find(msg, "attempt to call a table value (local 't')", 1, true), msg)

-- __len
local L = setmetatable({1, 2, 3}, {__len = function(t) return 42 end})
assert(#L == 42 and rawlen(L) == 3)
local Ls = setmetatable({}, {__len = function() return "not a number" end})
assert(#Ls == "not a number")
-- # on a string ignores metatables; # on a number is an error
assert(#"abcd" == 4)
ok, msg = pcall(function() local n = 1 return #n end)
assert(not ok and string.find(msg, "attempt to get length of a number value (local 'n')", 1, true), msg)

-- __tostring and __name
local T = setmetatable({}, {__tostring = function() return "I am T" end})
assert(tostring(T) == "I am T")
-- a number result is accepted (it is convertible to a string), a table is not
assert(tostring(setmetatable({}, {__tostring = function() return 42 end})) == "42")
local bad = setmetatable({}, {__tostring = function() return {} end})
ok, msg = pcall(tostring, bad)
assert(not ok and string.find(msg, "'__tostring' must return a string", 1, true), msg)
local named = setmetatable({}, {__name = "MyType"})
assert(string.find(tostring(named), "^MyType: "))
local badname = setmetatable({}, {__name = 42})
assert(string.find(tostring(badname), "^table: "))
-- print uses __tostring
local old_print_target = T
assert(string.format("%s", old_print_target) == "I am T")

-- __metatable protects the metatable
local prot = setmetatable({}, {__metatable = "locked"})
assert(getmetatable(prot) == "locked")
ok, msg = pcall(setmetatable, prot, {})
assert(not ok and string.find(msg, "cannot change a protected metatable", 1, true), msg)
local prot2 = setmetatable({}, {__metatable = false})
assert(getmetatable(prot2) == false)
-- the string metatable is protected? no, but getmetatable("").__index is string
assert(getmetatable("").__index == string)

-- setmetatable argument checks
ok, msg = pcall(setmetatable, 1, {})
assert(not ok and string.find(msg, "bad argument #1 to 'setmetatable' (table expected, got number)", 1, true), msg)
ok, msg = pcall(setmetatable, {}, 1)
assert(not ok and string.find(msg, "bad argument #2 to 'setmetatable' (nil or table expected, got number)", 1, true), msg)
local t0 = setmetatable({}, {})
assert(setmetatable(t0, nil) == t0 and getmetatable(t0) == nil)

-- __pairs
local P = setmetatable({}, {__pairs = function(t)
  local i = 0
  return function() i = i + 1; if i <= 2 then return i, i * 10 end end, t, nil
end})
local sum = 0
for k, v in pairs(P) do sum = sum + k + v end
assert(sum == 33)
-- next ignores __pairs
assert(next(P) == nil)

-- __unm and __bnot
local U = setmetatable({}, {__unm = function() return "minus" end, __bnot = function() return "not" end})
assert(-U == "minus" and ~U == "not")

-- __concat is consulted when either operand is not a string/number
local Cat = setmetatable({}, {__concat = function(x, y)
  return (type(x) == "string" and x or "T") .. (type(y) == "string" and y or "T")
end})
assert(Cat .. "s" == "Ts" and "s" .. Cat == "sT")

-- __index on the metatable itself is not used for metamethod lookup
local mmt = setmetatable({}, {__index = function() return function() return "x" end end})
local o = setmetatable({}, mmt)
ok = pcall(function() return o() end)
assert(not ok)

-- __gc field is accepted (no collection guaranteed), __mode accepted
setmetatable({}, {__gc = function() end})
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = 1
assert(getmetatable(weak).__mode == "k")
