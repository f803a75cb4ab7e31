-- Binary trees (the benchmarks-game program): allocates and walks many
-- short-lived complete binary trees while a long-lived one stays on the
-- heap; measures allocation cost and the collector. Depth from arg[1]
-- (default 16).
local N = tonumber(arg and arg[1]) or 16

local function bottom_up(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return {bottom_up(depth), bottom_up(depth)}
end

local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end

local min_depth = 4
local max_depth = math.max(min_depth + 2, N)
local sum = 0

local stretch = max_depth + 1
sum = sum + check(bottom_up(stretch))

local long_lived = bottom_up(max_depth)

for depth = min_depth, max_depth, 2 do
  local iters = 1 << (max_depth - depth + min_depth)
  local c = 0
  for _ = 1, iters do c = c + check(bottom_up(depth)) end
  sum = sum + c
end

sum = sum + check(long_lived)
print(sum)
