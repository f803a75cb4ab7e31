-- coroutine.resume checks that the resumer's stack has room for the values a
-- coroutine yields or returns: with too many it fails with "too many results
-- to resume" (the values are dropped) and the coroutine keeps its state.

-- N values fit the coroutine's stack (the limit is 1000000 slots) but not
-- the resumer's on top of its own, which `deep` makes a few hundred slots long
local N = 999800

local function deep(k, f, ...)
  if k == 0 then return f(...) end
  local r = table.pack(deep(k - 1, f, ...))
  return table.unpack(r, 1, r.n)
end

local function values(n)
  local t = {}
  for i = 1, n do t[i] = i end
  return t
end

-- values returned by a finishing coroutine
local co = coroutine.create(function() return table.unpack(values(N)) end)
local ok, msg = deep(300, coroutine.resume, co)
assert(ok == false and msg == "too many results to resume", msg)
assert(coroutine.status(co) == "dead")

-- values yielded: the coroutine stays suspended and goes on when resumed
co = coroutine.create(function()
  local got = coroutine.yield(table.unpack(values(N)))
  coroutine.yield(got + 1)
  return "done"
end)
ok, msg = deep(300, coroutine.resume, co)
assert(ok == false and msg == "too many results to resume", msg)
assert(coroutine.status(co) == "suspended")
local ok2, v = coroutine.resume(co, 41)
assert(ok2 == true and v == 42)
assert(select(2, coroutine.resume(co)) == "done")
assert(coroutine.status(co) == "dead")

-- through coroutine.wrap the failure is an error, with the caller's position
local gen = coroutine.wrap(function() return table.unpack(values(N)) end)
local okw, err = deep(300, pcall, gen)
assert(okw == false and err:find("too many results to resume", 1, true), err)

-- a smaller count still moves every value
co = coroutine.create(function() return table.unpack(values(1000)) end)
local res = table.pack(coroutine.resume(co))
assert(res[1] == true and res.n == 1001 and res[1001] == 1000)

print("OK")
