-- String building: concatenation, table.concat, string.format, string.rep.
local N = tonumber(arg and arg[1]) or 800
local total = 0
for rep = 1, N do
  local parts = {}
  for i = 1, 2000 do
    parts[#parts + 1] = "item" .. i .. ":" .. (i * 3)
  end
  local s = table.concat(parts, ",")
  local f = string.format("%d-%s-%5.2f", rep, "x", rep / 7)
  local acc = ""
  for i = 1, 100 do acc = acc .. "ab" end
  total = (total + #s + #f + #acc + #string.rep("xy", rep)) % 1000000007
end
print(total)
