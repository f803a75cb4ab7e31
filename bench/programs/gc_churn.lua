-- Table and closure churn: a working set of records is continuously
-- replaced (each record a table with a hash part, an array part, a string
-- and a closure over it), so most allocations die young while a steady
-- live set of about 50k objects stays; measures allocation and collection
-- under a realistic mix. Rounds from arg[1] (default 40).
local ROUNDS = tonumber(arg and arg[1]) or 40
local SLOTS = 10000

local function make_record(i, round)
  local rec = {id = i, round = round, name = "rec" .. (i % 1000), tags = {i, round, i + round}}
  rec.weight = function(scale) return (rec.id + #rec.tags) * scale end
  return rec
end

local live = {}
for i = 1, SLOTS do live[i] = make_record(i, 0) end

local sum = 0
for round = 1, ROUNDS do
  for i = 1, SLOTS * 5 do
    local slot = (i * 7919 + round) % SLOTS + 1
    local old = live[slot]
    sum = sum + old.weight(2) + #old.name
    live[slot] = make_record(i, round)
    -- short-lived garbage: a temporary list and a closure per step
    local tmp = {old.id, old.round, slot}
    local f = function() return tmp[1] + tmp[3] end
    sum = (sum + f()) % 1000000007
  end
end
print(sum)
