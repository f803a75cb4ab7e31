//! Host instruction observers: a Rust-side look at every instruction the
//! interpreter runs (for tracers, statistics and recorders), plus the
//! heap's allocation and collection counters.
//!
//! An observer costs nothing while none is installed: the interpreter's
//! once-per-instruction hook test (`Hooks::mask`) simply gains one more bit,
//! `MASK_OBSERVE`, which is set only while an observer is installed. The bit
//! is kept across thread switches and while a Lua hook function runs (it is
//! independent of `debug.sethook`). Observers get a shared `&Vm`: they can
//! read frames, registers and upvalues but not run Lua code or allocate, so
//! they cannot disturb the program they watch.

use super::call::Callee;
use super::state::Vm;
use crate::gc::GcAny;
use std::time::Duration;

/// Mask bit (in `Hooks::mask`) set while a host observer is installed.
pub const MASK_OBSERVE: u8 = 16;

/// A host-side watcher of the interpreter.
pub trait Observer {
    /// Called before the instruction at index `pc` of the running Lua
    /// function runs (the top frame; its `pc` field is already `pc + 1`).
    fn instruction(&mut self, vm: &Vm, pc: usize);

    /// Called when a function was just entered (the top frame is the
    /// callee, Lua or native), before its first instruction.
    fn call(&mut self, vm: &Vm) {
        let _ = vm;
    }
}

/// Heap counters, kept by `gc::Heap` at the cost of one add per allocation
/// and a clock read per collection.
#[derive(Clone, Debug, Default)]
pub struct HeapStats {
    /// Allocations per object kind, indexed by [`alloc_kind`].
    pub allocs: [u64; ALLOC_KINDS],
    /// Completed collection cycles.
    pub gc_cycles: u64,
    /// Time spent marking and sweeping (finalizers not included).
    pub gc_time: Duration,
    /// Largest heap size seen just before a collection (see `Heap::peak_bytes`).
    pub peak_bytes: usize,
}

/// Number of object kinds `HeapStats::allocs` counts.
pub const ALLOC_KINDS: usize = 7;

/// Names of the kinds counted in `HeapStats::allocs`, same order.
pub const ALLOC_KIND_NAMES: [&str; ALLOC_KINDS] = [
    "string",
    "table",
    "closure",
    "native function",
    "upvalue",
    "userdata",
    "thread",
];

/// Index of `o`'s kind in `HeapStats::allocs`.
#[inline(always)]
pub fn alloc_kind(o: &GcAny) -> usize {
    match o {
        GcAny::Str(_) => 0,
        GcAny::Table(_) => 1,
        GcAny::LuaFn(_) => 2,
        GcAny::Native(_) => 3,
        GcAny::UpVal(_) => 4,
        GcAny::UserData(_) => 5,
        GcAny::Thread(_) => 6,
    }
}

impl Vm {
    /// Installs (or with `None` removes) the host observer; returns the
    /// previous one.
    pub fn set_observer(&mut self, obs: Option<Box<dyn Observer>>) -> Option<Box<dyn Observer>> {
        let old = std::mem::replace(&mut self.hooks.observer, obs);
        self.hooks.observe = if self.hooks.observer.is_some() {
            MASK_OBSERVE
        } else {
            0
        };
        self.refresh_hook();
        old
    }

    /// Whether the top frame is a Lua function (else native).
    pub fn top_is_lua(&self) -> bool {
        matches!(self.frames.last().map(|f| f.callee), Some(Callee::Lua(_)))
    }

    /// Runs the observer for the instruction at `pc` of the top frame.
    #[cold]
    #[inline(never)]
    pub(crate) fn observe(&mut self, pc: usize) {
        if let Some(mut o) = self.hooks.observer.take() {
            o.instruction(self, pc);
            self.hooks.observer = Some(o);
        }
    }

    /// Tells the observer that the top frame was just entered.
    #[cold]
    #[inline(never)]
    pub(crate) fn observe_call(&mut self) {
        if let Some(mut o) = self.hooks.observer.take() {
            o.call(self);
            self.hooks.observer = Some(o);
        }
    }
}
