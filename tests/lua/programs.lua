-- Small complete programs with known answers (integration of many features).

-- sieve of Eratosthenes
local function primes(n)
  local is = {}
  for i = 2, n do is[i] = true end
  for i = 2, math.floor(math.sqrt(n)) do
    if is[i] then for j = i * i, n, i do is[j] = false end end
  end
  local out = {}
  for i = 2, n do if is[i] then out[#out + 1] = i end end
  return out
end
local ps = primes(1000)
assert(#ps == 168 and ps[1] == 2 and ps[168] == 997)

-- quicksort (recursive, in place)
local function qsort(t, lo, hi)
  lo, hi = lo or 1, hi or #t
  if lo >= hi then return t end
  local pivot, i = t[hi], lo - 1
  for j = lo, hi - 1 do
    if t[j] <= pivot then i = i + 1; t[i], t[j] = t[j], t[i] end
  end
  t[i + 1], t[hi] = t[hi], t[i + 1]
  qsort(t, lo, i)
  qsort(t, i + 2, hi)
  return t
end
local arr = {}
local seed = 12345
for i = 1, 500 do seed = (seed * 1103515245 + 12345) % 2147483648; arr[i] = seed % 1000 end
qsort(arr)
for i = 2, #arr do assert(arr[i - 1] <= arr[i]) end

-- memoized fibonacci with big integers (wrapping is not reached below 93)
local memo = {}
local function fib(n)
  if n <= 2 then return 1 end
  local v = memo[n]
  if not v then v = fib(n - 1) + fib(n - 2); memo[n] = v end
  return v
end
assert(fib(90) == 2880067194370816120)
assert(math.type(fib(90)) == "integer")

-- eight queens: count all solutions
local function queens(n)
  local count, cols, d1, d2 = 0, {}, {}, {}
  local function place(r)
    if r > n then count = count + 1; return end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = nil, nil, nil
      end
    end
  end
  place(1)
  return count
end
assert(queens(8) == 92)

-- word frequency with gmatch and sorting
local text = "the quick brown fox jumps over the lazy dog the fox"
local freq = {}
for w in text:gmatch("%a+") do freq[w] = (freq[w] or 0) + 1 end
local words = {}
for w in pairs(freq) do words[#words + 1] = w end
table.sort(words, function(x, y) if freq[x] ~= freq[y] then return freq[x] > freq[y] end return x < y end)
assert(words[1] == "the" and words[2] == "fox" and freq.the == 3)

-- string building and a simple serializer
local function serialize(v, indent)
  indent = indent or ""
  if type(v) == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(x, y) return tostring(x) < tostring(y) end)
    local parts = {}
    for _, k in ipairs(keys) do
      parts[#parts + 1] = indent .. "  [" .. string.format("%q", k) .. "] = " .. serialize(v[k], indent .. "  ")
    end
    return "{\n" .. table.concat(parts, ",\n") .. "\n" .. indent .. "}"
  end
  return string.format("%q", v)
end
local data = {name = "x", list = {1, 2.5, "three"}, flag = true}
local code = "return " .. serialize(data)
local copy = load(code)()
assert(copy.name == "x" and copy.list[2] == 2.5 and copy.list[3] == "three" and copy.flag == true)

-- matrix multiplication
local function matmul(a, b)
  local n, m, p = #a, #b, #b[1]
  local c = {}
  for i = 1, n do
    c[i] = {}
    for j = 1, p do
      local s = 0
      for k = 1, m do s = s + a[i][k] * b[k][j] end
      c[i][j] = s
    end
  end
  return c
end
local I = matmul({{1, 2}, {3, 4}}, {{5, 6}, {7, 8}})
assert(I[1][1] == 19 and I[1][2] == 22 and I[2][1] == 43 and I[2][2] == 50)

-- collatz lengths with integer arithmetic
local function collatz(n)
  local steps = 0
  while n ~= 1 do
    if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end
    steps = steps + 1
  end
  return steps
end
assert(collatz(27) == 111)
local best, bestn = 0, 0
for i = 1, 10000 do local s = collatz(i); if s > best then best, bestn = s, i end end
assert(bestn == 6171 and best == 261)
