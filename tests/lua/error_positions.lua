-- Line numbers in runtime error messages for expressions that span lines.
-- Each case marks the expected line with a comment "--> here".

local function error_line(f)
  local ok, e = pcall(f)
  assert(not ok, "expected an error")
  return tonumber(string.match(e, ":(%d+): "))
end

-- indexing: the line of the indexing expression
assert(error_line(function()
  local t = nil
  local x = 1 +
    t.y                           --> here
end) == 14)

-- arithmetic: the line of the operator
assert(error_line(function()
  local a = {}
  local s = a.b
    + 1                           --> here
end) == 21)

-- calls: the line where the call's prefix expression starts
assert(error_line(function()
  local f = nil
  f(                              --> here
    1,
    2
  )
end) == 27)
assert(error_line(function()
  local t = {}
  t.m                             --> here
  (1)
end) == 34)

-- error() reports the line of the call
assert(error_line(function()
  error("x")                      --> here
end) == 40)

-- concatenation of several values
assert(error_line(function()
  local a = "x" ..
    {} ..                         --> here
    "y"
end) == 46)

-- comparisons: the line where the second operand ended
assert(error_line(function()
  return 1 <
    nil                           --> here
end) == 53)

-- errors in nested function calls point into the callee
local function callee()
  local z = nil
  return z.field                  --> here
end
assert(error_line(function()
  callee()
end) == 59)

-- level 2 errors point to the caller's line
local function checker(v)
  if not v then error("checked", 2) end
end
assert(error_line(function()
  checker(false)                  --> here
end) == 70)

-- multi-line table constructors: the line of the failing field expression
assert(error_line(function()
  local t = {
    1,
    2,
    nil .. "x",                   --> here
  }
end) == 78)

-- a method call on a nil field spanning lines
assert(error_line(function()
  local obj = {}
  obj                             --> here (the line where the call's prefix starts)
    :method()
end) == 85)

-- a for loop header spanning lines
assert(error_line(function()
  for i = 1,
    "z" do end                    --> here
end) == 92)
