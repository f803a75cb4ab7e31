-- goto and labels (manual 3.3.4), including the errors load reports.

-- continue idiom
local odd = {}
for i = 1, 10 do
  if i % 2 == 0 then goto continue end
  odd[#odd + 1] = i
  ::continue::
end
assert(table.concat(odd, ",") == "1,3,5,7,9")

-- breaking out of nested loops
local found
for i = 1, 5 do
  for j = 1, 5 do
    if i * j == 12 then found = i .. "x" .. j; goto done end
  end
end
::done::
assert(found == "3x4")

-- jumping backward makes a loop
local n = 0
::top::
n = n + 1
if n < 5 then goto top end
assert(n == 5)

-- each backward jump creates fresh locals for closures
local fns = {}
do
  local k = 1
  ::again::
  local v = k
  fns[#fns + 1] = function() return v end
  k = k + 1
  if k <= 3 then goto again end
end
assert(fns[1]() == 1 and fns[2]() == 2 and fns[3]() == 3)

-- goto inside while/repeat
local i, s = 0, 0
while true do
  i = i + 1
  if i > 10 then goto out end
  if i % 3 ~= 0 then goto next end
  s = s + i
  ::next::
end
::out::
assert(s == 3 + 6 + 9)

-- a label at the end of a block may be followed by nothing but void statements
do
  goto e
  local unused = 1
  ::e::
end

-- errors: checked through load
local function bad(src, pattern)
  local f, msg = load(src, "=g")
  assert(f == nil, "should fail: " .. src)
  assert(string.find(msg, pattern), msg)
end
bad("goto nowhere", "^g:1: no visible label 'nowhere' for <goto> at line 1$")
bad("do ::l:: end goto l", "no visible label 'l' for <goto> at line 1")
bad("::a:: ::a::", "^g:1: label 'a' already defined on line 1")
bad("::a::\ndo ::a:: end", "^g:2: label 'a' already defined on line 1")
bad("goto f\nlocal x\n::f::\nprint(x)", "^g:4: <goto f> at line 1 jumps into the scope of local 'x'")
bad("local function f() goto out end ::out::", "no visible label 'out' for <goto>")
bad("for i = 1, 2 do end goto", "<name> expected near <eof>")
bad("break", "^g:1: break outside loop at line 1")
bad("for i=1,2 do\n if i then break end\nend\nbreak", "^g:4: break outside loop at line 4")

-- a label at the end of a block is outside the scope of locals declared before it
assert(load("do goto l; local x = 1; ::l:: end"))
-- repeat-until: a jump into the scope of a local visible in 'until' is rejected
bad("repeat goto l; local x ::l:: until x", "jumps into the scope of local 'x'")

-- same label name in different functions / sibling blocks is fine
assert(load("do ::x:: end do ::x:: end"))
assert(load("::x:: local function f() ::x:: end"))

-- goto continue with a local declared after the jump
local sum = 0
for j = 1, 3 do
  if j == 2 then goto cont end
  do
    local sq = j * j
    sum = sum + sq
  end
  ::cont::
end
assert(sum == 1 + 9)
