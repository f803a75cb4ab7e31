//! Write barriers of the incremental collector.
//!
//! While a collection cycle marks (see `collect.rs`), the mutator runs
//! between marking steps. The invariant the collector keeps is that no
//! black object (marked and already traversed) points to a white one
//! (not marked yet): a white object reachable only through a black one
//! would never be traversed and would be freed while in use. Stores into
//! heap objects therefore go through a barrier:
//!
//! - **Tables** (backward barrier, Lua's `luaC_barrierback`): a black
//!   table that gets a white key, value or metatable turns gray again and
//!   is queued for another traversal in the atomic phase (not at once: a
//!   big table the program keeps storing into would be traversed again
//!   and again). A table is black when its `gc_epoch`
//!   field equals the epoch of the marking in progress; the check on every
//!   store is one load and compare of that field (`Table::barrier`), and
//!   this module's slow path runs only for black tables (or stale epochs,
//!   which it clears). Tables cannot reach their heap, so the marking
//!   heap's epoch, mark sense and the queue live in a thread-local.
//! - **Upvalues, closures, userdata** (forward barrier, `Heap::barrier`):
//!   when a marked object gets a white value, the value is marked (grayed)
//!   at once. Their writers all hold the `Vm`, hence the heap.
//! - **Threads and weak tables** are never black: they are traversed again
//!   in the atomic phase, so stores into them need no barrier.
//!
//! Only one heap per OS thread marks incrementally at a time (it *owns*
//! the thread-local state from the start of its cycle to the end of its
//! atomic phase); another heap that needs a collection meanwhile runs a
//! complete one without returning to the mutator, which needs no barrier.
//! Epochs are unique per thread, so a table's stale epoch never matches
//! another cycle's, and only the owner's tables can match the current one.

use super::handle::Gc;
use crate::vm::table::Table;
use crate::vm::value::Value;
use std::cell::{Cell, RefCell};

/// The incremental collector's state shared with table barriers.
struct Shared {
    /// Id of the heap that owns the marking (0: none).
    owner: Cell<u64>,
    /// Epoch of the marking in progress (0: none): tables that heap
    /// traversed carry it in `gc_epoch`.
    epoch: Cell<u32>,
    /// Last epoch handed out.
    last_epoch: Cell<u32>,
    /// The mark bit value meaning "marked" for the owner.
    sense: Cell<usize>,
    /// Tables turned gray again by the barrier, for the owner to traverse.
    queue: RefCell<Vec<Gc<Table>>>,
}

thread_local! {
    static SHARED: Shared = const {
        Shared {
            owner: Cell::new(0),
            epoch: Cell::new(0),
            last_epoch: Cell::new(0),
            sense: Cell::new(0),
            queue: RefCell::new(Vec::new()),
        }
    };
}

/// Makes heap `id` the owner of this thread's incremental marking, with
/// mark sense `sense`; returns the cycle's epoch, or `None` when another
/// heap owns it (the caller then collects without returning to the
/// mutator).
pub(super) fn acquire(id: u64, sense: usize) -> Option<u32> {
    SHARED.with(|s| {
        if s.owner.get() != 0 && s.owner.get() != id {
            return None;
        }
        let mut e = s.last_epoch.get().wrapping_add(1);
        if e == 0 {
            e = 1;
        }
        s.last_epoch.set(e);
        s.owner.set(id);
        s.epoch.set(e);
        s.sense.set(sense);
        s.queue.borrow_mut().clear();
        Some(e)
    })
}

/// Ends heap `id`'s marking (after its atomic phase, or when it is
/// dropped): barriers stop queueing tables.
pub(super) fn release(id: u64) {
    SHARED.with(|s| {
        if s.owner.get() == id {
            s.owner.set(0);
            s.epoch.set(0);
            s.queue.borrow_mut().clear();
        }
    })
}

/// Moves the tables queued by barriers into `out` (owner only).
pub(super) fn take_queue(id: u64, out: &mut Vec<super::GcAny>) {
    SHARED.with(|s| {
        if s.owner.get() == id {
            out.extend(s.queue.borrow_mut().drain(..).map(super::GcAny::Table));
        }
    })
}

/// Whether `v` is a collectable value whose mark bit is not `sense`.
#[inline]
pub(super) fn value_white(v: Value, sense: usize) -> bool {
    match v {
        Value::Str(g) => g.mark_bit() != sense,
        Value::Table(g) => g.mark_bit() != sense,
        Value::LuaFn(g) => g.mark_bit() != sense,
        Value::Native(g) => g.mark_bit() != sense,
        Value::UserData(g) => g.mark_bit() != sense,
        Value::Thread(g) => g.mark_bit() != sense,
        _ => false,
    }
}

/// The barrier's slow path for table `t`, whose `gc_epoch` is not 0, that
/// is getting references to `a` and `b` (key and value, or a metatable):
/// if `t` is black in the marking in progress and one of them is white,
/// `t` turns gray and is queued; a stale epoch is cleared.
#[cold]
#[inline(never)]
pub fn table_barrier(t: &Table, a: Value, b: Value) {
    SHARED.with(|s| {
        if t.gc_epoch() != s.epoch.get() {
            // traversed in an earlier cycle (or no marking now)
            t.set_gc_epoch(0);
            return;
        }
        let sense = s.sense.get();
        if value_white(a, sense) || value_white(b, sense) {
            t.set_gc_epoch(0);
            // SAFETY: `t` carries the current epoch, which only the
            // collector sets, on tables it traversed: objects it reached
            // from its roots, all of them boxes of its heap.
            let g = unsafe { Gc::from_ref(t) };
            s.queue.borrow_mut().push(g);
        }
    })
}
