//! The `debug` library: metatables and user values of any value, the
//! registry, upvalues, hooks (`sethook`/`gethook`, kept per thread and
//! mirrored in the registry's `_HOOKKEY` table as Lua does), and frame
//! introspection (`getinfo`, `getlocal`/`setlocal`, `traceback`) built on
//! `debug_frames.rs`.

use super::debug_frames as frames;
use crate::gc::Gc;
use crate::vm::hook::{Hook, MASK_CALL, MASK_COUNT, MASK_LINE, MASK_RET};
use crate::vm::thread::Thread;
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
            ("getinfo", getinfo),
            ("debug", debug_loop),
            ("getlocal", getlocal),
            ("setlocal", setlocal),
            ("getupvalue", getupvalue),
            ("setupvalue", setupvalue),
        ],
    );
}

/// The `stack traceback:` text starting at `level` (1 = the caller of the
/// running function), as `luaL_traceback` lays it out.
pub fn traceback_text(vm: &mut Vm, level: usize) -> String {
    frames::traceback(vm, None, level)
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
        Value::Table(t) => {
            t.set_metatable(mt);
            vm.check_finalizer(v);
        }
        Value::UserData(u) => {
            u.metatable.set(mt);
            if let Some(m) = mt {
                vm.heap.barrier(u, Value::Table(m));
            }
            vm.check_finalizer(v);
        }
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
            vm.heap.barrier(u, v);
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
        Value::LuaFn(c) => c.upvals().len(),
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
            let id = c.upvals()[i].get().addr();
            vm.push(Value::LightUserData(id));
        }
        Some((Value::Native(c), i)) => {
            let id = c.upvalues.as_ptr() as usize + i * std::mem::size_of::<Value>();
            vm.push(Value::LightUserData(id));
        }
        _ => vm.push(Value::Nil),
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
            let uv = c2.upvals()[n2].get();
            c1.upvals()[n1].set(uv);
            vm.heap.barrier_upval(c1, uv);
            Ok(0)
        }
        (Value::LuaFn(_), _) => Err(vm.arg_error(3, "Lua function expected")),
        _ => Err(vm.arg_error(1, "Lua function expected")),
    }
}

/// Splits an optional leading thread argument: (thread, index of the next argument).
fn thread_arg(vm: &Vm, args: Args) -> (Option<Gc<Thread>>, usize) {
    match vm.arg(args, 1) {
        Value::Thread(t) => (Some(t), 2),
        _ => (None, 1),
    }
}

fn traceback(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (thread, a) = thread_arg(vm, args);
    let msg = vm.arg(args, a);
    if !matches!(
        msg,
        Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Nil
    ) {
        vm.push(msg);
        return Ok(1);
    }
    let default_level = if thread.is_some() { 0 } else { 1 };
    let level = vm.opt_int(args, a + 1, default_level)?.max(0) as usize;
    let mut out = Vec::new();
    if !msg.is_nil() {
        let s = vm.check_str(args, a)?;
        out.extend_from_slice(s.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(frames::traceback(vm, thread, level).as_bytes());
    let v = vm.new_string(out);
    vm.push(v);
    Ok(1)
}

fn set_field(vm: &mut Vm, t: Gc<crate::vm::table::Table>, k: &str, v: Value) {
    let k = vm.new_str(k.as_bytes());
    let _ = t.raw_set(k, v);
}

fn getinfo(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (thread, a) = thread_arg(vm, args);
    let what = match vm.opt_str(args, a + 1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"flnSrtu".to_vec(),
    };
    if what.first() == Some(&b'>') || what.iter().any(|c| !b"SlnrutfL".contains(c)) {
        return Err(vm.arg_error(a + 1, "invalid option"));
    }
    let target = vm.arg(args, a);
    let (info, active_lines_of) = match target {
        Value::LuaFn(_) | Value::Native(_) => (frames::describe_function(target), target),
        Value::Int(_) | Value::Float(_) => {
            let level = vm.check_int(args, a)?;
            let fr = frames::frames_of(vm, thread);
            let Some(idx) = level_index(vm, thread, level) else {
                vm.push(Value::Nil);
                return Ok(1);
            };
            let info = frames::describe_frame(vm, &fr, idx);
            let f = info.func;
            (info, f)
        }
        _ => return Err(vm.arg_error(a, "function or level expected")),
    };
    let t = vm.new_table(0, 16);
    for c in what {
        match c {
            b'S' => {
                let src = vm.new_str(&info.source);
                set_field(vm, t, "source", src);
                let ss = vm.new_str(info.short_src.as_bytes());
                set_field(vm, t, "short_src", ss);
                let w = vm.new_str(info.what.as_bytes());
                set_field(vm, t, "what", w);
                set_field(vm, t, "linedefined", Value::Int(info.line_defined));
                set_field(vm, t, "lastlinedefined", Value::Int(info.last_line_defined));
            }
            b'l' => set_field(vm, t, "currentline", Value::Int(info.current_line)),
            b'u' => {
                set_field(vm, t, "nups", Value::Int(info.nups as i64));
                set_field(vm, t, "nparams", Value::Int(info.nparams as i64));
                set_field(vm, t, "isvararg", Value::Bool(info.is_vararg));
            }
            b'n' => {
                if let Some(name) = &info.name {
                    let n = vm.new_str(name.as_bytes());
                    set_field(vm, t, "name", n);
                }
                let nw = vm.new_str(info.namewhat.as_bytes());
                set_field(vm, t, "namewhat", nw);
            }
            b't' => set_field(vm, t, "istailcall", Value::Bool(info.is_tail)),
            b'r' => {
                set_field(vm, t, "ftransfer", Value::Int(info.ftransfer as i64));
                set_field(vm, t, "ntransfer", Value::Int(info.ntransfer as i64));
            }
            b'f' => set_field(vm, t, "func", info.func),
            b'L' => {
                if let (Value::LuaFn(cl), false) = (active_lines_of, info.what == "C") {
                    let lines = vm.new_table(0, 8);
                    let p = &cl.proto.proto;
                    let skip = usize::from(p.is_vararg);
                    for l in p.lines.iter().skip(skip) {
                        lines.raw_set_int(*l as i64, Value::Bool(true));
                    }
                    set_field(vm, t, "activelines", Value::Table(lines));
                }
            }
            _ => {}
        }
    }
    vm.push(Value::Table(t));
    Ok(1)
}

/// The frame index for `level` (1 = caller of the debug function) of the
/// running thread or of a coroutine.
fn level_index(vm: &mut Vm, thread: Option<Gc<Thread>>, level: i64) -> Option<usize> {
    let n = frames::frames_of(vm, thread).len() as i64;
    // level 0 is the running debug function itself, or a coroutine's top frame
    let idx = n - 1 - level;
    (level >= 0 && idx >= 0 && idx < n).then_some(idx as usize)
}

fn getlocal(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (thread, a) = thread_arg(vm, args);
    let n = vm.check_int(args, a + 1)?;
    if let f @ (Value::LuaFn(_) | Value::Native(_)) = vm.arg(args, a) {
        // parameter names of a function
        if let Value::LuaFn(cl) = f {
            let p = &cl.proto.proto;
            if n >= 1 && n as u64 <= p.num_params as u64 {
                if let Some(name) = p.local_name(n as usize, 0) {
                    let v = vm.new_str(name);
                    vm.push(v);
                    return Ok(1);
                }
            }
        }
        vm.push(Value::Nil);
        return Ok(1);
    }
    let level = vm.check_int(args, a)?;
    let Some(idx) = level_index(vm, thread, level) else {
        return Err(vm.arg_error(a, "level out of range"));
    };
    let fr = frames::frames_of(vm, thread);
    match frames::local_slot(vm, &fr, idx, n) {
        Some((name, slot)) => {
            let v = read_slot(vm, thread, slot);
            let nm = vm.new_str(name.as_bytes());
            vm.push(nm);
            vm.push(v);
            Ok(2)
        }
        None => {
            vm.push(Value::Nil);
            Ok(1)
        }
    }
}

fn read_slot(vm: &Vm, thread: Option<Gc<Thread>>, slot: usize) -> Value {
    match thread {
        Some(t) if !Gc::ptr_eq(t, vm.current_thread) => t
            .saved
            .borrow()
            .stack
            .get(slot)
            .copied()
            .unwrap_or(Value::Nil),
        _ => vm.stack.get(slot).copied().unwrap_or(Value::Nil),
    }
}

fn setlocal(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (thread, a) = thread_arg(vm, args);
    let level = vm.check_int(args, a)?;
    let n = vm.check_int(args, a + 1)?;
    let v = vm.check_any(args, a + 2)?;
    let Some(idx) = level_index(vm, thread, level) else {
        return Err(vm.arg_error(a, "level out of range"));
    };
    let fr = frames::frames_of(vm, thread);
    match frames::local_slot(vm, &fr, idx, n) {
        Some((name, slot)) => {
            match thread {
                Some(t) if !Gc::ptr_eq(t, vm.current_thread) => {
                    if let Some(s) = t.saved.borrow_mut().stack.get_mut(slot) {
                        *s = v;
                    }
                }
                _ => {
                    if let Some(s) = vm.stack.get_mut(slot) {
                        *s = v;
                    }
                }
            }
            let nm = vm.new_str(name.as_bytes());
            vm.push(nm);
        }
        None => vm.push(Value::Nil),
    }
    Ok(1)
}

/// Name and handle of upvalue `n` of a function (C upvalues are named `""`).
fn upvalue_ref(f: Value, n: i64) -> Option<(Vec<u8>, UpRef)> {
    if n < 1 {
        return None;
    }
    let i = n as usize - 1;
    match f {
        Value::LuaFn(cl) => {
            let uv = cl.upvals().get(i)?.get();
            let name = cl
                .proto
                .proto
                .upvalues
                .get(i)
                .and_then(|d| d.name.as_ref().map(|n| n.to_vec()))
                .unwrap_or_else(|| b"(no name)".to_vec());
            Some((name, UpRef::Lua(uv)))
        }
        Value::Native(nc) => {
            nc.upvalues.get(i)?;
            Some((Vec::new(), UpRef::Native(nc, i)))
        }
        _ => None,
    }
}

enum UpRef {
    Lua(Gc<crate::vm::function::UpVal>),
    Native(Gc<crate::vm::function::NativeClosure>, usize),
}

fn getupvalue(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = vm.arg(args, 1);
    let n = vm.check_int(args, 2)?;
    if !matches!(f, Value::LuaFn(_) | Value::Native(_)) {
        return Err(vm.type_arg_error(args, 1, "function"));
    }
    match upvalue_ref(f, n) {
        Some((name, r)) => {
            let v = match r {
                UpRef::Lua(uv) => frames::upvalue_get(vm, uv),
                UpRef::Native(nc, i) => nc.upvalues[i].get(),
            };
            let nm = vm.new_string(name);
            vm.push(nm);
            vm.push(v);
            Ok(2)
        }
        None => Ok(0),
    }
}

fn setupvalue(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = vm.arg(args, 1);
    let n = vm.check_int(args, 2)?;
    let v = vm.check_any(args, 3)?;
    if !matches!(f, Value::LuaFn(_) | Value::Native(_)) {
        return Err(vm.type_arg_error(args, 1, "function"));
    }
    match upvalue_ref(f, n) {
        Some((name, r)) => {
            match r {
                UpRef::Lua(uv) => frames::upvalue_set(vm, uv, v),
                UpRef::Native(nc, i) => {
                    nc.upvalues[i].set(v);
                    vm.heap.barrier(nc, v);
                }
            }
            let nm = vm.new_string(name);
            vm.push(nm);
            Ok(1)
        }
        None => Ok(0),
    }
}

/// Records `f` as the hook of `thread` in the registry's `_HOOKKEY`
/// table (weak keys), where Lua keeps its hooks.
fn record_hook(vm: &mut Vm, thread: Gc<Thread>, f: Value) {
    let reg = vm.registry;
    let hooks = match reg.raw_get_bytes(b"_HOOKKEY") {
        Value::Table(t) => t,
        _ => {
            let t = vm.new_table(0, 1);
            let mt = vm.new_table(0, 1);
            let k = vm.new_str(b"k");
            set_field(vm, mt, "__mode", k);
            t.set_metatable(Some(mt));
            set_field(vm, reg, "_HOOKKEY", Value::Table(t));
            t
        }
    };
    let _ = hooks.raw_set(Value::Thread(thread), f);
}

fn sethook(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (thread, a) = thread_arg(vm, args);
    let thread = thread.unwrap_or(vm.current_thread);
    let f = vm.arg(args, a);
    if f.is_nil() || args.len < a {
        record_hook(vm, thread, Value::Nil);
        vm.set_hook(thread, None);
        return Ok(0);
    }
    let mask_str = vm.check_str(args, a + 1)?;
    let count = vm.opt_int(args, a + 2, 0)?;
    if !matches!(f, Value::LuaFn(_) | Value::Native(_)) {
        return Err(vm.type_arg_error(args, a, "function"));
    }
    let mut mask = 0;
    for c in mask_str.as_bytes() {
        mask |= match c {
            b'c' => MASK_CALL,
            b'r' => MASK_RET,
            b'l' => MASK_LINE,
            _ => 0,
        };
    }
    let count = u32::try_from(count.max(0)).unwrap_or(u32::MAX);
    if count > 0 {
        mask |= MASK_COUNT;
    }
    record_hook(vm, thread, f);
    vm.set_hook(
        thread,
        Some(Hook {
            func: f,
            mask,
            count,
        }),
    );
    Ok(0)
}

fn gethook(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (thread, _) = thread_arg(vm, args);
    let thread = thread.unwrap_or(vm.current_thread);
    let Some(h) = vm.hooks.get(thread) else {
        vm.push(Value::Nil);
        return Ok(1);
    };
    let mut m = Vec::new();
    for (bit, c) in [(MASK_CALL, b'c'), (MASK_RET, b'r'), (MASK_LINE, b'l')] {
        if h.mask & bit != 0 {
            m.push(c);
        }
    }
    vm.push(h.func);
    let ms = vm.new_string(m);
    vm.push(ms);
    vm.push(Value::Int(h.count as i64));
    Ok(3)
}

/// `debug.debug()`: reads and runs lines from stdin until `cont` or end of
/// input, with the `lua_debug> ` prompt and errors on stderr.
fn debug_loop(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    use std::io::{BufRead, Write};
    loop {
        crate::stdlib::io::flush_stdout(vm);
        let mut err = std::io::stderr();
        let _ = err.write_all(b"lua_debug> ");
        let _ = err.flush();
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => return Ok(0),
            Ok(_) => {}
        }
        if line.trim_end_matches(['\n', '\r']) == "cont" {
            return Ok(0);
        }
        let result = crate::load_text(vm, line.as_bytes(), b"=(debug command)")
            .and_then(|f| vm.pcall_function(f, &[]));
        if let Err(e) = result {
            let msg = match e.value.as_str() {
                Some(m) => String::from_utf8_lossy(m).into_owned(),
                None => format!("(error object is a {} value)", e.value.type_name()),
            };
            let _ = writeln!(err, "{msg}");
        }
    }
}
