//! Embedding lunette in a Rust program: the contract of the embedding API
//! (issue 11) run verbatim, then user data, host errors caught by `pcall`,
//! limits and an interrupt from another thread.
//!
//! Run with `cargo run --release --example embed`.

use lunette::{ErrorKind, MetaMethod, UserData, UserDataMethods};

/// A 2D vector exposed to Lua with methods and metamethods.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Vec2 {
    x: f64,
    y: f64,
}

impl UserData for Vec2 {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_function("new", |_, (x, y): (f64, f64)| Ok(Vec2 { x, y }));
        methods.add_method("length", |_, v, ()| Ok(v.x.hypot(v.y)));
        methods.add_method_mut("scale", |_, v, k: f64| {
            v.x *= k;
            v.y *= k;
            Ok(())
        });
        methods.add_meta_method(MetaMethod::Add, |_, a, b: lunette::UserDataRef<Vec2>| {
            Ok(Vec2 {
                x: a.x + b.x,
                y: a.y + b.y,
            })
        });
        methods.add_meta_method(MetaMethod::ToString, |_, v, ()| {
            Ok(format!("Vec2({}, {})", v.x, v.y))
        });
    }
}

fn contract() -> Result<(), lunette::Error> {
    use lunette::{Error, Function, Limits, Lua, Table, Value};
    let lua = Lua::new(); // full standard library
    let n: i64 = lua.load("return 6 * 7").eval()?; // eval::<T>() converts results
    lua.load("x = 1").set_name("=config").exec()?; // chunk names as in load()
    let add = lua.create_function(|_lua, (a, b): (i64, i64)| Ok(a + b))?;
    lua.globals().set("add", add)?; // Table::set/get/len, key and value conversions
    let t: Table = lua.create_table()?;
    t.set("k", 1.5)?;
    t.set(1, "one")?;
    let v: f64 = t.get("k")?;
    let n2: usize = t.len()?;
    let f: Function = lua.globals().get("add")?;
    let r = f.call::<i64>((1, 2))?; /* one value or a tuple */
    let w = t.get::<String>(1)?;
    let e: Error = lua
        .load("local t = nil; return t.x")
        .set_name("=config")
        .exec()
        .unwrap_err(); // Display contains "config:1: attempt to index a nil value (local 't')"
    let host_err = Error::runtime("message"); // a host function may fail; Lua's pcall catches it
    let sb = Lua::sandboxed(); // string (no dump), table, math, utf8, coroutine, base (text chunks only), os.time/clock/date only
    let ok = sb.load("return io == nil").eval::<bool>()?;
    sb.set_limits(Limits {
        instructions: Some(1_000_000),
        memory: Some(16 << 20),
        call_depth: Some(200),
    });

    assert_eq!(n, 42);
    assert_eq!(lua.globals().get::<i64>("x")?, 1);
    assert_eq!((v, n2, r, w.as_str()), (1.5, 1, 3, "one"));
    assert!(e
        .to_string()
        .contains("config:1: attempt to index a nil value (local 't')"));
    assert!(ok);
    let fail =
        lua.create_function(move |_, ()| -> lunette::Result<()> { Err(host_err.clone()) })?;
    lua.globals().set("fail", fail)?;
    let caught: String = lua
        .load("local ok, msg = pcall(fail) assert(not ok) return msg")
        .eval()?;
    println!("contract: n = {n}, t.k = {v}, #t = {n2}, add(1, 2) = {r}, t[1] = {w}");
    println!("contract: error = {e}");
    println!("contract: pcall caught the host error: {caught}");
    match lua.load("return {1, 'two', 3.0}").eval::<Value>()? {
        Value::Table(t) => println!("contract: a table of {} values", t.len()?),
        other => println!("contract: unexpected {other:?}"),
    }
    Ok(())
}

fn user_data() -> lunette::Result<()> {
    let lua = lunette::Lua::new();
    let proto = lua.create_userdata(Vec2 { x: 0.0, y: 0.0 })?;
    lua.globals().set("Vec2", proto)?;
    lua.globals().set("a", Vec2 { x: 3.0, y: 4.0 })?;
    let (len, text): (f64, String) = lua
        .load("local b = Vec2.new(1, 1) a:scale(2) return (a + b):length(), tostring(a + b)")
        .eval()?;
    println!("user data: |a + b| = {len:.3}, a + b = {text}");
    let a: lunette::AnyUserData = lua.globals().get("a")?;
    assert_eq!(*a.borrow::<Vec2>()?, Vec2 { x: 6.0, y: 8.0 });
    Ok(())
}

fn limits() -> lunette::Result<()> {
    let sb = lunette::Lua::sandboxed();
    sb.set_limits(lunette::Limits {
        instructions: Some(1_000_000),
        memory: Some(16 << 20),
        call_depth: Some(200),
    });
    let e = sb
        .load("while true do pcall(function() while true do end end) end")
        .exec()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InstructionLimit);
    println!("limits: {e}");
    let h = sb.interrupt_handle();
    sb.set_limits(lunette::Limits::default());
    let t = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.interrupt();
    });
    let e = sb.load("while true do end").exec().unwrap_err();
    let _ = t.join();
    assert_eq!(e.kind(), ErrorKind::Interrupted);
    println!("limits: {e} (from another thread)");
    assert_eq!(sb.load("return 1 + 1").eval::<i64>()?, 2);
    Ok(())
}

fn main() -> Result<(), lunette::Error> {
    contract()?;
    user_data()?;
    limits()?;
    Ok(())
}
