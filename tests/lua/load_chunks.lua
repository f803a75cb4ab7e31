-- load: strings, reader functions, environments, chunk names, syntax errors.

-- loading a string
local f = load("return 1 + 1")
assert(type(f) == "function" and f() == 2)
assert(load("return ...")(7) == 7)

-- syntax errors: nil plus a message with the chunk name
local function syntax(src, expected, chunkname)
  local fn, msg = load(src, chunkname)
  assert(fn == nil, "should not compile: " .. src)
  assert(msg == expected, "got: " .. tostring(msg) .. " | wanted: " .. expected)
end
syntax("x = ", [[[string "x = "]:1: unexpected symbol near <eof>]])
syntax("x = ", "name:1: unexpected symbol near <eof>", "=name")
syntax("x = ", "f.lua:1: unexpected symbol near <eof>", "@f.lua")
syntax("a\nb = 1", [[[string "a..."]:2: syntax error near 'b']])
syntax("x=1\ny=", [[[string "x=1..."]:2: unexpected symbol near <eof>]])
syntax("for", [[[string "for"]:1: <name> expected near <eof>]])
syntax("f(", [[[string "f("]:1: unexpected symbol near <eof>]])
syntax("x = }", [[[string "x = }"]:1: unexpected symbol near '}']])
syntax("local 1", [[[string "local 1"]:1: <name> expected near '1']])
syntax("return return", [[[string "return return"]:1: unexpected symbol near 'return']])
syntax("x = 1 + + 2", [[[string "x = 1 + + 2"]:1: unexpected symbol near '+']])
syntax("a.b:c = 1", [[[string "a.b:c = 1"]:1: function arguments expected near '=']])
syntax("(a) = 1", [[[string "(a) = 1"]:1: syntax error near '=']])
syntax("if x then", [[[string "if x then"]:1: 'end' expected near <eof>]])
syntax("if x then\nelse\n", [[[string "if x then..."]:3: 'end' expected (to close 'if' at line 1) near <eof>]])
syntax("f(1 2)", [[[string "f(1 2)"]:1: ')' expected near '2']])
syntax("x = {1 2}", [[[string "x = {1 2}"]:1: '}' expected near '2']])
syntax("local function 1() end", [[[string "local function 1() end"]:1: <name> expected near '1']])
syntax("x = 1 = 2", [[[string "x = 1 = 2"]:1: unexpected symbol near '=']])
-- long chunk names are truncated
syntax("local a = \n\n 1 +", [[[string "long chunk name that is really quite long and..."]:3: unexpected symbol near <eof>]],
  "long chunk name that is really quite long and goes on and on and on and on and on and on and on")

-- a reader function returning pieces; nil or "" ends the chunk
local pieces = {"return ", "1", " + ", "41"}
local i = 0
f = load(function() i = i + 1; return pieces[i] end)
assert(f() == 42)
local calls = 0
f = load(function() calls = calls + 1; if calls == 1 then return "return 'r'" end return "" end)
assert(f() == "r" and calls == 2)
-- a reader that returns a non-string is an error (reported as load's message);
-- a number counts as a string
local fn, msg = load(function() return {} end)
assert(fn == nil and string.find(msg, "reader function must return a string", 1, true), msg)
-- an erroring reader: load returns nil and the message
fn, msg = load(function() error("reader failed", 0) end)
assert(fn == nil and string.find(msg, "reader failed", 1, true), msg)
-- default chunk name of a reader is "=(load)"
fn, msg = load(function() i = i + 1; if i < 100 then return nil end end)
assert(type(fn) == "function")          -- empty chunk
fn, msg = load(coroutine.wrap(function() coroutine.yield("x =") end))
assert(fn == nil and msg == "(load):1: unexpected symbol near <eof>", msg)

-- environment parameter: the first upvalue (_ENV) of the chunk
local env = {y = 5}
f = load("x = y * 2; return x", "chunk", "t", env)
assert(f() == 10 and env.x == 10 and x == nil)
-- a nil env is fine until globals are used
f = load("return 1", "c", "t", nil)
assert(f() == 1)
-- globals of a loaded chunk default to _G
f = load("loaded_global = 3")
f()
assert(loaded_global == 3)
loaded_global = nil

-- mode: text / binary checks
fn, msg = load("return 1", "x", "b")
assert(fn == nil and msg == "attempt to load a text chunk (mode is 'b')", msg)
fn, msg = load(string.dump(function() return 1 end), "d", "t")
assert(fn == nil and msg == "attempt to load a binary chunk (mode is 't')", msg)

-- runtime errors use the chunk name
local ok, err = pcall(load("local t = nil\nreturn t.x", "=rt"))
assert(not ok and err == "rt:2: attempt to index a nil value (local 't')", err)
ok, err = pcall(load("error('e')"))
assert(err == [[[string "error('e')"]:1: e]], err)

-- dofile/loadstring-like helpers: loadstring is gone in 5.4
assert(loadstring == nil)

-- a chunk is a vararg function; its locals are independent
local c1 = load("local n = ... return function() n = n + 1 return n end")
local inc = c1(10)
assert(inc() == 11 and inc() == 12)
