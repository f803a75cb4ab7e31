-- Table-heavy loop: array fill, hash fill, reads and updates.
local N = tonumber(arg and arg[1]) or 800
local sum = 0
for rep = 1, N do
  local t = {}
  for i = 1, 10000 do t[i] = i * 2 end
  local h = {}
  for i = 1, 2000 do h["k" .. (i % 500)] = i end
  for i = 1, #t do sum = sum + t[i] end
  for k, v in pairs(h) do sum = sum + v end
  sum = sum % 1000000007
end
print(sum)
