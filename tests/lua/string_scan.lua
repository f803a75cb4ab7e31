-- gsub and gmatch scanning the subject: empty matches, anchors, patterns
-- starting with captures, position captures, replacement counts
-- (expected values from lua5.4).

local function check(s, p, r, n, want, wantn)
  local got, gotn = s:gsub(p, r, n)
  assert(got == want and gotn == wantn,
    string.format("gsub(%q, %q, %q): %q %d", s, p, r, got, gotn))
end

local function gcheck(s, p, want)
  local parts = {}
  for a, b in s:gmatch(p) do
    parts[#parts + 1] = tostring(a) .. (b and ("/" .. tostring(b)) or "")
  end
  local got = table.concat(parts, "|")
  assert(got == want, string.format("gmatch(%q, %q): %q", s, p, got))
end

check("abc", "", "-", nil, "-a-b-c-", 4)
check("abc", "%w*", "x", nil, "x", 1)
check("hello world", "%w*", "<%0>", nil, "<hello> <world>", 2)
check("a1b22c333", "%d*", "#", nil, "#a#b#c#", 4)
check("abc", "^", ">", nil, ">abc", 1)
check("abc", "^a", "A", nil, "Abc", 1)
check("abc", "^b", "B", nil, "abc", 0)
check("aaa", "a", "b", 2, "bba", 2)
check("12x34 5x6", "(%d+)x(%d+)", "%2x%1", nil, "34x12 6x5", 2)
check("banana", "()a", "%1", nil, "b2n4n6", 3)
check("banana", "(a)(n)", "%2%1", nil, "bnanaa", 2)
check("x = 1, y = 22", "(%w+) = (%w+)", "%2 = %1", nil, "1 = x, 22 = y", 2)
check("  trim  ", "^%s*(.-)%s*$", "%1", nil, "trim", 1)
check("a,b,,c", ",", ";", nil, "a;b;;c", 3)
check("one two", "(%w+)", "[%1]", 1, "[one] two", 1)
check("abc", ".-", "-", nil, "-a-b-c-", 4)
check("", "", "e", nil, "e", 1)
check("((a))", "%((%w)%)", "<%1>", nil, "(<a>)", 1)
check("f(a(b)c)d", "%b()", "B", nil, "fBd", 1)
check("THE (quick) fox", "%f[%a]%a+", "W", nil, "W (W) W", 3)
check("x^2", "^x", "y", nil, "y^2", 1)
check("caps", "(c)(a)(p)(s)", "%4%3%2%1", nil, "spac", 1)
gcheck("abc", "", "|||")
gcheck("a=1, b=22", "(%a+)=(%d+)", "a/1|b/22")
gcheck("^a^b", "^%a", "^a|^b")
gcheck("banana", "a*", "|a|a|a")
gcheck("one two  three", "%a+", "one|two|three")
gcheck("x1y2", "()%d", "2|4")
gcheck("aXbXc", "[^X]*", "a|b|c")

-- a replacement function sees each match once, in order
local seen = {}
local r, n = ("k1=v1;k2=v2"):gsub("(%w+)=(%w+)", function(k, v)
  seen[#seen + 1] = k .. ":" .. v
  return v .. "=" .. k
end)
assert(r == "v1=k1;v2=k2" and n == 2 and seen[1] == "k1:v1" and seen[2] == "k2:v2")

-- a gmatch iterator keeps its position between calls
local it = ("a1b2c3"):gmatch("%a(%d)")
assert(it() == "1" and it() == "2" and it() == "3" and it() == nil and it() == nil)

-- long subjects with rare matches
local long = string.rep("x", 10000) .. "needle" .. string.rep("y", 10000)
assert(select(2, long:gsub("(n)(e+)dle", "%2")) == 1)
local count = 0
for _ in long:gmatch("(%a)%1%1%1") do count = count + 1 end
assert(count == 5000)

print("ok")
