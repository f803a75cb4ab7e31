//! Access by a running native closure to its own upvalues (the innermost
//! frame's callee).

use super::call::Callee;
use super::function::NativeClosure;
use super::state::Vm;
use super::value::Value;
use crate::gc::Gc;

impl Vm {
    /// The native closure of the innermost frame, if that frame is native.
    fn running_native(&self) -> Option<Gc<NativeClosure>> {
        match self.frames.last()?.callee {
            Callee::Native(f) => Some(f),
            Callee::Lua(_) => None,
        }
    }

    /// Upvalue `i` (0-based) of the running native closure (`nil` when absent).
    pub fn current_native_upvalue(&self, i: usize) -> Value {
        self.running_native()
            .and_then(|f| f.upvalues.get(i).map(|c| c.get()))
            .unwrap_or(Value::Nil)
    }

    /// Sets upvalue `i` (0-based) of the running native closure (ignored
    /// when absent).
    pub fn set_current_native_upvalue(&mut self, i: usize, v: Value) {
        if let Some(f) = self.running_native() {
            if let Some(cell) = f.upvalues.get(i) {
                cell.set(v);
                self.heap.barrier(f, v);
            }
        }
    }
}
