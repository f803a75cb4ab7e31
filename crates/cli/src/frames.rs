//! What the observation tools (`--trace`, `--visualize`) read from a
//! running VM: function names of frames, register windows, value texts.

use lunette::vm::call::Callee;
use lunette::vm::debuginfo::call_site_name;
use lunette::{RawValue as Value, Vm};
use std::collections::HashMap;

/// Names of the frames of every thread, computed when a function is
/// entered (from the calling instruction, as tracebacks name functions).
#[derive(Default)]
pub struct FrameNames {
    by_thread: HashMap<usize, Vec<String>>,
}

impl FrameNames {
    /// Records the name of the frame just entered (the top frame).
    pub fn entered(&mut self, vm: &Vm) {
        let depth = vm.frames.len();
        if depth == 0 {
            return;
        }
        let name = frame_name(vm, depth - 1);
        let names = self.by_thread.entry(vm.current_thread.addr()).or_default();
        names.truncate(depth - 1);
        names.resize(depth - 1, String::new());
        names.push(name);
    }

    /// The recorded name of frame `idx` of thread `thread`, if any.
    pub fn known(&self, thread: usize, idx: usize) -> Option<String> {
        self.by_thread
            .get(&thread)
            .and_then(|v| v.get(idx))
            .filter(|n| !n.is_empty())
            .cloned()
    }

    /// The name of the top frame of the running thread.
    pub fn name(&mut self, vm: &Vm) -> String {
        self.name_at(vm, vm.frames.len().saturating_sub(1))
    }

    /// The name of frame `idx` (0 = outermost) of the running thread.
    pub fn name_at(&mut self, vm: &Vm, idx: usize) -> String {
        let known = self
            .by_thread
            .get(&vm.current_thread.addr())
            .and_then(|v| v.get(idx))
            .filter(|n| !n.is_empty());
        match known {
            Some(n) => n.clone(),
            None => frame_name(vm, idx),
        }
    }
}

/// The name of frame `idx` of the running thread: `main` for a main chunk,
/// the call site's name (`fib`, `__add` for metamethods), the builtin's
/// name, or `<chunk:line>` where the function was defined.
pub fn frame_name(vm: &Vm, idx: usize) -> String {
    let Some(fr) = vm.frames.get(idx) else {
        return "?".into();
    };
    if let Callee::Lua(cl) = fr.callee {
        if cl.proto.proto.line_defined == 0 {
            return "main".into();
        }
    }
    if idx > 0 && !fr.is_tail {
        if let Some(caller) = vm.frames.get(idx - 1) {
            if let Callee::Lua(ccl) = caller.callee {
                let p = &ccl.proto.proto;
                if let Some((kind, name)) = call_site_name(p, caller.pc.saturating_sub(1)) {
                    return if kind == "metamethod" {
                        format!("__{name}")
                    } else {
                        name
                    };
                }
            }
        }
    }
    match fr.callee {
        Callee::Lua(cl) => {
            let p = &cl.proto.proto;
            let chunk = lunette::bytecode::chunkid::chunk_id(&p.source);
            format!("<{}:{}>", chunk, p.line_defined)
        }
        Callee::Native(nc) => nc.name.to_string(),
    }
}

/// The register window of the running Lua frame (its `max_stack` slots;
/// empty when the top frame is native).
pub fn window(vm: &Vm) -> Vec<Value> {
    let Some((cl, _, base)) = vm.current_lua_frame() else {
        return Vec::new();
    };
    let end = (base + cl.proto.proto.max_stack as usize).min(vm.stack.len());
    vm.stack
        .get(base..end)
        .map(<[Value]>::to_vec)
        .unwrap_or_default()
}

/// The registers a call instruction is defined to write when its callee
/// returns (`CALL`: its results; `TFORCALL`: the loop variables), as a
/// half-open range; `None` for other instructions. Registers above a call's
/// results are scratch space of the callee and are not reported.
pub fn call_results(proto: &lunette::bytecode::Proto, pc: usize) -> Option<(usize, usize)> {
    use lunette::bytecode::OpCode;
    let i = proto.code.get(pc)?;
    let (a, c) = (i.a() as usize, i.c() as usize);
    match i.opcode()? {
        OpCode::CALL if c == 0 => Some((a, usize::MAX)),
        OpCode::CALL => Some((a, a + c - 1)),
        OpCode::TFORCALL => Some((a + 4, a + 4 + c)),
        _ => None,
    }
}

/// The registers the instruction at `pc` of `proto` wrote, given the
/// frame's registers before it ran and after (when the frame runs again):
/// a call's result registers (those that changed, when it keeps all
/// results); for other instructions register A when the opcode sets it,
/// plus any register whose value changed.
pub fn written_regs(
    proto: &lunette::bytecode::Proto,
    pc: usize,
    before: &[Value],
    after: &[Value],
) -> Vec<usize> {
    let differs = |i: usize| !before.get(i).is_some_and(|b| same_value(b, &after[i]));
    if let Some((lo, hi)) = call_results(proto, pc) {
        let all = hi != usize::MAX;
        return (lo..hi.min(after.len()))
            .filter(|&i| all || differs(i))
            .collect();
    }
    let sets_a = proto
        .code
        .get(pc)
        .and_then(|i| Some((i.a() as usize, i.opcode()?)))
        .filter(|(_, op)| op.flags() & lunette::bytecode::opcode::F_SETS_A != 0)
        .map(|(a, _)| a);
    (0..after.len())
        .filter(|&i| sets_a == Some(i) || differs(i))
        .collect()
}

/// Whether `a` and `b` are the same value (same type and bits; objects by
/// address; unlike `==`, a NaN is the same as itself).
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Nil, Value::Nil) => true,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b) && a.addr() == b.addr(),
    }
}

/// Longest string shown in full by [`value_text`].
const MAX_STR: usize = 40;

/// A value as the tools show it: numbers as `tostring` prints them,
/// strings quoted (long ones shortened), objects as `type: 0xADDR`.
pub fn value_text(v: Value) -> String {
    match v {
        Value::Nil => "nil".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => lunette::number::fmt_float(f),
        Value::Str(s) => {
            let bytes = s.as_bytes();
            let mut t = String::from("\"");
            for &c in bytes.iter().take(MAX_STR) {
                match c {
                    b'"' => t.push_str("\\\""),
                    b'\\' => t.push_str("\\\\"),
                    b'\n' => t.push_str("\\n"),
                    b'\t' => t.push_str("\\t"),
                    32..=126 => t.push(c as char),
                    _ => t.push_str(&format!("\\{c}")),
                }
            }
            if bytes.len() > MAX_STR {
                t.push_str("...");
            }
            t.push('"');
            t
        }
        _ => format!("{}: {:#x}", v.type_name(), v.addr()),
    }
}
