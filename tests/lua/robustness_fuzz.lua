-- Robustness: random inputs to the compiler and library functions must give
-- Lua results or Lua errors, never a crash. (Inputs depend on math.random, so
-- they differ between implementations; the checks do not.)

math.randomseed(20240601)
local random = math.random

local tokens = {
  "local", "function", "end", "if", "then", "else", "elseif", "while", "do", "repeat",
  "until", "for", "in", "return", "break", "goto", "::l::", "and", "or", "not", "nil",
  "true", "false", "x", "y", "t", "f", "...", "1", "2.5", "0x10", "'s'", "[[l]]", "=",
  "==", "~=", "<", "<=", "+", "-", "*", "/", "//", "%", "^", "#", "&", "|", "~", "<<",
  ">>", "..", "(", ")", "{", "}", "[", "]", ";", ":", ",", ".", "<const>", "<close>",
  "\n", " ", "--c\n", "--[[c]]",
}
local function random_source(n)
  local out = {}
  for i = 1, n do out[i] = tokens[random(#tokens)] end
  return table.concat(out, " ")
end
local function random_bytes(n)
  local out = {}
  for i = 1, n do out[i] = string.char(random(0, 255)) end
  return table.concat(out)
end

-- the compiler accepts or rejects, with a string message
local compiled, rejected = 0, 0
for i = 1, 3000 do
  local src = (i % 3 == 0) and random_bytes(random(1, 40)) or random_source(random(1, 30))
  local ok, f, msg = pcall(load, src, "=fuzz")
  assert(ok, "load raised instead of returning: " .. tostring(f))
  if f then
    assert(type(f) == "function")
    compiled = compiled + 1
  else
    -- "fuzz:LINE: ..." for text; "fuzz: bad binary format ..." for bytes starting with ESC
    assert(type(msg) == "string" and (string.find(msg, "^fuzz:") or string.find(msg, "overflow", 1, true)), msg)
    rejected = rejected + 1
  end
end
assert(compiled + rejected == 3000 and rejected > 0)

-- valid prefixes of a real program, cut at every byte, never crash the compiler
local program = [[
local t = {1, 2, x = "y", y = {4}}
for i, v in ipairs(t) do if v > 1 then goto skip end ::skip:: end
local function f(a, ...) return a and select('#', ...) or -a end
while false do break end repeat local z <const> = 1 until z == 1
return f(1, 2, 3) .. "x" .. #t .. (0x10 // 3) .. 2^0.5
]]
for cut = 0, #program do
  local f, msg = load(string.sub(program, 1, cut))
  assert(f or type(msg) == "string")
end
assert(load(program)() == "2x25" .. 2^0.5)

-- random patterns against random subjects
local pchars = {"%a", "%d", "%s", "%w", "%p", "%b()", "%f[%a]", ".", "*", "+", "-", "?", "^", "$",
                "(", ")", "[", "]", "[^", "%", "%1", "a", "b", "()", "%z", "[a-z]", "%x"}
for _ = 1, 3000 do
  local parts = {}
  for i = 1, random(1, 6) do parts[i] = pchars[random(#pchars)] end
  local pat = table.concat(parts)
  local subject = random_source(random(0, 5))
  for _, fn in ipairs({string.find, string.match, string.gsub}) do
    local ok, r = pcall(fn, subject, pat, fn == string.gsub and "%0" or nil)
    assert(ok or type(r) == "string")
  end
  local ok = pcall(function() for _ in string.gmatch(subject, pat) do end end)
  assert(ok == true or ok == false)
end

-- random format specifications
local fchars = {"%", "d", "i", "x", "X", "o", "c", "e", "E", "f", "g", "G", "q", "s", "a", "A",
                "-", "+", " ", "#", "0", "5", "12", ".", "3", "99", "l", "%%"}
local args = {1, -1, 2^63, 0.5, "str", math.mininteger, 0/0, math.huge}
for _ = 1, 3000 do
  local parts = {}
  for i = 1, random(1, 5) do parts[i] = fchars[random(#fchars)] end
  local ok, r = pcall(string.format, table.concat(parts), args[random(#args)], args[random(#args)])
  assert(ok and type(r) == "string" or not ok and type(r) == "string")
end

-- tonumber, string.pack/unpack and utf8 on random bytes
for _ = 1, 2000 do
  local s = random_bytes(random(0, 12))
  local n = tonumber(s)
  assert(n == nil or type(n) == "number")
  local ok, v = pcall(tonumber, s, random(2, 36))
  assert(ok and (v == nil or math.type(v) == "integer"))
  local fmt = ({"i4", "<d", ">I2", "z", "s1", "b", "j", "!4 i3", "c3", "xI", "n"})[random(11)]
  local okp = pcall(string.unpack, fmt, s)
  assert(okp == true or okp == false)
  local okl, len = pcall(utf8.len, s)
  assert(okl and (len == nil or math.type(len) == "integer"))
end
