//! The collector: a stop-the-world mark and sweep over the heap's object
//! list, with weak tables (`__mode` `k`, `v`, `kv`) and ephemerons.
//!
//! Marking uses an explicit work list (no recursion, whatever the depth of
//! the object graph). Roots: the running thread's stack, frames and open
//! upvalues; every thread's saved state (reached through thread objects);
//! globals, registry, type metatables; and the heap's temporary roots
//! (values returned to Rust code by calls into Lua, kept until no native
//! function is active).
//!
//! A collection runs only at a safe point: an explicit `collectgarbage`
//! call, or the interpreter's allocation check (`Vm::gc_check`) between
//! instructions, where every live value is reachable from the roots.

use super::heap::GcAny;
use crate::gc::Gc;
use crate::vm::call::Callee;
use crate::vm::function::UpState;
use crate::vm::table::Table;
use crate::vm::thread::ExecState;
use crate::vm::value::Value;
use crate::vm::Vm;

/// Weakness of a table, from its metatable's `__mode`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Weakness {
    Strong,
    Keys,
    Values,
    Both,
}

/// Marking state of one collection.
struct Marker {
    work: Vec<GcAny>,
    /// Tables with weak keys and strong values (ephemerons), revisited until
    /// no new value is marked.
    ephemerons: Vec<Gc<Table>>,
    /// Every weak table met, cleared after marking.
    weak: Vec<(Gc<Table>, Weakness)>,
    /// The `__mode` key, allocated before marking.
    mode_key: Value,
    /// Every table marked (their tombstones of dead keys are purged).
    tables: Vec<Gc<Table>>,
}

impl Marker {
    fn value(&mut self, v: Value) {
        match v {
            Value::Str(g) => g.set_marked(true),
            Value::Table(g) => self.obj(GcAny::Table(g)),
            Value::LuaFn(g) => self.obj(GcAny::LuaFn(g)),
            Value::Native(g) => self.obj(GcAny::Native(g)),
            Value::UserData(g) => self.obj(GcAny::UserData(g)),
            Value::Thread(g) => self.obj(GcAny::Thread(g)),
            _ => {}
        }
    }

    fn obj(&mut self, o: GcAny) {
        let already = match o {
            GcAny::Str(g) => {
                g.set_marked(true);
                return;
            }
            GcAny::Table(g) => g.is_marked(),
            GcAny::LuaFn(g) => g.is_marked(),
            GcAny::Native(g) => g.is_marked(),
            GcAny::UpVal(g) => g.is_marked(),
            GcAny::UserData(g) => g.is_marked(),
            GcAny::Thread(g) => g.is_marked(),
        };
        if !already {
            self.set_mark(o);
            self.work.push(o);
        }
    }

    fn set_mark(&mut self, o: GcAny) {
        match o {
            GcAny::Str(g) => g.set_marked(true),
            GcAny::Table(g) => g.set_marked(true),
            GcAny::LuaFn(g) => g.set_marked(true),
            GcAny::Native(g) => g.set_marked(true),
            GcAny::UpVal(g) => g.set_marked(true),
            GcAny::UserData(g) => g.set_marked(true),
            GcAny::Thread(g) => g.set_marked(true),
        }
    }

    fn exec_state(&mut self, st: &ExecState) {
        for v in &st.stack {
            self.value(*v);
        }
        for f in &st.frames {
            self.callee(f.callee);
        }
        for u in &st.open_upvals {
            self.obj(GcAny::UpVal(*u));
        }
    }

    fn callee(&mut self, c: Callee) {
        match c {
            Callee::Lua(cl) => self.obj(GcAny::LuaFn(cl)),
            Callee::Native(nc) => self.obj(GcAny::Native(nc)),
        }
    }

    fn weakness(&self, t: &Table) -> Weakness {
        let Some(mt) = t.metatable() else {
            return Weakness::Strong;
        };
        match mt.raw_get(self.mode_key) {
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

    fn table(&mut self, t: Gc<Table>) {
        if let Some(mt) = t.metatable() {
            self.obj(GcAny::Table(mt));
        }
        self.tables.push(t);
        let w = self.weakness(&t);
        if w != Weakness::Strong {
            self.weak.push((t, w));
        }
        match w {
            Weakness::Strong => {
                for (k, v) in t.entries() {
                    self.value(k);
                    self.value(v);
                }
            }
            // strings in weak tables are never weak, but they are marked
            // only once their entry is known to stay (`mark_weak_strings`)
            Weakness::Values => {
                for (k, _) in t.entries() {
                    if !matches!(k, Value::Str(_)) {
                        self.value(k);
                    }
                }
            }
            Weakness::Keys => {
                self.ephemerons.push(t);
                self.ephemeron_pass(t);
            }
            Weakness::Both => {}
        }
    }

    /// Marks the values of entries whose keys are marked; returns whether
    /// anything new was marked.
    fn ephemeron_pass(&mut self, t: Gc<Table>) -> bool {
        let mut marked_any = false;
        for (k, v) in t.entries() {
            if weak_alive(k) && !value_marked(v) {
                self.value(v);
                marked_any = true;
            }
        }
        marked_any
    }

    fn trace(&mut self, o: GcAny) {
        match o {
            GcAny::Str(_) => {}
            GcAny::Table(t) => self.table(t),
            GcAny::LuaFn(cl) => {
                for v in cl.proto.constants.iter() {
                    self.value(*v);
                }
                let mut protos = cl.proto.children.to_vec();
                while let Some(p) = protos.pop() {
                    for v in p.constants.iter() {
                        self.value(*v);
                    }
                    protos.extend(p.children.iter().cloned());
                }
                for u in cl.upvals.iter() {
                    self.obj(GcAny::UpVal(u.get()));
                }
            }
            GcAny::Native(nc) => {
                for u in nc.upvalues.iter() {
                    self.value(u.get());
                }
            }
            GcAny::UpVal(u) => match u.state.get() {
                UpState::Closed(v) => self.value(v),
                UpState::Open { thread, .. } => self.obj(GcAny::Thread(thread)),
            },
            GcAny::UserData(u) => {
                if let Some(mt) = u.metatable.get() {
                    self.obj(GcAny::Table(mt));
                }
                for v in u.user_values.borrow().iter() {
                    self.value(*v);
                }
            }
            GcAny::Thread(th) => {
                if let Some(e) = th.error.get() {
                    self.value(e);
                }
                let st = th.saved.borrow();
                self.exec_state(&st);
            }
        }
    }

    fn drain(&mut self) {
        loop {
            while let Some(o) = self.work.pop() {
                self.trace(o);
            }
            // Ephemerons: repeat until no value became reachable.
            let mut changed = false;
            let eph = self.ephemerons.clone();
            for t in eph {
                changed |= self.ephemeron_pass(t);
            }
            if !changed && self.work.is_empty() {
                break;
            }
        }
    }
}

/// Whether a value is marked (non-collectable values count as marked).
fn value_marked(v: Value) -> bool {
    match v {
        Value::Str(g) => g.is_marked(),
        Value::Table(g) => g.is_marked(),
        Value::LuaFn(g) => g.is_marked(),
        Value::Native(g) => g.is_marked(),
        Value::UserData(g) => g.is_marked(),
        Value::Thread(g) => g.is_marked(),
        _ => true,
    }
}

/// Whether an entry part of a weak table keeps its entry: strings are
/// values, never collected from weak tables.
fn weak_alive(v: Value) -> bool {
    matches!(v, Value::Str(_)) || value_marked(v)
}

/// Marks the strings of the entries that stayed in weak tables.
fn mark_weak_strings(weak: &[(Gc<Table>, Weakness)]) {
    for (t, _) in weak {
        for (k, v) in t.entries() {
            for x in [k, v] {
                if let Value::Str(s) = x {
                    s.set_marked(true);
                }
            }
        }
    }
}

/// Removes dead entries of weak tables: only entries with dead values when
/// `values_only`, else entries with a dead weak key or value.
fn clear_weak(weak: &[(Gc<Table>, Weakness)], values_only: bool) {
    for (t, w) in weak {
        for (k, v) in t.entries() {
            let dead_key = matches!(w, Weakness::Keys | Weakness::Both) && !weak_alive(k);
            let dead_val = matches!(w, Weakness::Values | Weakness::Both) && !weak_alive(v);
            if dead_val || (!values_only && dead_key) {
                let _ = t.raw_set(k, Value::Nil);
            }
        }
    }
}

impl Vm {
    /// Runs a full collection now, then the finalizers it made pending. Must only be called at a safe point
    /// (see the module documentation).
    pub fn collect_garbage(&mut self) {
        let mode_key = self.new_str(b"__mode");
        let mut m = Marker {
            work: Vec::new(),
            ephemerons: Vec::new(),
            weak: Vec::new(),
            mode_key,
            tables: Vec::new(),
        };
        m.value(mode_key);
        m.value(Value::Table(self.globals));
        m.value(Value::Table(self.registry));
        for t in self.type_metas.into_iter().flatten() {
            m.value(Value::Table(t));
        }
        m.value(Value::Thread(self.current_thread));
        m.value(Value::Thread(self.main_thread));
        for v in &self.stack {
            m.value(*v);
        }
        for f in &self.frames {
            m.callee(f.callee);
        }
        for u in &self.open_upvals {
            m.obj(GcAny::UpVal(*u));
        }
        for v in self.heap.temp_roots() {
            m.value(*v);
        }
        for o in self.heap.pending_finalizers() {
            m.obj(*o);
        }
        m.drain();
        // Resurrected objects leave weak-value tables before their finalizers run.
        clear_weak(&m.weak, true);
        if self.heap.separate_unreachable() {
            for o in self.heap.pending_finalizers() {
                m.obj(*o);
            }
            m.drain();
        }
        clear_weak(&m.weak, false);
        mark_weak_strings(&m.weak);
        for t in &m.tables {
            t.purge_dead_keys(value_marked);
        }
        self.heap.sweep();
        self.run_pending_finalizers();
    }

    /// The allocation check of the interpreter's safe points: collects when
    /// the heap has grown past its threshold.
    #[inline]
    pub fn gc_check(&mut self) {
        if self.heap.needs_collection() {
            self.gc_step_slow();
        }
    }

    #[cold]
    #[inline(never)]
    fn gc_step_slow(&mut self) {
        let native_active = self
            .frames
            .iter()
            .any(|f| matches!(f.callee, Callee::Native(_)));
        if !native_active {
            self.heap.clear_temp_roots();
        }
        self.collect_garbage();
    }
}
