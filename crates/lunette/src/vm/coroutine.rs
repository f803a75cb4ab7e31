//! The coroutine machinery: resuming (swapping a thread's execution state
//! into the `Vm`), yielding (unwinding to `resume` with the frames kept),
//! and closing a suspended or dead coroutine.

use super::call::{Entered, MAX_CCALLS, MAX_STACK};
use super::error::{LuaError, LuaResult};
use super::native::Args;
use super::state::Vm;
use super::thread::{CoStatus, ExecState, Thread};
use super::value::Value;
use crate::gc::Gc;

/// Appends `src` to `dst` a value at a time: the values a resume or a
/// yield passes are few, and `extend_from_slice` would call `memcpy`.
#[inline(always)]
fn push_values(dst: &mut Vec<Value>, src: &[Value]) {
    match *src {
        [] => {}
        [v] => dst.push(v),
        [v, w] => {
            dst.push(v);
            dst.push(w);
        }
        _ => dst.extend_from_slice(src),
    }
}

impl Vm {
    /// Moves the running execution state into `out`'s saved state and
    /// `into`'s saved state into the `Vm`; the idle (empty) state `out`
    /// held while it ran ends up in `into`. The same as exchanging the
    /// running state with `out`'s and then with `into`'s, in one pass.
    fn switch_state(&mut self, out: Gc<Thread>, into: Gc<Thread>) {
        // `out` and `into` differ (a running thread is never resumed or
        // closed); if they did not, the two exchanges would cancel out
        debug_assert!(!Gc::ptr_eq(out, into), "a thread switched to itself");
        let (Ok(mut o), Ok(mut i)) = (out.saved.try_borrow_mut(), into.saved.try_borrow_mut())
        else {
            return;
        };
        self.rotate_state(&mut o, &mut i);
    }

    /// `switch_state` on the borrowed states (distinct references: the
    /// compiler fuses the exchanges into a rotation).
    #[inline(never)]
    fn rotate_state(&mut self, o: &mut ExecState, i: &mut ExecState) {
        macro_rules! rotate {
            ($($f:ident),*) => {$(
                std::mem::swap(&mut self.$f, &mut o.$f);
                std::mem::swap(&mut self.$f, &mut i.$f);
            )*};
        }
        rotate!(stack, frames, open_upvals, tbc, mtop, n_protected);
    }

    /// Makes `co` the running thread (its state swapped in); returns the
    /// previous one.
    fn enter_thread(&mut self, co: Gc<Thread>) -> Gc<Thread> {
        let prev = self.current_thread;
        self.account_running_state();
        self.switch_state(prev, co);
        self.current_thread = co;
        self.refresh_hook();
        prev
    }

    /// Switches back from `co` to `prev`.
    fn leave_thread(&mut self, co: Gc<Thread>, prev: Gc<Thread>) {
        self.account_running_state();
        self.switch_state(co, prev);
        self.current_thread = prev;
        self.refresh_hook();
    }

    /// Called by `call_native` when the native that just returned was
    /// `coroutine.yield`: records where the resume values go and returns
    /// the sentinel error that unwinds the Rust stack to `resume`.
    pub(crate) fn yield_unwind(&mut self, func: usize, _n: usize, nresults: i32) -> LuaError {
        self.current_thread.resume_slot.set((func, nresults));
        LuaError::new(Value::Nil)
    }

    /// Whether the running code may yield.
    pub fn is_yieldable(&self) -> bool {
        self.current_thread != self.main_thread
            && self.n_ccalls == self.current_thread.base_ccalls.get()
    }

    /// Resumes `co` with `args`: `Ok(values)` are the values it yielded or
    /// returned, `Err(value)` the error that killed it (or a message for
    /// a coroutine that cannot be resumed).
    pub fn resume(&mut self, co: Gc<Thread>, args: &[Value]) -> Result<Vec<Value>, Value> {
        let base = self.stack.len();
        self.stack.extend_from_slice(args);
        let r = self.resume_from_stack(
            co,
            Args {
                base,
                len: args.len(),
            },
        );
        let out = r.map(|n| self.stack[self.stack.len() - n..].to_vec());
        self.stack.truncate(base);
        out
    }

    /// `resume` without allocating: the arguments are the `args.len`
    /// values at `args.base..` of the running thread's stack, and the
    /// values `co` yielded or returned are pushed on that stack;
    /// `Ok(count)` of them, or `Err(value)` as `resume`.
    pub fn resume_from_stack(&mut self, co: Gc<Thread>, args: Args) -> Result<usize, Value> {
        match co.status.get() {
            CoStatus::Suspended => {}
            CoStatus::Dead => return Err(self.new_str(b"cannot resume dead coroutine")),
            _ => return Err(self.new_str(b"cannot resume non-suspended coroutine")),
        }
        if self.n_ccalls >= MAX_CCALLS {
            return Err(self.new_str(b"C stack overflow"));
        }
        let prev = self.enter_thread(co);
        prev.status.set(CoStatus::Normal);
        co.status.set(CoStatus::Running);
        self.n_ccalls += 1;
        co.base_ccalls.set(self.n_ccalls);
        let r = self.run_resumed(co, prev, args);
        self.n_ccalls -= 1;
        // the values passed back: the last `n` of the coroutine's stack
        // (all of it when it returned)
        let passed = match r {
            Ok(()) => {
                co.status.set(CoStatus::Dead);
                Ok(self.stack.len())
            }
            Err(e) => match self.yield_request.take() {
                Some(n) => {
                    co.status.set(CoStatus::Suspended);
                    Ok(n.min(self.stack.len()))
                }
                None => {
                    co.status.set(CoStatus::Dead);
                    co.error.set(Some(e.value));
                    Err(e.value)
                }
            },
        };
        let outcome = passed.and_then(|n| self.pass_back(co, prev, n));
        self.leave_thread(co, prev);
        prev.status.set(CoStatus::Running);
        outcome
    }

    /// Moves the last `n` values of the coroutine `co`'s (running) stack
    /// onto the resumer `prev`'s stack, when it has room for them (Lua's
    /// `lua_checkstack` in `coroutine.resume`; without room they are
    /// dropped and the resume fails, the coroutine's state as it is).
    /// Then frees a finished coroutine's stack, or cuts a suspended one's
    /// at its yield's slot. `Ok(n)`, or the error value.
    #[inline(always)]
    fn pass_back(&mut self, co: Gc<Thread>, prev: Gc<Thread>, n: usize) -> Result<usize, Value> {
        let len = self.stack.len();
        let fits = {
            let dst = &mut prev.saved.borrow_mut().stack;
            let fits = dst.len().saturating_add(n) < MAX_STACK;
            if fits {
                push_values(dst, &self.stack[len - n..]);
            }
            fits
        };
        if co.status.get() == CoStatus::Dead {
            self.stack = Vec::new();
        } else {
            let (func, _) = co.resume_slot.get();
            self.stack.truncate(func.min(len - n));
        }
        if fits {
            Ok(n)
        } else {
            Err(self.new_str(b"too many results to resume"))
        }
    }

    /// Copies the resume arguments from the resumer `prev`'s stack onto
    /// the running (resumed) thread's stack.
    #[inline(always)]
    fn push_resume_args(&mut self, prev: Gc<Thread>, args: Args) {
        let src = prev.saved.borrow();
        let vals = src
            .stack
            .get(args.base..args.base + args.len)
            .unwrap_or(&[]);
        push_values(&mut self.stack, vals);
    }

    /// Runs the resumed coroutine until it returns (results at `stack[0..]`)
    /// or yields (sentinel error with `yield_request` set).
    fn run_resumed(&mut self, co: Gc<Thread>, prev: Gc<Thread>, args: Args) -> LuaResult<()> {
        if !co.started.get() {
            co.started.set(true);
            self.stack.truncate(1);
            self.push_resume_args(prev, args);
            return match self.precall(0, args.len, -1)? {
                Entered::Native(_) => Ok(()),
                Entered::Lua => self.execute(0),
            };
        }
        let (func, wanted) = co.resume_slot.get();
        // the frame of the `yield` that suspended the coroutine: it returns now
        if self.hooks.mask != 0 {
            let top = self.stack.len();
            self.hook_return(top, 0)?;
        }
        self.frames.pop();
        // the resume arguments are the yield's results, at its slot
        self.stack.truncate(func);
        self.push_resume_args(prev, args);
        let got = if wanted < 0 {
            args.len
        } else {
            // adjusted to the count the yield's caller wants
            self.stack.resize(func + wanted as usize, Value::Nil);
            wanted as usize
        };
        // the yield may have been the function of a protected call
        let (func, wanted, got) = if self.frames.last().is_some_and(|f| f.protect != 0) {
            self.finish_markers(0, func, wanted, got)
        } else {
            (func, wanted, got)
        };
        if self.frames.is_empty() {
            return Ok(());
        }
        if wanted < 0 {
            self.mtop = func + got;
        }
        self.execute(0)
    }

    /// `coroutine.close`: closes the pending to-be-closed variables of a
    /// suspended or dead coroutine. `Ok(())`, or the error that killed it
    /// or that a `__close` raised.
    pub fn close_thread(&mut self, co: Gc<Thread>) -> Result<(), Value> {
        let mut err = co.error.take();
        let prev = self.enter_thread(co);
        self.frames.clear();
        self.close_upvals(0);
        // the error in flight stays on the stack (a GC root) meanwhile
        let err_slot = self.stack.len();
        self.stack.push(err.unwrap_or(Value::Nil));
        while let Some(slot) = self.tbc.pop() {
            let cur = self.stack[err_slot];
            if let Err(e) = self.call_close_method(slot, Some(cur)) {
                self.stack[err_slot] = e.value;
                err = Some(e.value);
                self.frames.clear();
            }
        }
        if err.is_some() {
            err = Some(self.stack[err_slot]);
        }
        self.stack.clear();
        co.status.set(CoStatus::Dead);
        self.leave_thread(co, prev);
        match err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
