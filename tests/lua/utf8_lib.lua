-- utf8 library: char, charpattern, codepoint, len, offset, codes.

-- char encodes code points (up to 2^31 - 1)
assert(utf8.char(72, 105) == "Hi")
assert(utf8.char() == "")
assert(utf8.char(0xE9) == "\xC3\xA9")
assert(utf8.char(0x20AC) == "\u{20AC}")
assert(utf8.char(0x10FFFF) == "\xF4\x8F\xBF\xBF")
assert(utf8.char(0x7FFFFFFF) == "\xFD\xBF\xBF\xBF\xBF\xBF")
local ok, msg = pcall(utf8.char, -1)
assert(not ok and string.find(msg, "value out of range", 1, true), msg)
assert(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")

-- len counts characters; invalid bytes give nil plus the position
local s = "h\u{E9}llo \u{20AC}!"
assert(#s == 11 and utf8.len(s) == 8)
assert(utf8.len("") == 0)
assert(utf8.len(s, 3) == nil and select(2, utf8.len(s, 3)) == 3)   -- 3 is a continuation byte
local n, pos = utf8.len("ab\xffcd")
assert(n == nil and pos == 3)
assert(utf8.len("abc", 4) == 0)
assert(utf8.len("abc", -1) == 1)
assert(utf8.len(s, 1, 2) == 2)
ok, msg = pcall(utf8.len, "abc", 5)
assert(not ok and string.find(msg, "initial position out of bounds", 1, true), msg)
-- strict vs lax: surrogates and values above 10FFFF
assert(utf8.len("\xED\xA0\x80") == nil)
assert(utf8.len("\xED\xA0\x80", 1, -1, true) == 1)
assert(utf8.len("\u{7FFFFFFF}") == nil and utf8.len("\u{7FFFFFFF}", 1, -1, true) == 1)
-- overlong encodings are invalid
assert(utf8.len("\xC0\x80") == nil)
assert(utf8.len("\xE0\x80\x80") == nil)

-- codepoint
assert(utf8.codepoint("A") == 65)
local cps = {utf8.codepoint(s, 1, -1)}
assert(#cps == 8 and cps[2] == 0xE9 and cps[7] == 0x20AC)
assert(select("#", utf8.codepoint("abc", 3, 2)) == 0)   -- empty range
ok, msg = pcall(utf8.codepoint, "\xff")
assert(not ok and string.find(msg, "invalid UTF-8 code", 1, true), msg)
ok, msg = pcall(utf8.codepoint, "abc", 5)
assert(not ok and string.find(msg, "out of bounds", 1, true), msg)
assert(utf8.codepoint("\u{7FFFFFFF}", 1, 1, true) == 0x7FFFFFFF)

-- offset: byte position of the n-th character
local h = "h\u{E9}llo"
assert(utf8.offset(h, 1) == 1 and utf8.offset(h, 2) == 2 and utf8.offset(h, 3) == 4)
assert(utf8.offset(h, -1) == 6)
assert(utf8.offset(h, 7) == nil)
assert(utf8.offset(h, 6) == 7)                      -- one past the end
assert(utf8.offset(h, 0, 3) == 2)                   -- start of the char containing byte 3
ok, msg = pcall(utf8.offset, h, 1, 3)
assert(not ok and string.find(msg, "initial position is a continuation byte", 1, true), msg)

-- codes iterates positions and code points
local got = {}
for p, c in utf8.codes("a\u{E9}\u{20AC}") do got[#got + 1] = p .. ":" .. c end
assert(table.concat(got, " ") == "1:97 2:233 4:8364")
ok, msg = pcall(function() for _ in utf8.codes("a\xffb") do end end)
assert(not ok and string.find(msg, "invalid UTF-8 code", 1, true), msg)
local cnt = 0
for _ in utf8.codes("") do cnt = cnt + 1 end
assert(cnt == 0)

-- charpattern matches one character at a time
local chars = {}
for ch in string.gmatch("a\u{E9}\u{20AC}", utf8.charpattern) do chars[#chars + 1] = ch end
assert(#chars == 3 and chars[3] == "\u{20AC}")

-- round trip over a range of code points
for _, cp in ipairs({0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF}) do
  local enc = utf8.char(cp)
  assert(utf8.codepoint(enc) == cp and utf8.len(enc) == 1)
  assert(#enc == (cp < 0x80 and 1 or cp < 0x800 and 2 or cp < 0x10000 and 3 or 4))
end
