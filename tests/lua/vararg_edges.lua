-- Edge cases of the vararg fast paths: VARARG with few and many values,
-- fixed counts padded with nil, VARARGPREP with parameters, results moved
-- between frames, table.pack/unpack (raw tables, __index on tables and
-- non-tables, large counts, negative and empty ranges, the stack limit)
-- and select. Passes under lua5.4 and lunette.

local function check(got, want, what)
  if got ~= want then
    error(what .. ": got " .. tostring(got) .. ", want " .. tostring(want), 2)
  end
end

local function join(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  return t.n .. ":" .. table.concat(t, ",", 1, t.n)
end

-- VARARG into all results, 0 to 20 values (the short and the long move)
local function pass(...) return ... end
for n = 0, 20 do
  local t = {}
  for i = 1, n do t[i] = i * 10 end
  local s = join(pass(table.unpack(t, 1, n)))
  local want = {}
  for i = 1, n do want[i] = tostring(i * 10) end
  check(s, n .. ":" .. table.concat(want, ","), "pass " .. n)
end

-- fixed counts: fewer values than wanted are padded with nil
local function fixed(...)
  local a, b, c = ...
  return a, b, c
end
check(join(fixed()), "3:nil,nil,nil", "fixed 0")
check(join(fixed(1)), "3:1,nil,nil", "fixed 1")
check(join(fixed(1, 2, 3, 4, 5)), "3:1,2,3", "fixed 5")

-- parameters before the varargs (VARARGPREP moves them)
local function params(a, b, ...)
  return select("#", ...), a, b, ...
end
check(join(params()), "3:0,nil,nil", "params 0")
check(join(params(1)), "3:0,1,nil", "params 1")
check(join(params(1, 2)), "3:0,1,2", "params 2")
check(join(params(1, 2, 3, nil)), "5:2,1,2,3,nil", "params 4")
local many = {}
for i = 1, 30 do many[i] = i end
check(select("#", params(table.unpack(many))), 31, "params 30")
check(select(31, params(table.unpack(many))), 30, "params 30 last")

local function nine(a1, a2, a3, a4, a5, a6, a7, a8, a9, ...)
  return a9, select("#", ...), ...
end
check(join(nine(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)), "4:9,2,10,11", "nine")

-- results through several frames, with and without adjustment
local function deep(n, ...)
  if n == 0 then return ... end
  return (deep(n - 1, ...)), deep(n - 1, ...)
end
check(join(deep(2, "a", "b", "c")), "5:a,a,a,b,c", "deep")
local x, y, z, w = pass(1, 2)
check(join(x, y, z, w), "4:1,2,nil,nil", "adjust")

-- table.pack
local p = table.pack()
check(p.n, 0, "pack empty n")
check(#p, 0, "pack empty len")
p = table.pack(nil, nil)
check(p.n, 2, "pack nils n")
p = table.pack(1, nil, 3)
check(p.n, 3, "pack holes n")
check(p[3], 3, "pack holes 3")
check(rawget(p, 2), nil, "pack holes 2")
p = table.pack(table.unpack(many))
check(p.n, 30, "pack many n")
check(p[30], 30, "pack many 30")

-- table.unpack on plain tables: ranges
local t = {1, 2, 3, nil, 5}
check(join(table.unpack({1, 2, 3})), "3:1,2,3", "unpack all")
check(join(table.unpack(t, 2, 5)), "4:2,3,nil,5", "unpack hole")
check(join(table.unpack(t, 3)), "3:3,nil,5", "unpack from")
check(join(table.unpack(t, 4, 3)), "0:", "unpack empty")
check(join(table.unpack(t, -2, 1)), "4:nil,nil,nil,1", "unpack negative")
check(join(table.unpack({}, 1, 0)), "0:", "unpack none")
local h = {[0] = "zero", [-1] = "minus", [100] = "hundred"}
check(join(table.unpack(h, -1, 0)), "2:minus,zero", "unpack hash keys")
check(join(table.unpack(h, 100, 100)), "1:hundred", "unpack hash 100")
check(join(table.unpack({"a", "b"}, 1.0, 2.0)), "2:a,b", "unpack float bounds")
check(select("#", table.unpack({}, math.maxinteger, math.maxinteger)), 1, "unpack maxinteger")
check(select("#", table.unpack({}, math.mininteger, math.mininteger)), 1, "unpack mininteger")

-- table.unpack honours __index on tables with a metatable
local proxy = setmetatable({10, nil, 30}, {__index = function(_, k) return "i" .. k end})
check(join(table.unpack(proxy, 1, 4)), "4:10,i2,30,i4", "unpack __index")
local chain = setmetatable({}, {__index = {"x", "y"}})
check(join(table.unpack(chain, 1, 3)), "3:x,y,nil", "unpack __index table")
-- and __len when the end is not given
local lenp = setmetatable({}, {__len = function() return 2 end, __index = function(_, k) return k * 2 end})
check(join(table.unpack(lenp)), "2:2,4", "unpack __len")

-- and __index on non-tables
local smt = getmetatable("")
local old = smt.__index
smt.__index = function(s, k) return s .. k end
check(join(table.unpack("s", 1, 2)), "2:s1,s2", "unpack string __index")
smt.__index = old

-- errors keep their messages
local ok, err = pcall(table.unpack, {}, 1, 1e7)
check(ok, false, "unpack too many ok")
check(err:find("too many results to unpack", 1, true) ~= nil, true, "unpack too many msg")
ok, err = pcall(table.unpack, {}, math.mininteger, math.maxinteger)
check(ok, false, "unpack huge ok")
check(err:find("too many results to unpack", 1, true) ~= nil, true, "unpack huge msg")
ok, err = pcall(table.unpack, nil)
check(ok, false, "unpack nil ok")
check(err:find("attempt to get length", 1, true) ~= nil, true, "unpack nil msg")
ok, err = pcall(table.unpack, {}, "x")
check(ok, false, "unpack bad i ok")
check(err:find("bad argument #2 to 'table.unpack' (number expected, got string)", 1, true) ~= nil, true, "unpack bad i msg")

-- a large unpack through varargs
local big = {}
for i = 1, 5000 do big[i] = i end
check(select("#", pass(table.unpack(big))), 5000, "big count")
check(select(5000, pass(table.unpack(big))), 5000, "big last")
local sum = 0
for i = 1, select("#", table.unpack(big)) do sum = sum + (table.unpack(big, i, i)) end
check(sum, 5000 * 5001 // 2, "big sum")
sum = 0
for i = 1, 300 do sum = sum + (select(i, table.unpack(big, 1, 300))) end
check(sum, 300 * 301 // 2, "select sum")

-- counts near the stack limit
check(select("#", table.unpack({}, 1, 900000)), 900000, "unpack 900000 nils")
local huge = {}
for i = 1, 900000 do huge[i] = i end
check(select(900000, table.unpack(huge)), 900000, "unpack 900000")
local hp = table.pack(table.unpack(huge))
check(hp.n, 900000, "pack 900000 n")
check(hp[900000], 900000, "pack 900000 last")
huge, hp = nil, nil

-- select
check(select("#"), 0, "select # none")
check(select("#", nil, nil), 2, "select # nils")
check(join(select(2, "a", "b", "c")), "2:b,c", "select 2")
check(join(select(-1, "a", "b", "c")), "1:c", "select -1")
check(join(select(-3, "a", "b", "c")), "3:a,b,c", "select -3")
check(join(select(4, "a", "b", "c")), "0:", "select past end")
check((select(2, "a", "b", "c")), "b", "select first only")
ok, err = pcall(select, -4, "a", "b", "c")
check(ok, false, "select -4 ok")
check(err:find("bad argument #1 to 'select' (index out of range)", 1, true) ~= nil, true, "select -4 msg")
ok, err = pcall(select, 0)
check(ok, false, "select 0 ok")

-- integer numeric for loops around the edges (FORPREP's fast path)
local count = 0
for _ = math.maxinteger - 1, math.maxinteger do count = count + 1 end
check(count, 2, "for maxinteger")
count = 0
for _ = math.mininteger, math.mininteger + 2, 2 do count = count + 1 end
check(count, 2, "for mininteger step 2")
count = 0
for _ = 1, 0 do count = count + 1 end
check(count, 0, "for skip")
count = 0
for _ = 0, -10, -3 do count = count + 1 end
check(count, 4, "for negative step")
ok, err = pcall(function() for _ = 1, 2, 0 do end end)
check(err:find("'for' step is zero", 1, true) ~= nil, true, "for step zero")

print("vararg_edges ok")
