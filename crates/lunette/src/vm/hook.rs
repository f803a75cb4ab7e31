//! Debug hooks (`debug.sethook`): call, return, line and count events.
//!
//! Each thread has its own hook; the running thread's is cached in
//! `Hooks::active`/`mask` so the interpreter tests one byte per instruction.
//! A hook function runs with hooks disabled (no nesting). Line events follow
//! Lua 5.4: an event when the instruction about to run starts a new line or
//! when control jumped backwards.

use super::call::Callee;
use super::error::LuaResult;
pub use super::observe::MASK_OBSERVE;
use super::state::Vm;
use super::thread::Thread;
use super::value::Value;
use crate::bytecode::OpCode;
use crate::gc::Gc;

/// Mask bit: call events.
pub const MASK_CALL: u8 = 1;
/// Mask bit: return events.
pub const MASK_RET: u8 = 2;
/// Mask bit: line events.
pub const MASK_LINE: u8 = 4;
/// Mask bit: count events.
pub const MASK_COUNT: u8 = 8;

/// One thread's hook.
#[derive(Clone, Copy, Debug)]
pub struct Hook {
    /// The hook function.
    pub func: Value,
    /// Which events (`MASK_*`).
    pub mask: u8,
    /// Instructions between count events (0 = none).
    pub count: u32,
}

/// Hook state of the VM.
#[derive(Default)]
pub struct Hooks {
    /// Hooks of every thread that has one, with the instructions the
    /// thread has left until its next count event.
    per_thread: Vec<(Gc<Thread>, Hook, u32)>,
    /// The thread whose count is in `count_left`.
    counting: Option<Gc<Thread>>,
    /// The running thread's hook.
    pub active: Option<Hook>,
    /// The running thread's event mask (0 when no hook, or inside a hook).
    pub mask: u8,
    /// Instructions left until the next count event.
    count_left: u32,
    /// Index of the instruction of the last line event's function (Lua's `oldpc`).
    oldpc: usize,
    /// Set while a hook function runs.
    running: bool,
    /// `MASK_OBSERVE` while a host observer is installed, else 0 (kept in
    /// `mask` whatever the Lua hooks do).
    pub(crate) observe: u8,
    /// The host observer (see `vm/observe.rs`).
    pub(crate) observer: Option<Box<dyn super::observe::Observer>>,
    /// While a hook function runs: its thread and the index of the frame
    /// that was active at the event (the hook function's caller, which
    /// `getinfo` reports as `hook '?'`).
    hooked: Option<(Gc<Thread>, usize)>,
    /// While a call or return hook runs: the first local index and the
    /// number of the values transferred (arguments or results), for
    /// `getinfo`'s `r` option.
    transfer: (usize, usize),
    /// While a finalizer runs: its thread and the index of the frame that
    /// was active when it was called (`getinfo` names the finalizer
    /// `metamethod '__gc'`).
    finalizing: Option<(Gc<Thread>, usize)>,
    /// Whether the last traced instruction was a `TFORPREP`.
    after_tforprep: bool,
}

impl Hooks {
    /// Every hook function (collector roots).
    pub fn functions(&self) -> impl Iterator<Item = Value> + '_ {
        self.per_thread.iter().map(|(_, h, _)| h.func)
    }

    /// Threads that have a hook (kept alive while hooked).
    pub fn threads(&self) -> impl Iterator<Item = Gc<Thread>> + '_ {
        self.per_thread.iter().map(|(t, _, _)| *t)
    }

    /// Whether frame `idx` of `thread` is running a hook function (it
    /// called it at an event).
    pub fn is_hooked_frame(&self, thread: Gc<Thread>, idx: usize) -> bool {
        matches!(self.hooked, Some((t, i)) if i == idx && Gc::ptr_eq(t, thread))
    }

    /// `(ftransfer, ntransfer)` of frame `idx` of `thread`: the values a
    /// call or return hook running for it can read with `getlocal`.
    pub fn transfer_of(&self, thread: Gc<Thread>, idx: usize) -> (usize, usize) {
        if self.is_hooked_frame(thread, idx) {
            self.transfer
        } else {
            (0, 0)
        }
    }

    /// Whether frame `idx` of `thread` was running when the finalizer
    /// running now was called.
    pub fn is_finalizer_caller(&self, thread: Gc<Thread>, idx: usize) -> bool {
        matches!(self.finalizing, Some((t, i)) if i == idx && Gc::ptr_eq(t, thread))
    }

    /// The hook of `thread`.
    pub fn get(&self, thread: Gc<Thread>) -> Option<Hook> {
        self.per_thread
            .iter()
            .find(|(t, _, _)| Gc::ptr_eq(*t, thread))
            .map(|(_, h, _)| *h)
    }

    /// Saves the count of the thread whose count is loaded.
    fn save_count(&mut self) {
        if let Some(ct) = self.counting.take() {
            let left = self.count_left;
            if let Some(e) = self.per_thread.iter_mut().find(|e| Gc::ptr_eq(e.0, ct)) {
                e.2 = left;
            }
        }
    }
}

impl Vm {
    /// Notes that a finalizer is about to be called from the current top
    /// frame (see `Hooks::is_finalizer_caller`); returns the previous note
    /// for `end_finalizer`.
    pub(crate) fn begin_finalizer(&mut self) -> Option<(Gc<Thread>, usize)> {
        let top = self.frames.len().wrapping_sub(1);
        self.hooks.finalizing.replace((self.current_thread, top))
    }

    /// Restores the note `begin_finalizer` returned.
    pub(crate) fn end_finalizer(&mut self, prev: Option<(Gc<Thread>, usize)>) {
        self.hooks.finalizing = prev;
    }

    /// Sets (or with `None` removes) the hook of `thread`.
    pub fn set_hook(&mut self, thread: Gc<Thread>, hook: Option<Hook>) {
        self.hooks.save_count();
        self.hooks
            .per_thread
            .retain(|(t, _, _)| !Gc::ptr_eq(*t, thread));
        if let Some(h) = hook {
            if h.mask != 0 {
                self.hooks.per_thread.push((thread, h, h.count));
            }
        }
        self.refresh_hook();
    }

    /// Re-reads the running thread's hook (after a thread switch or a change).
    pub(crate) fn refresh_hook(&mut self) {
        let ct = self.current_thread;
        // no thread has a hook in the common case (every coroutine switch
        // comes here): then there is no count to save and none to find
        let entry = if self.hooks.per_thread.is_empty() {
            None
        } else {
            self.hooks.save_count();
            self.hooks
                .per_thread
                .iter()
                .find(|e| Gc::ptr_eq(e.0, ct))
                .copied()
        };
        let h = entry.map(|e| e.1);
        self.hooks.active = h;
        self.hooks.mask = match h {
            Some(h) if self.hooks.running => h.mask & MASK_COUNT,
            Some(h) => h.mask,
            None => 0,
        } | self.hooks.observe;
        self.hooks.count_left = entry.map_or(0, |e| e.2);
        self.hooks.counting = Some(ct);
    }

    /// Calls the hook function with `event` (and `line`), hooks disabled meanwhile.
    fn run_hook(&mut self, event: &[u8], line: Option<i64>) -> LuaResult<()> {
        let Some(h) = self.hooks.active else {
            return Ok(());
        };
        if self.hooks.running {
            return Ok(());
        }
        self.hooks.running = true;
        // no events inside a hook, but its instructions still use up the
        // count (as in Lua, where a count hook's own code counts); a host
        // observer keeps watching
        self.hooks.mask = (h.mask & MASK_COUNT) | self.hooks.observe;
        let top = self.frames.len().saturating_sub(1);
        self.hooks.hooked = Some((self.current_thread, top));
        let ev = self.new_str(event);
        let arg2 = line.map_or(Value::Nil, Value::Int);
        let r = self.call_function(h.func, &[ev, arg2]);
        self.hooks.running = false;
        self.hooks.hooked = None;
        self.hooks.transfer = (0, 0);
        self.refresh_hook_mask();
        r.map(|_| ())
    }

    fn refresh_hook_mask(&mut self) {
        self.hooks.mask = self.hooks.active.map_or(0, |h| h.mask) | self.hooks.observe;
    }

    /// The call event of the frame just pushed (`tail call` after `TAILCALL`).
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_call(&mut self, tail: bool) -> LuaResult<()> {
        self.hooks.oldpc = 0;
        if self.hooks.mask & MASK_OBSERVE != 0 {
            self.observe_call();
        }
        if self.hooks.mask & MASK_CALL != 0 && !self.in_builtin_helper() {
            let Some(fr) = self.frames.last() else {
                return Ok(());
            };
            let nargs = match fr.callee {
                Callee::Lua(cl) => {
                    if is_builtin(&cl.proto.proto) {
                        self.stack.len().saturating_sub(fr.base)
                    } else {
                        cl.proto.proto.num_params as usize
                    }
                }
                Callee::Native(_) => self.stack.len().saturating_sub(fr.base),
            };
            self.hooks.transfer = (1, nargs);
            let ev: &[u8] = if tail { b"tail call" } else { b"call" };
            self.run_hook(ev, None)?;
        }
        Ok(())
    }

    /// Whether the top frame is a native helper called by one of the
    /// library's own Lua functions (part of that "C function": no events).
    fn in_builtin_helper(&self) -> bool {
        let n = self.frames.len();
        n >= 2
            && matches!(self.frames[n - 1].callee, Callee::Native(_))
            && matches!(self.frames[n - 2].callee, Callee::Lua(cl) if is_builtin(&cl.proto.proto))
    }

    /// After `VARARGPREP` ran the call hook: the next instruction counts as
    /// a new line (as in Lua).
    pub(crate) fn hook_vararg_entered(&mut self) {
        self.hooks.oldpc = 1;
    }

    /// The return event of the top frame (before it is popped), whose
    /// `n` results start at stack slot `first`.
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_return(&mut self, first: usize, n: usize) -> LuaResult<()> {
        if self.hooks.mask & MASK_RET != 0 && !self.in_builtin_helper() {
            let base = self.frames.last().map_or(0, |f| f.base);
            self.hooks.transfer = ((first + 1).saturating_sub(base), n);
            self.run_hook(b"return", None)?;
        }
        // the caller's last traced instruction is the call itself
        let n = self.frames.len();
        if n >= 2 {
            self.hooks.oldpc = self.frames[n - 2].pc.saturating_sub(1);
        }
        Ok(())
    }

    /// Line and count events before instruction `npc` of the top (Lua) frame.
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_trace(&mut self, npc: usize) -> LuaResult<()> {
        // the host observer sees every instruction (the rules below are
        // about which instructions Lua hooks see)
        if self.hooks.mask & MASK_OBSERVE != 0 {
            self.observe(npc);
        }
        if let Some(Callee::Lua(cl)) = self.frames.last().map(|f| f.callee) {
            let p = &cl.proto.proto;
            // a vararg function's hooks start after its VARARGPREP; the
            // library's own Lua functions behave as C functions
            if (npc == 0 && p.is_vararg) || is_builtin(p) {
                return Ok(());
            }
            let op = p.code.get(npc).and_then(|i| i.opcode());
            let after_tforprep =
                std::mem::replace(&mut self.hooks.after_tforprep, op == Some(OpCode::TFORPREP));
            if runs_inline(p, npc, op, after_tforprep) {
                return Ok(());
            }
        }
        let mask = self.hooks.mask;
        if mask & MASK_COUNT != 0 {
            self.hooks.count_left = self.hooks.count_left.saturating_sub(1);
            if self.hooks.count_left == 0 {
                self.hooks.count_left = self.hooks.active.map_or(0, |h| h.count);
                self.run_hook(b"count", None)?;
            }
        }
        if self.hooks.running {
            return Ok(());
        }
        if mask & MASK_LINE != 0 {
            let Some(Callee::Lua(cl)) = self.frames.last().map(|f| f.callee) else {
                return Ok(());
            };
            let p = &cl.proto.proto;
            let oldpc = if self.hooks.oldpc < p.code.len() {
                self.hooks.oldpc
            } else {
                0
            };
            let newline = p.line_at(npc);
            // without line information only backward jumps (and the
            // first instruction) give events, with no line
            if npc <= oldpc || (!p.lines.is_empty() && p.line_at(oldpc) != newline) {
                self.hooks.oldpc = npc;
                let line = newline.map(|l| l as i64);
                self.run_hook(b"line", line)?;
            }
            self.hooks.oldpc = npc;
        }
        Ok(())
    }
}

/// Whether `p` is one of the library's own Lua functions (compiled from
/// the chunk name `=[C]`, like `pairs`): hooks and the debug library
/// treat them as C functions.
pub fn is_builtin(p: &crate::bytecode::Proto) -> bool {
    &*p.source == b"=[C]"
}

/// Whether Lua runs instruction `npc` (opcode `op`) of `p` as part of the
/// instruction before it, so that it gives no line or count event: the
/// jump after a test, every `TFORLOOP` (after its `TFORCALL`), and a
/// `TFORCALL` reached from its `TFORPREP`.
fn runs_inline(
    p: &crate::bytecode::Proto,
    npc: usize,
    op: Option<OpCode>,
    after_tforprep: bool,
) -> bool {
    use OpCode::*;
    match op {
        Some(TFORLOOP) => true,
        Some(TFORCALL) => after_tforprep,
        Some(JMP) => matches!(
            npc.checked_sub(1)
                .and_then(|i| p.code.get(i))
                .and_then(|i| i.opcode()),
            Some(EQ | LT | LE | EQK | EQI | LTI | LEI | GTI | GEI | TEST | TESTSET)
        ),
        _ => false,
    }
}
