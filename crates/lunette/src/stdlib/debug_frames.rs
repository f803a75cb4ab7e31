//! Frame introspection for the `debug` library and tracebacks: call levels,
//! function descriptions (`getinfo`), locals and the `luaL_traceback` layout.

use crate::bytecode::chunkid::chunk_id;
use crate::gc::Gc;
use crate::vm::call::{Callee, Frame};
use crate::vm::function::UpState;
use crate::vm::hook::is_builtin;
use crate::vm::thread::Thread;
use crate::vm::{Value, Vm};

/// What `getinfo` knows about one activation or function.
#[derive(Default, Clone)]
pub struct FuncInfo {
    /// `"Lua"`, `"C"` or `"main"`.
    pub what: &'static str,
    /// The chunk name.
    pub source: Vec<u8>,
    /// `chunk_id(source)`.
    pub short_src: String,
    /// Line where the function is defined (-1 for C).
    pub line_defined: i64,
    /// Last line of the definition (-1 for C).
    pub last_line_defined: i64,
    /// Current line (-1 when unknown or C).
    pub current_line: i64,
    /// Number of upvalues.
    pub nups: usize,
    /// Number of fixed parameters.
    pub nparams: usize,
    /// Whether the function is vararg.
    pub is_vararg: bool,
    /// The name the caller used, if known.
    pub name: Option<String>,
    /// How the name was found (`global`, `local`, `method`, `field`, ...), or `""`.
    pub namewhat: &'static str,
    /// The function itself.
    pub func: Value,
    /// Whether the activation was entered by a tail call.
    pub is_tail: bool,
    /// First local index of the values a call or return hook sees.
    pub ftransfer: usize,
    /// Number of those values.
    pub ntransfer: usize,
}

/// The activations of one thread as the debug library sees them.
pub struct Frames {
    /// The frames, bottom first.
    pub frames: Vec<Frame>,
    /// Index of each frame among the thread's real frames (the helper
    /// natives that the library's own Lua functions call are left out).
    orig: Vec<usize>,
    /// The thread.
    thread: Gc<Thread>,
}

impl Frames {
    /// Number of activations.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
}

/// Whether `c` is one of the library's own Lua functions (see `is_builtin`).
fn is_builtin_callee(c: Callee) -> bool {
    matches!(c, Callee::Lua(cl) if is_builtin(&cl.proto.proto))
}

/// Describes a function value (no activation: no name or current line).
pub fn describe_function(f: Value) -> FuncInfo {
    let mut info = FuncInfo {
        func: f,
        current_line: -1,
        ..FuncInfo::default()
    };
    match f {
        Value::LuaFn(cl) if !is_builtin(&cl.proto.proto) => {
            let p = &cl.proto.proto;
            info.what = if p.line_defined == 0 { "main" } else { "Lua" };
            info.source = p.source.to_vec();
            info.short_src = chunk_id(&p.source);
            info.line_defined = p.line_defined as i64;
            info.last_line_defined = p.last_line_defined as i64;
            info.nups = cl.upvals().len();
            info.nparams = p.num_params as usize;
            info.is_vararg = p.is_vararg;
        }
        _ => {
            info.what = "C";
            info.source = b"=[C]".to_vec();
            info.short_src = "[C]".to_string();
            info.line_defined = -1;
            info.last_line_defined = -1;
            info.is_vararg = true;
            if let Value::Native(nc) = f {
                info.nups = nc.upvalues.len();
            }
            if let Value::LuaFn(cl) = f {
                info.nups = cl.upvals().len();
            }
        }
    }
    info
}

fn callee_value(c: Callee) -> Value {
    match c {
        Callee::Lua(cl) => Value::LuaFn(cl),
        Callee::Native(nc) => Value::Native(nc),
    }
}

/// The frames of `thread` (the running one when `None` or when it is the
/// running thread), bottom first.
pub fn frames_of(vm: &mut Vm, thread: Option<Gc<Thread>>) -> Frames {
    let (all, thread) = match thread {
        Some(t) if !Gc::ptr_eq(t, vm.current_thread) => {
            // A suspended coroutine keeps the frame of the `coroutine.yield`
            // that suspended it (its level 0), as Lua shows it.
            let frames = t.saved.borrow().frames.clone();
            (frames, t)
        }
        _ => (vm.frames.clone(), vm.current_thread),
    };
    let mut frames = Vec::with_capacity(all.len());
    let mut orig = Vec::with_capacity(all.len());
    for (i, fr) in all.iter().enumerate() {
        // a native helper of one of the library's Lua functions is part
        // of that "C function"
        let helper =
            matches!(fr.callee, Callee::Native(_)) && i > 0 && is_builtin_callee(all[i - 1].callee);
        if !helper {
            frames.push(*fr);
            orig.push(i);
        }
    }
    Frames {
        frames,
        orig,
        thread,
    }
}

/// Describes the activation `idx` of `frames`.
pub fn describe_frame(vm: &Vm, frames: &Frames, idx: usize) -> FuncInfo {
    let fr = &frames.frames[idx];
    let mut info = describe_function(callee_value(fr.callee));
    info.is_tail = fr.is_tail;
    let real = frames.orig[idx];
    (info.ftransfer, info.ntransfer) = vm.hooks.transfer_of(frames.thread, real);
    if let Callee::Lua(cl) = fr.callee {
        if !is_builtin(&cl.proto.proto) {
            info.current_line = cl
                .proto
                .proto
                .line_at(fr.pc.saturating_sub(1))
                .map(|l| l as i64)
                .unwrap_or(-1);
        }
    }
    let Some(ci) = idx.checked_sub(1) else {
        return info;
    };
    if vm.hooks.is_hooked_frame(frames.thread, frames.orig[ci]) {
        info.namewhat = "hook";
        info.name = Some("?".to_string());
    } else if vm.hooks.is_finalizer_caller(frames.thread, frames.orig[ci]) {
        info.namewhat = "metamethod";
        info.name = Some("__gc".to_string());
    } else if let Callee::Lua(cl) = frames.frames[ci].callee {
        let p = &cl.proto.proto;
        if !is_builtin(p) && !fr.is_tail {
            let pc = frames.frames[ci].pc.saturating_sub(1);
            if let Some((what, name)) = crate::vm::debuginfo::call_site_name(p, pc) {
                info.namewhat = what;
                info.name = Some(name);
            }
        }
    }
    info
}

/// Reads an upvalue's current value (open upvalues read their thread's stack).
pub fn upvalue_get(vm: &Vm, uv: Gc<crate::vm::function::UpVal>) -> Value {
    match uv.state() {
        UpState::Closed(v) => v,
        UpState::Open { thread, index } => {
            if Gc::ptr_eq(thread, vm.current_thread) {
                vm.stack.get(index).copied().unwrap_or(Value::Nil)
            } else {
                thread
                    .saved
                    .borrow()
                    .stack
                    .get(index)
                    .copied()
                    .unwrap_or(Value::Nil)
            }
        }
    }
}

/// Writes an upvalue.
pub fn upvalue_set(vm: &mut Vm, uv: Gc<crate::vm::function::UpVal>, v: Value) {
    match uv.state() {
        UpState::Closed(_) => {
            uv.close(v);
            vm.heap.barrier(uv, v);
        }
        UpState::Open { thread, index } => {
            if Gc::ptr_eq(thread, vm.current_thread) {
                if let Some(slot) = vm.stack.get_mut(index) {
                    *slot = v;
                }
            } else if let Some(slot) = thread.saved.borrow_mut().stack.get_mut(index) {
                *slot = v;
            }
        }
    }
}

/// Finds `f` in the loaded modules as `pushglobalfuncname` does
/// (`print`, `string.rep`).
fn global_name(vm: &mut Vm, f: Value) -> Option<String> {
    let loaded = crate::stdlib::package::loaded_table(vm);
    for (mk, mv) in loaded.entries() {
        let (Some(mname), Value::Table(m)) = (mk.as_str(), mv) else {
            continue;
        };
        for (k, v) in m.entries() {
            if let Some(fname) = k.as_str() {
                if v.raw_eq(&f) {
                    let mname = String::from_utf8_lossy(mname);
                    let fname = String::from_utf8_lossy(fname);
                    return Some(if mname == "_G" {
                        fname.into_owned()
                    } else {
                        format!("{mname}.{fname}")
                    });
                }
            }
        }
    }
    None
}

fn function_description(vm: &mut Vm, info: &FuncInfo, bottom: bool) -> String {
    if let Some(g) = global_name(vm, info.func) {
        return format!("function '{g}'");
    }
    if let Some(name) = &info.name {
        if !info.namewhat.is_empty() {
            return if info.namewhat == "global" {
                format!("function '{name}'")
            } else {
                format!("{} '{name}'", info.namewhat)
            };
        }
    }
    if info.what == "main" {
        "main chunk".to_string()
    } else if info.what == "C" || bottom {
        "?".to_string()
    } else {
        format!("function <{}:{}>", info.short_src, info.line_defined)
    }
}

/// Levels shown before and after the `...` of a long traceback.
const LEVELS_FIRST: usize = 10;
const LEVELS_LAST: usize = 11;

/// The `stack traceback:` text of `thread` (running thread when `None`)
/// starting at `level` (0 = the innermost frame).
pub fn traceback(vm: &mut Vm, thread: Option<Gc<Thread>>, level: usize) -> String {
    let frames = frames_of(vm, thread);
    let mut out = String::from("stack traceback:");
    let n = frames.len();
    let shown: Vec<usize> = (0..n.saturating_sub(level)).rev().collect();
    let total = shown.len();
    // Lua elides only when more than one level would go, and its count
    // leaves out one of the levels it skips
    let elide = total > LEVELS_FIRST + LEVELS_LAST + 1;
    for (k, &idx) in shown.iter().enumerate() {
        if elide && k == LEVELS_FIRST {
            let skip = total - LEVELS_FIRST - LEVELS_LAST - 1;
            out.push_str(&format!("\n\t...\t(skipping {skip} levels)"));
        }
        if elide && k >= LEVELS_FIRST && k < total - LEVELS_LAST {
            continue;
        }
        let info = describe_frame(vm, &frames, idx);
        let bottom = idx == 0 && info.what == "C";
        let desc = if bottom {
            "?".to_string()
        } else {
            function_description(vm, &info, false)
        };
        if info.what == "C" {
            out.push_str(&format!("\n\t[C]: in {desc}"));
        } else if info.current_line > 0 {
            out.push_str(&format!(
                "\n\t{}:{}: in {desc}",
                info.short_src, info.current_line
            ));
        } else {
            out.push_str(&format!("\n\t{}: in {desc}", info.short_src));
        }
        if info.is_tail {
            out.push_str("\n\t(...tail calls...)");
        }
    }
    out
}

/// The `n`-th local of frame `idx` (name, stack slot): named locals,
/// `(temporary)`/`(C temporary)` slots, and varargs for negative `n`.
pub fn local_slot(vm: &Vm, frames: &Frames, idx: usize, n: i64) -> Option<(String, usize)> {
    let fr = &frames.frames[idx];
    let limit = frames
        .frames
        .get(idx + 1)
        .map(|f| f.func)
        .unwrap_or(vm.stack.len());
    match fr.callee {
        Callee::Lua(cl) => {
            let p = &cl.proto.proto;
            if n < 0 {
                if !p.is_vararg {
                    return None;
                }
                let nextra = fr.nvarargs as i64;
                if -n > nextra {
                    return None;
                }
                let slot = fr.base as i64 - nextra + (-n) - 1;
                return Some(("(vararg)".to_string(), slot as usize));
            }
            if n == 0 {
                return None;
            }
            let pc = fr.pc.saturating_sub(1);
            if let Some(name) = p.local_name(n as usize, pc) {
                return Some((
                    String::from_utf8_lossy(name).into_owned(),
                    fr.base + n as usize - 1,
                ));
            }
            let slot = fr.base + n as usize - 1;
            (slot < limit).then(|| ("(temporary)".to_string(), slot))
        }
        Callee::Native(_) => {
            if n <= 0 {
                return None;
            }
            let slot = fr.base + n as usize - 1;
            (slot < limit).then(|| ("(C temporary)".to_string(), slot))
        }
    }
}
