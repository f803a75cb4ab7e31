-- Varargs: select, table.pack/unpack, nil holes, ... in every position.

local function count(...) return select("#", ...) end
assert(count() == 0 and count(nil) == 1 and count(nil, nil) == 2)
assert(count(1, nil, 3, nil) == 4)

-- select with positive and negative indices
assert(select(2, "a", "b", "c") == "b")
assert(select(-1, "a", "b", "c") == "c")
assert(select(-3, "a", "b", "c") == "a")
assert(count(select(2, "a", "b", "c")) == 2)
assert(count(select(4, "a", "b", "c")) == 0)
local ok, msg = pcall(select, 0, "a")
assert(not ok and string.find(msg, "bad argument #1 to 'select' (index out of range)", 1, true), msg)
ok, msg = pcall(select, -4, "a", "b", "c")
assert(not ok and string.find(msg, "index out of range", 1, true), msg)
ok, msg = pcall(select, "x")
assert(not ok and string.find(msg, "number expected, got string", 1, true), msg)

-- table.pack records n; table.unpack honours explicit bounds
local p = table.pack(1, nil, 3, nil)
assert(p.n == 4 and p[1] == 1 and p[2] == nil and p[3] == 3)
assert(count(table.unpack(p, 1, p.n)) == 4)
local a, b, c = table.unpack({1, 2, 3})
assert(a == 1 and b == 2 and c == 3)
assert(count(table.unpack({}, 1, 3)) == 3)
assert(count(table.unpack({1, 2, 3}, 2)) == 2)
assert(count(table.unpack({1, 2, 3}, 3, 2)) == 0)
assert(select(2, table.unpack({"x", "y"}, -1, 1)) == nil)

-- ... in a table constructor: all values only when last
local function pack_last(...) return {...} end
local function pack_middle(...) return {..., "end"} end
assert(#pack_last(1, 2, 3) == 3)
local pm = pack_middle(1, 2, 3)
assert(pm[1] == 1 and pm[2] == "end" and pm[3] == nil)
local function tail(...) return {"start", ...} end
local tl = tail(7, 8)
assert(tl[1] == "start" and tl[2] == 7 and tl[3] == 8)

-- ... in the middle of an argument list is truncated to one value
local function mid(...) return count(..., "z") end
assert(mid(1, 2, 3) == 2)
assert(mid() == 2)                     -- (nil, "z")
local function last(...) return count("z", ...) end
assert(last(1, 2, 3) == 4)
-- parentheses truncate to one value
local function paren(...) return (...) end
assert(count(paren(1, 2, 3)) == 1 and paren() == nil)

-- locals from ...
local function locals(...)
  local x, y = ...
  return x, y
end
local lx, ly = locals(5)
assert(lx == 5 and ly == nil)

-- ... is usable in the main chunk of a loaded function
local chunk = load("local a, b = ... return b, a, select('#', ...)")
local r1, r2, r3 = chunk("A", "B", "C")
assert(r1 == "B" and r2 == "A" and r3 == 3)

-- ... outside a vararg function is a compile error
local f, err = load("function g() return ... end")
assert(f == nil and string.find(err, "cannot use '...' outside a vararg function", 1, true), err)

-- many values through varargs
local big = {}
for i = 1, 250 do big[i] = i end
assert(count(table.unpack(big)) == 250)
assert(select(-1, table.unpack(big)) == 250)
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
assert(sum(table.unpack(big)) == 250 * 251 // 2)

-- varargs with trailing nils preserved across calls
local function pass(...) return ... end
assert(count(pass(nil, nil, nil)) == 3)
assert(count(pass(pass(1, nil))) == 2)

-- string.format / print-like consumers see every value
assert(string.format("%s %s %s", pass(1, nil, false)) == "1 nil false")
-- table.unpack too many results is an error
ok, msg = pcall(table.unpack, {}, 1, 1e8)
assert(not ok and string.find(msg, "too many results to unpack", 1, true), msg)
