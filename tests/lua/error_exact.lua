-- Runtime error messages, compared in full (position, wording, variable
-- kind) with what Lua 5.4 produces: variable kinds local / global / field /
-- upvalue / method / constant / for iterator, argument errors of library
-- functions called as functions and as methods (the argument number shifts
-- and 'calling ... on bad self'), errors inside metamethods and coroutines,
-- error levels, and error values that are not strings.
--
-- Each case is one chunk named "=e"; the expected text is its pcall result.

local cases = {
  {"local t; return t.x", false, "string", "e:1: attempt to index a nil value (local 't')"},
  {"return nog.x", false, "string", "e:1: attempt to index a nil value (global 'nog')"},
  {"local up; return (function() return up.x end)()", false, "string", "e:1: attempt to index a nil value (upvalue 'up')"},
  {"local t = {} return t.a.b", false, "string", "e:1: attempt to index a nil value (field 'a')"},
  {"local t = {} t:nom()", false, "string", "e:1: attempt to call a nil value (method 'nom')"},
  {"local s = \"x\" s:nom()", false, "string", "e:1: attempt to call a nil value (method 'nom')"},
  {"(\"x\"):nom()", false, "string", "e:1: attempt to call a nil value (method 'nom')"},
  {"return (\"abc\").x.y", false, "string", "e:1: attempt to index a nil value (field 'x')"},
  {"local t = {} return t[1].x", false, "string", "e:1: attempt to index a nil value (field 'integer index')"},
  {"local t, k = {}, \"key\" return t[k].z", false, "string", "e:1: attempt to index a nil value (field '?')"},
  {"local a <const> = \"c\"; return a.x.y", false, "string", "e:1: attempt to index a nil value (field 'x')"},
  {"return 1 + {}", false, "string", "e:1: attempt to perform arithmetic on a table value"},
  {"local a = \"x\" return a + 1", false, "string", "e:1: attempt to add a 'string' with a 'number'"},
  {"local a = {} return -a", false, "string", "e:1: attempt to perform arithmetic on a table value (local 'a')"},
  {"return #nil", false, "string", "e:1: attempt to get length of a nil value"},
  {"local n = 5 return #n", false, "string", "e:1: attempt to get length of a number value (local 'n')"},
  {"return {} < {}", false, "string", "e:1: attempt to compare two table values"},
  {"return {} < 1", false, "string", "e:1: attempt to compare table with number"},
  {"return 1 < \"x\"", false, "string", "e:1: attempt to compare number with string"},
  {"return \"x\" <= 1", false, "string", "e:1: attempt to compare string with number"},
  {"return {} .. \"x\"", false, "string", "e:1: attempt to concatenate a table value"},
  {"local x = {} return \"a\" .. x", false, "string", "e:1: attempt to concatenate a table value (local 'x')"},
  {"local t = {} return \"a\" .. t.field .. \"b\"", false, "string", "e:1: attempt to concatenate a nil value (field 'field')"},
  {"return 1 & 1.5", false, "string", "e:1: number has no integer representation"},
  {"return \"a\" | 1", false, "string", "e:1: attempt to perform bitwise operation on a string value (constant 'a')"},
  {"local t = {} return t.x | 1", false, "string", "e:1: attempt to perform bitwise operation on a nil value (field 'x')"},
  {"return 1 // 0", false, "string", "e:1: attempt to divide by zero"},
  {"return 1 % 0", false, "string", "e:1: attempt to perform 'n%0'"},
  {"for i = 1, \"x\" do end", false, "string", "e:1: bad 'for' limit (number expected, got string)"},
  {"for i = 1, 10, 0 do end", false, "string", "e:1: 'for' step is zero"},
  {"for i = \"a\", 10 do end", false, "string", "e:1: bad 'for' initial value (number expected, got string)"},
  {"for i = 1.5, 10, {} do end", false, "string", "e:1: bad 'for' step (number expected, got table)"},
  {"for k in 5 do end", false, "string", "e:1: attempt to call a number value (for iterator 'for iterator')"},
  {"local f = 3; f()", false, "string", "e:1: attempt to call a number value (local 'f')"},
  {"nofunc()", false, "string", "e:1: attempt to call a nil value (global 'nofunc')"},
  {"local t = {} t.f()", false, "string", "e:1: attempt to call a nil value (field 'f')"},
  {"local t = {} t.a.f()", false, "string", "e:1: attempt to index a nil value (field 'a')"},
  {"local up; (function() up() end)()", false, "string", "e:1: attempt to call a nil value (upvalue 'up')"},
  {"local t = {} t:m()", false, "string", "e:1: attempt to call a nil value (method 'm')"},
  {"local t = setmetatable({}, {__newindex = \"oops\"}) t.x = 1", false, "string", "e:1: attempt to index a string value"},
  {"local t = setmetatable({}, {__call = 1}) t()", false, "string", "e:1: attempt to call a number value (local 't')"},
  {"local a = setmetatable({}, {__lt = function(a, b) return a.x.y end}) return a < a", false, "string", "e:1: attempt to index a nil value (field 'x')"},
  {"table.insert({}, 1, 2, 3)", false, "string", "e:1: wrong number of arguments to 'insert'"},
  {"table.insert({}, \"x\", 2)", false, "string", "e:1: bad argument #2 to 'insert' (number expected, got string)"},
  {"local t = {} t.insert = table.insert; t:insert(\"a\", 2)", false, "string", "e:1: bad argument #1 to 'insert' (number expected, got string)"},
  {"local t = {} t.ins = table.insert; t.ins(\"a\", 2)", false, "string", "e:1: bad argument #1 to 'ins' (table expected, got string)"},
  {"string.rep()", false, "string", "e:1: bad argument #1 to 'rep' (string expected, got no value)"},
  {"(\"x\"):rep({})", false, "string", "e:1: bad argument #1 to 'rep' (number expected, got table)"},
  {"local s = \"x\"; s:rep()", false, "string", "e:1: bad argument #1 to 'rep' (number expected, got no value)"},
  {"local s = \"x\"; s.rep()", false, "string", "e:1: bad argument #1 to 'rep' (string expected, got no value)"},
  {"string.rep(\"x\", {})", false, "string", "e:1: bad argument #2 to 'rep' (number expected, got table)"},
  {"setmetatable(1, {})", false, "string", "e:1: bad argument #1 to 'setmetatable' (table expected, got number)"},
  {"math.floor(\"a\")", false, "string", "e:1: bad argument #1 to 'floor' (number expected, got string)"},
  {"tostring()", false, "string", "e:1: bad argument #1 to 'tostring' (value expected)"},
  {"ipairs()", false, "string", "e:1: bad argument #1 to 'ipairs' (value expected)"},
  {"select(0)", false, "string", "e:1: bad argument #1 to 'select' (index out of range)"},
  {"string.char(300)", false, "string", "e:1: bad argument #1 to 'char' (value out of range)"},
  {"setmetatable(setmetatable({}, {__metatable = 1}), {})", false, "string", "e:1: cannot change a protected metatable"},
  {"rawset(1)", false, "string", "e:1: bad argument #1 to 'rawset' (table expected, got number)"},
  {"next({}, \"nokey\")", false, "string", "invalid key to 'next'"},
  {"table.concat({{}})", false, "string", "e:1: invalid value (table) at index 1 in table for 'concat'"},
  {"table.concat({1, {}, 3})", false, "string", "e:1: invalid value (table) at index 2 in table for 'concat'"},
  {"(\"%\"):format()", false, "string", "e:1: bad argument #1 to 'format' (no value)"},
  {"string.format(\"%d\", \"x\")", false, "string", "e:1: bad argument #2 to 'format' (number expected, got string)"},
  {"string.format(\"%d\", 1.5)", false, "string", "e:1: bad argument #2 to 'format' (number has no integer representation)"},
  {"utf8.char(-1)", false, "string", "e:1: bad argument #1 to 'char' (value out of range)"},
  {"math.tointeger()", false, "string", "e:1: bad argument #1 to 'tointeger' (value expected)"},
  {"local x = io.stdout; x.write(1)", false, "string", "e:1: bad argument #1 to 'write' (FILE* expected, got number)"},
  {"io.stdout:seek(\"bad\")", false, "string", "e:1: bad argument #1 to 'seek' (invalid option 'bad')"},
  {"coroutine.resume(1)", false, "string", "e:1: bad argument #1 to 'resume' (thread expected, got number)"},
  {"coroutine.wrap(function() error(\"in co\") end)()", false, "string", "e:1: e:1: in co"},
  {"coroutine.wrap(function() local x; return x.y end)()", false, "string", "e:1: e:1: attempt to index a nil value (local 'x')"},
  {"error(\"lvl1\")", false, "string", "e:1: lvl1"},
  {"error(\"lvl2\", 2)", false, "string", "lvl2"},
  {"error(\"lvl0\", 0)", false, "string", "lvl0"},
  {"local function f() error(\"from f\", 2) end f()", false, "string", "e:1: from f"},
  {"error()", false, "nil", "nil"},
  {"assert(false)", false, "string", "e:1: assertion failed!"},
  {"assert(nil, \"assert msg\")", false, "string", "e:1: assert msg"},
  {"assert(false, 42)", false, "number", "42"},
  {"local a = {}; for i = 1, 10 do a = a[i] end", false, "string", "e:1: attempt to index a nil value (local 'a')"},
  {"string.find(\"x\", \"%\")", false, "string", "e:1: malformed pattern (ends with '%')"},
}

for i, c in ipairs(cases) do
  local src, want_ok, want_type, want_text = c[1], c[2], c[3], c[4]
  local f = assert(load(src, "=e"))
  local ok, m = pcall(f)
  if ok ~= want_ok or type(m) ~= want_type or tostring(m) ~= want_text then
    error(("case %d (%s):\n  got:    %s %s %s\n  wanted: %s %s %s"):format(
      i, src, tostring(ok), type(m), tostring(m),
      tostring(want_ok), want_type, want_text), 0)
  end
end

-- error values that are not strings pass through pcall, error levels and
-- coroutines untouched (same object)
do
  local obj = {}
  local ok, e = pcall(error, obj)
  assert(not ok and e == obj)
  ok, e = pcall(error, obj, 2)
  assert(not ok and e == obj)
  ok, e = pcall(function() local x = obj; error(x) end)
  assert(not ok and e == obj)
  local co = coroutine.create(function() error(obj) end)
  ok, e = coroutine.resume(co)
  assert(not ok and e == obj)
  ok, e = pcall(coroutine.wrap(function() error(obj) end))
  assert(not ok and e == obj)
  ok, e = xpcall(function() error(obj) end, function(m) return {wrapped = m} end)
  assert(not ok and e.wrapped == obj)
  local mt = setmetatable({}, {__index = function() error(obj) end})
  ok, e = pcall(function() return mt.x end)
  assert(not ok and e == obj)
  ok, e = pcall(error, 3.5)
  assert(not ok and e == 3.5 and math.type(e) == "float")
  ok, e = pcall(error, true)
  assert(not ok and e == true)
  ok, e = pcall(error, print)
  assert(not ok and e == print)
end

print("OK")
