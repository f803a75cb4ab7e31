//! Metamethods called as interpreter frames (inside coroutines), so that
//! they can yield: `__index`/`__newindex` functions, arithmetic and
//! comparison metamethods that are Lua functions. The slow path pushes a
//! frame for the metamethod, records in it what to do with its result
//! (`cont`), and unwinds to the interpreter loop with a sentinel (see
//! `execute`); when the frame returns, `finish_meta_frame` applies the
//! result to the caller. Outside coroutines the semantics layer calls the
//! metamethods (a re-entry), as before.

use super::error::{LuaError, LuaResult};
use super::function::LuaClosure;
use super::state::Vm;
use super::value::Value;
use crate::gc::Gc;

/// Continuation: store the first result in the caller's register (low 16 bits).
pub const CONT_SET_REG: u32 = 1 << 16;
/// Continuation: discard the results.
pub const CONT_DISCARD: u32 = 2 << 16;
/// Continuation: run the caller's last instruction again (a `CLOSE` or
/// `RETURN` with more to-be-closed variables to close).
pub const CONT_RERUN: u32 = 4 << 16;
/// Continuation: as `CONT_RERUN`, and restore the open-results top to
/// the caller's base plus the low 16 bits (a `RETURN` of open results).
pub const CONT_RERUN_TOP: u32 = 5 << 16;
/// Continuation: store the result in register (low 16 bits), then run the
/// caller's `CONCAT` again to join what is left.
pub const CONT_CONCAT: u32 = 8 << 16;
/// Continuation: a comparison; low bit = the instruction's `k`: skip the
/// caller's next instruction when the result's truth differs from `k`.
pub const CONT_COND: u32 = 3 << 16;

impl Vm {
    /// Whether the running code is inside a coroutine (metamethods then
    /// run as frames).
    #[inline]
    pub(crate) fn in_coroutine(&self) -> bool {
        self.current_thread != self.main_thread
    }

    /// The raw metamethod `name` of `v` (nil when absent).
    pub(crate) fn meta_value(&self, v: Value, name: &[u8]) -> Value {
        match self.get_metatable(v) {
            Some(mt) => mt.raw_get_bytes(name),
            None => Value::Nil,
        }
    }

    /// Pushes a frame calling `f(args...)` for one result, with
    /// continuation `cont`; returns the sentinel that unwinds to the loop.
    pub(crate) fn push_meta_frame(
        &mut self,
        f: Gc<LuaClosure>,
        args: &[Value],
        cont: u32,
    ) -> LuaResult<LuaError> {
        let func = self.stack.len();
        self.stack.push(Value::LuaFn(f));
        self.stack.extend_from_slice(args);
        self.push_lua_frame(f, func, args.len(), 1)?;
        if let Some(top) = self.frames.last_mut() {
            top.cont = cont;
        }
        self.meta_frame_pushed = true;
        Ok(LuaError::new(Value::Nil))
    }

    /// Applies the result at `func` of a finished metamethod frame to its
    /// caller (the top frame).
    pub(crate) fn finish_meta_frame(&mut self, cont: u32, func: usize) {
        let v = self.stack.get(func).copied().unwrap_or_default();
        let Some(caller) = self.frames.last_mut() else {
            return;
        };
        match cont & 0xffff_0000 {
            CONT_SET_REG => {
                let slot = caller.base + (cont & 0xffff) as usize;
                if let Some(s) = self.stack.get_mut(slot) {
                    *s = v;
                }
            }
            CONT_RERUN => caller.pc = caller.pc.saturating_sub(1),
            CONT_CONCAT => {
                caller.pc = caller.pc.saturating_sub(1);
                let slot = caller.base + (cont & 0xffff) as usize;
                if let Some(s) = self.stack.get_mut(slot) {
                    *s = v;
                }
            }
            CONT_RERUN_TOP => {
                caller.pc = caller.pc.saturating_sub(1);
                self.mtop = caller.base + (cont & 0xffff) as usize;
            }
            CONT_COND => {
                let k = cont & 1 != 0;
                if v.truthy() != k {
                    caller.pc += 1;
                }
            }
            _ => {}
        }
    }
}
