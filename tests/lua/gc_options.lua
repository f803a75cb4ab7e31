-- collectgarbage: every option with its Lua 5.4 results.

-- invalid options
local ok, msg = pcall(collectgarbage, "nonsense")
assert(not ok and msg:find("bad argument #1 to 'collectgarbage' %(invalid option 'nonsense'%)"), msg)
assert(not pcall(collectgarbage, "count", "x") or true)   -- extra args ignored

-- "collect" (the default) returns 0, an integer, one value
assert(select("#", collectgarbage()) == 1)
assert(collectgarbage() == 0 and math.type(collectgarbage("collect")) == "integer")

-- "count": one float, in KB; grows with allocation, drops after collecting
assert(select("#", collectgarbage("count")) == 1)
assert(math.type(collectgarbage("count")) == "float")
collectgarbage()
local base = collectgarbage("count")
assert(base > 0)
local hold = {}
for i = 1, 20000 do hold[i] = {i} end
local grown = collectgarbage("count")
assert(grown > base + 20000 * 16 / 1024, grown - base)  -- at least 16 bytes per table
hold = nil
collectgarbage()
assert(collectgarbage("count") < grown - 20000 * 16 / 1024)

-- "stop" / "restart" / "isrunning"
assert(collectgarbage("isrunning") == true)
assert(collectgarbage("stop") == 0)
assert(collectgarbage("isrunning") == false)
-- a stopped collector does not collect on its own
local weak = setmetatable({}, {__mode = "v"})
weak[1] = {}
for i = 1, 50000 do local _ = {i} end
assert(weak[1] ~= nil)
-- but an explicit collection still works, and leaves it stopped
collectgarbage()
assert(weak[1] == nil and collectgarbage("isrunning") == false)
-- so does "step"
assert(type(collectgarbage("step")) == "boolean")
assert(collectgarbage("isrunning") == false)
assert(collectgarbage("restart") == 0)
assert(collectgarbage("isrunning") == true)

-- "step" (in incremental mode): returns a boolean, true when a cycle
-- finished; a large step finishes one, and repeated steps always reach the
-- end of a cycle
collectgarbage("incremental")
assert(type(collectgarbage("step", 0)) == "boolean")
assert(collectgarbage("step", 1000000) == true)
local steps = 0
repeat steps = steps + 1 until collectgarbage("step") or steps > 100000
assert(steps <= 100000)
-- a step can collect garbage
weak[1] = {}
repeat until collectgarbage("step")
repeat until collectgarbage("step")
assert(weak[1] == nil)

-- "incremental" / "generational" return the previous mode
local prev = collectgarbage("incremental")
assert(prev == "incremental" or prev == "generational")
assert(collectgarbage("incremental") == "incremental")
assert(collectgarbage("generational") == "incremental")
assert(collectgarbage("generational") == "generational")
assert(collectgarbage("incremental") == "generational")
assert(collectgarbage("generational", 20, 100) == "incremental")
assert(collectgarbage("incremental", 0, 0, 0) == "generational")

-- "setpause" / "setstepmul" return the previous value (kept as multiples of 4)
collectgarbage("setpause", 200)
assert(collectgarbage("setpause", 100) == 200)
assert(collectgarbage("setpause", 150) == 100)
assert(collectgarbage("setpause", 200) == 148)
assert(collectgarbage("setstepmul", 400) >= 0)
assert(collectgarbage("setstepmul", 100) == 400)
-- "incremental" with arguments sets them (0 keeps the old value)
assert(collectgarbage("incremental", 300, 0, 0) == "incremental")
assert(collectgarbage("setpause", 200) == 300)
assert(collectgarbage("incremental", 0, 0, 0) == "incremental")
assert(collectgarbage("setpause", 200) == 200)

-- the program still works with a small pause (very frequent cycles)
collectgarbage("setpause", 100)
local t = {}
for i = 1, 20000 do t[i] = {tostring(i)} end
for i = 1, 20000 do assert(t[i][1] == tostring(i)) end
collectgarbage("setpause", 200)

-- inside a finalizer every option answers nil (the collector is busy)
local inside
do
  setmetatable({}, {__gc = function()
    inside = {n = select("#", collectgarbage("count")), c = collectgarbage("count"),
              s = collectgarbage("step"), r = collectgarbage("isrunning")}
  end})
end
collectgarbage()
collectgarbage()
assert(inside and inside.c == nil and inside.s == nil and inside.r == nil)
print("ok")
