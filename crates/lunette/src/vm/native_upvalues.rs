//! Access by a running native closure to its own upvalues.
//!
//! A native function is called with its closure in the stack slot just
//! below its first argument (`args.base - 1`), as Lua's calling convention
//! places the function value before its arguments; these accessors read the
//! closure from there.

use super::function::NativeClosure;
use super::native::Args;
use super::state::Vm;
use super::value::Value;
use crate::gc::Gc;

impl Vm {
    /// The native closure being run with `args`, if it can be found.
    fn running_native(&self, args: Args) -> Option<Gc<NativeClosure>> {
        let slot = args.base.checked_sub(1)?;
        match self.stack.get(slot) {
            Some(Value::Native(f)) => Some(*f),
            _ => None,
        }
    }

    /// Upvalue `i` (0-based) of the running native closure (`nil` when absent).
    pub fn current_native_upvalue(&self, args: Args, i: usize) -> Value {
        self.running_native(args)
            .and_then(|f| f.upvalues.get(i).map(|c| c.get()))
            .unwrap_or(Value::Nil)
    }

    /// Sets upvalue `i` (0-based) of the running native closure (ignored
    /// when absent).
    pub fn set_current_native_upvalue(&self, args: Args, i: usize, v: Value) {
        if let Some(cell) = self
            .running_native(args)
            .as_ref()
            .and_then(|f| f.upvalues.get(i))
        {
            cell.set(v);
        }
    }
}
