-- Runtime error messages name the variable involved (manual 4.7, ldebug rules).

local function msg_of(f, ...)
  local ok, e = pcall(f, ...)
  assert(not ok, "expected an error")
  return e
end
local function expect(f, text)
  local e = msg_of(f)
  assert(type(e) == "string", "error is not a string")
  assert(string.find(e, text, 1, true), "got: " .. e .. " | wanted: " .. text)
  -- every runtime error carries the position of this file
  assert(string.find(e, "error_messages.lua:%d+: "), e)
end

-- indexing
expect(function() local t; return t.x end, "attempt to index a nil value (local 't')")
expect(function() return undefinedglobal.x end, "attempt to index a nil value (global 'undefinedglobal')")
expect(function() local t = {} return t.y.z end, "attempt to index a nil value (field 'y')")
local up
expect(function() return up.k end, "attempt to index a nil value (upvalue 'up')")
expect(function() x_undefined.y = 1 end, "attempt to index a nil value (global 'x_undefined')")
expect(function() local t = {} t.x.y = 1 end, "attempt to index a nil value (field 'x')")
expect(function(...) local a = ... return a.x end, "attempt to index a nil value (local 'a')")
expect(function() local t = {} return t[1][2] end, "attempt to index a nil value (field 'integer index')")
expect(function() local t, k = {}, "key" return t[k].z end, "attempt to index a nil value (field '?')")
expect(function() local b = true return b.x end, "attempt to index a boolean value (local 'b')")
expect(function() local n = 1 n.x = 2 end, "attempt to index a number value (local 'n')")

-- calling
expect(function() local t = {} t:foo() end, "attempt to call a nil value (method 'foo')")
expect(function() nofunc() end, "attempt to call a nil value (global 'nofunc')")
expect(function() local t = {} t.f() end, "attempt to call a nil value (field 'f')")
expect(function() return math.foo() end, "attempt to call a nil value (field 'foo')")
expect(function() up() end, "attempt to call a nil value (upvalue 'up')")
expect(function() local s = "str" s() end, "attempt to call a string value (local 's')")
expect(function() ("x")() end, "attempt to call a string value")
expect(function() local t = {} t.a.b() end, "attempt to index a nil value (field 'a')")

-- arithmetic
expect(function() local t = {} return t.x + 1 end, "attempt to perform arithmetic on a nil value (field 'x')")
expect(function() local b = true return -b end, "attempt to perform arithmetic on a boolean value (local 'b')")
expect(function() return -{} end, "attempt to perform arithmetic on a table value")
expect(function() return up * 2 end, "attempt to perform arithmetic on a nil value (upvalue 'up')")
expect(function() return glob_nil ^ 2 end, "attempt to perform arithmetic on a nil value (global 'glob_nil')")
expect(function() local s = "x" return s + 1 end, "attempt to add a 'string' with a 'number'")

-- concatenation and length
expect(function() local a = {} return a .. "x" end, "attempt to concatenate a table value (local 'a')")
expect(function() local t = {} return "x" .. t.name end, "attempt to concatenate a nil value (field 'name')")
expect(function() local t = {} return #t.x end, "attempt to get length of a nil value (field 'x')")
expect(function() return #up end, "attempt to get length of a nil value (upvalue 'up')")

-- comparison
expect(function() local a; return a < 1 end, "attempt to compare nil with number")
expect(function() return 1 < nil end, "attempt to compare number with nil")
expect(function() return {} <= 1 end, "attempt to compare table with number")
expect(function() return "a" < 1 end, "attempt to compare string with number")

-- integer conversions
expect(function() return 1.5 | 0 end, "number has no integer representation")
expect(function() return 2^63 | 0 end, "number has no integer representation")
expect(function() local f = 0.5 return f & 1 end, "number (local 'f') has no integer representation")

-- bitwise on wrong types
expect(function() local t = {} return t.x | 1 end, "attempt to perform bitwise operation on a nil value (field 'x')")

-- for loop errors
expect(function() for i = 1, "x" do end end, "bad 'for' limit (number expected, got string)")
expect(function() for i = 1, 10, 0 do end end, "'for' step is zero")

-- errors from library functions carry the function name
expect(function() return ("x"):rep(1, 2, 3) .. string.rep() end, "bad argument #1 to 'rep' (string expected, got no value)")
expect(function() return string.sub() end, "bad argument #1 to 'sub' (string expected, got no value)")
expect(function() return math.floor("a") end, "bad argument #1 to 'floor' (number expected, got string)")
expect(function() return ("abc"):sub({}) end, "bad argument #1 to 'sub' (number expected, got table)")
expect(function() return setmetatable(1) end, "bad argument #1 to 'setmetatable' (table expected, got number)")
expect(function() return ipairs() end, "bad argument #1 to 'ipairs' (value expected)")
expect(function() return tostring() end, "bad argument #1 to 'tostring' (value expected)")
expect(function() return string.char(256) end, "bad argument #1 to 'char' (value out of range)")
expect(function() return table.concat({{}}) end, "invalid value (table) at index 1 in table for 'concat'")
expect(function() return table.insert({}, 1, 2, 3) end, "wrong number of arguments to 'insert'")
