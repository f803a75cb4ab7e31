//! Tri-colour marking: the gray lists and the traversal of each kind of
//! object, with weak tables (`__mode` `k`, `v`, `kv`) and ephemerons.
//!
//! Colours: an object is *white* when its mark bit differs from the
//! cycle's sense, *gray* when marked but not traversed yet (it is on the
//! `gray` list, or on `grayagain` to be traversed again in the atomic
//! phase), *black* when marked and traversed. Strings are blackened at
//! once (nothing to traverse). A traversed table records the cycle's epoch
//! (its black flag for the write barrier, `barrier.rs`); weak tables and
//! threads are never black: during the incremental phase they go to
//! `grayagain`, and only the atomic phase, with the mutator stopped,
//! settles them (weak tables are then listed for clearing).
//!
//! Traversal is iterative (an explicit work list, whatever the depth of
//! the object graph) and reports work units (about one per 16-byte slot
//! visited) so that incremental steps can be bounded.

use super::handle::{Gc, GcAny};
use crate::bytecode::TagMethod;
use crate::vm::call::Callee;
use crate::vm::function::UpState;
use crate::vm::table::Table;
use crate::vm::thread::ExecState;
use crate::vm::value::Value;

/// Capacity the gray lists keep between cycles (a large heap can make
/// them long; the memory is given back).
const KEEP_CAPACITY: usize = 4096;

/// Weakness of a table, from its metatable's `__mode`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Weakness {
    /// No weak references.
    Strong,
    /// Weak keys, strong values (an ephemeron table).
    Keys,
    /// Weak values.
    Values,
    /// Weak keys and values.
    Both,
}

/// The marking state of one collection cycle.
#[derive(Default)]
pub(super) struct Marker {
    /// The mark bit value of marked objects in this cycle.
    pub(super) sense: usize,
    /// The cycle's epoch, stored into traversed tables (0: none, for a
    /// cycle that runs without the mutator).
    pub(super) epoch: u32,
    /// Set in the atomic phase (weak tables are then listed, not deferred).
    pub(super) atomic: bool,
    /// Marked objects whose references are not traversed yet.
    pub(super) gray: Vec<GcAny>,
    /// Objects to traverse again in the atomic phase (threads, weak tables).
    pub(super) grayagain: Vec<GcAny>,
    /// Tables with weak keys and strong values (ephemerons), revisited in
    /// the atomic phase until no new value is marked.
    pub(super) ephemerons: Vec<Gc<Table>>,
    /// Every weak table traversed in the atomic phase, cleared after marking.
    pub(super) weak: Vec<(Gc<Table>, Weakness)>,
    /// Traversed tables holding cleared entries with collectable keys
    /// (their dead keys are removed after marking).
    pub(super) tombs: Vec<Gc<Table>>,
}

impl Marker {
    /// Clears the lists for a new cycle with mark sense `sense` and
    /// table epoch `epoch`.
    pub(super) fn reset(&mut self, sense: usize, epoch: u32) {
        self.sense = sense;
        self.epoch = epoch;
        self.atomic = false;
        for list in [&mut self.gray, &mut self.grayagain] {
            list.clear();
            list.shrink_to(KEEP_CAPACITY);
        }
        self.ephemerons.clear();
        self.weak.clear();
        self.tombs.clear();
    }

    /// Whether a value is marked (non-collectable values count as marked).
    pub(super) fn value_marked(&self, v: Value) -> bool {
        !super::barrier::value_white(v, self.sense)
    }

    /// Marks a value (gray, or black for a string).
    #[inline]
    pub(super) fn value(&mut self, v: Value) {
        match v {
            Value::Str(g) => g.set_mark_bit(self.sense),
            Value::Table(g) => self.obj(GcAny::Table(g)),
            Value::LuaFn(g) => self.obj(GcAny::LuaFn(g)),
            Value::Native(g) => self.obj(GcAny::Native(g)),
            Value::UserData(g) => self.obj(GcAny::UserData(g)),
            Value::Thread(g) => self.obj(GcAny::Thread(g)),
            _ => {}
        }
    }

    /// Marks an object: a white one turns gray (or black for a string).
    #[inline]
    pub(super) fn obj(&mut self, o: GcAny) {
        if o.mark_bit() == self.sense {
            return;
        }
        o.set_mark_bit(self.sense);
        // strings have no references: nothing to trace
        if !matches!(o, GcAny::Str(_)) {
            self.gray.push(o);
        }
    }

    /// Marks the values of a thread's saved execution state.
    pub(super) fn exec_state(&mut self, st: &ExecState) -> usize {
        for v in &st.stack {
            self.value(*v);
        }
        for f in &st.frames {
            self.callee(f.callee);
        }
        for u in &st.open_upvals {
            self.obj(GcAny::UpVal(*u));
        }
        1 + st.stack.len() + st.frames.len() + st.open_upvals.len()
    }

    /// Marks the function a frame runs.
    pub(super) fn callee(&mut self, c: Callee) {
        match c {
            Callee::Lua(cl) => self.obj(GcAny::LuaFn(cl)),
            Callee::Native(nc) => self.obj(GcAny::Native(nc)),
        }
    }

    /// A table's weakness, from its metatable's `__mode`.
    pub(super) fn weakness(t: &Table) -> Weakness {
        let Some(mt) = t.metatable() else {
            return Weakness::Strong;
        };
        match mt.tag_method(TagMethod::Mode) {
            Value::Str(s) => {
                let b = s.as_bytes();
                match (b.contains(&b'k'), b.contains(&b'v')) {
                    (true, true) => Weakness::Both,
                    (true, false) => Weakness::Keys,
                    (false, true) => Weakness::Values,
                    _ => Weakness::Strong,
                }
            }
            _ => Weakness::Strong,
        }
    }

    /// Traverses a table; returns the work done.
    fn table(&mut self, t: Gc<Table>) -> usize {
        if let Some(mt) = t.metatable() {
            self.obj(GcAny::Table(mt));
        }
        let w = Self::weakness(&t);
        let (work, tombs) = match w {
            Weakness::Strong => {
                let r = t.gc_entries(|k, v| {
                    self.value(k);
                    self.value(v);
                });
                // black: the barrier watches it from now on
                t.set_gc_epoch(self.epoch);
                r
            }
            Weakness::Values => t.gc_entries(|k, _| self.value(k)),
            Weakness::Keys => {
                let r = t.gc_entries(|_, _| {});
                self.ephemeron_pass(t);
                r
            }
            Weakness::Both => t.gc_entries(|_, _| {}),
        };
        if w != Weakness::Strong {
            t.set_gc_epoch(0);
            if self.atomic {
                self.weak.push((t, w));
                if w == Weakness::Keys {
                    self.ephemerons.push(t);
                }
            } else {
                self.grayagain.push(GcAny::Table(t));
            }
        }
        if tombs {
            self.tombs.push(t);
        }
        work
    }

    /// Marks the values of entries whose keys are marked (strings count
    /// as marked: they are never weak); returns whether anything new was
    /// marked.
    pub(super) fn ephemeron_pass(&mut self, t: Gc<Table>) -> bool {
        let mut marked_any = false;
        let sense = self.sense;
        let mut newly = Vec::new();
        t.for_each_entry(|k, v| {
            if let Value::Str(s) = k {
                s.set_mark_bit(sense);
            }
            if !super::barrier::value_white(k, sense) && super::barrier::value_white(v, sense) {
                newly.push(v);
            }
        });
        for v in newly {
            self.value(v);
            marked_any = true;
        }
        marked_any
    }

    /// Traverses one gray object; returns the work done.
    pub(super) fn trace(&mut self, o: GcAny) -> usize {
        match o {
            GcAny::Str(_) => 1,
            GcAny::Table(t) => self.table(t),
            GcAny::LuaFn(cl) => {
                let mut work = 1 + cl.upvals().len() + cl.proto.constants.len();
                for v in cl.proto.constants.iter() {
                    self.value(*v);
                }
                let mut protos = cl.proto.children.to_vec();
                while let Some(p) = protos.pop() {
                    work += 1 + p.constants.len();
                    for v in p.constants.iter() {
                        self.value(*v);
                    }
                    protos.extend(p.children.iter().cloned());
                }
                for u in cl.upvals().iter() {
                    self.obj(GcAny::UpVal(u.get()));
                }
                work
            }
            GcAny::Native(nc) => {
                for u in nc.upvalues.iter() {
                    self.value(u.get());
                }
                1 + nc.upvalues.len()
            }
            GcAny::UpVal(u) => {
                match u.state() {
                    UpState::Closed(v) => self.value(v),
                    UpState::Open { thread, .. } => self.obj(GcAny::Thread(thread)),
                }
                1
            }
            GcAny::UserData(u) => {
                if let Some(mt) = u.metatable.get() {
                    self.obj(GcAny::Table(mt));
                }
                let uv = u.user_values.borrow();
                for v in uv.iter() {
                    self.value(*v);
                }
                1 + uv.len()
            }
            GcAny::Thread(th) => {
                if let Some(e) = th.error.get() {
                    self.value(e);
                }
                if !self.atomic {
                    // its stack changes without barriers: again in the atomic phase
                    self.grayagain.push(o);
                }
                let st = th.saved.borrow();
                self.exec_state(&st)
            }
        }
    }

    /// Traverses gray objects until the list is empty or `budget` work
    /// units are spent; returns the work done.
    pub(super) fn propagate(&mut self, budget: usize) -> usize {
        let mut work = 0;
        while work < budget {
            let Some(o) = self.gray.pop() else { break };
            work += self.trace(o);
        }
        work
    }

    /// Traverses everything gray, then repeats the ephemeron passes until
    /// no value becomes reachable (atomic phase only).
    pub(super) fn drain(&mut self) {
        loop {
            while let Some(o) = self.gray.pop() {
                self.trace(o);
            }
            let mut changed = false;
            let eph = self.ephemerons.clone();
            for t in eph {
                changed |= self.ephemeron_pass(t);
            }
            if !changed && self.gray.is_empty() {
                break;
            }
        }
    }

    /// Removes dead entries of the weak tables: only entries with dead
    /// values when `values_only`, else entries with a dead weak key or
    /// value. Strings are values, never weak: a string in a kept entry is
    /// marked here (an entry removed for its dead value does not keep its
    /// string key alive).
    pub(super) fn clear_weak(&self, values_only: bool) {
        for (t, w) in &self.weak {
            let weak_keys = matches!(w, Weakness::Keys | Weakness::Both);
            let weak_vals = matches!(w, Weakness::Values | Weakness::Both);
            for (k, v) in t.entries() {
                let dead_val = weak_vals && !self.survives(v);
                let dead_key = !values_only && weak_keys && !self.survives(k);
                if dead_val || dead_key {
                    let _ = t.raw_set(k, Value::Nil);
                }
            }
        }
    }

    /// Whether a weak reference to `v` survives; strings always do (and are
    /// marked).
    fn survives(&self, v: Value) -> bool {
        match v {
            Value::Str(s) => {
                s.set_mark_bit(self.sense);
                true
            }
            other => self.value_marked(other),
        }
    }

    /// Turns the cleared entries whose keys are about to be freed into
    /// dead nodes, in every table that may hold some (after marking).
    pub(super) fn purge_tombstones(&self) {
        let dead = |k: Value| super::barrier::value_white(k, self.sense);
        for t in &self.tombs {
            t.purge_dead_tombstones(dead);
        }
        for (t, _) in &self.weak {
            t.purge_dead_tombstones(dead);
        }
    }
}
