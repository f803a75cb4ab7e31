-- io library: writing and reading a temporary file in every read format.

local name = os.tmpname()

-- io.write through io.output redirected to a file
local out = assert(io.open(name, "w"))
io.output(out)
assert(io.write("line1\n", 42, " ", 1.5, "\n") == out)   -- io.write returns the file
io.write("line3\n")
io.output(io.stdout)
out:write("12 0x10 -3.5e1 nan\n")
out:write("last line without newline")
assert(out:close() == true)
assert(io.type(out) == "closed file")
assert(io.type(io.stdout) == "file" and io.type(42) == nil)
local ok, msg = pcall(out.write, out, "x")
assert(not ok and string.find(msg, "attempt to use a closed file", 1, true), msg)

-- read line by line with "l" and "L"
local f = assert(io.open(name, "r"))
assert(f:read("l") == "line1")
assert(f:read("L") == "42 1.5\n")
assert(f:read() == "line3")                    -- default is "l"
-- read numbers
local a, b, c = f:read("n", "n", "n")
assert(a == 12 and math.type(a) == "integer" and b == 16 and c == -35.0)
assert(f:read("n") == nil)                     -- "nan" is not a number
f:close()

-- read everything with "a"; at end of file "a" gives "" and "l" gives nil
f = assert(io.open(name))
local all = f:read("a")
assert(string.sub(all, 1, 6) == "line1\n" and string.sub(all, -9) == "t newline")
assert(f:read("a") == "" and f:read("l") == nil and f:read(0) == nil)
f:close()

-- read counts of bytes, and read(0) tests for end of file
f = assert(io.open(name))
assert(f:read(5) == "line1" and f:read(0) == "" and f:read(1) == "\n")
f:close()

-- io.lines and file:lines
local count = 0
for line in io.lines(name) do count = count + 1; assert(not string.find(line, "\n", 1, true)) end
assert(count == 5)
local fl = assert(io.open(name))
local first = {}
for l1, l2 in fl:lines(1, 2) do first[#first + 1] = l1 .. l2; if #first == 2 then break end end
assert(first[1] == "lin" and first[2] == "e1\n")
fl:close()
ok, msg = pcall(io.lines, "/nonexistent-dir/file.txt")
assert(not ok and string.find(msg, "No such file or directory", 1, true), msg)

-- seek
f = assert(io.open(name))
assert(f:seek("end") == #all)
assert(f:seek("set", 2) == 2 and f:read(3) == "ne1")
assert(f:seek() == 5)
assert(f:seek("cur", -1) == 4 and f:read(1) == "1")
f:close()

-- append mode
f = assert(io.open(name, "a"))
f:write("\nappended")
f:close()
f = assert(io.open(name))
local content = f:read("a")
f:close()
assert(string.sub(content, -10) == "e\nappended")

-- binary data round trip, including zeros
f = assert(io.open(name, "wb"))
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
f:write(table.concat(bytes))
f:close()
f = assert(io.open(name, "rb"))
assert(f:read("a") == table.concat(bytes))
f:close()

-- opening errors return nil, message, code
local nf, err, code = io.open("/nonexistent-dir/x.txt")
assert(nf == nil and string.find(err, "/nonexistent-dir/x.txt: No such file or directory", 1, true) and code == 2)
ok, msg = pcall(io.open, name, "rz")
assert(not ok and string.find(msg, "invalid mode", 1, true), msg)

-- tostring of files
f = assert(io.open(name))
assert(string.find(tostring(f), "^file %(0x%x+%)$") or string.find(tostring(f), "^file %(") ~= nil)
f:close()
assert(tostring(f) == "file (closed)")

assert(os.remove(name))

-- the standard streams
assert(io.write("") == io.stdout and io.stdout:write("") == io.stdout)
assert(io.output() == io.stdout and io.input() == io.stdin)
assert(io.type(io.stderr) == "file")
