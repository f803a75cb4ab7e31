-- an error caught by pcall
local function check(x)
  if type(x) ~= "number" then error("not a number: " .. tostring(x)) end
  return x * 2
end
local ok, r = pcall(check, 21)
local bad, msg = pcall(check, "x")
print(ok, r, bad, msg)
