-- package and require: loaded table, preload, searchers, module files, errors.

assert(type(package) == "table" and type(require) == "function")
assert(package.loaded.string == string and package.loaded._G == _G)
assert(package.loaded.table == table and package.loaded.math == math)
assert(require("string") == string)            -- already loaded: no search
assert(type(package.path) == "string" and type(package.cpath) == "string")
assert(string.sub(package.config, 1, 1) == "/")
assert(type(package.searchers) == "table" and #package.searchers >= 2)
assert(type(package.preload) == "table")

-- preload: the loader receives the module name and an extra value
local calls = 0
package.preload["virtual.mod"] = function(name, extra)
  calls = calls + 1
  return {name = name, extra = extra}
end
local m, where = require("virtual.mod")
assert(m.name == "virtual.mod" and m.extra == ":preload:" and where == ":preload:")
assert(require("virtual.mod") == m and calls == 1)  -- cached in package.loaded
assert(package.loaded["virtual.mod"] == m)

-- a loader returning nothing stores true
package.preload["returns.nothing"] = function() end
assert(require("returns.nothing") == true)
-- a loader may set package.loaded itself
package.preload["self.register"] = function(name) package.loaded[name] = "registered" end
assert(require("self.register") == "registered")

-- module files found through package.path
local dir = os.tmpname()
os.remove(dir)
local base = dir .. "_mods"
local modname = "lunette_test_mod_" .. tostring(os.time() % 100000)
local file = base .. "_" .. modname .. ".lua"
local f = assert(io.open(file, "w"))
f:write("local name, path = ...\nreturn {name = name, path = path, answer = 42}\n")
f:close()
local saved_path = package.path
package.path = base .. "_?.lua;" .. saved_path
local mod, found = require(modname)
assert(mod.answer == 42 and mod.name == modname and mod.path == file and found == file)
assert(package.searchpath(modname, package.path) == file)
package.path = saved_path
os.remove(file)

-- searchpath reports every place it tried
local none, msg = package.searchpath("nope", "/nonexistent-a/?.lua;/nonexistent-b/?/x.lua")
assert(none == nil and msg == "no file '/nonexistent-a/nope.lua'\n\tno file '/nonexistent-b/nope/x.lua'", msg)
-- dots in module names become directory separators
local _, msg2 = package.searchpath("a.b.c", "/nonexistent/?.lua")
assert(msg2 == "no file '/nonexistent/a/b/c.lua'", msg2)

-- a missing module is an error listing the searched places
local ok, err = pcall(require, "no_such_module_xyz")
assert(not ok and string.find(err, "module 'no_such_module_xyz' not found:", 1, true), err)
assert(string.find(err, "no field package.preload['no_such_module_xyz']", 1, true), err)
assert(string.find(err, "no file './no_such_module_xyz.lua'", 1, true), err)

-- errors inside a module propagate and the module is not cached
package.preload["broken.mod"] = function() error("broken module", 0) end
ok, err = pcall(require, "broken.mod")
assert(not ok and err == "broken module")
assert(package.loaded["broken.mod"] == nil)

-- require checks its argument
ok, err = pcall(require)
assert(not ok and string.find(err, "bad argument #1 to 'require' (string expected, got no value)", 1, true), err)
