-- string.dump and loading binary chunks.

local function add(a, b) return a + b end
local bin = string.dump(add)
assert(type(bin) == "string" and #bin > 0)
assert(string.sub(bin, 1, 4) == "\27Lua")            -- binary chunks start with ESC "Lua"
local add2 = load(bin, "=add", "b")
assert(add2(2, 3) == 5)
-- mode "bt" (the default) accepts binary too
assert(load(bin)(10, 20) == 30)

-- functions with constants, nested closures and varargs survive the round trip
local function complex(...)
  local t = {n = select("#", ...), 1.5, "str", math.maxinteger, 2^63}
  local function inner(x) return x * 2 end
  for i = 1, 3 do t[#t + 1] = inner(i) end
  return t
end
local c2 = load(string.dump(complex))
local r = c2("a", "b")
assert(r.n == 2 and r[1] == 1.5 and r[2] == "str" and r[3] == math.maxinteger and r[4] == 2^63)
assert(r[5] == 2 and r[7] == 6)

-- upvalues are fresh (nil) after loading, except the first one which load sets to _ENV
local up = 10
local function uses_up() return up end
local loaded = load(string.dump(uses_up))
assert(loaded() == _G)                          -- its only upvalue is the first: load sets it to _G

local function uses_global() return string.rep("x", 2) end
assert(load(string.dump(uses_global))() == "xx")

-- strip debug information: still runs, fewer bytes
local stripped = string.dump(complex, true)
assert(#stripped <= #string.dump(complex))
assert(load(stripped)().n == 0)

-- errors in dumped functions report positions unless stripped
local function fails() local x = nil; return x.y end
local ok, msg = pcall(load(string.dump(fails)))
assert(not ok and string.find(msg, "attempt to index a nil value", 1, true), msg)
ok, msg = pcall(load(string.dump(fails, true)))
assert(not ok and string.find(msg, "?:", 1, true) and string.find(msg, "attempt to index a nil value", 1, true), msg)

-- native functions cannot be dumped
ok, msg = pcall(string.dump, print)
assert(not ok and string.find(msg, "unable to dump given function", 1, true), msg)

-- truncated or corrupted binary chunks are rejected cleanly
for _, cut in ipairs({5, 10, 20, #bin // 2, #bin - 1}) do
  local f, err = load(string.sub(bin, 1, cut), "=cut", "b")
  assert(f == nil and type(err) == "string", "truncated chunk accepted at " .. cut)
end
local f, err = load("\27Lua" .. string.rep("\0", 40), "=zeros", "b")
assert(f == nil and type(err) == "string")
-- text mode rejects binary
f, err = load(bin, "=x", "t")
assert(f == nil and string.find(err, "attempt to load a binary chunk (mode is 't')", 1, true), err)
