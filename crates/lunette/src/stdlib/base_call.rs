//! Base functions that drive the call machine: `pcall`, `xpcall`, `error`.

use crate::vm::{Args, LuaError, LuaResult, Value, Vm};

/// Registers the library in `vm`.
pub fn open(vm: &mut Vm) {
    let f = vm.new_native("pcall", pcall);
    vm.set_global("pcall", f);
    let f = vm.new_native("xpcall", xpcall);
    vm.set_global("xpcall", f);
    let f = vm.new_native("error", error);
    vm.set_global("error", f);
}

/// `pcall(f, ...)`: `true, results...` or `false, err`. (Called from Lua,
/// `pcall` runs as a protected-call marker frame inside the interpreter,
/// see `vm/call.rs`; this function is the re-entrant fallback.)
pub(crate) fn pcall(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    vm.check_any(args, 1)?;
    let depth = vm.frames.len();
    let ccalls = vm.n_ccalls;
    let func = args.base;
    match vm.call_at(func, args.len - 1, -1) {
        Ok(n) => {
            vm.stack.insert(func, Value::Bool(true));
            Ok(n + 1)
        }
        Err(e) => {
            if vm.yield_request.is_some() || vm.limits.uncatchable() {
                return Err(e);
            }
            vm.n_ccalls = ccalls;
            let e = vm.unwind(depth, func, e);
            vm.push(Value::Bool(false));
            vm.push(e.value);
            Ok(2)
        }
    }
}

/// `xpcall(f, msgh, ...)`: like `pcall`, but the error goes through `msgh`
/// (called before the failed frames are unwound). Re-entrant fallback of
/// the marker frame, like `pcall`.
pub(crate) fn xpcall(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = vm.arg(args, 1);
    let handler = vm.arg(args, 2);
    if !matches!(handler, Value::LuaFn(_) | Value::Native(_)) {
        return Err(vm.type_arg_error(args, 2, "function"));
    }
    let depth = vm.frames.len();
    let ccalls = vm.n_ccalls;
    let func = args.base + 1;
    vm.stack[func] = f;
    match vm.call_at(func, args.len - 2, -1) {
        Ok(n) => {
            vm.stack[args.base] = Value::Bool(true);
            Ok(n + 1)
        }
        Err(e) => {
            if vm.yield_request.is_some() || vm.limits.uncatchable() {
                return Err(e);
            }
            vm.n_ccalls = ccalls;
            let errv = if e.memory {
                e.value
            } else {
                vm.call_msg_handler(handler, e.value)
            };
            let e = vm.unwind(depth, args.base, LuaError::new(errv));
            vm.push(Value::Bool(false));
            vm.push(e.value);
            Ok(2)
        }
    }
}

/// `error(v [, level])`: string messages get the position of `level`.
fn error(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.arg(args, 1);
    let level = vm.opt_int(args, 2, 1)?;
    if let (Value::Str(s), true) = (v, level > 0) {
        let pos = vm.where_(level as usize);
        let mut msg = pos.into_bytes();
        msg.extend_from_slice(s.as_bytes());
        let v = vm.new_string(msg);
        return Err(LuaError::new(v));
    }
    Err(LuaError::new(v))
}
