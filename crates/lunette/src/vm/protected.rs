//! Protected calls from Rust: call a Lua value and, on error, restore the
//! frame list and stack to where they were (what `lua_pcall` does for C);
//! and the start of `pcall`/`xpcall` called from Lua, with the other
//! calls `precall` leaves out of its fast path.

use super::call::{protect_kind, Callee, Entered, Frame, Recovery, MAX_CCALLS};
use super::error::{LuaError, LuaResult};
use super::function::NativeClosure;
use super::state::Vm;
use super::value::Value;
use crate::gc::Gc;

impl Vm {
    /// Calls `f` with `args`; on error, unwinds everything the call pushed
    /// (closing its upvalues and to-be-closed variables) and returns the
    /// error, leaving the state as it was before the call.
    pub fn pcall_function(&mut self, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        let depth = self.frames.len();
        let level = self.stack.len();
        let ccalls = self.n_ccalls;
        let protected = self.n_protected;
        match self.call_function(f, args) {
            Ok(v) => Ok(v),
            Err(e) => {
                let e = self.unwind(depth, level, e);
                self.n_ccalls = ccalls;
                self.n_protected = protected;
                Err(e)
            }
        }
    }

    /// `precall` for `pcall`, `xpcall` and values called through `__call`.
    #[inline(never)]
    pub(crate) fn precall_other(
        &mut self,
        func: usize,
        mut nargs: usize,
        nresults: i32,
    ) -> LuaResult<Entered> {
        let mut tries = 0;
        loop {
            match self.stack[func] {
                Value::LuaFn(cl) => {
                    self.push_lua_frame(cl, func, nargs, nresults)?;
                    return Ok(Entered::Lua);
                }
                Value::Native(nc) => {
                    if let Some(kind) = protect_kind(nc) {
                        let handler_ok = kind == 1
                            || matches!(
                                self.stack.get(func + 2),
                                Some(Value::LuaFn(_) | Value::Native(_))
                            );
                        if nargs >= kind as usize && handler_ok {
                            return self.enter_protected(nc, kind, func, nargs, nresults);
                        }
                    }
                    self.gc_check()?;
                    let n = self.call_native(nc, func, nargs, nresults)?;
                    return Ok(Entered::Native(n));
                }
                _ => {
                    tries += 1;
                    if tries > 100 {
                        return Err(self.rt_error("'__call' chain too long; possible loop"));
                    }
                    nargs = self.insert_call_handler(func, nargs)?;
                }
            }
        }
    }

    /// Starts a protected call: pushes the marker frame for `pcall`/`xpcall`
    /// at `func` and calls its function argument (at `func + kind`).
    fn enter_protected(
        &mut self,
        nc: Gc<NativeClosure>,
        kind: u8,
        func: usize,
        nargs: usize,
        nresults: i32,
    ) -> LuaResult<Entered> {
        if self.n_ccalls + self.n_protected >= MAX_CCALLS {
            let v = self.new_str(b"C stack overflow");
            return Err(LuaError::new(v));
        }
        let m = self.frames.len();
        self.stack.truncate(func + 1 + nargs);
        self.frames.push(Frame {
            callee: Callee::Native(nc),
            func,
            base: func + 1,
            pc: self.n_protected as usize,
            nresults,
            nvarargs: 0,
            protect: kind,
            is_tail: false,
            cont: 0,
            concat_left: 0,
            code: std::ptr::null(),
        });
        self.n_protected += 1;
        let ffunc = func + kind as usize;
        if kind == 2 {
            // [xpcall, f, msgh, args...] -> [xpcall, msgh, f, args...]
            self.stack.swap(func + 1, func + 2);
        }
        match self.precall(ffunc, nargs - kind as usize, -1) {
            Ok(Entered::Lua) => Ok(Entered::Lua),
            Ok(Entered::Native(n)) => Ok(Entered::Native(self.finish_protected(n))),
            Err(e) => {
                if self.yield_request.is_some() || self.limits.uncatchable() {
                    return Err(e);
                }
                match self.recover(m, e) {
                    Recovery::Done(n) => Ok(Entered::Native(n)),
                    Recovery::Pushed => Ok(Entered::Lua),
                }
            }
        }
    }
}
