-- Sieve of Eratosthenes over a boolean array, repeated.
local N = tonumber(arg and arg[1]) or 1000000
local R = tonumber(arg and arg[2]) or 15
local total = 0
for _ = 1, R do
  local composite = {}
  for i = 1, N do composite[i] = false end
  local count = 0
  for i = 2, N do
    if not composite[i] then
      count = count + 1
      for j = i * i, N, i do composite[j] = true end
    end
  end
  total = total + count
end
print(total)
