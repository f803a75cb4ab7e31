//! Embedding API limits: the instruction budget (uncatchable, through
//! pcall/xpcall/coroutines, and charged by builtins), memory, call depth,
//! the interrupt handle from another thread, and reuse of the state after
//! every kind of error.

use lunette::{Error, ErrorKind, Limits, Lua};
use std::time::{Duration, Instant};

type R = lunette::Result<()>;

fn limited(instructions: u64) -> Lua {
    let lua = Lua::sandboxed();
    lua.set_limits(Limits {
        instructions: Some(instructions),
        ..Limits::default()
    });
    lua
}

fn assert_usable(lua: &Lua) {
    let n: i64 = lua
        .load("local s = 0 for i = 1, 100 do s = s + i end return s")
        .eval()
        .expect("state usable");
    assert_eq!(n, 5050);
}

fn kind_of(r: lunette::Result<()>) -> ErrorKind {
    r.expect_err("should fail").kind()
}

#[test]
fn instruction_limit_cannot_be_caught() {
    let lua = limited(200_000);
    let scripts = [
        "while true do end",
        "for i = 1, 100 do pcall(function() while true do end end) end",
        "while true do pcall(error, 'x') end",
        "while true do xpcall(function() while true do end end, function(m) return m end) end",
        "local co = coroutine.wrap(function() while true do end end)
         while true do pcall(co) end",
        "while true do
           local co = coroutine.create(function() while true do end end)
           local ok, e = coroutine.resume(co)
         end",
        "local function f() return f() end while true do pcall(f) end",
        "local ok, e = pcall(function() while true do end end) return e",
        "repeat local x = 1 until false",
        "local t = setmetatable({}, {__index = function(t, k) return t[k] end})
         while true do pcall(function() return t.x end) end",
        "::top:: goto top",
        "for k, v in function() return 1, 1 end do end",
        "local t = setmetatable({}, {__close = function() while true do end end})
         do local x <close> = t end",
    ];
    for s in scripts {
        let e = lua.load(s).exec().expect_err(s);
        assert_eq!(e.kind(), ErrorKind::InstructionLimit, "{s}: {e}");
        assert!(e.to_string().contains("instruction limit"), "{e}");
        assert!(e.is_uncatchable());
        assert_usable(&lua);
    }
}

#[test]
fn instruction_budget_is_per_entry_and_sized() {
    let lua = limited(1_000_000);
    // a loop of 10k iterations fits; 10M does not
    lua.load("for i = 1, 10000 do end").exec().unwrap();
    for _ in 0..10 {
        // each entry gets the full budget again
        lua.load("for i = 1, 50000 do end").exec().unwrap();
    }
    let e = lua.load("for i = 1, 10000000 do end").exec().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InstructionLimit);
    // host functions called from Lua share the entry's budget
    let f = lua
        .create_function(|lua, ()| lua.load("for i = 1, 100 do end").exec())
        .unwrap();
    lua.globals().set("f", f).unwrap();
    let e = lua.load("while true do f() end").exec().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InstructionLimit);
    assert_usable(&lua);
}

#[test]
fn host_function_seeing_the_stop_cannot_swallow_it() {
    let lua = limited(100_000);
    let swallow = lua
        .create_function(|lua, code: String| {
            let r = lua.load(code).exec();
            assert!(r.as_ref().unwrap_err().is_uncatchable());
            Ok(()) // ignores the error
        })
        .unwrap();
    lua.globals().set("swallow", swallow).unwrap();
    let e = lua
        .load("swallow('while true do end') return 'continued'")
        .exec()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InstructionLimit);
    assert_usable(&lua);
}

/// Runs `code` under a budget; it must stop with the limit error, fast.
fn stopped_quickly(code: &str) {
    let lua = limited(2_000_000);
    let t = Instant::now();
    let e = lua.load(code).exec().expect_err(code);
    assert_eq!(e.kind(), ErrorKind::InstructionLimit, "{code}: {e}");
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "{code} took {:?}",
        t.elapsed()
    );
    assert_usable(&lua);
}

#[test]
fn builtins_charge_for_their_work() {
    // one long builtin call is stopped too
    stopped_quickly("local s = string.rep('a', 40) .. 'b' string.find(s, string.rep('a?', 40) .. string.rep('a', 40) .. 'c')");
    stopped_quickly("local s = string.rep('a', 5000) while true do s:match('.-.-.-b') end");
    stopped_quickly("local s = string.rep('x', 100000) for i = 1, 1000 do s:gsub('.', '%0') end");
    stopped_quickly(
        "local s = string.rep('x', 100000) for i = 1, 1000 do for w in s:gmatch('.') do end end",
    );
    stopped_quickly("for i = 1, 100 do local s = string.rep('abc', 10000000) end");
    stopped_quickly(
        "local t = {} for i = 1, 100000 do t[i] = 'x' end for i = 1, 1000 do table.concat(t) end",
    );
    stopped_quickly(
        "local t = {} for i = 1, 100000 do t[i] = -i end for i = 1, 100 do table.sort(t) end",
    );
    stopped_quickly("local s = string.rep('é', 100000) for i = 1, 1000 do utf8.len(s) end");
    stopped_quickly(
        "local s = string.rep('é', 100000) for i = 1, 1000 do for p, c in utf8.codes(s) do end end",
    );
}

fn memory_limited() -> Lua {
    let lua = Lua::sandboxed();
    lua.set_limits(Limits {
        memory: Some(16 << 20),
        ..Limits::default()
    });
    lua
}

#[test]
fn memory_limit_string_doubling() -> R {
    let lua = memory_limited();
    let e = lua
        .load("local s = 'x' while true do s = s .. s end")
        .exec()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Memory, "{e}");
    assert!(e.to_string().contains("not enough memory"));
    // catchable, as in Lua; the ceiling stays
    let (ok, msg): (bool, String) = lua
        .load("return pcall(function() local s = 'x' while true do s = s .. s end end)")
        .eval()?;
    assert!(!ok);
    assert!(msg.contains("not enough memory"), "{msg}");
    let e = lua
        .load("local s = string.rep('x', 64 << 20)")
        .exec()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Memory, "{e}");
    assert_usable(&lua);
    Ok(())
}

#[test]
fn memory_limit_table_growth() -> R {
    let lua = memory_limited();
    let e = lua
        .load("local t = {} for i = 1, 1e9 do t[i] = i end")
        .exec()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Memory, "{e}");
    let e = lua
        .load("local t = {} for i = 1, 1e9 do t['k' .. i] = {i} end")
        .exec()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Memory, "{e}");
    lua.gc_collect()?;
    assert_usable(&lua);
    Ok(())
}

#[test]
fn call_depth_limit() -> R {
    let lua = Lua::sandboxed();
    lua.set_limits(Limits {
        call_depth: Some(200),
        ..Limits::default()
    });
    let e = lua
        .load("local function f(n) return 1 + f(n + 1) end return f(1)")
        .exec()
        .unwrap_err();
    assert!(e.to_string().contains("stack overflow"), "{e}");
    // catchable, and depth below the limit works
    let (ok, deep): (bool, i64) = lua
        .load(
            "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end
             local ok = not pcall(f, 1000) return ok, f(150)",
        )
        .eval()?;
    assert!(ok);
    assert_eq!(deep, 150);
    assert_usable(&lua);
    Ok(())
}

#[test]
fn interrupt_from_another_thread() {
    let lua = Lua::sandboxed();
    for script in [
        "while true do end",
        "while true do pcall(function() while true do end end) end",
        "local s = string.rep('a', 30) while true do s:find(string.rep('a?', 30) .. string.rep('a', 30)) end",
    ] {
        let h = lua.interrupt_handle();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            h.interrupt();
        });
        let start = Instant::now();
        let e = lua.load(script).exec().unwrap_err();
        t.join().unwrap();
        assert_eq!(e.kind(), ErrorKind::Interrupted, "{script}: {e}");
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_usable(&lua);
    }
}

#[test]
fn state_is_reusable_after_every_kind_of_error() -> R {
    let lua = Lua::sandboxed();
    lua.set_limits(Limits {
        instructions: Some(20_000_000),
        memory: Some(16 << 20),
        call_depth: Some(100),
    });
    let fail =
        lua.create_function(|_, ()| -> lunette::Result<()> { Err(Error::runtime("host")) })?;
    let boom = lua.create_function(|_, ()| -> lunette::Result<()> { panic!("boom") })?;
    lua.globals().set("fail", fail)?;
    lua.globals().set("boom", boom)?;
    let cases: [(&str, ErrorKind); 9] = [
        ("x = = 1", ErrorKind::Syntax),
        ("error('e')", ErrorKind::Runtime),
        ("error({})", ErrorKind::Runtime),
        ("fail()", ErrorKind::Runtime),
        ("boom()", ErrorKind::Runtime),
        ("local function f() return 1 + f() end f()", ErrorKind::Runtime),
        ("while true do end", ErrorKind::InstructionLimit),
        ("local s = 'x' while true do s = s .. s end", ErrorKind::Memory),
        ("local co = coroutine.wrap(function() local x <close> = setmetatable({}, {__close = function() end}) while true do end end) co()", ErrorKind::InstructionLimit),
    ];
    for (code, kind) in cases {
        assert_eq!(kind_of(lua.load(code).exec()), kind, "{code}");
        assert_usable(&lua);
        let t = lua.create_table()?;
        t.set("k", code)?;
        assert_eq!(t.get::<String>("k")?, code);
    }
    Ok(())
}
