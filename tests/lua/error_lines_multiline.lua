-- The line an error is reported on when a statement spans several lines:
-- Lua attributes each instruction to the last token read when it was
-- emitted (a method name on its own line, the closing ")" of a call or "}"
-- of a constructor, a condition's last line, the operator of a binary
-- expression). Expected texts are what Lua 5.4 reports.

local cases = {
  {"local obj = nil\nlocal x = obj\n  :method()\n",
   "m:3: attempt to index a nil value (local 'obj')"},
  {"local b = {}\nb:add(1)\n  :add(2)\n",
   "m:2: attempt to call a nil value (method 'add')"},
  {"local t = {}\nprint(\n  t.x.y\n)\n",
   "m:4: attempt to index a nil value (field 'x')"},
  {"local t = {}\nlocal v = {\n  1,\n  t.a.b,\n}\n",
   "m:5: attempt to index a nil value (field 'a')"},
  {"local t = {}\nlocal v = {\n  k = 1,\n  [t.a.b] = 2,\n}\n",
   "m:4: attempt to index a nil value (field 'a')"},
  {"local a = nil\nlocal s = 1 +\n  a\n",
   "m:2: attempt to perform arithmetic on a nil value (local 'a')"},
  {"local a = {}\nif a.b.c\nthen\nend\n",
   "m:3: attempt to index a nil value (field 'b')"},
  {"local a = {}\nwhile a.b\n  .c do\nend\n",
   "m:3: attempt to index a nil value (field 'b')"},
  {"local n = 0\nrepeat\n  n = n + 1\nuntil n >\n  nil\n",
   "m:5: attempt to compare nil with number"},
  {"for i = 1,\n  nil do\nend\n",
   "m:2: bad 'for' limit (number expected, got nil)"},
  {"local function f(a,\n  ...)\n  return ... + 1\nend\nf(1, {})\n",
   "m:3: attempt to perform arithmetic on a table value"},
  {"local t = setmetatable({}, {__index = function(t, k)\n  error('no ' .. k, 2)\nend})\nlocal v = t\n  .missing\n",
   "m:5: no missing"},
  {"local f = function()\n  local x <close> = 42\nend\nf()\n",
   "m:2: variable 'x' got a non-closable value"},
}

for i, c in ipairs(cases) do
  local ok, e = pcall(assert(load(c[1], "=m")))
  assert(not ok, "case " .. i .. " did not fail")
  if e ~= c[2] then
    error(("case %d:\n  got:    %s\n  wanted: %s"):format(i, tostring(e), c[2]), 0)
  end
end

print("OK")
