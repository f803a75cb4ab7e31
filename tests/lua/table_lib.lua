-- table library: insert, remove, concat, move, unpack, pack.

-- insert at the end and at a position
local t = {}
table.insert(t, "a")
table.insert(t, "c")
table.insert(t, 2, "b")
assert(table.concat(t) == "abc")
table.insert(t, 1, "z")
assert(table.concat(t) == "zabc")
table.insert(t, #t + 1, "end")
assert(t[#t] == "end")
local ok, msg = pcall(table.insert, t, 10, "x")
assert(not ok and string.find(msg, "position out of bounds", 1, true), msg)
ok, msg = pcall(table.insert, t, 0, "x")
assert(not ok and string.find(msg, "position out of bounds", 1, true), msg)
ok, msg = pcall(table.insert, t)
assert(not ok and string.find(msg, "wrong number of arguments to 'insert'", 1, true), msg)
table.insert(t, nil)                    -- appends nil: no change in length
assert(#t == 5)

-- remove from the end, from a position, from an empty table
local r = {1, 2, 3, 4}
assert(table.remove(r) == 4 and #r == 3)
assert(table.remove(r, 1) == 1 and r[1] == 2 and r[2] == 3 and #r == 2)
assert(table.remove({}) == nil)
local e = {}
assert(table.remove(e, 0) == nil and table.remove(e, #e) == nil)
ok, msg = pcall(table.remove, {1, 2}, 5)
assert(not ok and string.find(msg, "position out of bounds", 1, true), msg)
local r2 = {1, 2, 3}
assert(table.remove(r2, 4) == nil)      -- #t + 1 is allowed
assert(#r2 == 3)

-- concat with separators and ranges
assert(table.concat({1, 2, 3}, ", ") == "1, 2, 3")
assert(table.concat({}, "x") == "")
assert(table.concat({"a", "b", "c"}, "", 2) == "bc")
assert(table.concat({"a", "b", "c"}, "-", 2, 3) == "b-c")
assert(table.concat({"a", "b"}, "-", 3) == "")
assert(table.concat({1.5, 2, "x"}) == "1.52x")
assert(table.concat({1.0, 2^63, -0.0}, " ") == "1.0 9.2233720368548e+18 -0.0")   -- numbers as tostring
ok, msg = pcall(table.concat, {1, {}, 3})
assert(not ok and string.find(msg, "invalid value (table) at index 2 in table for 'concat'", 1, true), msg)
ok, msg = pcall(table.concat, {1, nil, 3}, ",", 1, 3)
assert(not ok and string.find(msg, "invalid value (nil) at index 2 in table for 'concat'", 1, true), msg)

-- move
local m = {1, 2, 3, 4, 5}
table.move(m, 2, 4, 1)                  -- shift left
assert(table.concat(m, ",") == "2,3,4,4,5")
m = {1, 2, 3, 4, 5}
table.move(m, 1, 3, 3)                  -- overlapping shift right
assert(table.concat(m, ",") == "1,2,1,2,3")
local dst = table.move({1, 2, 3}, 1, 3, 2, {"a"})
assert(table.concat(dst, ",") == "a,1,2,3")
assert(table.move({}, 1, 0, 1) ~= nil)  -- empty range returns the destination
ok, msg = pcall(table.move, {}, 1, math.maxinteger, 2)
assert(not ok and string.find(msg, "(destination wrap around)", 1, true), msg)
ok, msg = pcall(table.move, {}, -1, math.maxinteger, 1)
assert(not ok and string.find(msg, "too many elements to move", 1, true), msg)

-- unpack / pack
assert(select("#", table.unpack({1, 2, 3})) == 3)
assert(select("#", table.unpack({1, 2, 3}, 2, 3)) == 2)
local p = table.pack()
assert(p.n == 0)
p = table.pack(nil)
assert(p.n == 1 and p[1] == nil)

-- table functions respect metamethods (5.3+): __index/__newindex/__len
local log = {}
local proxy = setmetatable({}, {
  __len = function() return 3 end,
  __index = function(_, i) return "v" .. i end,
  __newindex = function(_, k, v) log[#log + 1] = k .. "=" .. tostring(v) end,
})
assert(table.concat(proxy, ",") == "v1,v2,v3")
assert(select("#", table.unpack(proxy)) == 3)
table.insert(proxy, "new")
assert(log[1] == "4=new")

-- argument checks
ok, msg = pcall(table.concat, "abc")
assert(not ok and string.find(msg, "table expected, got string", 1, true), msg)
ok, msg = pcall(table.insert, 1, 2)
assert(not ok and string.find(msg, "table expected, got number", 1, true), msg)

-- sequences built with insert/remove as a stack and a queue
local stack = {}
for i = 1, 100 do table.insert(stack, i) end
local sum = 0
while #stack > 0 do sum = sum + table.remove(stack) end
assert(sum == 5050)
local queue = {}
for i = 1, 10 do table.insert(queue, i) end
local first = table.remove(queue, 1)
assert(first == 1 and #queue == 9 and queue[1] == 2)
