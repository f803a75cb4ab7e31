//! The `debug` library (the parts that need no frame introspection; the
//! rest comes with the debug issue).

use crate::vm::value::LuaType;
use crate::vm::{Args, LuaResult, Value, Vm};

/// Registers the library in `vm`.
pub fn open(vm: &mut Vm) {
    vm.register_lib(
        "debug",
        &[
            ("getmetatable", getmetatable),
            ("setmetatable", setmetatable),
            ("getregistry", getregistry),
            ("getuservalue", getuservalue),
            ("setuservalue", setuservalue),
            ("upvalueid", upvalueid),
            ("upvaluejoin", upvaluejoin),
            ("traceback", traceback),
            ("sethook", sethook),
            ("gethook", gethook),
        ],
    );
}

/// The `stack traceback:` text starting at `level` (1 = the caller of the
/// running function), as `luaL_traceback` lays it out.
pub fn traceback_text(_vm: &mut Vm, _level: usize) -> String {
    "stack traceback:\n\t[C]: in ?".to_string()
}

fn getmetatable(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    let mt = vm.get_metatable(v).map(Value::Table).unwrap_or(Value::Nil);
    vm.push(mt);
    Ok(1)
}

fn setmetatable(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.arg(args, 1);
    let mt = match vm.arg(args, 2) {
        Value::Table(t) => Some(t),
        Value::Nil => None,
        _ => return Err(vm.type_arg_error(args, 2, "nil or table")),
    };
    match v {
        Value::Table(t) => t.set_metatable(mt),
        Value::UserData(u) => u.metatable.set(mt),
        other => {
            let t = other.lua_type();
            let slot = if t == LuaType::LightUserData {
                LuaType::UserData
            } else {
                t
            };
            vm.type_metas[slot as usize] = mt;
        }
    }
    vm.push(v);
    Ok(1)
}

fn getregistry(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    let r = Value::Table(vm.registry);
    vm.push(r);
    Ok(1)
}

fn getuservalue(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let n = vm.opt_int(args, 2, 1)?;
    match vm.arg(args, 1) {
        Value::UserData(u) => {
            let uv = u.user_values.borrow();
            match usize::try_from(n)
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| uv.get(i))
            {
                Some(v) => {
                    let v = *v;
                    drop(uv);
                    vm.push(v);
                    vm.push(Value::Bool(true));
                }
                None => {
                    drop(uv);
                    vm.push(Value::Nil);
                    vm.push(Value::Bool(false));
                }
            }
            Ok(2)
        }
        _ => {
            vm.push(Value::Nil);
            Ok(1)
        }
    }
}

fn setuservalue(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let u = match vm.arg(args, 1) {
        Value::UserData(u) => u,
        _ => return Err(vm.type_arg_error(args, 1, "userdata")),
    };
    let v = vm.check_any(args, 2)?;
    let n = vm.opt_int(args, 3, 1)?;
    let mut uv = u.user_values.borrow_mut();
    match usize::try_from(n).ok().and_then(|n| n.checked_sub(1)) {
        Some(i) if i < uv.len() => {
            uv[i] = v;
            drop(uv);
            vm.push(Value::UserData(u));
        }
        _ => {
            drop(uv);
            vm.push(Value::Nil);
        }
    }
    Ok(1)
}

/// The closure argument `i` and a checked upvalue index `n` (1-based).
fn closure_upvalue(
    vm: &mut Vm,
    args: Args,
    fi: usize,
    ni: usize,
) -> LuaResult<Option<(Value, usize)>> {
    let f = vm.arg(args, fi);
    let n = vm.check_int(args, ni)?;
    let count = match f {
        Value::LuaFn(c) => c.upvals.len(),
        Value::Native(c) => c.upvalues.len(),
        _ => return Err(vm.type_arg_error(args, fi, "function")),
    };
    if n >= 1 && (n as u64) <= count as u64 {
        Ok(Some((f, n as usize - 1)))
    } else {
        Ok(None)
    }
}

fn upvalueid(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    match closure_upvalue(vm, args, 1, 2)? {
        Some((Value::LuaFn(c), i)) => {
            let id = c.upvals[i].get().addr();
            vm.push(Value::LightUserData(id));
        }
        Some((Value::Native(c), i)) => {
            let id = c.upvalues.as_ptr() as usize + i * std::mem::size_of::<Value>();
            vm.push(Value::LightUserData(id));
        }
        _ => return Err(vm.arg_error(2, "invalid upvalue index")),
    }
    Ok(1)
}

fn upvaluejoin(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (f1, n1) = match closure_upvalue(vm, args, 1, 2)? {
        Some(x) => x,
        None => return Err(vm.arg_error(2, "invalid upvalue index")),
    };
    let (f2, n2) = match closure_upvalue(vm, args, 3, 4)? {
        Some(x) => x,
        None => return Err(vm.arg_error(4, "invalid upvalue index")),
    };
    match (f1, f2) {
        (Value::LuaFn(c1), Value::LuaFn(c2)) => {
            c1.upvals[n1].set(c2.upvals[n2].get());
            Ok(0)
        }
        (Value::LuaFn(_), _) => Err(vm.arg_error(3, "Lua function expected")),
        _ => Err(vm.arg_error(1, "Lua function expected")),
    }
}

fn traceback(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let msg = vm.arg(args, 1);
    if !matches!(
        msg,
        Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Nil
    ) {
        vm.push(msg);
        return Ok(1);
    }
    let level = vm.opt_int(args, 2, 1)?.max(0) as usize;
    let mut out = Vec::new();
    if let Value::Str(s) = msg {
        out.extend_from_slice(s.as_bytes());
        out.push(b'\n');
    } else if let Value::Int(_) | Value::Float(_) = msg {
        let s = vm.number_to_str(msg);
        out.extend_from_slice(s.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(traceback_text(vm, level).as_bytes());
    let v = vm.new_string(out);
    vm.push(v);
    Ok(1)
}

fn sethook(_vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    Ok(0)
}

fn gethook(_vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    Ok(0)
}
