-- The smallest lunette demo: a greeting and a little arithmetic.
print("Hello from lunette!")

local function fact(n)
  if n <= 1 then return 1 end
  return n * fact(n - 1)
end

print(string.format("10! = %d, 2^0.5 = %.4f", fact(10), 2 ^ 0.5))
