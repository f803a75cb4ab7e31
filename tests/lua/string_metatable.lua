-- The string metatable: methods via __index, and string arithmetic via its metamethods.

local mt = getmetatable("")
assert(type(mt) == "table" and mt.__index == string)
assert(getmetatable("abc") == mt and getmetatable("") == getmetatable("x"))

-- the metatable holds the arithmetic metamethods that convert strings (Lua 5.4)
for _, ev in ipairs({"__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm", "__idiv"}) do
  assert(type(mt[ev]) == "function", ev)
end
-- but no bitwise ones
assert(mt.__band == nil and mt.__bor == nil and mt.__shl == nil and mt.__bnot == nil)

-- string arithmetic keeps integer/float distinctions
assert("10" + 1 == 11 and math.type("10" + 1) == "integer")
assert(-"2" == -2 and math.type(-"2") == "integer")
assert("0x10" * 1 == 16)
assert("1e1" // 1 == 10.0 and math.type("1e1" // 1) == "float")
assert("7" % "4" == 3)

-- errors raised inside the string metamethods have no source position
local ok, msg = pcall(function() local s = "10" return s // 0 end)
assert(not ok and msg == "attempt to divide by zero", msg)
ok, msg = pcall(function() local s = "10" return s % 0 end)
assert(not ok and msg == "attempt to perform 'n%0'", msg)

-- removing __add disables string coercion for +, and the VM's own message appears
local saved_add = mt.__add
mt.__add = nil
ok, msg = pcall(function() return "10" + 1 end)
assert(not ok and string.find(msg, "attempt to perform arithmetic on a string value (constant '10')", 1, true), msg)
ok, msg = pcall(function() local s = "5" return 1 + s end)
assert(not ok and string.find(msg, "attempt to perform arithmetic on a string value (local 's')", 1, true), msg)
assert("10" - 1 == 9)               -- other operators still work
mt.__add = saved_add
assert("10" + 1 == 11)

-- a custom __add on the string metatable is used for strings
mt.__add = function(a, b) return "added" end
assert("x" + "y" == "added" and "1" + 2 == "added")
assert(1 + 2 == 3)                  -- numbers never consult the metatable
mt.__add = saved_add

-- methods added to the string table are visible on every string
function string.shout(s) return s:upper() .. "!" end
assert(("hey"):shout() == "HEY!")
string.shout = nil
ok = pcall(function() return ("x"):shout() end)
assert(not ok)

-- replacing __index with a function
local saved_index = mt.__index
mt.__index = function(s, k)
  if type(k) == "number" then return string.sub(s, k, k) end
  return string[k]
end
assert(("hello")[2] == "e" and ("abc"):upper() == "ABC")
mt.__index = saved_index
assert(("hello")[2] == nil)

-- comparison and concatenation never use these metamethods
ok, msg = pcall(function() return "10" < 2 end)
assert(not ok and string.find(msg, "attempt to compare string with number", 1, true), msg)
assert("1" .. 2 == "12")

-- numbers have no metatable by default; setting one needs the debug library
assert(getmetatable(1) == nil)
