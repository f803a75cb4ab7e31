-- Object-oriented idioms: classes, inheritance, super calls, metamethods not inherited.

local Animal = {}
Animal.__index = Animal

function Animal.new(name, sound)
  local self = setmetatable({}, Animal)
  self.name, self.sound = name, sound
  return self
end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:kind() return "animal" end

local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name)
  local self = Animal.new(name, "woof")
  return setmetatable(self, Dog)
end
function Dog:kind() return "dog, a kind of " .. Animal.kind(self) end
function Dog:fetch() return self.name .. " fetches" end

local a = Animal.new("cat", "meow")
local d = Dog.new("rex")
assert(a:speak() == "cat says meow")
assert(d:speak() == "rex says woof")           -- inherited
assert(d:kind() == "dog, a kind of animal")    -- overridden with a super call
assert(d:fetch() == "rex fetches")
assert(a.fetch == nil)
assert(getmetatable(d) == Dog and getmetatable(a) == Animal)

-- instance fields shadow class fields
d.speak = function() return "custom" end
assert(d:speak() == "custom" and Dog.new("b"):speak() == "b says woof")

-- metamethods are looked up in the metatable itself, not through __index
local Base = {}
Base.__index = Base
Base.__tostring = function(o) return "Base(" .. o.v .. ")" end
Base.__add = function(x, y) return x.v + y.v end
local Derived = setmetatable({}, {__index = Base})
Derived.__index = Derived
local b1 = setmetatable({v = 1}, Base)
local d1 = setmetatable({v = 2}, Derived)
assert(tostring(b1) == "Base(1)")
assert(string.find(tostring(d1), "^table: "))   -- __tostring is not inherited
assert(b1 + d1 == 3)                              -- b1's __add is used
local ok = pcall(function() return d1 + d1 end)
assert(not ok)                                    -- Derived has no __add of its own
Derived.__add = Base.__add                         -- copy it explicitly
assert(d1 + d1 == 4)

-- class with a __call constructor and a counter
local Point = setmetatable({count = 0}, {__call = function(cls, x, y)
  cls.count = cls.count + 1
  return setmetatable({x = x, y = y}, cls)
end})
Point.__index = Point
Point.__eq = function(p, q) return p.x == q.x and p.y == q.y end
Point.__add = function(p, q) return Point(p.x + q.x, p.y + q.y) end
Point.__tostring = function(p) return "(" .. p.x .. "," .. p.y .. ")" end
Point.__lt = function(p, q) return p.x < q.x or (p.x == q.x and p.y < q.y) end
Point.__le = function(p, q) return not (q < p) end
Point.__len = function(p) return 2 end
Point.__unm = function(p) return Point(-p.x, -p.y) end
Point.__concat = function(p, q) return tostring(p) .. tostring(q) end
function Point:norm1() return math.abs(self.x) + math.abs(self.y) end

local p, q = Point(1, 2), Point(3, 4)
assert(tostring(p + q) == "(4,6)")
assert(p + q == Point(4, 6))
assert(p < q and p <= q and not (q < p) and q >= p)
assert(#p == 2 and (-p):norm1() == 3)
assert(p .. q == "(1,2)(3,4)")
assert(Point.count == 6)

-- multiple inheritance by a lookup function
local function createClass(...)
  local parents = {...}
  local c = {}
  setmetatable(c, {__index = function(_, k)
    for i = 1, #parents do
      local v = parents[i][k]
      if v ~= nil then return v end
    end
  end})
  c.__index = c
  return c
end
local Named = {getname = function(self) return self.name end}
local Aged = {getage = function(self) return self.age end}
local Person = createClass(Named, Aged)
local person = setmetatable({name = "ann", age = 30}, Person)
assert(person:getname() == "ann" and person:getage() == 30)

-- privacy through closures
local function Account(balance)
  local self = {}
  function self.deposit(v) balance = balance + v end
  function self.balance() return balance end
  return self
end
local acc = Account(100)
acc.deposit(50)
assert(acc.balance() == 150 and acc.balance == acc.balance)
