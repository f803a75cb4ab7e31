-- a metamethod call: __add and __index on vector tables
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({ x = x, y = y }, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
function V:len2() return self.x * self.x + self.y * self.y end
local p = vec(1, 2) + vec(3, 4)
print(p.x, p.y, p:len2())
