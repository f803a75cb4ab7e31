-- Table library work: table.insert/remove at both ends and in the middle,
-- table.sort with and without a comparator, table.concat, #.
local R = tonumber(arg and arg[1]) or 40
local seed = 42
local function rand(n)
  seed = (seed * 16807) % 2147483647
  return seed % n
end

local check = 0
for _ = 1, R do
  local t = {}
  for i = 1, 5000 do table.insert(t, rand(100000)) end
  for i = 1, 200 do table.insert(t, 1 + rand(#t), i) end
  for _ = 1, 200 do check = check + table.remove(t, 1 + rand(#t)) end
  table.sort(t)
  check = check + t[1] + t[#t] + t[math.floor(#t / 2)]
  table.sort(t, function(a, b) return a > b end)
  check = check + t[1] + t[100]
  local recs = {}
  for i = 1, 3000 do recs[i] = {key = rand(1000), id = i} end
  table.sort(recs, function(a, b)
    if a.key ~= b.key then return a.key < b.key end
    return a.id < b.id
  end)
  check = check + recs[1].id + recs[3000].id
  local stack = {}
  for i = 1, 20000 do stack[#stack + 1] = i end
  while #stack > 0 do check = check + table.remove(stack) end
  local strs = {}
  for i = 1, 2000 do strs[i] = tostring(rand(1000)) end
  table.sort(strs)
  check = (check + #table.concat(strs, ",", 1, 100)) % 1000000007
end
print(check)
