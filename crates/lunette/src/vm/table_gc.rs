//! What the collector needs from a table: its black flag for the write
//! barrier (`gc_epoch`, see `gc/barrier.rs`), the traversal of its entries
//! and the removal of dead keys from cleared entries.
//!
//! A child module of `table.rs`, under its access rule for the parts.

use super::Table;
use crate::vm::value::Value;

/// Whether a value is a heap object.
fn is_collectable(v: Value) -> bool {
    matches!(
        v,
        Value::Str(_)
            | Value::Table(_)
            | Value::LuaFn(_)
            | Value::Native(_)
            | Value::UserData(_)
            | Value::Thread(_)
    )
}

impl Table {
    /// The epoch of the collection cycle that last traversed this table
    /// as black (0: not black, or not traversed).
    #[inline(always)]
    pub(crate) fn gc_epoch(&self) -> u32 {
        self.gc_epoch.get()
    }

    /// Sets the black flag (see `gc_epoch`); only the collector and the
    /// barrier call it.
    #[inline(always)]
    pub(crate) fn set_gc_epoch(&self, e: u32) {
        self.gc_epoch.set(e);
    }

    /// Whether the collector traversed the table in some cycle and has not
    /// seen a store since (see `barrier`): stores take their slow path.
    #[inline(always)]
    pub(super) fn is_black(&self) -> bool {
        self.gc_epoch.get() != 0
    }

    /// The write barrier: call before this table gets references to `a`
    /// and `b` (a key and a value, or a metatable). One load and compare
    /// unless the collector traversed the table in the current cycle.
    #[inline(always)]
    pub(super) fn barrier(&self, a: Value, b: Value) {
        if self.gc_epoch.get() != 0 {
            crate::gc::table_barrier(self, a, b);
        }
    }

    /// Calls `f` on every live (key, value) pair (`f` must not touch this
    /// table); returns the work done (one unit per value slot, two per hash
    /// node, one for the table) and whether some cleared entry (a
    /// tombstone) keeps a collectable key.
    pub(crate) fn gc_entries(&self, mut f: impl FnMut(Value, Value)) -> (usize, bool) {
        let p = self.parts();
        let arr = p.array.as_slice();
        for (i, v) in arr.iter().enumerate() {
            if !v.is_nil() {
                f(Value::Int(i as i64 + 1), *v);
            }
        }
        let nodes = p.hash.nodes();
        let mut tombs = false;
        for n in nodes {
            if !n.val.is_nil() {
                f(n.key, n.val);
            } else if is_collectable(n.key) {
                tombs = true;
            }
        }
        (1 + arr.len() + 2 * nodes.len(), tombs)
    }

    /// Turns tombstones (cleared entries) whose key the collector is about
    /// to free into dead nodes, so no dead key stays in the table. Safe for
    /// traversals: a key still used by `next` is reachable, so it is not
    /// `dead`.
    pub fn purge_dead_tombstones(&self, dead: impl Fn(Value) -> bool) {
        self.parts_mut().hash.kill_tombstones(dead);
    }
}
