-- Deep (non-tail) recursion: the Lua stack grows to hundreds of thousands of frames.
local N = tonumber(arg and arg[1]) or 150000
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
local function sumto(n) if n == 0 then return 0 end return n + sumto(n - 1) end
local total = 0
for _ = 1, 60 do total = total + depth(N) + sumto(N // 2) % 1000 end
print(total)
