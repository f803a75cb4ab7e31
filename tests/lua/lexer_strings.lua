-- Lexer: string literals, every escape sequence, long strings.

-- simple escapes
assert("\a" == string.char(7))
assert("\b" == string.char(8))
assert("\f" == string.char(12))
assert("\n" == string.char(10))
assert("\r" == string.char(13))
assert("\t" == string.char(9))
assert("\v" == string.char(11))
assert("\\" == string.char(92))
assert("\"" == string.char(34))
assert('\'' == string.char(39))
assert("'" == '\'' and '"' == "\"")

-- backslash-newline is a newline in the string
local s = "a\
b"
assert(s == "a\nb" and #s == 3)

-- decimal escapes: up to three digits
assert("\65" == "A")
assert("\065" == "A")
assert("\0651" == "A1")          -- only three digits are taken
assert("\0" == string.char(0) and #"\0" == 1)
assert("\255" == string.char(255))
assert(#"a\0b\0c" == 5)

-- hex escapes: exactly two hex digits
assert("\x41" == "A")
assert("\x7a\x7A" == "zz")
assert("\x00" == "\0")
assert("\xff" == "\255")

-- \z skips the following whitespace including newlines
local z = "abc\z
           def"
assert(z == "abcdef")
assert("a\z   b" == "ab")
assert("a\z

    b" == "ab")

-- \u{...}: UTF-8 encoding of the code point
assert("\u{41}" == "A")
assert("\u{0}" == "\0")
assert("\u{7F}" == "\x7f")
assert("\u{80}" == "\xC2\x80")
assert("\u{E9}" == "\xC3\xA9")
assert("\u{7FF}" == "\xDF\xBF")
assert("\u{800}" == "\xE0\xA0\x80")
assert("\u{20AC}" == "\xE2\x82\xAC")
assert("\u{FFFF}" == "\xEF\xBF\xBF")
assert("\u{10000}" == "\xF0\x90\x80\x80")
assert("\u{10FFFF}" == "\xF4\x8F\xBF\xBF")
assert("\u{0000000041}" == "A")  -- leading zeros allowed
-- Lua 5.4 accepts up to 2^31 (6-byte sequences)
assert("\u{7FFFFFFF}" == "\xFD\xBF\xBF\xBF\xBF\xBF")
assert(#"\u{200000}" == 5)

-- long strings
assert([[abc]] == "abc")
assert([[
first newline is skipped]] == "first newline is skipped")
assert([==[
]]]=]]==] == "]]]=]")
assert([=[a]]b]=] == "a]]b")
assert([===[x]==]y]===] == "x]==]y")
assert([[\n\t\z]] == "\\n\\t\\z")     -- no escapes in long strings
assert([[a
b]] == "a\nb")
assert([[

]] == "\n")

-- long comments of several levels
--[==[ a comment with ]] inside ]==]
local after = 1 --[[ inline ]] + 1
assert(after == 2)

-- invalid escapes are syntax errors
local function bad(src, pat)
  local f, msg = load(src)
  assert(f == nil, src)
  assert(string.find(msg, pat, 1, true), msg)
end
bad([[return "\q"]], "invalid escape sequence")
bad([[return "\x4"]], "hexadecimal digit expected")
bad([[return "\256"]], "decimal escape too large")
bad([[return "\u{110000000}"]], "UTF-8 value too large")
bad([[return "\u41"]], "missing '{'")
bad([[return "\u{41"]], "missing '}'")
bad("return \"abc", "unfinished string")
bad("return \"ab\ncd\"", "unfinished string")
bad("return [[abc", "unfinished long string")
bad("return [=[abc]]", "unfinished long string")
bad("x = [==", "invalid long string delimiter")
