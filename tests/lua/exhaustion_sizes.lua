-- Requests for huge results end in the function's own error (never an
-- attempt to allocate them, never a crash), and the state stays usable.

local function usable()
  collectgarbage()
  local t = {}
  for i = 1, 1000 do t[i] = i end
  assert(#t == 1000 and select("#", table.unpack(t)) == 1000)
end

local function fails_with(text, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "should fail: " .. text)
  assert(string.find(err, text, 1, true), err)
  usable()
end

-- string.rep past the size limit
fails_with("resulting string too large", string.rep, "x", math.maxinteger)
fails_with("resulting string too large", string.rep, "x", 1 << 62)
fails_with("resulting string too large", string.rep, "abc", 1 << 61)
fails_with("resulting string too large", string.rep, "x", 1 << 60, ", ")
fails_with("resulting string too large", ("x"):rep(1000).rep, ("x"):rep(1000), 1 << 54)
assert(string.rep("x", -1) == "" and string.rep("", 1000) == "")
assert(string.rep("ab", 3, "-") == "ab-ab-ab")
fails_with("number has no integer representation", string.rep, "x", 2^63)
fails_with("number has no integer representation", string.rep, "x", math.huge)

-- string.format: widths and precisions are limited to two digits
fails_with("invalid conversion", string.format, "%099999999d", 1)
fails_with("invalid conversion", string.format, "%0999d", 1)
fails_with("invalid conversion", string.format, "%.999f", 1)
fails_with("invalid conversion", string.format, "%999s", "x")
fails_with("invalid conversion", string.format, "%-+ #0123d", 1)
assert(#string.format("%99d", 1) == 99)
assert(#string.format("%.99f", 1) == 101)
assert(#string.format("%99.99f", -1e308) > 300)
-- %s of a long string is not limited
assert(#string.format("%s", string.rep("y", 100000)) == 100000)

-- table.concat over huge ranges stops at the first bad element
fails_with("invalid value (nil) at index 1 in table for 'concat'", table.concat, {}, "", 1, math.maxinteger)
fails_with("invalid value (nil) at index 2 in table for 'concat'", table.concat, {"a"}, "", 1, math.maxinteger)
assert(table.concat({}, "x", math.maxinteger, math.mininteger) == "")
assert(table.concat({"a", "b"}, ", ", 1, 2) == "a, b")
-- a long result built from many pieces
local parts = {}
for i = 1, 20000 do parts[i] = "abcde" end
assert(#table.concat(parts, "--") == 20000 * 5 + 19999 * 2)

-- table.unpack / table.move / select with huge counts
fails_with("too many results to unpack", table.unpack, {}, 1, 1 << 40)
fails_with("too many results to unpack", table.unpack, {}, math.mininteger, math.maxinteger)
fails_with("too many elements to move", table.move, {}, math.mininteger, math.maxinteger, 1)
fails_with("destination wrap around", table.move, {1, 2}, 1, 2, math.maxinteger)
assert(select("#", table.unpack({}, 1, 100)) == 100)

-- string.pack formats with huge sizes
fails_with("out of limits", string.pack, "i17", 1)
fails_with("invalid format option", string.pack, "y", 1)
fails_with("data string too short", string.unpack, "c1000", "x")

-- utf8 and string.char limits
fails_with("value out of range", utf8.char, 1 << 31)
fails_with("value out of range", string.char, 256)

-- coroutines: many live coroutines are fine, each collected afterwards
local cos = {}
for i = 1, 2000 do
  cos[i] = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
  assert(cos[i](i) == i + 1)
end
for i = 1, 2000 do assert(cos[i](i) == 2 * i) end
cos = nil
usable()

-- a table constructor and a string built far beyond a few megabytes
local s = "x"
for _ = 1, 20 do s = s .. s end
assert(#s == 1 << 20)
local big = {}
for i = 1, 1 << 20 do big[i] = i end
assert(#big == 1 << 20)
big, s = nil, nil
usable()

print("OK")
