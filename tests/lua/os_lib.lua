-- os library basics: time, date, clock, difftime, getenv, tmpname, remove, rename.

-- os.time() is an integer number of seconds
local now = os.time()
assert(math.type(now) == "integer" and now > 1500000000)

-- UTC formatting with "!"
assert(os.date("!%Y-%m-%d %H:%M:%S", 0) == "1970-01-01 00:00:00")
assert(os.date("!%Y-%m-%d", 86400 * 365) == "1971-01-01")
assert(os.date("!%H:%M", 3600 + 60 * 5) == "01:05")
assert(os.date("!%c", 0) == "Thu Jan  1 00:00:00 1970")
assert(os.date("!%x %X %p %A %B %j", 0) == "01/01/70 00:00:00 AM Thursday January 001")
assert(os.date("!%%") == "%")

-- "*t" tables
local t = os.date("!*t", 86400)
assert(t.year == 1970 and t.month == 1 and t.day == 2 and t.hour == 0 and t.min == 0 and t.sec == 0)
assert(t.wday == 6 and t.yday == 2 and t.isdst == false)
local lt = os.date("*t", now)
assert(type(lt.isdst) == "boolean")
for _, k in ipairs({"year", "month", "day", "hour", "min", "sec", "wday", "yday"}) do
  assert(math.type(lt[k]) == "integer", k)
end

-- os.time(table) is the inverse of os.date("*t") in local time
assert(os.time(lt) == now)
local t2 = os.time({year = 2020, month = 6, day = 15, hour = 12, min = 30, sec = 15})
local back = os.date("*t", t2)
assert(back.year == 2020 and back.month == 6 and back.day == 15 and back.hour == 12 and back.min == 30 and back.sec == 15)
-- fields are normalized (month 14 of 2020 is February 2021)
assert(os.time({year = 2020, month = 14, day = 1, hour = 12}) == os.time({year = 2021, month = 2, day = 1, hour = 12}))
-- hour defaults to 12
assert(os.time({year = 2020, month = 1, day = 1}) == os.time({year = 2020, month = 1, day = 1, hour = 12}))
-- a day is 86400 seconds (no DST change at noon in most zones; use UTC-independent difference)
local d1 = os.time({year = 2021, month = 3, day = 1, hour = 12})
local d2 = os.time({year = 2021, month = 3, day = 2, hour = 12})
assert(d2 - d1 == 86400 or d2 - d1 == 82800 or d2 - d1 == 90000)

-- missing fields are errors
local ok, msg = pcall(os.time, {year = 2020})
assert(not ok and string.find(msg, "field 'month' missing in date table", 1, true), msg)
ok, msg = pcall(os.time, {year = 2020, month = 1})
assert(not ok and string.find(msg, "field 'day' missing in date table", 1, true), msg)
ok, msg = pcall(os.time, {year = 2020, month = "x", day = 1})
assert(not ok and string.find(msg, "field 'month' is not an integer", 1, true), msg)

-- invalid conversion specifiers
ok, msg = pcall(os.date, "%Q")
assert(not ok and string.find(msg, "invalid conversion specifier '%Q'", 1, true), msg)

-- clock and difftime
local c = os.clock()
assert(type(c) == "number" and c >= 0)
local x = 0
for i = 1, 100000 do x = x + i end
assert(os.clock() >= c)
assert(os.difftime(10, 5) == 5.0 and math.type(os.difftime(10, 5)) == "float")
assert(os.difftime(now, now) == 0)

-- environment
assert(os.getenv("LUNETTE_SURELY_UNSET_VARIABLE_XYZ") == nil)
local path = os.getenv("PATH")
assert(path == nil or type(path) == "string")

-- files: tmpname, remove, rename
local name = os.tmpname()
assert(type(name) == "string" and #name > 0)
local f = assert(io.open(name, "w"))
f:write("x")
f:close()
local name2 = name .. ".renamed"
assert(os.rename(name, name2) == true)
assert(io.open(name) == nil)
assert(os.remove(name2) == true)
local r1, r2, r3 = os.remove(name2)
assert(r1 == nil and string.find(r2, "No such file or directory", 1, true) and math.type(r3) == "integer")
r1, r2 = os.rename("/nonexistent-dir/a", "/nonexistent-dir/b")
assert(r1 == nil and type(r2) == "string")
