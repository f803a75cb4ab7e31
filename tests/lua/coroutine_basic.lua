-- Coroutines: create, resume, yield, status, values in both directions.

local co = coroutine.create(function(a, b)
  assert(coroutine.status(coroutine.running()) == "running")
  local c = coroutine.yield(a + b)          -- first resume's args arrive as parameters
  local d, e = coroutine.yield(c * 2)       -- each resume's args are yield's results
  return d + e, "done"
end)
assert(type(co) == "thread")
assert(coroutine.status(co) == "suspended")
local ok, v = coroutine.resume(co, 1, 2)
assert(ok and v == 3 and coroutine.status(co) == "suspended")
ok, v = coroutine.resume(co, 10)
assert(ok and v == 20)
local ok2, sum, tag = coroutine.resume(co, 3, 4)
assert(ok2 and sum == 7 and tag == "done")
assert(coroutine.status(co) == "dead")

-- resuming a dead coroutine fails with a message
ok, v = coroutine.resume(co)
assert(not ok and v == "cannot resume dead coroutine")

-- yield with no values / multiple values
co = coroutine.create(function()
  coroutine.yield()
  coroutine.yield(1, nil, 3)
end)
assert(select("#", coroutine.resume(co)) == 1)
assert(select("#", coroutine.resume(co)) == 4)
assert(select("#", coroutine.resume(co)) == 1)   -- returns nothing: just true
assert(coroutine.status(co) == "dead")

-- errors inside a coroutine come back through resume; the coroutine is dead
co = coroutine.create(function() error("oops") end)
ok, v = coroutine.resume(co)
assert(not ok and string.find(v, "oops", 1, true))
assert(coroutine.status(co) == "dead")
co = coroutine.create(function() error({code = 1}) end)
ok, v = coroutine.resume(co)
assert(not ok and v.code == 1)

-- running / isyieldable
local main, ismain = coroutine.running()
assert(type(main) == "thread" and ismain == true)
assert(coroutine.isyieldable() == false)
co = coroutine.create(function()
  local me, im = coroutine.running()
  assert(im == false and coroutine.isyieldable())
  coroutine.yield(me)
end)
local _, me = coroutine.resume(co)
assert(me == co)

-- status "normal": a coroutine that resumed another
local outer
local inner = coroutine.create(function() return coroutine.status(outer) end)
outer = coroutine.create(function() return select(2, coroutine.resume(inner)) end)
local _, st = coroutine.resume(outer)
assert(st == "normal")

-- a coroutine cannot resume itself or a running one
co = coroutine.create(function() return coroutine.resume(coroutine.running()) end)
local okc, okinner, msg = coroutine.resume(co)
assert(okc and not okinner and msg == "cannot resume non-suspended coroutine")

-- yield outside a coroutine is an error
ok, v = pcall(coroutine.yield, 1)
assert(not ok and string.find(v, "attempt to yield from outside a coroutine", 1, true), v)

-- generators
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local total = 0
for i in gen(10) do total = total + i end
assert(total == 55)

-- producer / consumer passing values both ways
local producer = coroutine.create(function()
  local received = {}
  for i = 1, 3 do
    received[#received + 1] = coroutine.yield("item" .. i)
  end
  return table.concat(received, ",")
end)
local _, item = coroutine.resume(producer)
local items = {item}
for i = 1, 3 do
  local _, r = coroutine.resume(producer, "ack" .. i)
  items[#items + 1] = r
end
assert(table.concat(items, " ") == "item1 item2 item3 ack1,ack2,ack3")

-- many coroutines alive at once
local cos = {}
for i = 1, 1000 do
  cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2) return x + y end)
end
local acc = 0
for i = 1, 1000 do local _, r = coroutine.resume(cos[i], i); acc = acc + r end
for i = 1, 1000 do local _, r = coroutine.resume(cos[i], 1); acc = acc + r end
assert(acc == 2 * 500500 + 500500 + 1000)

-- argument checks
ok, v = pcall(coroutine.create, 1)
assert(not ok and string.find(v, "function expected", 1, true), v)
ok, v = pcall(coroutine.resume, 1)
assert(not ok and string.find(v, "bad argument #1 to 'coroutine.resume' (thread expected, got number)", 1, true), v)
