-- JSON encoder and decoder written in Lua: string scanning with find/sub/byte,
-- string building with table.concat, recursion over nested tables.
local R = tonumber(arg and arg[1]) or 60

local concat, format, byte, sub, find, char = table.concat, string.format, string.byte,
  string.sub, string.find, string.char
local floor, tostring = math.floor, tostring

local escapes = {['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
                 ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}

local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or format("\\u%04x", byte(c))
  end) .. '"'
end

local encode_value
local function encode_table(t, out)
  if t[1] ~= nil or next(t) == nil then
    out[#out + 1] = "["
    for i = 1, #t do
      if i > 1 then out[#out + 1] = "," end
      encode_value(t[i], out)
    end
    out[#out + 1] = "]"
  else
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    table.sort(keys)
    out[#out + 1] = "{"
    for i, k in ipairs(keys) do
      if i > 1 then out[#out + 1] = "," end
      out[#out + 1] = encode_string(k)
      out[#out + 1] = ":"
      encode_value(t[k], out)
    end
    out[#out + 1] = "}"
  end
end

function encode_value(v, out)
  local tv = type(v)
  if tv == "table" then encode_table(v, out)
  elseif tv == "string" then out[#out + 1] = encode_string(v)
  elseif tv == "number" then
    if v == floor(v) then out[#out + 1] = format("%d", v) else out[#out + 1] = format("%.14g", v) end
  elseif tv == "boolean" then out[#out + 1] = tostring(v)
  else out[#out + 1] = "null" end
end

local function encode(v)
  local out = {}
  encode_value(v, out)
  return concat(out)
end

local decode_value
local function skip(s, i)
  local _, e = find(s, "^[ \n\r\t]*", i)
  return e + 1
end

local function decode_string(s, i)
  local parts = {}
  local j = i + 1
  while true do
    local c = byte(s, j)
    if c == 34 then -- "
      return concat(parts), j + 1
    elseif c == 92 then -- backslash
      local e = sub(s, j + 1, j + 1)
      if e == "u" then
        parts[#parts + 1] = char(tonumber(sub(s, j + 2, j + 5), 16))
        j = j + 6
      else
        local map = {b = "\b", f = "\f", n = "\n", r = "\r", t = "\t"}
        parts[#parts + 1] = map[e] or e
        j = j + 2
      end
    else
      local k = find(s, '["\\]', j)
      parts[#parts + 1] = sub(s, j, k - 1)
      j = k
    end
  end
end

function decode_value(s, i)
  i = skip(s, i)
  local c = sub(s, i, i)
  if c == "{" then
    local t = {}
    i = skip(s, i + 1)
    if sub(s, i, i) == "}" then return t, i + 1 end
    while true do
      local k
      k, i = decode_string(s, skip(s, i))
      i = skip(s, i)
      assert(sub(s, i, i) == ":")
      t[k], i = decode_value(s, i + 1)
      i = skip(s, i)
      local d = sub(s, i, i)
      if d == "}" then return t, i + 1 end
      assert(d == ",")
      i = i + 1
    end
  elseif c == "[" then
    local t = {}
    i = skip(s, i + 1)
    if sub(s, i, i) == "]" then return t, i + 1 end
    local n = 0
    while true do
      n = n + 1
      t[n], i = decode_value(s, i)
      i = skip(s, i)
      local d = sub(s, i, i)
      if d == "]" then return t, i + 1 end
      assert(d == ",")
      i = i + 1
    end
  elseif c == '"' then
    return decode_string(s, i)
  elseif c == "t" then return true, i + 4
  elseif c == "f" then return false, i + 5
  elseif c == "n" then return nil, i + 4
  else
    local _, e = find(s, "^-?%d+%.?%d*[eE]?[-+]?%d*", i)
    return tonumber(sub(s, i, e)), e + 1
  end
end

local function decode(s) return (decode_value(s, 1)) end

-- A document with nested objects, arrays, strings needing escapes and numbers.
local doc = {}
for i = 1, 200 do
  doc[i] = {
    id = i, name = "item \"" .. i .. "\"\n", price = i * 1.25, tags = {"a" .. i, "b", "c\t"},
    active = i % 3 == 0, nested = {depth = {level = i % 7, list = {1, 2, 3, i}}},
  }
end

local check = 0
for _ = 1, R do
  local s = encode(doc)
  local back = decode(s)
  local s2 = encode(back)
  assert(s2 == s)
  check = check + #s + back[200].nested.depth.list[4]
end
print(check)
