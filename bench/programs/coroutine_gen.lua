-- Coroutine switching: generators producing values through yield/resume.
local N = tonumber(arg and arg[1]) or 1500000
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local sum = 0
for _ = 1, 10 do
  for v in gen(N // 10) do sum = sum + v end
end
local co = coroutine.create(function(a)
  while true do a = coroutine.yield(a * 2) end
end)
for i = 1, N do
  local _, r = coroutine.resume(co, i)
  sum = (sum + r) % 1000000007
end
print(sum)
