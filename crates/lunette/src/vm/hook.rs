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
    /// Hooks of every thread that has one.
    per_thread: Vec<(Gc<Thread>, Hook)>,
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
}

impl Hooks {
    /// Every hook function (collector roots).
    pub fn functions(&self) -> impl Iterator<Item = Value> + '_ {
        self.per_thread.iter().map(|(_, h)| h.func)
    }

    /// Threads that have a hook (kept alive while hooked).
    pub fn threads(&self) -> impl Iterator<Item = Gc<Thread>> + '_ {
        self.per_thread.iter().map(|(t, _)| *t)
    }

    /// The hook of `thread`.
    pub fn get(&self, thread: Gc<Thread>) -> Option<Hook> {
        self.per_thread
            .iter()
            .find(|(t, _)| Gc::ptr_eq(*t, thread))
            .map(|(_, h)| *h)
    }
}

impl Vm {
    /// Sets (or with `None` removes) the hook of `thread`.
    pub fn set_hook(&mut self, thread: Gc<Thread>, hook: Option<Hook>) {
        self.hooks
            .per_thread
            .retain(|(t, _)| !Gc::ptr_eq(*t, thread));
        if let Some(h) = hook {
            if h.mask != 0 {
                self.hooks.per_thread.push((thread, h));
            }
        }
        self.refresh_hook();
    }

    /// Re-reads the running thread's hook (after a thread switch or a change).
    pub(crate) fn refresh_hook(&mut self) {
        let h = self.hooks.get(self.current_thread);
        self.hooks.active = h;
        self.hooks.mask = if self.hooks.running {
            0
        } else {
            h.map_or(0, |h| h.mask)
        } | self.hooks.observe;
        self.hooks.count_left = h.map_or(0, |h| h.count);
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
        self.hooks.mask = self.hooks.observe;
        let ev = self.new_str(event);
        let arg2 = line.map_or(Value::Nil, Value::Int);
        let r = self.call_function(h.func, &[ev, arg2]);
        self.hooks.running = false;
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
        if self.hooks.mask & MASK_CALL != 0 {
            let ev: &[u8] = if tail { b"tail call" } else { b"call" };
            self.run_hook(ev, None)?;
        }
        Ok(())
    }

    /// After `VARARGPREP` ran the call hook: the next instruction counts as
    /// a new line (as in Lua).
    pub(crate) fn hook_vararg_entered(&mut self) {
        self.hooks.oldpc = 1;
    }

    /// The return event of the top frame (before it is popped).
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_return(&mut self) -> LuaResult<()> {
        if self.hooks.mask & MASK_RET != 0 {
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
        let mask = self.hooks.mask;
        if mask & MASK_OBSERVE != 0 {
            self.observe(npc);
        }
        if mask & MASK_COUNT != 0 {
            self.hooks.count_left = self.hooks.count_left.saturating_sub(1);
            if self.hooks.count_left == 0 {
                self.hooks.count_left = self.hooks.active.map_or(0, |h| h.count);
                self.run_hook(b"count", None)?;
            }
        }
        if mask & MASK_LINE != 0 {
            let Some(Callee::Lua(cl)) = self.frames.last().map(|f| f.callee) else {
                return Ok(());
            };
            let p = &cl.proto.proto;
            if p.lines.is_empty() {
                return Ok(());
            }
            let oldpc = if self.hooks.oldpc < p.code.len() {
                self.hooks.oldpc
            } else {
                0
            };
            let newline = p.line_at(npc);
            if npc <= oldpc || p.line_at(oldpc) != newline {
                self.hooks.oldpc = npc;
                let line = newline.map(|l| l as i64);
                self.run_hook(b"line", line)?;
            }
            self.hooks.oldpc = npc;
        }
        Ok(())
    }
}
