-- Basic functions: type, tostring, getmetatable, _G, _VERSION, collectgarbage, dofile, print.

assert(_VERSION == "Lua 5.4")
assert(_G._G == _G and _G.print == print and _ENV == _G)

-- type of every kind of value
assert(type(nil) == "nil" and type(true) == "boolean" and type(1) == "number" and type(1.5) == "number")
assert(type("") == "string" and type({}) == "table" and type(print) == "function")
assert(type(function() end) == "function" and type(coroutine.create(print)) == "thread")
assert(type(io.stdout) == "userdata")
local ok, msg = pcall(type)
assert(not ok and string.find(msg, "bad argument #1 to 'type' (value expected)", 1, true), msg)

-- tostring of non-numbers
assert(tostring(nil) == "nil" and tostring(true) == "true" and tostring(false) == "false")
assert(tostring("x") == "x")
assert(string.find(tostring({}), "^table: 0x%x+$") or string.find(tostring({}), "^table: %x+$"))
assert(string.find(tostring(print), "^function: "))
assert(string.find(tostring(function() end), "^function: "))
assert(string.find(tostring(coroutine.create(print)), "^thread: "))
-- distinct tables have distinct strings; the same table always the same
local t1, t2 = {}, {}
assert(tostring(t1) ~= tostring(t2) and tostring(t1) == tostring(t1))

-- getmetatable
assert(getmetatable({}) == nil)
assert(getmetatable("abc").__index == string)
assert(getmetatable(1) == nil and getmetatable(print) == nil)

-- globals can be created and removed through _G
_G.some_new_global = 5
assert(some_new_global == 5)
some_new_global = nil
assert(rawget(_G, "some_new_global") == nil)
-- reading an undefined global is nil, not an error
assert(this_global_is_not_defined == nil)

-- collectgarbage options
assert(type(collectgarbage("count")) == "number" and collectgarbage("count") > 0)
assert(collectgarbage() == 0 and collectgarbage("collect") == 0)
assert(type(collectgarbage("step")) == "boolean")
assert(type(collectgarbage("isrunning")) == "boolean")
ok, msg = pcall(collectgarbage, "bogus")
assert(not ok and string.find(msg, "bad argument #1 to 'collectgarbage' (invalid option 'bogus')", 1, true), msg)
-- allocating and dropping lots of memory works
for _ = 1, 50 do local big = {}; for i = 1, 1000 do big[i] = {i} end end

-- dofile runs a file and returns its results; errors propagate
local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("local a, b = ... return 'from file', select('#', ...)\n")
f:close()
local r1, r2 = dofile(name)
assert(r1 == "from file" and r2 == 0)
f = assert(io.open(name, "w"))
f:write("error('inside dofile', 0)")
f:close()
ok, msg = pcall(dofile, name)
assert(not ok and msg == "inside dofile")
f = assert(io.open(name, "w"))
f:write("x = = 1")
f:close()
ok, msg = pcall(dofile, name)
assert(not ok and string.find(msg, "unexpected symbol near '='", 1, true), msg)
-- loadfile returns a function or nil plus a message
local lf, lerr = loadfile(name)
assert(lf == nil and string.find(lerr, "unexpected symbol", 1, true))
lf, lerr = loadfile("/nonexistent-dir/none.lua")
assert(lf == nil and string.find(lerr, "cannot open /nonexistent-dir/none.lua", 1, true), lerr)
f = assert(io.open(name, "w"))
f:write("#!/usr/bin/env lua\nreturn x_env_value")
f:close()
lf = assert(loadfile(name, "t", {x_env_value = 11}))   -- first line '#' is skipped
assert(lf() == 11)
os.remove(name)

-- print calls tostring (via __tostring) and __name
local printed = setmetatable({}, {__tostring = function() return "" end})
print(printed)        -- prints an empty line; must not fail

-- select('#') and ipairs basics (detailed elsewhere)
assert(select("#") == 0 and select("#", nil) == 1)
local n = 0
for _ in ipairs({1, 2, nil, 4}) do n = n + 1 end
assert(n == 2)

-- next / pairs on _G find standard libraries
local libs = 0
for _, lib in ipairs({"string", "table", "math", "io", "os", "coroutine", "utf8"}) do
  if type(_G[lib]) == "table" then libs = libs + 1 end
end
assert(libs == 7)
