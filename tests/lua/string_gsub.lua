-- string.gsub with string, table and function replacements.

-- string replacement and count
local r, n = string.gsub("hello world", "o", "0")
assert(r == "hell0 w0rld" and n == 2)
r, n = string.gsub("abc", "x", "y")
assert(r == "abc" and n == 0)
-- max replacements
r, n = string.gsub("aaaa", "a", "b", 2)
assert(r == "bbaa" and n == 2)
r, n = string.gsub("aaaa", "a", "b", 0)
assert(r == "aaaa" and n == 0)

-- %0 .. %9 and %% in the replacement
assert(string.gsub("hello", "l+", "<%0>") == "he<ll>o")
assert(string.gsub("John Smith", "(%w+) (%w+)", "%2, %1") == "Smith, John")
assert(string.gsub("50", "%d+", "%0%%") == "50%")
local ok, msg = pcall(string.gsub, "abc", "b", "%2")
assert(not ok and string.find(msg, "invalid capture index %2", 1, true), msg)
ok, msg = pcall(string.gsub, "abc", "b", "%x")
assert(not ok and string.find(msg, "invalid use of '%' in replacement string", 1, true), msg)
assert(string.gsub("abc", "b", "%1") == "abc")       -- %1 with no captures is the whole match

-- table replacement: lookup by first capture (or whole match)
local vars = {name = "Lua", version = "5.4"}
assert(string.gsub("$name $version $missing", "%$(%w+)", vars) == "Lua 5.4 $missing")
-- false or nil keeps the original match
assert(string.gsub("a b", "%w", {a = false}) == "a b")
-- numbers are converted
assert(string.gsub("x", "x", {x = 42}) == "42")
ok, msg = pcall(string.gsub, "x", "x", {x = {}})
assert(not ok and string.find(msg, "invalid replacement value (a table)", 1, true), msg)

-- function replacement: receives captures, return value replaces
assert(string.gsub("1 2 3", "%d", function(d) return d * 2 end) == "2 4 6")
assert(string.gsub("abc", "(.)", function(c) return c:upper() .. "." end) == "A.B.C.")
assert(string.gsub("abc", "b", function() return nil end) == "abc")
assert(string.gsub("abc", "b", function() return false end) == "abc")
local seen = {}
string.gsub("k1=v1;k2=v2", "(%w+)=(%w+)", function(k, v) seen[k] = v end)
assert(seen.k1 == "v1" and seen.k2 == "v2")
-- position captures are passed as numbers
local positions = {}
string.gsub("aXbX", "()X", function(p) positions[#positions + 1] = p end)
assert(positions[1] == 2 and positions[2] == 4)

-- empty matches
assert(string.gsub("abc", "", "-") == "-a-b-c-")
assert(string.gsub("abc", "x*", "-") == "-a-b-c-")
assert(string.gsub("", "", "x") == "x")
assert(select(2, string.gsub("abc", "", "")) == 4)

-- anchored patterns replace at most once
assert(string.gsub("aaa", "^a", "b") == "baa")
r, n = string.gsub("hello", "^", ">")
assert(r == ">hello" and n == 1)

-- trimming idioms
local function trim(s) return (string.gsub(s, "^%s*(.-)%s*$", "%1")) end
assert(trim("  hi there  ") == "hi there")
assert(trim("") == "")
assert(trim("\t\nx\n") == "x")

-- special characters in patterns must be escaped
assert(string.gsub("a.b.c", "%.", "/") == "a/b/c")
assert(string.gsub("a.b", ".", "x") == "xxx")
assert(string.gsub("1+1=2", "%+", " plus ") == "1 plus 1=2")

-- gsub with embedded zeros
assert(string.gsub("a\0b\0", "%z", "Z") == "aZbZ")          -- %z still works in 5.4
assert(string.gsub("a\0b", "\0", "-") == "a-b")

-- replacement argument type checks
ok, msg = pcall(function() return string.gsub("abc", "a", true) end)
assert(not ok and string.find(msg, "bad argument #3 to 'gsub' (string/function/table expected, got boolean)", 1, true), msg)

-- the result count counts matches, not changed ones
r, n = string.gsub("abc", "%w", function() end)
assert(r == "abc" and n == 3)

-- long string performance sanity
local big = string.rep("ab", 10000)
r, n = string.gsub(big, "a", "")
assert(#r == 10000 and n == 10000)
