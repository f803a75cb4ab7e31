//! Embedding API: conversions of every supported type, tables, functions,
//! host errors through `pcall`, panics, user data methods and borrows, and
//! the GC safety of host handles.

use lunette::{
    AnyUserData, Error, ErrorKind, Function, Lua, LuaString, MetaMethod, MultiValue, Table,
    UserData, UserDataMethods, UserDataRef, UserDataRefMut, Value, Variadic,
};
use std::collections::{BTreeMap, HashMap};

type R = lunette::Result<()>;

/// Round trip through a Lua identity function.
fn echo<T: lunette::IntoLua + lunette::FromLua>(lua: &Lua, v: T) -> lunette::Result<T> {
    let id: Function = lua.load("return function(...) return ... end").eval()?;
    id.call::<T>(v)
}

#[test]
fn numbers_bools_strings() -> R {
    let lua = Lua::new();
    assert_eq!(echo(&lua, 42i64)?, 42);
    assert_eq!(echo(&lua, -7i32)?, -7);
    assert_eq!(echo(&lua, 255u8)?, 255);
    assert_eq!(echo(&lua, u64::MAX / 4)?, u64::MAX / 4);
    assert_eq!(echo(&lua, 1.25f64)?, 1.25);
    assert_eq!(echo(&lua, 0.5f32)?, 0.5);
    assert!(echo(&lua, true)?);
    assert_eq!(echo(&lua, "héllo".to_string())?, "héllo");
    assert_eq!(
        echo(&lua, LuaString::from(&b"\x00\xff"[..]))?.as_bytes(),
        b"\x00\xff"
    );
    // Lua's subtypes and coercions
    assert!(matches!(lua.load("3").eval::<Value>()?, Value::Integer(3)));
    assert!(matches!(lua.load("3.0").eval::<Value>()?, Value::Number(_)));
    assert_eq!(lua.load("3.0").eval::<i64>()?, 3);
    assert_eq!(lua.load("'10'").eval::<i64>()?, 10);
    assert_eq!(lua.load("'0x10'").eval::<f64>()?, 16.0);
    assert_eq!(lua.load("12").eval::<String>()?, "12");
    assert_eq!(lua.load("1.5").eval::<String>()?, "1.5");
    assert!(!lua.load("nil").eval::<bool>()?);
    assert!(lua.load("0").eval::<bool>()?);
    // failures are conversion errors, not panics
    let e = lua.load("3.5").eval::<i64>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion);
    assert_eq!(e.to_string(), "number has no integer representation");
    assert_eq!(
        lua.load("300").eval::<u8>().unwrap_err().kind(),
        ErrorKind::Conversion
    );
    assert_eq!(
        lua.load("{}").eval::<f64>().unwrap_err().to_string(),
        "number expected, got table"
    );
    assert_eq!(
        lua.load("'\\xff'").eval::<String>().unwrap_err().kind(),
        ErrorKind::Conversion
    );
    Ok(())
}

#[test]
fn options_vectors_maps_tuples() -> R {
    let lua = Lua::new();
    assert_eq!(echo(&lua, Some(5i64))?, Some(5));
    assert_eq!(echo::<Option<i64>>(&lua, None)?, None);
    assert_eq!(echo(&lua, vec![1i64, 2, 3])?, vec![1, 2, 3]);
    assert_eq!(echo(&lua, vec!["a".to_string()])?, vec!["a".to_string()]);
    let mut m = HashMap::new();
    m.insert("one".to_string(), 1i64);
    m.insert("two".to_string(), 2i64);
    assert_eq!(echo(&lua, m.clone())?, m);
    let mut b = BTreeMap::new();
    b.insert(1i64, true);
    assert_eq!(echo(&lua, b.clone())?, b);
    let f: Function = lua
        .load("return function(a, b, c) return c, b, a end")
        .eval()?;
    let (c, b2, a): (String, f64, i64) = f.call((1, 2.5, "x"))?;
    assert_eq!((a, b2, c.as_str()), (1, 2.5, "x"));
    // missing results are nil, extra ones dropped
    let (x, y): (i64, Option<i64>) = lua.load("return 1").eval()?;
    assert_eq!((x, y), (1, None));
    let only: i64 = lua.load("return 1, 2, 3").eval()?;
    assert_eq!(only, 1);
    let all: MultiValue = lua.load("return 1, nil, 3").eval()?;
    assert_eq!(all.len(), 3);
    let v: Variadic<i64> = lua.load("return 4, 5, 6").eval()?;
    assert_eq!(v.0, vec![4, 5, 6]);
    let (head, rest): (i64, Variadic<String>) = lua.load("return 1, 'a', 'b'").eval()?;
    assert_eq!((head, rest.len()), (1, 2));
    let sum = lua.create_function(|_, xs: Variadic<f64>| Ok(xs.iter().sum::<f64>()))?;
    assert_eq!(sum.call::<f64>((1, 2, 3.5))?, 6.5);
    Ok(())
}

#[test]
fn values_and_handles() -> R {
    let lua = Lua::new();
    let v: Value = lua.load("return {1, 2}").eval()?;
    let Value::Table(t) = v else {
        panic!("not a table")
    };
    assert_eq!(t.len()?, 2);
    let f: Value = lua.load("return print").eval()?;
    assert!(matches!(f, Value::Function(_)));
    let co: Value = lua.load("return coroutine.create(print)").eval()?;
    assert_eq!(co.type_name(), "thread");
    assert!(Value::Integer(1).raw_equals(&Value::Number(1.0)));
    let t2: Table = lua.load("return ...").call(t.clone())?;
    assert_eq!(t, t2);
    // every supported type as a table value and back
    let t = lua.create_table()?;
    t.set("s", "str")?;
    t.set("i", 3)?;
    t.set("f", 0.25)?;
    t.set("b", false)?;
    t.set("t", lua.create_table()?)?;
    t.set("v", vec![1, 2])?;
    assert_eq!(t.get::<String>("s")?, "str");
    assert_eq!(t.get::<i64>("i")?, 3);
    assert_eq!(t.get::<f64>("f")?, 0.25);
    assert!(!t.get::<bool>("b")?);
    assert!(t.get::<Table>("t")?.is_empty());
    assert_eq!(t.get::<Vec<i64>>("v")?, [1, 2]);
    assert_eq!(t.pairs::<String, Value>().count(), 6);
    assert!(t.contains_key("s")? && !t.contains_key("zz")?);
    // handles of another state are refused
    let other = Lua::new();
    let e = other.globals().set("t", t).unwrap_err();
    assert!(e.to_string().contains("another Lua state"));
    Ok(())
}

#[test]
fn metamethods_through_table_api() -> R {
    let lua = Lua::new();
    let t: Table = lua
        .load("return setmetatable({}, {__index = function(_, k) return k .. '!' end, __len = function() return 7 end})")
        .eval()?;
    assert_eq!(t.get::<String>("hi")?, "hi!");
    assert_eq!(t.raw_get::<Option<String>>("hi")?, None);
    assert_eq!(t.len()?, 7);
    assert_eq!(t.raw_len(), 0);
    let e = t.set(Value::Nil, 1).unwrap_err();
    assert!(e.to_string().contains("index is nil"), "{e}");
    Ok(())
}

#[test]
fn host_functions_and_errors() -> R {
    let lua = Lua::new();
    let fail = lua.create_function(|_, what: String| -> lunette::Result<()> {
        Err(Error::runtime(format!("failed: {what}")))
    })?;
    lua.globals().set("fail", fail)?;
    // Lua's pcall catches a host error (message as Lua would give it)
    let (ok, msg): (bool, String) = lua.load("return pcall(fail, 'x')").eval()?;
    assert!(!ok);
    assert_eq!(msg, "failed: x");
    let msg: String = lua
        .load("local ok, e = pcall(function() fail('y') end) return e")
        .set_name("=host")
        .eval()?;
    assert_eq!(msg, "host:1: failed: y");
    // uncaught: the host gets it with a traceback naming the function
    let e = lua.load("fail('z')").set_name("=main").exec().unwrap_err();
    assert_eq!(e.to_string(), "main:1: failed: z");
    let tb = e.traceback().expect("traceback");
    assert!(tb.contains("in function 'fail'"), "{tb}");
    // bad arguments read like Lua's
    let add = lua.create_function(|_, (a, b): (i64, i64)| Ok(a + b))?;
    lua.globals().set("add", add)?;
    let e = lua
        .load("return add(1, {})")
        .set_name("=c")
        .exec()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "c:1: bad argument #2 to 'add' (number expected, got table)"
    );
    // a host function calling back into Lua, whose error it returns
    let call_lua = lua.create_function(|lua, code: String| lua.load(code).eval::<i64>())?;
    lua.globals().set("call_lua", call_lua)?;
    assert_eq!(
        lua.load("return call_lua('return 20 + 22')")
            .eval::<i64>()?,
        42
    );
    let (ok, msg): (bool, String) = lua
        .load("return pcall(call_lua, 'error(\"inner\", 0)')")
        .eval()?;
    assert!(!ok);
    assert_eq!(msg, "inner");
    // error values that are not strings
    let e = lua.load("error({})").exec().unwrap_err();
    assert_eq!(e.to_string(), "(error object is a table value)");
    assert_eq!(e.kind(), ErrorKind::Runtime);
    // syntax errors
    let e = lua.load("x = = 1").set_name("=s").exec().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Syntax);
    assert!(e.to_string().starts_with("s:1:"), "{e}");
    // the state is usable after all that
    assert_eq!(lua.load("return add(2, 3)").eval::<i64>()?, 5);
    Ok(())
}

#[test]
fn panics_become_lua_errors() -> R {
    let lua = Lua::new();
    let boom = lua.create_function(|_, ()| -> lunette::Result<()> { panic!("kaboom") })?;
    lua.globals().set("boom", boom)?;
    let (ok, msg): (bool, String) = lua.load("return pcall(boom)").eval()?;
    assert!(!ok);
    assert!(msg.contains("panicked: kaboom"), "{msg}");
    let e = lua.load("boom()").exec().unwrap_err();
    assert!(e.to_string().contains("kaboom"));
    assert!(e.traceback().unwrap_or("").contains("boom"));
    assert_eq!(lua.load("return 1").eval::<i64>()?, 1);
    Ok(())
}

#[derive(Debug)]
struct Account {
    owner: String,
    balance: i64,
}

impl UserData for Account {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_function("open", |_, owner: String| Ok(Account { owner, balance: 0 }));
        m.add_method("balance", |_, a, ()| Ok(a.balance));
        m.add_method("owner", |_, a, ()| Ok(a.owner.clone()));
        m.add_method_mut("deposit", |_, a, n: i64| {
            if n <= 0 {
                return Err(Error::runtime("deposit must be positive"));
            }
            a.balance += n;
            Ok(a.balance)
        });
        // calls back into Lua while the account is mutably borrowed
        m.add_method_mut("with", |_, a, f: Function| {
            a.balance += 1;
            f.call::<()>(())
        });
        m.add_meta_method(MetaMethod::ToString, |_, a, ()| {
            Ok(format!("{}: {}", a.owner, a.balance))
        });
        m.add_meta_method(MetaMethod::Eq, |_, a, b: UserDataRef<Account>| {
            Ok(a.owner == b.owner)
        });
        m.add_meta_method(MetaMethod::Len, |_, a, ()| Ok(a.owner.len()));
        m.add_meta_method(MetaMethod::Index, |_, a, key: String| {
            Ok(if key == "doubled" {
                Some(a.balance * 2)
            } else {
                None
            })
        });
    }
}

#[test]
fn user_data_methods_and_metamethods() -> R {
    let lua = Lua::new();
    lua.globals().set(
        "Account",
        lua.create_userdata(Account {
            owner: String::new(),
            balance: 0,
        })?,
    )?;
    let (bal, owner, text, len, doubled): (i64, String, String, i64, i64) = lua
        .load(
            "local a = Account.open('ann')
             a:deposit(10) a:deposit(5)
             return a:balance(), a:owner(), tostring(a), #a, a.doubled",
        )
        .eval()?;
    assert_eq!(
        (bal, owner.as_str(), text.as_str(), len, doubled),
        (15, "ann", "ann: 15", 3, 30)
    );
    assert!(lua
        .load("return Account.open('x') == Account.open('x')")
        .eval::<bool>()?);
    let msg: String = lua
        .load("local ok, e = pcall(function() Account.open('b'):deposit(-1) end) return e")
        .set_name("=u")
        .eval()?;
    assert_eq!(msg, "u:1: deposit must be positive");
    // methods on a value of the wrong type
    let msg: String = lua
        .load("local ok, e = pcall(Account.open('b').balance, {}) return e")
        .eval()?;
    assert!(msg.contains("bad argument #1"), "{msg}");
    // host side
    let a: AnyUserData = lua
        .load("local a = Account.open('zed') a:deposit(2) return a")
        .eval()?;
    assert!(a.is::<Account>());
    assert_eq!(a.borrow::<Account>()?.balance, 2);
    a.borrow_mut::<Account>()?.balance = 100;
    let f: Function = lua
        .load("return function(a) return a:balance() end")
        .eval()?;
    assert_eq!(f.call::<i64>(a.clone())?, 100);
    let by_ref = lua.create_function(
        |_, (a, mut b): (UserDataRef<Account>, UserDataRefMut<Account>)| {
            b.balance += a.balance;
            Ok(b.balance)
        },
    )?;
    let other = lua.create_userdata(Account {
        owner: "o".into(),
        balance: 1,
    })?;
    assert_eq!(by_ref.call::<i64>((a.clone(), other))?, 101);
    Ok(())
}

#[test]
fn user_data_borrows_are_errors_not_panics() -> R {
    let lua = Lua::new();
    let a = lua.create_userdata(Account {
        owner: "b".into(),
        balance: 0,
    })?;
    lua.globals().set("a", a.clone())?;
    // a second mutable borrow from inside a mutable method: a Lua error
    let msg: String = lua
        .load("local ok, e = pcall(a.with, a, function() a:deposit(1) end) return e")
        .eval()?;
    assert!(msg.contains("already borrowed"), "{msg}");
    // reading while the host holds a mutable borrow
    {
        let _w = a.borrow_mut::<Account>()?;
        let e = lua.load("return a:balance()").exec().unwrap_err();
        assert!(e.to_string().contains("already mutably borrowed"), "{e}");
        assert_eq!(
            a.borrow::<Account>().unwrap_err().kind(),
            ErrorKind::UserDataBorrow
        );
        // the same argument twice, once mutably
        let both = lua.create_function(
            |_, (_x, _y): (UserDataRef<Account>, UserDataRefMut<Account>)| Ok(()),
        )?;
        drop(_w);
        let e = both.call::<()>((a.clone(), a.clone())).unwrap_err();
        assert!(e.to_string().contains("already borrowed"), "{e}");
    }
    // wrong type
    struct Other;
    impl UserData for Other {}
    assert!(a.borrow::<Other>().is_err());
    assert_eq!(
        lua.load("a:deposit(3) return a:balance()").eval::<i64>()?,
        4
    );
    Ok(())
}

#[test]
fn handles_are_gc_roots() -> R {
    let lua = Lua::new();
    let t: Table = lua.load("return {name = 'kept'}").eval()?;
    let f: Function = lua
        .load("local up = {7} return function() return up[1] end")
        .eval()?;
    let ud = lua.create_userdata(Account {
        owner: "gc".into(),
        balance: 9,
    })?;
    lua.load("collectgarbage() local junk = {} for i = 1, 100000 do junk[i] = {i} end junk = nil collectgarbage()")
        .exec()?;
    lua.gc_collect()?;
    assert_eq!(t.get::<String>("name")?, "kept");
    assert_eq!(f.call::<i64>(())?, 7);
    assert_eq!(ud.borrow::<Account>()?.balance, 9);
    // dropped handles free their objects: memory comes back
    let before = lua.used_memory();
    for _ in 0..200 {
        let big: Table = lua
            .load("local t = {} for i = 1, 1000 do t[i] = i end return t")
            .eval()?;
        drop(big);
    }
    lua.gc_collect()?;
    assert!(lua.used_memory() < before + (1 << 20), "handles leaked");
    Ok(())
}

#[test]
fn globals_environment_and_chunks() -> R {
    let lua = Lua::new();
    let env = lua.create_table()?;
    env.set("x", 5)?;
    assert_eq!(lua.load("return x").set_environment(env).eval::<i64>()?, 5);
    assert_eq!(lua.load("x = 9 return x").eval::<i64>()?, 9);
    assert_eq!(lua.globals().get::<i64>("x")?, 9);
    let f = lua.load("return ... * 2").into_function()?;
    assert_eq!(f.call::<i64>(21)?, 42);
    let (a, b): (i64, String) = lua.load("return ...").call((1, "b"))?;
    assert_eq!((a, b.as_str()), (1, "b"));
    let t: lunette::Thread = lua.load("return coroutine.create(function(a) local b = coroutine.yield(a * 2) return b + 1 end)").eval()?;
    assert_eq!(t.resume::<i64>(4)?, 8);
    assert_eq!(t.resume::<i64>(10)?, 11);
    assert_eq!(t.status(), "dead");
    Ok(())
}
