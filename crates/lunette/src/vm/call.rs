//! Frames and calls: entering Lua and native functions, moving results,
//! `__call`, re-entrant calls from Rust (`call_function`), and unwinding
//! after an error.
//!
//! Stack discipline: a Lua frame owns `stack[base .. base + max_stack]`;
//! while it runs, `stack.len() >= base + max_stack` (so register indices
//! proven `< max_stack` by the verifier are always in bounds). A native
//! frame's top is `stack.len()`: its arguments are `stack[base..]` at entry
//! and its results the last values it pushed.

use super::error::{LuaError, LuaResult};
use super::function::{LuaClosure, NativeClosure};
use super::native::Args;
use super::state::Vm;
use super::value::Value;
use super::value_moves::{move_short, move_values, SHORT_MOVE};
use crate::bytecode::TagMethod;
use crate::gc::Gc;

/// Maximum number of stack slots of one thread (`LUAI_MAXSTACK`).
pub const MAX_STACK: usize = 1_000_000;
/// Extra stack slots a message handler may use beyond `MAX_STACK`.
pub const ERROR_STACK_EXTRA: usize = 1000;
/// Native stack bytes the nested re-entries of one outermost call may use
/// before `C stack overflow` (a guard beside `MAX_CCALLS`: it keeps a
/// 256 KB thread safe whatever the frame sizes; unoptimised builds use
/// ~30 KB per re-entry and get a budget sized for an 8 MB thread).
pub const NATIVE_STACK_BUDGET: usize = if cfg!(debug_assertions) {
    6 * 1024 * 1024
} else {
    160 * 1024
};
/// The budget on the process's main thread, whose stack is 8 MB: room for
/// Lua's 200 nested C levels (`MAX_CCALLS` is the limit there).
pub const MAIN_THREAD_STACK_BUDGET: usize = 6 * 1024 * 1024;

/// The native stack budget for a state created on the current thread.
pub fn native_stack_budget_here() -> usize {
    if std::thread::current().name() == Some("main") {
        NATIVE_STACK_BUDGET.max(MAIN_THREAD_STACK_BUDGET)
    } else {
        NATIVE_STACK_BUDGET
    }
}
/// Maximum nested re-entries of the interpreter from Rust.
pub const MAX_CCALLS: u32 = 200;

/// Marker-frame `cont` value: an error is being recovered at this marker.
pub(crate) const CONT_RECOVERING: u32 = 6 << 16;
/// `cont` of a `__close` frame run while recovering from an error: when
/// it returns, recovery at the marker below goes on.
pub(crate) const CONT_RECOVER: u32 = 7 << 16;

/// Outcome of one step of error recovery at a protected-call marker.
pub(crate) enum Recovery {
    /// Recovery finished: this many results (false, error) are at the marker's slot.
    Done(usize),
    /// A `__close` frame was pushed; recovery continues when it returns.
    Pushed,
}

/// The function a frame runs.
#[derive(Clone, Copy, Debug)]
pub enum Callee {
    /// A Lua closure.
    Lua(Gc<LuaClosure>),
    /// A native function.
    Native(Gc<NativeClosure>),
}

/// One activation record.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// What runs.
    pub callee: Callee,
    /// Stack index of the function slot; results are moved here.
    pub func: usize,
    /// Stack index of register 0 (of the first argument for natives).
    pub base: usize,
    /// Saved pc: index of the next instruction (Lua frames).
    pub pc: usize,
    /// Results the caller wants (-1 = all).
    pub nresults: i32,
    /// Number of extra arguments of a vararg function (below `base`).
    pub nvarargs: u32,
    /// Protected-call marker: 0 for ordinary frames, 1 for a `pcall`
    /// frame, 2 for an `xpcall` frame (whose function runs in the frames
    /// above it; errors stop here).
    pub protect: u8,
    /// Whether the frame was entered by a tail call (its caller's frame
    /// is gone: tracebacks say `(...tail calls...)`).
    pub is_tail: bool,
    /// For a metamethod called as a frame: what to do with its result in
    /// the caller (`meta_frames::CONT_*` with a register), else 0.
    pub cont: u32,
    /// Values a `CONCAT` of this frame still has to join after a
    /// `__concat` frame returns (0 = none; see `concat_op.rs`).
    pub concat_left: u16,
    /// The Lua function's code (`LuaClosure::code`; null for natives and
    /// markers): a return reaches the caller's next instruction from the
    /// frame record without going through its closure.
    pub code: *const crate::bytecode::Instruction,
}

/// What `precall` did.
pub(crate) enum Entered {
    /// A Lua frame was pushed; the interpreter must run it.
    Lua,
    /// A native ran to completion; this many results are at `func..`.
    Native(usize),
}

/// Whether native `nc` is `pcall` (1) or `xpcall` (2): those run as
/// protected-call markers inside the interpreter, so that a coroutine can
/// yield across them and they cost no native stack.
#[inline]
pub(crate) fn protect_kind(nc: Gc<NativeClosure>) -> Option<u8> {
    use crate::stdlib::base_call::{pcall, xpcall};
    if std::ptr::fn_addr_eq(nc.f, pcall as super::function::NativeFn) {
        Some(1)
    } else if std::ptr::fn_addr_eq(nc.f, xpcall as super::function::NativeFn) {
        Some(2)
    } else {
        None
    }
}

impl Vm {
    /// The function of the protected call whose marker is the top frame
    /// returned `n` results (at `marker.func + kind`): prepends `true`,
    /// moves them to the marker's slot and pops it. Returns the count.
    pub(crate) fn finish_protected(&mut self, n: usize) -> usize {
        let Some(mk) = self.frames.pop() else {
            return 0;
        };
        self.n_protected = mk.pc as u32;
        let start = mk.func + mk.protect as usize - 1;
        self.stack[start] = Value::Bool(true);
        self.move_results(mk.func, start, n + 1, mk.nresults)
    }

    /// Handles error `e` at the protected-call marker at frame index `m`:
    /// runs the `xpcall` message handler (before unwinding), unwinds,
    /// leaves `false, err` as the marker's results and pops it. Returns
    /// the result count (at the marker's slot).
    pub(crate) fn recover(&mut self, m: usize, e: LuaError) -> Recovery {
        let mk = self.frames[m];
        let mut errv = e.value;
        if mk.protect == 2 && mk.cont != CONT_RECOVERING {
            let handler = self.stack.get(mk.func + 1).copied().unwrap_or_default();
            if !e.memory {
                errv = self.call_msg_handler(handler, errv);
            }
        }
        self.frames[m].cont = CONT_RECOVERING;
        self.frames.truncate(m + 1);
        let level = mk.func + 1;
        self.close_upvals(level);
        // the error in flight lives in the (dead) protected function's slot
        if let Some(slot) = self.stack.get_mut(level) {
            *slot = errv;
        }
        while let Some(&slot) = self.tbc.last() {
            if slot <= level {
                break;
            }
            self.tbc.pop();
            let v = self.stack.get(slot).copied().unwrap_or_default();
            let err = self.stack.get(level).copied().unwrap_or_default();
            if let Value::LuaFn(f) = self.close_method_of(v) {
                // a Lua `__close` runs as a frame (it may yield); recovery
                // goes on when it returns (`CONT_RECOVER`)
                let func = self.stack.len();
                self.stack.push(Value::LuaFn(f));
                self.stack.push(v);
                self.stack.push(err);
                match self.push_lua_frame(f, func, 2, 0) {
                    Ok(()) => {
                        if let Some(top) = self.frames.last_mut() {
                            top.cont = CONT_RECOVER;
                        }
                        return Recovery::Pushed;
                    }
                    Err(e2) => {
                        self.stack.truncate(func);
                        if let Some(s) = self.stack.get_mut(level) {
                            *s = e2.value;
                        }
                        continue;
                    }
                }
            }
            if let Err(e2) = self.call_close_method(slot, Some(err)) {
                self.frames.truncate(m + 1);
                if let Some(s) = self.stack.get_mut(level) {
                    *s = e2.value;
                }
            }
        }
        let errv = self.stack.get(level).copied().unwrap_or_default();
        self.frames.truncate(m);
        self.n_protected = mk.pc as u32;
        self.stack.truncate(mk.func);
        self.stack.push(Value::Bool(false));
        self.stack.push(errv);
        Recovery::Done(self.move_results(mk.func, mk.func, 2, mk.nresults))
    }

    /// Calls an `xpcall` message handler; an error in it is handled by it
    /// again, a few times, before giving up with `error in error handling`.
    /// Callers skip it for memory errors (`LuaError::memory`), as Lua does.
    pub(crate) fn call_msg_handler(&mut self, handler: Value, err: Value) -> Value {
        const MAX_RETRIES: usize = 10;
        let ccalls = self.n_ccalls;
        let limit = self.stack_limit;
        // the handler may run right after a stack overflow: give it room
        self.stack_limit = MAX_STACK + ERROR_STACK_EXTRA;
        let mut errv = err;
        let mut result = None;
        for _ in 0..MAX_RETRIES {
            match self.call_function(handler, &[errv]) {
                Ok(vals) => {
                    result = Some(vals.first().copied().unwrap_or(Value::Nil));
                    break;
                }
                Err(e2) => {
                    self.n_ccalls = ccalls;
                    errv = e2.value;
                }
            }
        }
        self.stack_limit = limit;
        match result {
            Some(v) => v,
            None => self.new_str(b"error in error handling"),
        }
    }

    /// After a frame at `func` wanting `nresults` returned `got` values:
    /// finishes the protected calls it completes. Returns the slot, wanted
    /// count and result count of the last finished frame.
    #[inline(never)]
    pub(crate) fn finish_markers(
        &mut self,
        stop_at: usize,
        mut func: usize,
        mut nresults: i32,
        mut got: usize,
    ) -> (usize, i32, usize) {
        while self.frames.len() > stop_at {
            let Some(top) = self.frames.last() else { break };
            if top.protect == 0 {
                break;
            }
            func = top.func;
            nresults = top.nresults;
            got = self.finish_protected(got);
        }
        (func, nresults, got)
    }

    /// Raises `msg` with the position of the running Lua function.
    #[cold]
    #[inline(never)]
    pub(crate) fn rt_error(&mut self, msg: &str) -> LuaError {
        self.error_at_level(msg, 0)
    }

    /// Resolves a non-function at `func` through `__call`: shifts the
    /// arguments up by one and inserts the handler. Returns the new
    /// argument count.
    #[cold]
    #[inline(never)]
    pub(crate) fn insert_call_handler(&mut self, func: usize, nargs: usize) -> LuaResult<usize> {
        let f = self.stack.get(func).copied().unwrap_or_default();
        let handler = match self.get_metatable(f) {
            Some(mt) => {
                let key = self.new_str(TagMethod::Call.name().as_bytes());
                mt.raw_get(key)
            }
            None => Value::Nil,
        };
        if handler.is_nil() {
            return Err(self.type_error(f, "call", Some(0)));
        }
        if self.stack.len() < func + 1 + nargs {
            self.stack.resize(func + 1 + nargs, Value::Nil);
        }
        self.stack.truncate(func + 1 + nargs);
        self.stack.insert(func, handler);
        Ok(nargs + 1)
    }

    /// Starts a call of the value at `func` with `nargs` arguments above
    /// it. Lua functions get a new frame (not run yet); natives run now.
    /// The common cases (a Lua function, a native other than `pcall` and
    /// `xpcall`) dispatch here; the rest is out of line, so that this
    /// function saves few registers.
    #[inline(never)]
    pub(crate) fn precall(
        &mut self,
        func: usize,
        nargs: usize,
        nresults: i32,
    ) -> LuaResult<Entered> {
        match self.stack[func] {
            Value::LuaFn(cl) => {
                self.push_lua_frame(cl, func, nargs, nresults)?;
                Ok(Entered::Lua)
            }
            Value::Native(nc) if protect_kind(nc).is_none() => {
                self.gc_check()?;
                let n = self.call_native(nc, func, nargs, nresults)?;
                Ok(Entered::Native(n))
            }
            _ => self.precall_other(func, nargs, nresults),
        }
    }

    /// Pushes a frame for Lua closure `cl` at `func` with `nargs` arguments.
    #[inline(never)]
    pub(crate) fn push_lua_frame(
        &mut self,
        cl: Gc<LuaClosure>,
        func: usize,
        nargs: usize,
        nresults: i32,
    ) -> LuaResult<()> {
        self.enter_lua(cl, func, nargs, nresults)
    }

    /// Grows the stack to `len` slots (new slots nil), out of line.
    #[cold]
    #[inline(never)]
    fn grow_stack(&mut self, len: usize) {
        self.stack.resize(len, Value::Nil);
    }

    /// `push_lua_frame` inlined into the interpreter's `CALL`.
    #[inline(always)]
    pub(crate) fn enter_lua(
        &mut self,
        cl: Gc<LuaClosure>,
        func: usize,
        nargs: usize,
        nresults: i32,
    ) -> LuaResult<()> {
        self.enter_lua_as(cl, func, nargs, nresults, false, 0)
    }

    /// `enter_lua` with the new frame's tail-call flag and continuation
    /// (a tail call passes on the replaced frame's).
    #[inline(always)]
    pub(crate) fn enter_lua_as(
        &mut self,
        cl: Gc<LuaClosure>,
        func: usize,
        nargs: usize,
        nresults: i32,
        is_tail: bool,
        cont: u32,
    ) -> LuaResult<()> {
        let base = func + 1;
        let need = base + cl.max_stack as usize;
        self.check_lua_call(cl.code_len)?;
        let top = base + nargs;
        // `top > need` only with more arguments than registers (extra
        // arguments of a vararg function)
        if self.stack.len() < need || top > need {
            let len = need.max(top);
            if self.stack.len() < len {
                // the limit is checked when the stack grows (as Lua
                // does): a frame inside the current length fits
                if need > self.stack_limit {
                    return Err(self.stack_overflow());
                }
                self.grow_stack(len);
            }
        }
        let params_end = base + cl.num_params as usize;
        if params_end > top {
            // missing parameters are nil; the registers above them keep
            // whatever they held (compiled code writes a register before
            // reading it, as in Lua). Those stale values are valid: every
            // slot below the stack's length is marked or cleared to nil
            // by the collector (`gc/collect.rs`, `live_stack_ranges`).
            for slot in &mut self.stack[top..params_end] {
                *slot = Value::Nil;
            }
        }
        self.frames.push(Frame {
            callee: Callee::Lua(cl),
            func,
            base,
            pc: 0,
            nresults,
            // the argument count until VARARGPREP turns it into the
            // number of extra arguments
            nvarargs: nargs as u32,
            protect: 0,
            is_tail,
            cont,
            concat_left: 0,
            code: cl.code,
        });
        Ok(())
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn stack_overflow(&mut self) -> LuaError {
        if self.stack_limit > MAX_STACK {
            // already using the extra room of a message handler
            let v = self.new_str(b"error in error handling");
            return LuaError::new(v);
        }
        self.rt_error("stack overflow")
    }

    /// Calls native `nc` at `func` with `nargs` arguments; moves its
    /// results to `func..` adjusted to `nresults` (when >= 0). Returns
    /// the number of results now at `func..`.
    pub(crate) fn call_native(
        &mut self,
        nc: Gc<NativeClosure>,
        func: usize,
        nargs: usize,
        nresults: i32,
    ) -> LuaResult<usize> {
        let base = func + 1;
        let top = base + nargs;
        // the arguments end the stack (the native's pushes go above them)
        if self.stack.len() >= top {
            self.stack.truncate(top);
        } else {
            if top > self.stack_limit {
                return Err(self.stack_overflow());
            }
            self.stack.resize(top, Value::Nil);
        }
        self.frames.push(Frame {
            callee: Callee::Native(nc),
            func,
            base,
            pc: 0,
            nresults,
            nvarargs: 0,
            protect: 0,
            is_tail: false,
            cont: 0,
            concat_left: 0,
            code: std::ptr::null(),
        });
        if self.hooks.mask != 0 {
            self.hook_call(false)?;
        }
        // values the native keeps from calls into Lua stay rooted until it returns
        let temps = self.heap.temp_roots().len();
        let r = (nc.f)(self, Args { base, len: nargs });
        self.heap.truncate_temp_roots(temps);
        let n = r?;
        let len = self.stack.len();
        let n = n.min(len.saturating_sub(func));
        if self.yield_request.is_some() {
            // the yield's frame stays while the coroutine is suspended
            // (level 0 of its traceback); `resume` pops it
            return Err(self.yield_unwind(func, n, nresults));
        }
        if self.hooks.mask != 0 {
            self.hook_return(len - n, n)?;
        }
        self.frames.pop();
        Ok(self.move_results_inline(func, len - n, n, nresults))
    }

    /// Moves `n` values from `src..` down to `dst..`, truncates the stack
    /// after them and pads/truncates to `wanted` when it is >= 0. Returns
    /// the result count at `dst..`.
    #[inline(never)]
    pub(crate) fn move_results(&mut self, dst: usize, src: usize, n: usize, wanted: i32) -> usize {
        self.move_results_inline(dst, src, n, wanted)
    }

    /// `move_results` for the places that want it inline: the common
    /// shapes of a call (`x = f()`, `f()`) without the general move.
    #[inline(always)]
    fn move_results_inline(&mut self, dst: usize, src: usize, n: usize, wanted: i32) -> usize {
        match wanted {
            1 if n >= 1 && src < self.stack.len() => {
                self.stack[dst] = self.stack[src];
                self.stack.truncate(dst + 1);
                1
            }
            0 => {
                self.stack.truncate(dst);
                0
            }
            _ => self.move_results_general(dst, src, n, wanted),
        }
    }

    /// `move_results` for any count.
    #[inline(never)]
    fn move_results_general(&mut self, dst: usize, src: usize, n: usize, wanted: i32) -> usize {
        // only the results the caller keeps move
        let keep = if wanted < 0 {
            n
        } else {
            n.min(wanted as usize)
        };
        move_values(&mut self.stack, src, dst, keep);
        self.stack.truncate(dst + keep);
        if wanted < 0 {
            n
        } else {
            let w = wanted as usize;
            if keep < w {
                self.stack.resize(dst + w, Value::Nil);
            }
            w
        }
    }

    /// Like `move_results`, for a return into a Lua caller: the stack is
    /// not truncated (the caller's frame keeps its length), only extended
    /// when the wanted results reach past it.
    #[inline(never)]
    pub(crate) fn move_results_keep(
        &mut self,
        dst: usize,
        src: usize,
        n: usize,
        wanted: i32,
    ) -> usize {
        let (w, copied) = if wanted < 0 {
            (n, n)
        } else {
            (wanted as usize, n.min(wanted as usize))
        };
        let end = dst + w;
        let len = self.stack.len();
        // the common case: a few results moving down into the stack
        if copied <= SHORT_MOVE && dst <= src && src + copied <= len && end <= len {
            // SAFETY: `copied <= SHORT_MOVE`, the target starts at or
            // below the source, and both ranges end inside the stack.
            unsafe { move_short(self.stack.as_mut_ptr(), src, dst, copied) };
            for slot in &mut self.stack[dst + copied..end] {
                *slot = Value::Nil;
            }
            return w;
        }
        self.move_results_keep_general(dst, src, n, wanted)
    }

    /// `move_results_keep` when the stack must grow or the results are many.
    #[cold]
    #[inline(never)]
    fn move_results_keep_general(
        &mut self,
        dst: usize,
        src: usize,
        n: usize,
        wanted: i32,
    ) -> usize {
        if wanted < 0 {
            move_values(&mut self.stack, src, dst, n);
            return n;
        }
        let w = wanted as usize;
        if self.stack.len() < dst + w {
            self.stack.resize(dst + w, Value::Nil);
        }
        let copied = n.min(w);
        move_values(&mut self.stack, src, dst, copied);
        self.stack[dst + copied..dst + w].fill(Value::Nil);
        w
    }

    /// Calls the value at `func` with `nargs` arguments above it, running
    /// Lua code to completion (a re-entry of the interpreter). Leaves the
    /// results at `func..` (exactly `nresults` when >= 0; the stack ends
    /// after them) and returns their count.
    pub(crate) fn call_at(&mut self, func: usize, nargs: usize, nresults: i32) -> LuaResult<usize> {
        let marker = 0u8;
        let here = std::hint::black_box(&marker) as *const u8 as usize;
        if self.n_ccalls == 0 {
            self.native_stack_base = here;
        } else if self.native_stack_base.saturating_sub(here) > self.native_stack_budget {
            return Err(self.rt_error("C stack overflow"));
        }
        self.n_ccalls += 1;
        if self.n_ccalls > MAX_CCALLS {
            self.n_ccalls -= 1;
            return Err(self.rt_error("C stack overflow"));
        }
        let depth = self.frames.len();
        let r = match self.precall(func, nargs, nresults) {
            Ok(Entered::Native(n)) => Ok(n),
            Ok(Entered::Lua) => self.execute(depth).map(|_| self.stack.len() - func),
            Err(e) => Err(e),
        };
        self.n_ccalls -= 1;
        r
    }

    pub(crate) fn call_function_impl(&mut self, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        let (func, n) = self.call_on_stack(f, args, -1)?;
        let out = self.stack[func..func + n].to_vec();
        self.stack.truncate(func);
        Ok(out)
    }

    /// Pushes `f` and `args` on top of the stack and calls it, asking for
    /// `nresults` results (-1 = all). On success the results are left at
    /// `func..func + n` and `(func, n)` is returned; the caller takes them
    /// and truncates the stack to `func`.
    pub(crate) fn call_on_stack(
        &mut self,
        f: Value,
        args: &[Value],
        nresults: i32,
    ) -> LuaResult<(usize, usize)> {
        let func = self.stack.len();
        let depth = self.frames.len();
        self.stack.push(f);
        self.stack.extend_from_slice(args);
        match self.call_at(func, args.len(), nresults) {
            Ok(n) => Ok((func, n)),
            Err(e) => {
                if depth == 0 && self.yield_request.is_none() {
                    // outermost call from the host: leave the state clean
                    return Err(self.unwind(depth, func, e));
                }
                Err(e)
            }
        }
    }

    /// Unwinds after error `err` down to `depth` frames and stack level
    /// `level`: closes pending to-be-closed variables at or above `level`
    /// (each `__close` gets the error; an error in one replaces it),
    /// closes upvalues and drops the frames. Returns the final error.
    pub(crate) fn unwind(&mut self, depth: usize, level: usize, err: LuaError) -> LuaError {
        let mut err = err;
        self.frames.truncate(depth);
        self.close_upvals(level);
        if matches!(self.tbc.last(), Some(&s) if s >= level) {
            // keep the error in flight on the stack (a GC root) while
            // `__close` methods run
            let err_slot = self.stack.len();
            self.stack.push(err.value);
            while let Some(&slot) = self.tbc.last() {
                if slot < level {
                    break;
                }
                self.tbc.pop();
                let cur = self.stack[err_slot];
                if let Err(e) = self.call_close_method(slot, Some(cur)) {
                    self.stack[err_slot] = e.value;
                    err = e;
                    self.frames.truncate(depth);
                }
            }
            err.value = self.stack[err_slot];
        }
        self.stack.truncate(level);
        err
    }
}
