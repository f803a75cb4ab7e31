//! Tests of the call machine through Lua source: protected calls,
//! to-be-closed variables, varargs, coroutines.

use super::{Value, Vm};

/// Runs `src` with the standard libraries; returns its first result as
/// text, or the error message.
fn eval(src: &str) -> Result<String, String> {
    let mut vm = Vm::new();
    crate::stdlib::open_libs(&mut vm);
    let text = |vm: &mut Vm, v: Value| match vm.tostring(v) {
        Ok(Value::Str(s)) => s.to_str_lossy().into_owned(),
        _ => format!("{v:?}"),
    };
    let f = match crate::load_text(&mut vm, src.as_bytes(), b"=t") {
        Ok(f) => f,
        Err(e) => return Err(text(&mut vm, e.value)),
    };
    match vm.call_function(f, &[]) {
        Ok(r) => {
            let v = r.first().copied().unwrap_or(Value::Nil);
            Ok(text(&mut vm, v))
        }
        Err(e) => Err(text(&mut vm, e.value)),
    }
}

#[test]
fn pcall_and_error_levels() {
    assert_eq!(eval("return select(2, pcall(error, 'x'))").unwrap(), "x");
    assert_eq!(
        eval("local function f() error('y', 2) end\nlocal ok, e = pcall(function()\nf() end) return e")
            .unwrap(),
        "t:3: y"
    );
    assert_eq!(eval("return select(2, pcall(error, 'z', 0))").unwrap(), "z");
    assert_eq!(
        eval("return select(2, xpcall(error, function(m) return 'h:' .. m end, 'w', 0))").unwrap(),
        "h:w"
    );
}

#[test]
fn runtime_errors_carry_position_and_names() {
    let e = eval("local t = nil\nreturn t.x").unwrap_err();
    assert_eq!(e, "t:2: attempt to index a nil value (local 't')");
    let e = eval("undefinedfn()").unwrap_err();
    assert_eq!(e, "t:1: attempt to call a nil value (global 'undefinedfn')");
    let e = eval("for i = 1, 10, 0 do end").unwrap_err();
    assert_eq!(e, "t:1: 'for' step is zero");
}

#[test]
fn close_variables_run_on_every_exit() {
    let src = r#"
        local log = {}
        local function mk(n) return setmetatable({}, {__close = function(_, e)
            log[#log + 1] = n .. ":" .. tostring(e) end}) end
        do local a <close> = mk("a") end
        for i = 1, 2 do local b <close> = mk("b" .. i); if i == 1 then goto cont end ::cont:: end
        pcall(function() local c <close> = mk("c"); error("E", 0) end)
        local function r() local d <close> = mk("d"); return 1 end
        r()
        return table.concat(log, " ")
    "#;
    assert_eq!(eval(src).unwrap(), "a:nil b1:nil b2:nil c:E d:nil");
}

#[test]
fn varargs_and_multiple_results() {
    let src = r#"
        local function f(...) return select('#', ...), ... end
        local function g() return 1, 2, 3 end
        local t = {f(nil, nil)}
        local u = {g(), g()}
        return t[1] .. "," .. #u .. "," .. select('#', f(g()))
    "#;
    assert_eq!(eval(src).unwrap(), "2,4,4");
}

#[test]
fn coroutines_pass_values_both_ways() {
    let src = r#"
        local co = coroutine.create(function(a)
            local b = coroutine.yield(a + 1)
            local ok, v = pcall(function() return coroutine.yield(b * 2) end)
            return v .. "!"
        end)
        local _, x = coroutine.resume(co, 1)
        local _, y = coroutine.resume(co, 10)
        local _, z = coroutine.resume(co, "end")
        return x .. " " .. y .. " " .. z .. " " .. coroutine.status(co)
    "#;
    assert_eq!(eval(src).unwrap(), "2 20 end! dead");
}

#[test]
fn coroutine_errors_and_boundaries() {
    assert_eq!(
        eval("return select(2, coroutine.resume(coroutine.create(function() error('e', 0) end)))")
            .unwrap(),
        "e"
    );
    assert_eq!(
        eval("return select(2, pcall(coroutine.yield))").unwrap(),
        "attempt to yield from outside a coroutine"
    );
    let src = "local co = coroutine.wrap(function() table.sort({3, 2, 1}, \
               function(a, b) coroutine.yield() return a < b end) end)\n\
               return select(2, pcall(co))";
    assert!(eval(src)
        .unwrap()
        .contains("attempt to yield across a C-call boundary"));
    let src = "local co = coroutine.create(function() end) coroutine.resume(co)\n\
               return select(2, coroutine.resume(co))";
    assert_eq!(eval(src).unwrap(), "cannot resume dead coroutine");
}

#[test]
fn stack_overflow_is_catchable_and_state_survives() {
    let src = r#"
        local function f() return 1 + f() end
        local ok, e = pcall(f)
        local ok2, e2 = pcall(f)
        return tostring(ok) .. " " .. e .. " " .. tostring(ok2)
    "#;
    let r = eval(src).unwrap();
    assert!(r.starts_with("false t:2: stack overflow"), "{r}");
    assert!(r.ends_with("false"), "{r}");
}

/// `__index` recursing through the semantics layer: each level re-enters
/// the interpreter from Rust; the limit must come before the native stack
/// ends (256 KB optimised; debug builds need far more per level).
#[test]
fn metamethod_recursion_is_a_c_stack_overflow() {
    let size = if cfg!(debug_assertions) {
        64 * 1024 * 1024
    } else {
        256 * 1024
    };
    let r = std::thread::Builder::new()
        .stack_size(size)
        .spawn(|| {
            let src = r#"
                local t = setmetatable({}, {__index = function(t, k) return t[k] end})
                return select(2, pcall(function() return t.x end))
            "#;
            eval(src)
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(r.unwrap().contains("C stack overflow"));
}

/// Lua recursion never grows the native stack: a runaway recursion on a
/// thread with a 256 KB stack ends in the Lua error `stack overflow`
/// (caught by pcall, state usable afterwards), not a crash.
#[test]
fn deep_lua_recursion_on_a_small_thread_is_a_lua_error() {
    let size = if cfg!(debug_assertions) {
        // unoptimised builds use far bigger interpreter frames
        2 * 1024 * 1024
    } else {
        256 * 1024
    };
    let handle = std::thread::Builder::new()
        .stack_size(size)
        .spawn(|| {
            eval(
                "local n = 0
                 local function f() n = n + 1; return 1 + f() end
                 local ok, e = pcall(f)
                 assert(not ok and string.find(e, 'stack overflow', 1, true), e)
                 assert(n > 100000, n)
                 local function g(k) if k == 0 then return 0 end return 1 + g(k - 1) end
                 return g(1000)",
            )
        })
        .expect("spawn");
    assert_eq!(handle.join().expect("thread").unwrap(), "1000");
}
