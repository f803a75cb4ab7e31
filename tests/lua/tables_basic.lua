-- Tables: key normalization, length of sequences, invalid keys, constructors.

-- float keys with integer values are normalized to integers
local t = {}
t[1.0] = "one"
assert(t[1] == "one")
t[2] = "two"
assert(t[2.0] == "two")
for k in pairs(t) do assert(math.type(k) == "integer") end
t[2^53] = "big"
assert(t[math.tointeger(2^53)] == "big")
t[-0.0] = "zero"
assert(t[0] == "zero")
t[1.5] = "frac"
assert(t[1.5] == "frac" and t[1] == "one")
-- 2^63 does not fit an integer: stays a float key
t[2^63] = "f63"
assert(t[2^63] == "f63" and t[math.mininteger] == nil)
-- -2^63 does fit: it is the integer key math.mininteger
t[-2^63] = "min"
assert(t[math.mininteger] == "min")
for k, v in pairs(t) do if v == "min" then assert(math.type(k) == "integer") end end

-- strings and numbers are distinct keys
t["1"] = "s"
assert(t[1] == "one" and t["1"] == "s")

-- booleans, tables and functions as keys
local kt, kf = {}, function() end
t[true] = "T"; t[false] = "F"; t[kt] = "table"; t[kf] = "fn"
assert(t[true] == "T" and t[false] == "F" and t[kt] == "table" and t[kf] == "fn")
assert(t[{}] == nil)

-- nil and NaN keys cannot be assigned
local ok, msg = pcall(function() t[nil] = 1 end)
assert(not ok and string.find(msg, "index is nil", 1, true), msg)
ok, msg = pcall(function() t[0/0] = 1 end)
assert(not ok and string.find(msg, "index is NaN", 1, true), msg)
assert(t[nil] == nil)                  -- reading is fine
ok, msg = pcall(rawset, t, nil, 1)
assert(not ok and string.find(msg, "index is nil", 1, true), msg)

-- assigning nil removes the key
t.x = 1
t.x = nil
for k in pairs(t) do assert(k ~= "x") end

-- length of sequences
assert(#{} == 0)
assert(#{1, 2, 3} == 3)
assert(#{n = 1} == 0)
local seq = {}
for i = 1, 100 do seq[i] = i end
assert(#seq == 100)
seq[#seq] = nil
assert(#seq == 99)
seq[#seq + 1] = "x"
assert(#seq == 100)
local s2 = {nil, nil, 3}
assert(#s2 == 3 or #s2 == 0)          -- border: either is valid
local s3 = {1, 2, nil}
assert(#s3 == 2)

-- constructors: positional, named, bracketed, separators
local c = {1, 2; 3, x = "x", ["y"] = "y", [10] = 10, 4,}
assert(c[1] == 1 and c[2] == 2 and c[3] == 3 and c[4] == 4)
assert(c.x == "x" and c.y == "y" and c[10] == 10)
local c2 = {[1] = "a", "b"}              -- positional wins
assert(c2[1] == "b")
local c3 = {"a", [1] = "b"}
assert(c3[1] == "a" or c3[1] == "b")     -- order of assignment is unspecified
local f, err = load("return {;}")
assert(f == nil and string.find(err, "unexpected symbol near ';'", 1, true), err)
f, err = load("return {1,,2}")
assert(f == nil and string.find(err, "unexpected symbol near ','", 1, true), err)
assert(#load("return {1, 2, 3,}")() == 3)

-- constructors larger than one SETLIST batch (50) and with a call at the end
local parts = {}
for i = 1, 520 do parts[i] = tostring(i) end
local big = load("return {" .. table.concat(parts, ",") .. "}")()
assert(#big == 520 and big[1] == 1 and big[51] == 51 and big[520] == 520)
local function three() return "a", "b", "c" end
local withcall = load("local f = ... return {" .. table.concat(parts, ",", 1, 60) .. ", f()}")(three)
assert(#withcall == 63 and withcall[61] == "a" and withcall[63] == "c")
local mixed = {x = 1, 10, y = 2, 20, [4] = "four", 30}
assert(mixed[1] == 10 and mixed[2] == 20 and mixed[3] == 30 and mixed[4] == "four" and mixed.x == 1)

-- nested constructors and expressions as keys
local n = {{1, {2, {3}}}, [1 + 1] = {k = "v"}}
assert(n[1][2][2][1] == 3 and n[2].k == "v")

-- tables are references
local a = {}
local b = a
b.z = 5
assert(a.z == 5 and a == b and a ~= {})

-- integer keys far outside the array part
local sparse = {}
sparse[math.maxinteger] = "max"
sparse[math.mininteger] = "min"
sparse[-1] = "neg"
assert(sparse[math.maxinteger] == "max" and sparse[math.mininteger] == "min" and sparse[-1] == "neg")
local cnt = 0
for _ in pairs(sparse) do cnt = cnt + 1 end
assert(cnt == 3)

-- growing and shrinking many times keeps contents
local g = {}
for i = 1, 1000 do g[i] = i end
for i = 1000, 1, -1 do assert(g[i] == i); g[i] = nil end
assert(next(g) == nil and #g == 0)
