-- Every place Lua 5.4 allows a yield, and the C-call boundary errors where
-- it does not.

local function drive(f, ...)
  -- runs f in a coroutine, collecting yielded values until it returns
  local co = coroutine.create(f)
  local got = {}
  local res = table.pack(coroutine.resume(co, ...))
  while coroutine.status(co) == "suspended" do
    got[#got + 1] = res[2]
    res = table.pack(coroutine.resume(co, #got))
  end
  assert(res[1], res[2])
  return got, table.unpack(res, 2, res.n)
end

-- across pcall and xpcall
local got, a, b = drive(function()
  local ok, v = pcall(function() return coroutine.yield("in pcall") + 1 end)
  local ok2, w = xpcall(function() return coroutine.yield("in xpcall") + 1 end, debug.traceback)
  return ok and v, ok2 and w
end)
assert(got[1] == "in pcall" and got[2] == "in xpcall" and a == 2 and b == 3)

-- metamethods that are Lua functions
local mt = {
  __index = function(_, k) return coroutine.yield("index " .. k) end,
  __newindex = function(t, k, v) coroutine.yield("newindex " .. k); rawset(t, k, v) end,
  __add = function(_, y) return coroutine.yield("add") + y end,
  __lt = function() return coroutine.yield("lt") == 1 end,
  __le = function() return coroutine.yield("le") == 1 end,
  __eq = function() return coroutine.yield("eq") == 1 end,
  __len = function() return coroutine.yield("len") * 10 end,
  __call = function(_, x) return coroutine.yield("call") + x end,
  __concat = function() return "c" .. coroutine.yield("concat") end,
  __unm = function() return -coroutine.yield("unm") end,
}
local o1, o2 = setmetatable({}, mt), setmetatable({}, mt)
local results
got, results = drive(function()
  local r = {}
  r[#r + 1] = o1.foo
  o1.bar = 5
  r[#r + 1] = o1 + 100
  r[#r + 1] = o1 < o2
  r[#r + 1] = o1 <= o2
  r[#r + 1] = o1 == o2
  r[#r + 1] = #o1
  r[#r + 1] = o1(1000)
  r[#r + 1] = o1 .. "x"
  r[#r + 1] = -o1
  return r
end)
local expect = {"index foo", "newindex bar", "add", "lt", "le", "eq", "len", "call", "concat", "unm"}
for i, e in ipairs(expect) do assert(got[i] == e, tostring(got[i])) end
assert(results[1] == 1)            -- the resume value of the first yield
assert(rawget(o1, "bar") == 5)
assert(results[2] == 103)          -- third yield resumed with 3
assert(results[3] == false and results[4] == false and results[5] == false)
assert(results[6] == 70 and results[7] == 1008 and results[8] == "c9" and results[9] == -10)

-- generic for iterators and __close
got = drive(function()
  local function iter(_, i)
    if i < 3 then coroutine.yield("iter " .. i); return i + 1 end
  end
  for _ in iter, nil, 0 do end
  do
    local c <close> = setmetatable({}, {__close = function() coroutine.yield("close") end})
  end
end)
assert(table.concat(got, ",") == "iter 0,iter 1,iter 2,close", table.concat(got, ","))

-- where yields are not allowed
local co = coroutine.create(function()
  table.sort({3, 2, 1}, function(x, y) coroutine.yield() return x < y end)
end)
local ok, err = coroutine.resume(co)
assert(not ok and string.find(err, "attempt to yield across a C-call boundary", 1, true), err)

co = coroutine.create(function()
  return (string.gsub("abc", "%w", function(c) coroutine.yield(c) end))
end)
ok, err = coroutine.resume(co)
assert(not ok and string.find(err, "attempt to yield across a C-call boundary", 1, true), err)

ok, err = pcall(coroutine.yield, 1)
assert(not ok and string.find(err, "attempt to yield from outside a coroutine", 1, true), err)

-- errors inside a coroutine: resume returns them, wrap re-raises them
co = coroutine.create(function() error("inside") end)
ok, err = coroutine.resume(co)
assert(not ok and string.find(err, "inside", 1, true) and coroutine.status(co) == "dead")
local w = coroutine.wrap(function() error({code = 7}) end)
ok, err = pcall(w)
assert(not ok and type(err) == "table" and err.code == 7)
