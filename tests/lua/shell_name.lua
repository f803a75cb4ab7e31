-- io.popen and os.execute run the command through the shell named `sh` (as
-- C's popen and system do), so the shell's own messages read the same as
-- under lua.
local f = assert(io.popen("lunette-no-such-command-42 2>&1"))
local out = f:read("a")
local ok, how, code = f:close()
assert(ok == nil and how == "exit" and code == 127, tostring(code))
assert(out:sub(1, 3) == "sh:", out)
assert(out:find("lunette-no-such-command-42", 1, true), out)

-- os.execute's status for the same failure
local ok2, how2, code2 = os.execute("lunette-no-such-command-42 2>/dev/null")
assert(ok2 == nil and how2 == "exit" and code2 == 127)

-- $0 inside the command is the shell's name
local g = assert(io.popen('echo "$0"'))
assert(g:read("l") == "sh")
g:close()
print("OK")
