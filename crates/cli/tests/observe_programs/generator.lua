-- a coroutine generator: frames of both threads
local function range(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i * i) end
  end)
end
local sum = 0
for sq in range(4) do sum = sum + sq end
print("sum of squares", sum)
