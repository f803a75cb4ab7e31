-- Compiler limits: nesting depth, locals, upvalues, registers. Each limit gives
-- a clean error from load (never a crash), and code just under it works.

local function compiles(src) local f, err = load(src); assert(f, err); return f end
local function fails(src, text)
  local ok, f, err = pcall(load, src)
  assert(ok, "load itself raised: " .. tostring(f))
  assert(f == nil, "should not compile")
  assert(string.find(err, text, 1, true), err)
end

-- nesting: 150 levels are fine, 300 overflow the (C) nesting limit of 200
compiles(string.rep("do ", 150) .. string.rep("end ", 150))
fails(string.rep("do ", 300) .. string.rep("end ", 300), "C stack overflow")
compiles(string.rep("if true then ", 150) .. string.rep("end ", 150))
compiles("return " .. string.rep("(", 150) .. "1" .. string.rep(")", 150))
fails("return " .. string.rep("(", 300) .. "1" .. string.rep(")", 300), "C stack overflow")
fails("local x = " .. string.rep("- ", 300) .. "1", "C stack overflow")
fails("local x = " .. string.rep("{", 300) .. string.rep("}", 300), "C stack overflow")
fails("return " .. string.rep("function() return ", 250) .. "1" .. string.rep(" end", 250), "C stack overflow")
assert(compiles("return " .. string.rep("function() return ", 40) .. "7" .. string.rep(" end", 40)))
-- unary operators under the limit evaluate correctly
assert(compiles("return " .. string.rep("- ", 100) .. "1")() == 1)
assert(compiles("return " .. string.rep("not ", 101) .. "nil")() == true)
-- right-associative chains recurse: 300 concatenations overflow, 150 work
local cat = {}
for i = 1, 300 do cat[i] = "'x'" end
fails("return " .. table.concat(cat, " .. "), "C stack overflow")
assert(compiles("return " .. table.concat(cat, " .. ", 1, 150))() == string.rep("x", 150))
-- left-associative chains do not recurse: many additions are fine
local adds = {}
for i = 1, 5000 do adds[i] = "1" end
assert(compiles("return " .. table.concat(adds, " + "))() == 5000)

-- locals: 200 per function
local locals = {}
for i = 1, 200 do locals[i] = "local l" .. i .. " = " .. i end
assert(compiles(table.concat(locals, "\n") .. "\nreturn l200 + l1")() == 201)
fails("local extra = 0\n" .. table.concat(locals, "\n"), "too many local variables (limit is 200) in main function near '='")

-- upvalues: 255 per function
local a, b, refs = {}, {}, {}
for i = 1, 150 do
  a[#a + 1] = "local a" .. i .. " = " .. i
  b[#b + 1] = "local b" .. i .. " = " .. i
  refs[#refs + 1] = "a" .. i
  refs[#refs + 1] = "b" .. i
end
local src = table.concat(a, "\n") .. "\nreturn function()\n" .. table.concat(b, "\n") ..
  "\nreturn function() return " .. table.concat(refs, "+") .. " end end"
fails(src, "too many upvalues (limit is 255)")
local src_ok = table.concat(a, "\n") .. "\nreturn function()\n" .. table.concat(b, "\n", 1, 125) ..
  "\nreturn function() return " .. table.concat(refs, "+", 1, 250) .. " end end"
local refs_sum = 0
for i = 1, 125 do refs_sum = refs_sum + 2 * i end
assert(compiles(src_ok)()()() == refs_sum)

-- registers: a call with 300 arguments needs too many registers
local args = {}
for i = 1, 300 do args[i] = i end
fails("return print(" .. table.concat(args, ",") .. ")", "function or expression needs too many registers")
assert(select("#", compiles("return select('#', " .. table.concat(args, ",", 1, 200) .. ")")()) == 1)
assert(compiles("return select('#', " .. table.concat(args, ",", 1, 200) .. ")")() == 200)
-- big constructors are not limited by registers
local big = compiles("return {" .. table.concat(args, ",") .. "}")()
assert(#big == 300 and big[300] == 300)
local many = {}
for i = 1, 70000 do many[i] = "'s" .. i .. "'" end
local t = compiles("return {" .. table.concat(many, ",") .. "}")()
assert(#t == 70000 and t[70000] == "s70000")

-- many constants in one function (more than fit an 8-bit operand)
local consts = {}
for i = 1, 1000 do consts[i] = "x = " .. i .. ".5" end
compiles("local x\n" .. table.concat(consts, "\n") .. "\nreturn x")
assert(compiles("local x\n" .. table.concat(consts, "\n") .. "\nreturn x")() == 1000.5)
local sconsts = {}
for i = 1, 600 do sconsts[i] = "t.k" .. i .. " = 'v" .. i .. "'" end
local st = compiles("local t = {}\n" .. table.concat(sconsts, "\n") .. "\nreturn t")()
assert(st.k1 == "v1" and st.k600 == "v600")
