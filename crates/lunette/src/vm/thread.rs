//! Coroutines (threads): each has its own value stack, frame list, open
//! upvalues and to-be-closed variables.
//!
//! The running thread's execution state lives in `Vm` fields (`stack`,
//! `frames`, ...); a thread that is not running keeps it in `saved`.
//! `resume` swaps the two (see `vm/coroutine.rs`).

use super::call::Frame;
use super::function::UpVal;
use super::value::Value;
use crate::gc::{Gc, GcAny, GcObject};
use std::cell::{Cell, RefCell};

/// A coroutine's status, as `coroutine.status` names it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CoStatus {
    /// Created or yielded: can be resumed.
    Suspended,
    /// Currently running.
    Running,
    /// Resumed another coroutine and waits for it.
    Normal,
    /// Finished or died with an error.
    Dead,
}

impl CoStatus {
    /// The name `coroutine.status` returns.
    pub fn name(self) -> &'static str {
        match self {
            CoStatus::Suspended => "suspended",
            CoStatus::Running => "running",
            CoStatus::Normal => "normal",
            CoStatus::Dead => "dead",
        }
    }
}

/// The execution state of a thread: what `Vm` holds while it runs.
#[derive(Default)]
pub struct ExecState {
    /// The value stack.
    pub stack: Vec<Value>,
    /// Call frames, innermost last.
    pub frames: Vec<Frame>,
    /// Open upvalues, sorted by stack index.
    pub open_upvals: Vec<Gc<UpVal>>,
    /// Stack indices of pending to-be-closed variables, in creation order.
    pub tbc: Vec<usize>,
    /// Top of the last multiple-results operation.
    pub mtop: usize,
    /// Active protected-call markers.
    pub n_protected: u32,
}

impl ExecState {
    /// Bytes of the state's buffers (stack, frames, open upvalues, pending
    /// to-be-closed list), for the collector's accounting.
    pub fn buffer_bytes(&self) -> usize {
        exec_bytes(&self.stack, &self.frames, &self.open_upvals, &self.tbc)
    }
}

/// Bytes of an execution state's buffers, given as its parts (the running
/// thread's live in `Vm` fields).
pub fn exec_bytes(
    stack: &Vec<Value>,
    frames: &Vec<Frame>,
    upvals: &Vec<Gc<UpVal>>,
    tbc: &Vec<usize>,
) -> usize {
    use std::mem::size_of;
    stack.capacity() * size_of::<Value>()
        + frames.capacity() * size_of::<Frame>()
        + upvals.capacity() * size_of::<Gc<UpVal>>()
        + tbc.capacity() * size_of::<usize>()
}

/// A coroutine.
pub struct Thread {
    /// The saved execution state while the thread is not running.
    pub saved: RefCell<ExecState>,
    /// The current status.
    pub status: Cell<CoStatus>,
    /// Whether the body was started (false: `resume` calls the body).
    pub started: Cell<bool>,
    /// Where the values passed to the next `resume` go: the stack index of
    /// the suspended `yield` call's function slot and the result count its
    /// caller wants (-1 = all).
    pub resume_slot: Cell<(usize, i32)>,
    /// `n_ccalls` when the thread was last resumed: yielding is allowed
    /// only when no native re-entered the interpreter since.
    pub base_ccalls: Cell<u32>,
    /// The error that killed the coroutine, if any (for `coroutine.close`).
    pub error: Cell<Option<Value>>,
    /// Bytes of the execution state last reported to the heap (updated when
    /// the thread stops running and before a collection; see `gc/collect.rs`).
    pub charged: Cell<usize>,
}

impl Thread {
    /// A new suspended thread whose stack holds `body` in slot 0.
    pub fn new(body: Value) -> Thread {
        let saved = ExecState {
            stack: vec![body],
            ..ExecState::default()
        };
        Thread {
            charged: Cell::new(saved.buffer_bytes()),
            saved: RefCell::new(saved),
            status: Cell::new(CoStatus::Suspended),
            started: Cell::new(false),
            resume_slot: Cell::new((0, -1)),
            base_ccalls: Cell::new(0),
            error: Cell::new(None),
        }
    }

    /// The main thread's object (running, its state lives in the `Vm`).
    pub fn main() -> Thread {
        let t = Thread::new(Value::Nil);
        t.saved.borrow_mut().stack.clear();
        t.status.set(CoStatus::Running);
        t.started.set(true);
        t
    }
}

impl GcObject for Thread {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::Thread(g)
    }
    fn heap_size(&self) -> usize {
        self.charged.get()
    }
}
