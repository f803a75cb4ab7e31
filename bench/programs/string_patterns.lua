-- String-heavy library work: gsub (string, table and function replacements),
-- find/match/gmatch with captures, format and concatenation.
local N = tonumber(arg and arg[1]) or 600
local words = {}
for i = 1, 2000 do words[i] = "word" .. (i % 97) .. "x" .. (i * 7 % 13) end
local text = table.concat(words, " ")
local repl = {word1x1 = "ONE", word2x2 = "TWO"}
local check = 0
for rep = 1, N do
  local a = text:gsub("word(%d+)", "w%1")
  local b = text:gsub("%w+", repl)
  local c = text:gsub("(%d+)x(%d+)", function(p, q) return q .. p end)
  local count = 0
  for w in text:gmatch("%a+(%d+)") do count = count + #w end
  local s, e = text:find("word96x", 1, true)
  local m1, m2 = text:match("(word5)x(%d+)")
  local f = string.format("%s|%d|%5.2f|%q", m1, count, rep / 3, m2)
  check = (check + #a + #b + #c + count + s + e + #f) % 1000000007
end
print(check)
