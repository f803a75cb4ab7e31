-- string.find, string.match, string.gmatch and Lua patterns.

-- plain find
assert(string.find("hello world", "wor") == 7)
local s, e = string.find("hello world", "o w")
assert(s == 5 and e == 7)
assert(string.find("hello", "xyz") == nil)
assert(string.find("hello", "") == 1)
assert(string.find("hello", "", 10) == nil)
assert(string.find("hello", "", 6) == 6)
assert(string.find("a.b", ".", 1, true) == 2)      -- plain: dot is literal
assert(string.find("a+b", "+", 1, true) == 2)
assert(string.find("hello", "l", -2) == 4)
assert(string.find("hello", "h", -100) == 1)

-- captures returned by find
local s2, e2, cap = string.find("key=value", "(%w+)=")
assert(s2 == 1 and e2 == 4 and cap == "key")

-- character classes
assert(string.match("abc123", "%d+") == "123")
assert(string.match("  x", "%s*()") == 3)
assert(string.match("hello", "%a+") == "hello")
assert(string.match("x_y", "[%w_]+") == "x_y")
assert(string.match("ABCdef", "%u+") == "ABC" and string.match("ABCdef", "%l+") == "def")
assert(string.match("a,b", "%p") == ",")
assert(string.match("\t\n", "%c+") == "\t\n")
assert(string.match("0x1F", "%x+", 3) == "1F")
assert(string.match("abc", "%D+") == "abc")
assert(string.match("a1", "[^%d]") == "a")
assert(string.match("]", "[]]") == "]")
assert(string.match("a-z", "[a%-z]+") == "a-z")
assert(string.match("b", "[a-c]") == "b" and string.match("d", "[a-c]") == nil)

-- quantifiers: * + - ?
assert(string.match("aaab", "a*") == "aaa")
assert(string.match("b", "a*b") == "b")
assert(string.match("<a><b>", "<.->") == "<a>")     -- lazy
assert(string.match("<a><b>", "<.*>") == "<a><b>")  -- greedy
assert(string.match("color", "colou?r") == "color")
assert(string.match("colour", "colou?r") == "colour")
assert(string.match("", "a+") == nil)

-- anchors
assert(string.match("hello", "^h") == "h" and string.match("hello", "^e") == nil)
assert(string.match("hello", "o$") == "o" and string.match("hello", "l$") == nil)
assert(string.find("a^b", "^", 2) == 2)            -- an anchor matches at init: empty match at 2
assert(string.match("x$y", "%$") == "$")

-- captures: positions, nested, back-references
assert(string.match("hello", "()ll()") == 3)
local p1, p2 = string.match("hello", "()ll()")
assert(p1 == 3 and p2 == 5)
local a, b = string.match("key = value", "(%w+)%s*=%s*(%w+)")
assert(a == "key" and b == "value")
local outer, inner = string.match("abc", "(a(b)c)")
assert(outer == "abc" and inner == "b")
assert(string.match('say "hi" now', '(["\'])(.-)%1') == '"')
assert(select(2, string.match('say "hi" now', '(["\'])(.-)%1')) == "hi")

-- %b and %f
assert(string.match("x(a(b)c)y", "%b()") == "(a(b)c)")
assert(string.match("THE (quick) fox", "%f[%a]%a+") == "THE")
local words = {}
for w in string.gmatch("THE (quick) fox", "%f[%a]%a+%f[%A]") do words[#words + 1] = w end
assert(table.concat(words, ",") == "THE,quick,fox")

-- gmatch iterates over matches, with captures
local kv = {}
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do kv[k] = tonumber(v) end
assert(kv.a == 1 and kv.b == 2 and kv.c == 3)
local count = 0
for _ in string.gmatch("abc", "") do count = count + 1 end
assert(count == 4)                                  -- empty matches at each position
local parts = {}
for p in string.gmatch("one two  three", "%S+") do parts[#parts + 1] = p end
assert(#parts == 3 and parts[3] == "three")
-- gmatch with an init argument (5.4)
local g = {}
for x in string.gmatch("abcd", ".", 3) do g[#g + 1] = x end
assert(table.concat(g) == "cd")

-- match with init
assert(string.match("hello", ".", -1) == "o")
assert(string.match("hello", "l+", 4) == "l")

-- malformed patterns raise errors
local function bad(pat, text)
  local ok, msg = pcall(string.match, "abc", pat)
  assert(not ok and string.find(msg, text, 1, true), msg)
end
bad("[a", "malformed pattern (missing ']')")
bad("%", "malformed pattern (ends with '%')")
bad("(", "unfinished capture")
bad(")", "invalid pattern capture")
bad("%1", "invalid capture index %1")
bad("%b", "missing arguments to '%b'")
bad("%f", "missing '[' after '%f' in pattern")
assert(string.find("a)b", ")") == 2)                -- no special characters: plain search
assert(select("#", string.find("abc", "b")) == 2)   -- no captures: just positions
