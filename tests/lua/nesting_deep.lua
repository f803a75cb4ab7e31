-- Source nested 200000 deep, and very long chains, compile to Lua's errors
-- (or compile fine) without exhausting the native stack; the compiler's
-- register and local limits give Lua's messages.

local N = 200000

local function compiles(src)
  local f, err = load(src)
  assert(f, err)
  return f
end

local function fails(text, src)
  local ok, f, err = pcall(load, src)
  assert(ok, "load itself raised: " .. tostring(f))
  assert(f == nil, "should not compile: " .. string.sub(src, 1, 40))
  assert(string.find(err, text, 1, true), err)
end

-- recursive constructs stop at the nesting limit
fails("C stack overflow", "return " .. string.rep("(", N) .. "1" .. string.rep(")", N))
fails("C stack overflow", "return " .. string.rep("{", N) .. string.rep("}", N))
fails("C stack overflow", "return " .. string.rep("function() return ", N) .. "1" .. string.rep(" end", N))
fails("C stack overflow", "return 'x'" .. string.rep(" .. 'x'", N))
fails("C stack overflow", "return 2" .. string.rep(" ^ 2", N))
fails("C stack overflow", "return " .. string.rep("not ", N) .. "1")
fails("C stack overflow", string.rep("do ", N) .. string.rep("end ", N))
fails("C stack overflow", string.rep("while true do ", N) .. string.rep("end ", N))
fails("C stack overflow", string.rep("if x then ", N) .. string.rep("end ", N))
fails("C stack overflow", string.rep("repeat ", N) .. string.rep("until x ", N))
fails("C stack overflow", "return " .. string.rep("a..", 300) .. "a")
fails("C stack overflow", string.rep("a,", 300) .. "a = 1")
fails("C stack overflow", "x = " .. string.rep("{", N))
fails("C stack overflow", string.rep("(", N))

-- long chains that do not nest compile and run
_ENV.f = function() return f end
assert(compiles("return f" .. string.rep("()", N))() == f)
local a = setmetatable({}, {__index = function(t) return t end})
assert(compiles("local a = ...; return a" .. string.rep(".b", N))(a) == a)
assert(compiles("local a = ...; return a" .. string.rep("[1]", N))(a) == a)
local m = setmetatable({}, {__index = function(t) return function(self) return self end end})
assert(compiles("local a = ...; return a" .. string.rep(":b()", N))(m) == m)
assert(compiles("return 1" .. string.rep(" + 1", N))() == N + 1)
fails("C stack overflow", "return " .. string.rep("- ", N) .. "1")
assert(#compiles("return {" .. string.rep("1,", N) .. "}")() == N)
assert(compiles("local x = 0 " .. string.rep("x = x + 1 ", N) .. "return x")() == N)
assert(compiles("local x = 0 if x then " .. string.rep("elseif x then ", 2000) .. "end return 1")() == 1)

-- local and register limits
fails("too many local variables (limit is 200) in main function near '='",
  string.rep("for i=1,2 do ", N) .. string.rep("end ", N))
fails("too many local variables (limit is 200) in main function near ';'", string.rep("local a; ", N))
fails("too many local variables (limit is 200) in main function near ','", "local " .. string.rep("a,", 250) .. "a")
fails("function or expression needs too many registers", "f(" .. string.rep("1,", 300) .. "1)")
local ups = {}
for i = 1, 300 do ups[i] = "local u" .. i .. " = " .. i end
fails("too many upvalues", "local function outer() " .. table.concat(ups, " ", 1, 150) ..
  " return function() " .. table.concat(ups, " ", 151, 300) .. " return function() return " ..
  (function() local s = {} for i = 1, 300 do s[i] = "u" .. i end return table.concat(s, "+") end)() ..
  " end end end")
-- just under the limits works
assert(compiles("local " .. string.rep("a,", 198) .. "a = " .. string.rep("1,", 198) .. "7 return a")() == 7)
assert(select("#", compiles("return " .. string.rep("1,", 240) .. "1")()) == 241)

print("OK")
