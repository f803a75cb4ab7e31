-- Longest pause of the collector on a large live heap.
-- Builds a live heap of about HEAP_MB megabytes (tables of strings kept in
-- one big array), then allocates steadily (short-lived tables) and records
-- the longest gap between consecutive iterations of that allocation loop:
-- with a stop-the-world collector that gap is one full mark-and-sweep of
-- the live heap; with an incremental one it is one increment.
local HEAP_MB = tonumber(arg and arg[1]) or 300
local STEPS = tonumber(arg and arg[2]) or 5000000
local clock = os.clock

-- the live heap is spread over many mid-sized tables (one huge table would
-- be one indivisible unit of marking work, even for an incremental collector)
local live = {}
local per = 160 -- bytes per live item in lua5.4 (a 3-slot table and a short string)
local n = HEAP_MB * 1024 * 1024 // per
local group = 1000
for g = 1, n // group do
  local t = {}
  for k = 1, group do
    local i = g * group + k
    t[k] = { i, i + 1, tostring(i) }
  end
  live[g] = t
end
collectgarbage()
local base_kb = collectgarbage("count")

-- counts finished collection cycles: a finalized sentinel makes a new one
local cycles = 0
local sentinel_mt = {}
sentinel_mt.__gc = function() cycles = cycles + 1; setmetatable({}, sentinel_mt) end
setmetatable({}, sentinel_mt)

local worst, total = 0, 0
local last = clock()
local start = last
local sink
for i = 1, STEPS do
  sink = { i, i, i, i, i, i, i, i } -- ~180 bytes: 5M of them allocate ~3x the live heap
  local now = clock()
  local gap = now - last
  if gap > worst then worst = gap end
  last = now
end
total = clock() - start
print(string.format("live heap %.0f MB, %d allocations in %.2f s CPU, %d collections, longest pause %.1f ms",
  base_kb / 1024, STEPS, total, cycles, worst * 1000))
