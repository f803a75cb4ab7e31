//! The collector's roots: what is reachable without going through
//! another heap object. The running thread's stack, frames and open
//! upvalues (every other thread's state is reached through its thread
//! object); globals, registry, host handles and type metatables; the
//! heap's temporary roots (values returned to Rust code by calls into Lua,
//! kept until no native function is active), objects with pending
//! finalizers, and hook functions.
//!
//! A collection only does work at a safe point: an explicit
//! `collectgarbage` call, or the interpreter's allocation check
//! (`Vm::gc_check`) between instructions, where every live value is
//! reachable from the roots. Roots are marked when a cycle starts and
//! again in its atomic phase (they change without write barriers).

use super::handle::GcAny;
use super::heap::Heap;
use crate::vm::value::Value;
use crate::vm::Vm;

/// The live slots of the running thread's stack: below the first frame
/// (host values), then each frame's window up to the next frame's function
/// slot, the innermost one's up to the top of the stack; that is, every
/// slot below the top, as Lua marks a thread's stack up to its top.
///
/// A frame's window is not cut at its register limit: values above the
/// registers can still be in use while a frame above runs (results waiting
/// while `RETURN` runs `__close` handlers, operands of a metamethod,
/// values a hook may read, arguments of a call being set up).
pub(super) fn live_stack_ranges(
    frames: &[crate::vm::call::Frame],
    len: usize,
) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(frames.len() + 1);
    let first = frames.first().map(|f| f.func).unwrap_or(len).min(len);
    out.push((0, first));
    for (i, f) in frames.iter().enumerate() {
        let hi = frames.get(i + 1).map(|n| n.func).unwrap_or(len).min(len);
        let lo = f.func.min(hi);
        out.push((lo, hi.max(lo)));
    }
    out
}

impl Heap {
    /// Marks the roots the heap holds: temporary roots and objects with
    /// pending finalizers.
    fn mark_own_roots(&mut self) {
        for v in &self.temp_roots {
            self.marker.value(*v);
        }
        for o in &self.tobefnz {
            self.marker.obj(*o);
        }
    }
}

impl Vm {
    /// Marks every root gray. In the atomic phase (`atomic`), stack slots
    /// outside the live windows are cleared: their objects may be freed
    /// now, and a later frame could otherwise expose the stale handles as
    /// registers it has not written yet.
    pub(super) fn mark_roots(&mut self, atomic: bool) {
        let m = &mut self.heap.marker;
        m.value(Value::Table(self.globals));
        m.value(Value::Table(self.registry));
        m.value(Value::Table(self.host_refs));
        for s in self.tm_names {
            m.value(Value::Str(s));
        }
        for t in self.type_metas.into_iter().flatten() {
            m.value(Value::Table(t));
        }
        m.value(Value::Thread(self.current_thread));
        m.value(Value::Thread(self.main_thread));
        let mut done = 0;
        for (lo, hi) in live_stack_ranges(&self.frames, self.stack.len()) {
            if atomic {
                if let Some(dead) = self.stack.get_mut(done.min(lo)..lo) {
                    dead.fill(Value::Nil);
                }
            }
            for v in &self.stack[lo..hi] {
                m.value(*v);
            }
            done = done.max(hi);
        }
        for f in &self.frames {
            m.callee(f.callee);
        }
        for u in &self.open_upvals {
            m.obj(GcAny::UpVal(*u));
        }
        for f in self.hooks.functions() {
            m.value(f);
        }
        for t in self.hooks.threads() {
            m.value(Value::Thread(t));
        }
        self.heap.mark_own_roots();
    }
}
