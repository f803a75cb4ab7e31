//! The `coroutine` library.

use crate::gc::Gc;
use crate::vm::thread::{CoStatus, Thread};
use crate::vm::{Args, LuaError, LuaResult, Value, Vm};

/// Registers the library in `vm`.
pub fn open(vm: &mut Vm) {
    vm.register_lib(
        "coroutine",
        &[
            ("create", create),
            ("resume", resume),
            ("yield", yield_),
            ("status", status),
            ("wrap", wrap),
            ("isyieldable", isyieldable),
            ("running", running),
            ("close", close),
        ],
    );
}

fn check_co(vm: &mut Vm, args: Args, i: usize) -> LuaResult<Gc<Thread>> {
    match vm.arg(args, i) {
        Value::Thread(t) => Ok(t),
        _ => Err(vm.type_arg_error(args, i, "thread")),
    }
}

fn create(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = vm.arg(args, 1);
    if !matches!(f, Value::LuaFn(_) | Value::Native(_)) {
        return Err(vm.type_arg_error(args, 1, "function"));
    }
    let t = vm.heap.alloc(Thread::new(f));
    vm.push(Value::Thread(t));
    Ok(1)
}

fn resume(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let co = check_co(vm, args, 1)?;
    // `true`, then the values the coroutine passes back
    let top = vm.stack.len();
    vm.push(Value::Bool(true));
    let rest = Args {
        base: args.base + 1,
        len: args.len - 1,
    };
    match vm.resume_from_stack(co, rest) {
        Ok(n) => Ok(n + 1),
        // a host limit stop is not caught (vm/limits.rs)
        Err(e) if vm.limits.uncatchable() => Err(LuaError::new(e)),
        Err(e) => {
            vm.stack.truncate(top);
            vm.push(Value::Bool(false));
            vm.push(e);
            Ok(2)
        }
    }
}

fn yield_(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    if vm.current_thread == vm.main_thread {
        return Err(vm.error_at_level("attempt to yield from outside a coroutine", 0));
    }
    if !vm.is_yieldable() {
        return Err(vm.error_at_level("attempt to yield across a C-call boundary", 0));
    }
    vm.yield_request = Some(args.len);
    Ok(args.len)
}

fn status_of(vm: &Vm, co: Gc<Thread>) -> &'static str {
    if co == vm.current_thread {
        "running"
    } else {
        co.status.get().name()
    }
}

fn status(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let co = check_co(vm, args, 1)?;
    let s = status_of(vm, co);
    let v = vm.new_str(s.as_bytes());
    vm.push(v);
    Ok(1)
}

fn wrap(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    create(vm, args)?;
    let t = vm.stack.pop().unwrap_or_default();
    let f = vm.new_native_with_upvalues("wrap", wrapped, vec![t]);
    vm.push(f);
    Ok(1)
}

fn wrapped(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let co = match vm.frames.last().map(|f| f.callee) {
        Some(crate::vm::call::Callee::Native(nc)) => match nc.upvalues.first().map(|c| c.get()) {
            Some(Value::Thread(t)) => t,
            _ => return Err(vm.native_error("bad wrapped coroutine")),
        },
        _ => return Err(vm.native_error("bad wrapped coroutine")),
    };
    match vm.resume_from_stack(co, args) {
        Ok(n) => Ok(n),
        Err(mut e) => {
            if co.status.get() == CoStatus::Dead && co.error.get().is_some() {
                if let Err(e2) = vm.close_thread(co) {
                    e = e2;
                }
            }
            if let Value::Str(s) = e {
                let mut msg = vm.where_(1).into_bytes();
                msg.extend_from_slice(s.as_bytes());
                e = vm.new_string(msg);
            }
            Err(LuaError::new(e))
        }
    }
}

fn isyieldable(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let y = if args.len == 0 {
        vm.is_yieldable()
    } else {
        let co = check_co(vm, args, 1)?;
        co != vm.main_thread && (co != vm.current_thread || vm.is_yieldable())
    };
    vm.push(Value::Bool(y));
    Ok(1)
}

fn running(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    let t = vm.current_thread;
    vm.push(Value::Thread(t));
    vm.push(Value::Bool(t == vm.main_thread));
    Ok(2)
}

fn close(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let co = check_co(vm, args, 1)?;
    match status_of(vm, co) {
        "suspended" | "dead" => {}
        s => {
            return Err(vm.native_error(&format!("cannot close a {s} coroutine")));
        }
    }
    match vm.close_thread(co) {
        Ok(()) => {
            vm.push(Value::Bool(true));
            Ok(1)
        }
        Err(e) if vm.limits.uncatchable() => Err(LuaError::new(e)),
        Err(e) => {
            vm.push(Value::Bool(false));
            vm.push(e);
            Ok(2)
        }
    }
}
