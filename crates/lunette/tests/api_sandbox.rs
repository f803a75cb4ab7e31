//! `Lua::sandboxed`: every way out to the file system, processes,
//! environment variables, binary chunks or the debug library is tried and
//! must fail; the safe libraries work.

use lunette::Lua;

/// Runs `code` in a fresh sandbox; it must return true.
fn holds(code: &str) {
    let sb = Lua::sandboxed();
    let ok: bool = sb
        .load(code)
        .eval()
        .unwrap_or_else(|e| panic!("{code}: {e}"));
    assert!(ok, "{code}");
}

/// `code` must fail (an error, raised or reported) in a fresh sandbox.
fn fails(code: &str) {
    let sb = Lua::sandboxed();
    let r = sb.load(code).exec();
    assert!(r.is_err(), "{code} succeeded");
}

#[test]
fn no_dangerous_globals() {
    holds("return io == nil and debug == nil and package == nil and require == nil");
    holds("return dofile == nil and loadfile == nil");
    holds(
        "return os.execute == nil and os.getenv == nil and os.remove == nil and os.rename == nil",
    );
    holds("return os.exit == nil and os.tmpname == nil and os.setlocale == nil");
    holds(
        "return string.dump == nil and ('').dump == nil and getmetatable('').__index.dump == nil",
    );
    holds("for k in pairs(os) do if k ~= 'time' and k ~= 'clock' and k ~= 'date' then return false end end return true");
}

#[test]
fn escapes_fail() {
    // files and processes
    fails("io.open('/etc/passwd')");
    fails("os.execute('true')");
    fails("os.getenv('HOME')");
    fails("os.remove('/tmp/x')");
    fails("dofile('/etc/passwd')");
    fails("loadfile('/etc/passwd')");
    fails("require('os')");
    fails("package.loadlib('libc.so.6', 'system')");
    // the debug library, through globals or the string metatable
    fails("debug.getregistry()");
    fails("getmetatable('').__index.dump(print)");
    fails("string.dump(function() end)");
    // binary chunks through load, with any mode
    holds("local f, e = load('\\27Lua') return f == nil and e:find('binary') ~= nil");
    holds("local f, e = load('\\27Lua', 'x', 'b') return f == nil and e:find('binary') ~= nil");
    holds("local f, e = load('\\27Lua', 'x', 'bt') return f == nil and e:find('binary') ~= nil");
    holds("local n = 0 local f, e = load(function() n = n + 1 if n == 1 then return '\\27Lua' end end, 'x', 'b') return f == nil");
    // the host's own load path is text-only too
    let sb = Lua::sandboxed();
    let full = Lua::new();
    let bin: lunette::LuaString = full
        .load("return string.dump(function() return 1 end)")
        .eval()
        .unwrap();
    assert!(sb.load(bin.as_bytes()).exec().is_err());
}

#[test]
fn safe_libraries_work() {
    holds("return string.format('%d-%s', 1, 'x') == '1-x' and ('abc'):upper() == 'ABC'");
    holds("local t = {3, 1, 2} table.sort(t) return table.concat(t, ',') == '1,2,3'");
    holds("return math.floor(2.5) == 2 and math.maxinteger > 0 and math.random(1, 1) == 1");
    holds("return utf8.char(233) == 'é' and utf8.len('été') == 3");
    holds("local co = coroutine.wrap(function() coroutine.yield(1) end) return co() == 1");
    holds("return type(os.time()) == 'number' and type(os.clock()) == 'number' and type(os.date()) == 'string'");
    holds("return load('return 1 + 1')() == 2 and select('#', pcall(error)) == 2");
    holds("local env = {} load('x = 1', 'c', 't', env)() return env.x == 1 and x == nil");
}
