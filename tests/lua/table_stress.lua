-- Table implementation stress: many keys of mixed types, deletions, rehashing, traversal.

-- many string keys, then delete half, traverse and count
local t = {}
for i = 1, 10000 do t["k" .. i] = i end
local n = 0
for _ in pairs(t) do n = n + 1 end
assert(n == 10000)
for i = 1, 10000, 2 do t["k" .. i] = nil end
n = 0
local sum = 0
for k, v in pairs(t) do n = n + 1; sum = sum + v; assert(t[k] == v) end
assert(n == 5000 and sum == 5000 * 5001)      -- sum of even numbers 2..10000

-- clearing fields during traversal is allowed
for k in pairs(t) do t[k] = nil end
assert(next(t) == nil)

-- mixed key types in one table
local mixed = {}
local keys = {1, 2, 3, 1.5, -1, 0, "a", "b", true, false, math.maxinteger, math.mininteger, 2^53, -0.5}
local tk, fk = {}, function() end
keys[#keys + 1] = tk
keys[#keys + 1] = fk
for i, k in ipairs(keys) do mixed[k] = i end
for i, k in ipairs(keys) do assert(mixed[k] == i) end
local count = 0
for _ in pairs(mixed) do count = count + 1 end
assert(count == #keys)

-- array part growing from the middle / sparse then filled
local arr = {}
for i = 1000, 1, -1 do arr[i] = i end
assert(#arr == 1000)
for i = 1, 1000 do assert(arr[i] == i) end
local sp = {}
sp[1] = 1; sp[100] = 100; sp[50] = 50
for i = 2, 99 do sp[i] = i end
assert(#sp == 100)

-- integer keys vs float keys that are equal
local eq = {}
for i = 1, 100 do eq[i] = "int" end
for i = 1, 100 do assert(eq[i + 0.0] == "int") end
for i = 1, 100 do eq[i + 0.0] = "float" end
for i = 1, 100 do assert(eq[i] == "float") end
n = 0
for k in pairs(eq) do n = n + 1; assert(math.type(k) == "integer") end
assert(n == 100)

-- next() order is stable for an unchanged table and covers everything
local h = {}
for i = 1, 300 do h[i * 7 % 1000 .. "x"] = i end
local order1, order2 = {}, {}
for k in pairs(h) do order1[#order1 + 1] = k end
for k in pairs(h) do order2[#order2 + 1] = k end
assert(#order1 == 300)
for i = 1, #order1 do assert(order1[i] == order2[i]) end

-- repeatedly insert and remove the same keys (tombstones must not break lookups)
local churn = {}
for round = 1, 50 do
  for i = 1, 100 do churn["c" .. i] = round end
  for i = 1, 100, 3 do churn["c" .. i] = nil end
end
for i = 1, 100 do
  if (i - 1) % 3 == 0 then assert(churn["c" .. i] == nil) else assert(churn["c" .. i] == 50) end
end

-- long strings as keys, keys that differ only at the end
local long = {}
local base = string.rep("x", 1000)
for i = 1, 100 do long[base .. i] = i end
for i = 1, 100 do assert(long[base .. i] == i) end
assert(long[base] == nil)

-- table with numeric string keys vs numbers
local ns = {}
for i = 1, 50 do ns[tostring(i)] = "s"; ns[i] = "n" end
for i = 1, 50 do assert(ns[tostring(i)] == "s" and ns[i] == "n") end

-- nested tables and length after removal at the end
local nest = {}
for i = 1, 100 do nest[i] = {i, {i}} end
for i = 100, 51, -1 do nest[i] = nil end
assert(#nest == 50 and nest[50][2][1] == 50)

-- table.insert / remove at the front of a large array keeps order
local big = {}
for i = 1, 2000 do big[i] = i end
for _ = 1, 100 do table.insert(big, 1, table.remove(big)) end
assert(big[1] == 1901 and big[100] == 2000 and big[101] == 1 and #big == 2000)
