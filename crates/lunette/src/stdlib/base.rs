//! The basic functions (`print`, `type`, `tonumber`, `pairs`, `select`,
//! `load`, ...). `pcall`, `xpcall` and `error` live in `base_call.rs`;
//! chunk loading (`load`, `loadfile`, `dofile`) in `base_load.rs`; the
//! yieldable Lua wrappers that become `pairs` and `dofile` in
//! `base_yieldable.rs`.

use super::support::{meta_field, plain_error, registry_get, registry_set, Slot};
use crate::number::Number;
use crate::vm::{Args, LuaResult, Value, Vm};

/// Registers the library in `vm`.
pub fn open(vm: &mut Vm) {
    let g = vm.globals;
    let funcs: &[(&'static str, crate::vm::function::NativeFn)] = &[
        ("print", print),
        ("type", type_),
        ("tostring", tostring),
        ("tonumber", tonumber),
        ("ipairs", ipairs),
        ("pairs", pairs),
        ("next", next),
        ("select", select),
        ("rawget", rawget),
        ("rawset", rawset),
        ("rawequal", rawequal),
        ("rawlen", rawlen),
        ("setmetatable", setmetatable),
        ("getmetatable", getmetatable),
        ("assert", assert),
        ("collectgarbage", collectgarbage),
    ];
    for (name, f) in funcs {
        let v = vm.new_native(name, *f);
        vm.set_global(name, v);
        if *name == "next" {
            registry_set(vm, Slot::Next, v);
        }
    }
    let aux = vm.new_native("ipairs_aux", ipairs_aux);
    registry_set(vm, Slot::IpairsAux, aux);
    vm.set_global("_G", Value::Table(g));
    let version = vm.new_str(b"Lua 5.4");
    vm.set_global("_VERSION", version);
    super::base_load::open(vm);
    super::base_yieldable::open(vm);
}

/// Strings at least this long are written by `print` without a copy.
const PRINT_DIRECT: usize = 4096;

fn print(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let mut line: Vec<u8> = Vec::new();
    for i in 1..=args.len {
        let v = vm.arg(args, i);
        if i > 1 {
            line.push(b'\t');
        }
        match v {
            // a long string is written as it is, not copied into the line
            Value::Str(s) if s.len() >= PRINT_DIRECT => {
                super::io::stdout_write(&line);
                line.clear();
                super::io::stdout_write(s.as_bytes());
            }
            _ => {
                let s = tostring_value(vm, v)?;
                vm.try_extend(&mut line, &s)?;
            }
        }
    }
    line.push(b'\n');
    super::io::stdout_write(&line);
    // lua's print flushes stdout after each line (a reader at the other end
    // of a pipe sees each printed line at once); io.write does not
    super::io::stdout_flush();
    Ok(0)
}

/// A copy of a string's bytes (of any size: the memory error, not an
/// abort, when it does not fit).
fn copy_bytes(vm: &mut Vm, b: &[u8]) -> LuaResult<Vec<u8>> {
    let mut out = vm.try_buffer(b.len())?;
    out.extend_from_slice(b);
    Ok(out)
}

/// `luaL_tolstring`: the bytes of `tostring(v)`, checking that a
/// `__tostring` metamethod returned a string.
pub(crate) fn tostring_value(vm: &mut Vm, v: Value) -> LuaResult<Vec<u8>> {
    match v {
        Value::Str(s) => return copy_bytes(vm, s.as_bytes()),
        Value::Int(i) => return Ok(i.to_string().into_bytes()),
        Value::Float(f) => return Ok(crate::number::fmt_float(f).into_bytes()),
        _ => {}
    }
    match vm.tostring(v)? {
        Value::Str(s) => copy_bytes(vm, s.as_bytes()),
        Value::Int(i) => Ok(i.to_string().into_bytes()),
        Value::Float(f) => Ok(crate::number::fmt_float(f).into_bytes()),
        _ => Err(vm.native_error("'__tostring' must return a string")),
    }
}

fn type_(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    let s = vm.new_str(v.type_name().as_bytes());
    vm.push(s);
    Ok(1)
}

fn tostring(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    let r = match v {
        Value::Str(_) => v,
        Value::Int(_) | Value::Float(_) => Value::Str(vm.number_to_str(v)),
        // `Vm::tostring` checks what `__tostring` returned (a string, or a
        // number it converts)
        _ => vm.tostring(v)?,
    };
    vm.push(r);
    Ok(1)
}

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Reads an integer numeral in `base` (2..=36) with optional surrounding
/// spaces and a leading `-`; overflow wraps around, as in Lua.
pub(crate) fn parse_int_in_base(s: &[u8], base: u32) -> Option<i64> {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if neg || s.get(i) == Some(&b'+') {
        i += 1;
    }
    let mut n: u64 = 0;
    let mut digits = 0;
    while let Some(&c) = s.get(i) {
        let d = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'a'..=b'z' => (c - b'a') as u32 + 10,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            _ => break,
        };
        if d >= base {
            return None;
        }
        n = n.wrapping_mul(base as u64).wrapping_add(d as u64);
        digits += 1;
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    if i != s.len() {
        return None;
    }
    let n = n as i64;
    Some(if neg { n.wrapping_neg() } else { n })
}

fn tonumber(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    if vm.arg(args, 2).is_nil() {
        let v = vm.arg(args, 1);
        let r = match v {
            Value::Int(_) | Value::Float(_) => Some(v),
            Value::Str(s) => crate::number::str_to_number(s.as_bytes()).map(Number::to_value),
            _ => None,
        };
        match r {
            Some(n) => vm.push(n),
            None => {
                vm.check_any(args, 1)?;
                vm.push(Value::Nil);
            }
        }
        return Ok(1);
    }
    let base = vm.check_int(args, 2)?;
    let s = match vm.arg(args, 1) {
        Value::Str(s) => s,
        _ => return Err(vm.type_arg_error(args, 1, "string")),
    };
    if !(2..=36).contains(&base) {
        return Err(vm.arg_error(2, "base out of range"));
    }
    let r = parse_int_in_base(s.as_bytes(), base as u32).map_or(Value::Nil, Value::Int);
    vm.push(r);
    Ok(1)
}

fn ipairs(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let t = vm.check_any(args, 1)?;
    let aux = registry_get(vm, Slot::IpairsAux);
    vm.push(aux);
    vm.push(t);
    vm.push(Value::Int(0));
    Ok(3)
}

/// The iterator `ipairs` returns (the interpreter steps it inline over
/// tables without a metatable: `vm/interp.rs`).
pub(crate) fn ipairs_aux(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let t = vm.arg(args, 1);
    let i = match vm.arg(args, 2) {
        Value::Int(i) => i.wrapping_add(1),
        _ => vm.check_int(args, 2)?.wrapping_add(1),
    };
    let v = super::support::geti(vm, t, i)?;
    if v.is_nil() {
        vm.push(Value::Nil);
        Ok(1)
    } else {
        vm.push(Value::Int(i));
        vm.push(v);
        Ok(2)
    }
}

fn pairs(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let t = vm.check_any(args, 1)?;
    let mm = match vm.get_metatable(t) {
        Some(mt) => mt.raw_get_bytes(b"__pairs"),
        None => Value::Nil,
    };
    if mm.is_nil() {
        let next = registry_get(vm, Slot::Next);
        vm.push(next);
        vm.push(t);
        vm.push(Value::Nil);
    } else {
        let res = vm.call_function(mm, &[t])?;
        for k in 0..3 {
            vm.push(res.get(k).copied().unwrap_or(Value::Nil));
        }
    }
    Ok(3)
}

/// `next` (the interpreter steps it inline in generic `for` loops:
/// `vm/interp.rs`).
pub(crate) fn next(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let key = vm.arg(args, 2);
    match t.next(key) {
        Ok(Some((k, v))) => {
            vm.push(k);
            vm.push(v);
            Ok(2)
        }
        Ok(None) => {
            vm.push(Value::Nil);
            Ok(1)
        }
        Err(()) => Err(plain_error(vm, "invalid key to 'next'")),
    }
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn select(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let n = args.len as i64;
    if let Value::Str(s) = vm.arg(args, 1) {
        if s.as_bytes().first() == Some(&b'#') {
            vm.push(Value::Int(n - 1));
            return Ok(1);
        }
    }
    let mut i = vm.check_int(args, 1)?;
    if i < 0 {
        i = n.wrapping_add(i);
    } else if i > n {
        i = n;
    }
    if i < 1 {
        return Err(vm.arg_error(1, "index out of range"));
    }
    // the results are the last `n - i` arguments, already at the top of
    // the stack (a native's results are the last values on the stack)
    Ok((n - i) as usize)
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn rawget(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let k = vm.check_any(args, 2)?;
    vm.push(t.raw_get(k));
    Ok(1)
}

fn rawset(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let k = vm.check_any(args, 2)?;
    let v = vm.check_any(args, 3)?;
    if let Err(e) = t.raw_set(k, v) {
        let msg = match e {
            crate::vm::table::TableError::NilKey => "table index is nil",
            crate::vm::table::TableError::NanKey => "table index is NaN",
            crate::vm::table::TableError::NoMemory => return Err(vm.memory_error()),
        };
        return Err(plain_error(vm, msg));
    }
    vm.push(Value::Table(t));
    Ok(1)
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn rawequal(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let a = vm.check_any(args, 1)?;
    let b = vm.check_any(args, 2)?;
    vm.push(Value::Bool(a.raw_eq(&b)));
    Ok(1)
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn rawlen(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let n = match vm.arg(args, 1) {
        Value::Table(t) => t.len(),
        Value::Str(s) => s.len() as i64,
        _ => return Err(vm.type_arg_error(args, 1, "table or string")),
    };
    vm.push(Value::Int(n));
    Ok(1)
}

fn setmetatable(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let t = vm.check_table(args, 1)?;
    let mt = match vm.arg(args, 2) {
        Value::Nil if args.len >= 2 => None,
        Value::Table(m) => Some(m),
        _ => return Err(vm.type_arg_error(args, 2, "nil or table")),
    };
    if !meta_field(vm, Value::Table(t), "__metatable").is_nil() {
        return Err(vm.native_error("cannot change a protected metatable"));
    }
    t.set_metatable(mt);
    vm.check_finalizer(Value::Table(t));
    vm.push(Value::Table(t));
    Ok(1)
}

fn getmetatable(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    match vm.get_metatable(v) {
        None => vm.push(Value::Nil),
        Some(mt) => {
            let protected = meta_field(vm, v, "__metatable");
            vm.push(if protected.is_nil() {
                Value::Table(mt)
            } else {
                protected
            });
        }
    }
    Ok(1)
}

fn assert(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    if vm.arg(args, 1).truthy() {
        if vm.stack.len() == args.base + args.len {
            // the results are the arguments, already the top of the stack
            return Ok(args.len);
        }
        for i in 1..=args.len {
            let v = vm.arg(args, i);
            vm.push(v);
        }
        return Ok(args.len);
    }
    vm.check_any(args, 1)?;
    let msg = if args.len >= 2 {
        vm.arg(args, 2)
    } else {
        vm.new_str(b"assertion failed!")
    };
    // `error(msg, 1)`: strings get the position of assert's caller.
    if let Value::Str(s) = msg {
        let pos = vm.where_(1);
        if !pos.is_empty() {
            let mut text = pos.into_bytes();
            text.extend_from_slice(s.as_bytes());
            let v = vm.new_string(text);
            return Err(crate::vm::LuaError::new(v));
        }
    }
    Err(crate::vm::LuaError::new(msg))
}

fn collectgarbage(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    const OPTS: [&str; 10] = [
        "stop",
        "restart",
        "collect",
        "count",
        "step",
        "setpause",
        "setstepmul",
        "isrunning",
        "generational",
        "incremental",
    ];
    let opt = match vm.opt_str(args, 1)? {
        None => "collect".to_string(),
        Some(s) => s.to_str_lossy().into_owned(),
    };
    if !OPTS.contains(&opt.as_str()) {
        return Err(vm.arg_error(1, &format!("invalid option '{opt}'")));
    }
    if vm.heap.in_finalizer {
        // the collector is not reentrant: every option fails in a finalizer
        vm.push(Value::Nil);
        return Ok(1);
    }
    // Files not yet collected: make their contents visible, as collecting
    // (closing) them would.
    super::io_file::flush_all();
    let result = match opt.as_str() {
        "count" => Value::Float(vm.gc_bytes_in_use() as f64 / 1024.0),
        "step" => {
            let kb = vm.opt_int(args, 2, 0)?;
            Value::Bool(vm.gc_manual_step(kb))
        }
        "collect" => {
            vm.collect_garbage();
            Value::Int(0)
        }
        "setpause" => {
            let p = vm.opt_int(args, 2, 0)?;
            Value::Int(vm.heap.tuning.set_pause(p))
        }
        "setstepmul" => {
            let p = vm.opt_int(args, 2, 0)?;
            Value::Int(vm.heap.tuning.set_stepmul(p))
        }
        "isrunning" => Value::Bool(vm.heap.running),
        "generational" | "incremental" => {
            let a = vm.opt_int(args, 2, 0)?;
            let b = vm.opt_int(args, 3, 0)?;
            let c = vm.opt_int(args, 4, 0)?;
            let was_gen = if opt == "generational" {
                vm.heap.tuning.generational(a, b)
            } else {
                vm.heap.tuning.incremental(a, b, c)
            };
            let name = if was_gen {
                "generational"
            } else {
                "incremental"
            };
            vm.new_str(name.as_bytes())
        }
        "stop" | "restart" => {
            vm.heap.running = opt == "restart";
            Value::Int(0)
        }
        _ => Value::Int(0),
    };
    vm.push(result);
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::parse_int_in_base;

    #[test]
    fn integers_in_bases() {
        assert_eq!(parse_int_in_base(b" 10 ", 16), Some(16));
        assert_eq!(parse_int_in_base(b"-ff", 16), Some(-255));
        assert_eq!(parse_int_in_base(b"  -7z  ", 36), Some(-287));
        assert_eq!(parse_int_in_base(b"8", 8), None);
        assert_eq!(parse_int_in_base(b"", 10), None);
        assert_eq!(parse_int_in_base(b"-", 10), None);
        assert_eq!(parse_int_in_base(b"  +1Z  ", 36), Some(71));
        assert_eq!(parse_int_in_base(b"1 2", 10), None);
    }
}
