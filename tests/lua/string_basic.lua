-- string library basics: len, sub, byte, char, rep, upper/lower, reverse.

local s = "hello world"
assert(#s == 11 and string.len(s) == 11 and s:len() == 11)
assert(string.len("") == 0 and #"\0\0" == 2)

-- sub with positive, negative and out-of-range indices
assert(s:sub(1, 5) == "hello")
assert(s:sub(7) == "world")
assert(s:sub(-5) == "world")
assert(s:sub(-5, -2) == "worl")
assert(s:sub(0) == s)
assert(s:sub(-100, 3) == "hel")
assert(s:sub(5, 4) == "")
assert(s:sub(12) == "" and s:sub(100, 200) == "")
assert(s:sub(3, 3) == "l")
assert(s:sub(-1) == "d")
assert(s:sub(2, -2) == "ello worl")
assert(s:sub(math.mininteger, math.maxinteger) == s)
assert(("abc"):sub(2.0) == "bc")

-- byte
assert(string.byte("A") == 65)
assert(string.byte("abc", 2) == 98)
assert(string.byte("abc", -1) == 99)
assert(select("#", string.byte("abc", 1, 3)) == 3)
assert(select("#", string.byte("abc", 4)) == 0)
assert(select("#", string.byte("", 1)) == 0)
local b1, b2 = string.byte("\0\255", 1, 2)
assert(b1 == 0 and b2 == 255)

-- char
assert(string.char() == "")
assert(string.char(72, 105) == "Hi")
assert(string.char(0, 255) == "\0\255")
local ok, msg = pcall(string.char, -1)
assert(not ok and string.find(msg, "value out of range", 1, true), msg)
ok, msg = pcall(string.char, 256)
assert(not ok and string.find(msg, "value out of range", 1, true), msg)

-- byte/char round trip for every byte value
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local allstr = table.concat(all)
assert(#allstr == 256)
for i = 0, 255 do assert(allstr:byte(i + 1) == i) end

-- rep with separators
assert(string.rep("ab", 3) == "ababab")
assert(string.rep("ab", 3, ",") == "ab,ab,ab")
assert(string.rep("x", 0) == "" and string.rep("x", -1) == "")
assert(string.rep("", 100) == "")
assert(string.rep("a", 1, "sep") == "a")
assert(#string.rep("abc", 1000) == 3000)
ok, msg = pcall(string.rep, "x", math.maxinteger)
assert(not ok and string.find(msg, "resulting string too large", 1, true), msg)

-- upper/lower/reverse
assert(string.upper("abcXYZ123") == "ABCXYZ123")
assert(string.lower("ABCxyz!") == "abcxyz!")
assert(string.reverse("abc") == "cba" and string.reverse("") == "")
assert(string.upper("\0a") == "\0A")

-- strings are immutable values compared by content
local a1 = "ab" .. "c"
local a2 = "a" .. "bc"
assert(a1 == a2 and rawequal(a1, a2))

-- embedded zeros are kept everywhere
local z = "a\0b"
assert(#z == 3 and z:sub(2, 2) == "\0" and z:upper() == "A\0B")
assert(z .. z == "a\0ba\0b")

-- string methods through the metatable
assert(("%d"):format(5) == "5")
assert(("x"):rep(2) == "xx")
local str = "abc"
assert(str:upper():lower():reverse() == "cba")

-- indexing a string with a non-method key gives nil
assert(("abc").foo == nil)
assert(("abc")[1] == nil)

-- string.len checks its argument (called through pcall, the name is the global one)
ok, msg = pcall(string.len)
assert(not ok and string.find(msg, "bad argument #1 to 'string.len' (string expected, got no value)", 1, true), msg)
assert(string.len(123) == 3)
