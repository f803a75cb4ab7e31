-- "function or expression needs too many registers" names the token the
-- parser was reading when the registers ran out, as lua5.4 does; the
-- expected messages below are lua5.4's.

local function list(fmt, n, sep)
  local t = {}
  for i = 0, n - 1 do t[#t + 1] = string.format(fmt, i) end
  return table.concat(t, sep or ", ")
end

local MSG = "function or expression needs too many registers"

local function check(src, expected)
  local f, err = load(src, "=src")
  assert(f == nil, "should not compile: " .. src:sub(1, 60))
  assert(err == "src:" .. expected, err)
end

-- the item being put in a register is followed by the next one
check("f(" .. list("%d", 300) .. ")", "1: " .. MSG .. " near '254'")
check("f(" .. list("x%d", 300) .. ")", "1: " .. MSG .. " near 'x254'")
check("return " .. list("x%d", 300), "1: " .. MSG .. " near 'x255'")
check("a = " .. list("x%d", 300), "1: " .. MSG .. " near 'x255'")
check("o:m(" .. list("%d.5", 300) .. ")", "1: " .. MSG .. " near '253.5'")
check("f(" .. list("nil", 300) .. ")", "1: " .. MSG .. " near 'nil'")
check("f(" .. list('"s%d"', 300) .. ")", "1: " .. MSG .. " near '\"s254\"'")
check("return function(...) return " .. list("...", 300) .. " end", "1: " .. MSG .. " near '...'")
check("f(" .. list("(x%d)", 300) .. ")", "1: " .. MSG .. " near '('")
check("f(" .. list("{%d}", 254) .. ", g())", "1: " .. MSG .. " near ','")
-- with locals already holding registers, on the line of the token
check(list("local l%d", 150, "\n") .. "\nf(" .. list("x%d", 150) .. ")",
      "151: " .. MSG .. " near 'x104'")
check("local a, b = 1, 2\nf(\n" .. list("x%d", 300, ",\n") .. ")", "255: " .. MSG .. " near 'x252'")

-- nested constructs: the token that opens the next level
check("return " .. string.rep("f(1, ", 130) .. "1" .. string.rep(")", 130), "1: " .. MSG .. " near '('")
check("return " .. string.rep("{1, ", 130) .. "1" .. string.rep("}", 130), "1: " .. MSG .. " near '{'")
check("f(" .. list("a.b%d", 300) .. ")", "1: " .. MSG .. " near '.'")

-- deep nesting on top of 199 locals: the token that opens the next level
local locals = list("local l%d", 199, "\n") .. "\nreturn "
local function nest(open, close)
  return locals .. string.rep(open, 60) .. "y" .. string.rep(close, 60)
end
check(nest("x .. (", ")"), "200: " .. MSG .. " near '('")
check(nest("a[", "]"), "200: " .. MSG .. " near '['")
check(nest("{", "}"), "200: " .. MSG .. " near '{'")
check(nest("-(x+", ")"), "200: " .. MSG .. " near '-'")
check(nest("f(x)(", ")"), "200: " .. MSG .. " near '('")
check(nest("o:m(x, ", ")"), "200: " .. MSG .. " near '('")
check(nest("f{x, ", "}"), "200: " .. MSG .. " near '{'")
check(nest("x < (", ")"), "200: " .. MSG .. " near '('")

-- a construct finished by the token after it: that token
check("f(" .. list("g(%d)", 300) .. ")", "1: " .. MSG .. " near ','")
check("f(" .. list("-x%d", 300) .. ")", "1: " .. MSG .. " near ','")
check("f(" .. list("{%d}", 300) .. ")", "1: " .. MSG .. " near ','")
check("f(" .. list("function() end", 300) .. ")", "1: " .. MSG .. " near ','")
check("f(" .. list("x%d .. y", 300) .. ")", "1: " .. MSG .. " near ','")
check("f(" .. list("x%d + y", 300) .. ")", "1: " .. MSG .. " near ','")
check("f(" .. list("t[k%d]", 300) .. ")", "1: " .. MSG .. " near ','")

-- just under the limit compiles
assert(load("f(" .. list("x%d", 253) .. ")"))
assert(load("return " .. list("x%d", 254)))

-- too many local variables is the parser's error (with its own token)
local _, e = load("local " .. list("a%d", 300), "=src")
assert(e == "src:1: too many local variables (limit is 200) in main function near ','", e)

print("OK")
