-- Statement syntax: semicolons, comments, call forms, method definitions, returns.

-- empty statements and semicolons
;;; local x = 1 ; ; x = x + 1 ;
assert(x == 2)
assert(load("return;"))
local f, err = load("return 1;;")
assert(f == nil and string.find(err, "<eof> expected near ';'", 1, true), err)
f, err = load("return 1 return 2")
assert(f == nil and string.find(err, "<eof> expected near 'return'", 1, true), err)

-- comments of every kind
local y = 1 -- short comment
--[[ long
comment ]] y = y + 1
--[==[ level two ]] still comment ]==] y = y + 1
---[[ not a long comment (three dashes then [[) ]]
assert(y == 3)

-- call forms: parentheses, string and table arguments, chains
local function id(...) return ... end
assert(id"str" == "str")
assert(id[[long]] == "long")
assert(id{1, 2}[2] == 2)
assert(type(id{}) == "table")
local function curry(a) return function(b) return function(c) return a .. b .. c end end end
assert(curry "a" "b" "c" == "abc")
assert(curry("x")[[y]]"z" == "xyz")
local obj = {name = "o"}
function obj.plain(a) return a end
function obj:method(a) return self.name .. a end
assert(obj.plain(5) == 5 and obj:method("!") == "o!" and obj.method(obj, "?") == "o?")
assert(("%d"):rep(2) == "%d%d")
assert(#("abc"):upper() == 3)

-- nested function names
local a = {b = {c = {}}}
function a.b.c.f() return "deep" end
function a.b.c:g() return self == a.b.c end
assert(a.b.c.f() == "deep" and a.b.c:g())
f, err = load("function a:b.c() end")
assert(f == nil and string.find(err, "'(' expected near '.'", 1, true), err)
f, err = load("local function a.b() end")
assert(f == nil and string.find(err, "'(' expected near '.'", 1, true), err)

-- ambiguous syntax: a newline before '(' still continues the call (5.2+)
local g = load("local function f(x) return function(y) return x + y end end\nlocal r = f\n(1)(2)\nreturn r")
assert(g() == 3)

-- parenthesized expressions as statements are not allowed; calls are
f, err = load("(1)")
assert(f == nil and string.find(err, "syntax error near <eof>", 1, true), err)
f, err = load("x")
assert(f == nil and string.find(err, "syntax error near <eof>", 1, true), err)
f, err = load("1 + 1")
assert(f == nil and string.find(err, "unexpected symbol near '1'", 1, true), err)

-- keywords cannot be names; names can contain digits and underscores
f, err = load("local end = 1")
assert(f == nil and string.find(err, "<name> expected near 'end'", 1, true), err)
local _a1, __, a_b_2 = 1, 2, 3
assert(_a1 + __ + a_b_2 == 6)
local t = {["end"] = 1, ["while"] = 2}
assert(t["end"] == 1)
f, err = load("return t.end")
assert(f == nil, "keywords are not field names after '.'")

-- if / elseif / else chains
local function classify(n)
  if n < 0 then return "neg" elseif n == 0 then return "zero" elseif n < 10 then return "small" else return "big" end
end
assert(classify(-1) == "neg" and classify(0) == "zero" and classify(5) == "small" and classify(50) == "big")

-- do blocks and return at the end of a block
local function early(n)
  do
    if n then return "early" end
  end
  return "late"
end
assert(early(true) == "early" and early(false) == "late")

-- a chunk can return values
assert(load("return 1, 2, 3")() == 1)
assert(select("#", load("return")()) == 0)

-- very long expressions and deep nesting within limits
local expr = "return " .. string.rep("(", 100) .. "1" .. string.rep(")", 100)
assert(load(expr)() == 1)
local sum = "return 0" .. string.rep(" + 1", 1000)
assert(load(sum)() == 1000)
local deep = "return " .. string.rep("{", 100) .. string.rep("}", 100)
assert(type(load(deep)()) == "table")
-- absurd nesting is a clean error, not a crash
f, err = load("return " .. string.rep("(", 100000) .. "1" .. string.rep(")", 100000))
assert(f == nil and (string.find(err, "too many", 1, true) or string.find(err, "overflow", 1, true)), err)
