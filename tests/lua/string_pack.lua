-- string.pack, string.unpack, string.packsize.

local pack, unpack, packsize = string.pack, string.unpack, string.packsize

-- fixed-size integers with explicit endianness
assert(pack("<i4", 1) == "\1\0\0\0")
assert(pack(">i4", 1) == "\0\0\0\1")
assert(pack("<i2", -2) == "\254\255")
assert(pack("B", 255) == "\255" and pack("b", -1) == "\255")
assert(pack(">I3", 0x010203) == "\1\2\3")
assert(pack("<j", -1) == string.rep("\255", 8))
assert(pack(">J", 1) == "\0\0\0\0\0\0\0\1")

-- unpack returns values and the next position
local v, pos = unpack("<i4", "\1\0\0\0")
assert(v == 1 and pos == 5)
assert(unpack("<i2", "\254\255") == -2)
assert(unpack("<I2", "\254\255") == 65534)
assert(unpack(">i4", "\255\255\255\255") == -1)
assert(unpack("B", "\200") == 200 and unpack("b", "\200") == -56)
local a, b, c, p = unpack("<bhi", pack("<bhi", 1, 2, 3))
assert(a == 1 and b == 2 and c == 3 and p == 8)

-- floats
assert(unpack("<d", pack("<d", 1.5)) == 1.5)
assert(unpack(">f", pack(">f", 0.25)) == 0.25)
assert(unpack("n", pack("n", math.pi)) == math.pi)
assert(#pack("d", 0) == 8 and #pack("f", 0) == 4)
assert(math.type(unpack("d", pack("d", 3))) == "float")

-- strings: length-prefixed, zero-terminated, fixed
assert(pack("s1", "abc") == "\3abc")
assert(unpack("s1", "\3abcXYZ") == "abc")
assert(pack("z", "hi") == "hi\0")
local zs, zp = unpack("z", "hello\0rest")
assert(zs == "hello" and zp == 7)
assert(pack("c5", "ab") == "ab\0\0\0")
assert(unpack("c3", "abcdef") == "abc")
local ok, msg = pcall(pack, "z", "a\0b")
assert(not ok and string.find(msg, "string contains zeros", 1, true), msg)
ok, msg = pcall(pack, "c2", "abc")
assert(not ok and string.find(msg, "string longer than given size", 1, true), msg)

-- padding and alignment
assert(packsize("i4") == 4 and packsize("i8") == 8)
assert(packsize("!8 b i8") == 16)
assert(packsize("b i8") == 9)
assert(packsize("<i2 x i2") == 5)
assert(pack("<i1 x i1", 1, 2) == "\1\0\2")
assert(packsize("!4 b Xi4") == 4)
ok, msg = pcall(packsize, "s")
assert(not ok and string.find(msg, "(variable-length format)", 1, true), msg)

-- overflow checks
ok, msg = pcall(pack, "i1", 128)
assert(not ok and string.find(msg, "integer overflow", 1, true), msg)
ok, msg = pcall(pack, "I1", -1)
assert(not ok and string.find(msg, "unsigned overflow", 1, true), msg)
assert(pack("i1", -128) == "\128")
ok, msg = pcall(pack, "i17", 1)
assert(not ok and string.find(msg, "integral size (17) out of limits [1,16]", 1, true), msg)
-- 16-byte integers sign-extend
assert(pack("<i16", -1) == string.rep("\255", 16))
assert(unpack("<i16", string.rep("\255", 16)) == -1)
ok, msg = pcall(unpack, "<i9", "\0\0\0\0\0\0\0\0\1")
assert(not ok and string.find(msg, "does not fit into Lua Integer", 1, true), msg)

-- unpack with a start position, negative positions, and bounds
assert(unpack("B", "\1\2\3", 2) == 2)
assert(unpack("B", "\1\2\3", -1) == 3)
ok, msg = pcall(unpack, "i4", "\1\2")
assert(not ok and string.find(msg, "data string too short", 1, true), msg)
ok, msg = pcall(unpack, "B", "abc", 5)
assert(not ok and string.find(msg, "initial position out of string", 1, true), msg)

-- invalid format option
ok, msg = pcall(pack, "y", 1)
assert(not ok and string.find(msg, "invalid format option 'y'", 1, true), msg)

-- round trip of many values
local fmt = "<i4 d s2 z B J"
local data = pack(fmt, -123456, 2.5, "str", "zero", 7, math.maxinteger)
local r = {unpack(fmt, data)}
assert(r[1] == -123456 and r[2] == 2.5 and r[3] == "str" and r[4] == "zero" and r[5] == 7)
assert(r[6] == math.maxinteger and r[7] == #data + 1)
