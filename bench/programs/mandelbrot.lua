-- Mandelbrot set: counts the points of an N x N grid that stay bounded (float loops).
local N = tonumber(arg and arg[1]) or 1000
local iter = 50
local count, total = 0, 0
for y = 0, N - 1 do
  local ci = 2.0 * y / N - 1.0
  for x = 0, N - 1 do
    local cr = 2.0 * x / N - 1.5
    local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
    local inside = true
    for i = 1, iter do
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2 = zr * zr
      zi2 = zi * zi
      if zr2 + zi2 > 4.0 then inside = false; total = total + i; break end
    end
    if inside then count = count + 1 end
  end
end
print(count, total)
