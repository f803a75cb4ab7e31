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
use crate::gc::account_resize;
use crate::gc::Gc;
use crate::vm::call::Callee;
use crate::vm::function::UpState;
use crate::vm::table::Table;
use crate::vm::thread::{exec_bytes, ExecState};
use crate::vm::value::Value;
use crate::vm::LuaResult;
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
        if o.is_marked() {
            return;
        }
        o.set_marked(true);
        // strings have no references: nothing to trace
        if !matches!(o, GcAny::Str(_)) {
            self.work.push(o);
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
        let w = self.weakness(&t);
        if w != Weakness::Strong {
            self.weak.push((t, w));
        }
        match w {
            Weakness::Strong => t.for_each_entry(|k, v| {
                self.value(k);
                self.value(v);
            }),
            Weakness::Values => {
                for (k, _) in t.entries() {
                    self.value(k);
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
            if let Value::Str(s) = k {
                s.set_marked(true);
            }
            if value_marked(k) && !value_marked(v) {
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
                for u in cl.upvals().iter() {
                    self.obj(GcAny::UpVal(u.get()));
                }
            }
            GcAny::Native(nc) => {
                for u in nc.upvalues.iter() {
                    self.value(u.get());
                }
            }
            GcAny::UpVal(u) => match u.state() {
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

/// The live slots of the running thread's stack: below the first frame
/// (host values), then each frame's window up to the next frame's function
/// slot; a Lua frame below another frame ends at its register limit, since
/// registers above a call are dead (and stale values there must not be
/// kept alive). The innermost frame's window reaches the top of the stack:
/// values pushed above it belong to a call being set up (a message handler
/// or a function called from Rust, whose frame is not pushed yet).
///
/// A frame that called a hook function (`hooked`) keeps its whole window
/// up to the hook's frame: the values it is transferring (call arguments,
/// return values) live there and the hook may read them.
fn live_stack_ranges(
    frames: &[crate::vm::call::Frame],
    len: usize,
    hooked: impl Fn(usize) -> bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(frames.len() + 1);
    let first = frames.first().map(|f| f.func).unwrap_or(len).min(len);
    out.push((0, first));
    for (i, f) in frames.iter().enumerate() {
        let next = frames.get(i + 1).map(|n| n.func).unwrap_or(len).min(len);
        let hi = match (f.callee, i + 1 == frames.len()) {
            (Callee::Lua(cl), false) if !hooked(i) => {
                next.min(f.base + cl.proto.proto.max_stack as usize)
            }
            _ => next,
        };
        let lo = f.func.min(hi);
        out.push((lo, hi.max(lo)));
    }
    out
}

/// Whether a value is marked (non-collectable values count as marked).
pub(crate) fn value_marked(v: Value) -> bool {
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

/// Removes dead entries of weak tables: only entries with dead values when
/// `values_only`, else entries with a dead weak key or value. Strings are
/// values, never weak: a string in a kept entry is marked here (an entry
/// removed for its dead value does not keep its string key alive).
fn clear_weak(weak: &[(Gc<Table>, Weakness)], values_only: bool) {
    for (t, w) in weak {
        for (k, v) in t.entries() {
            let weak_keys = matches!(w, Weakness::Keys | Weakness::Both);
            let weak_vals = matches!(w, Weakness::Values | Weakness::Both);
            let dead_val = weak_vals && !survives(v);
            let dead_key = !values_only && weak_keys && !survives(k);
            if dead_val || dead_key {
                let _ = t.raw_set(k, Value::Nil);
            }
        }
    }
}

/// Whether a weak reference to `v` survives; strings always do (and are marked).
fn survives(v: Value) -> bool {
    match v {
        Value::Str(s) => {
            s.set_marked(true);
            true
        }
        other => value_marked(other),
    }
}

impl Vm {
    /// Runs a full collection now, then the finalizers it made pending. Must only be called at a safe point
    /// (see the module documentation).
    pub fn collect_garbage(&mut self) {
        let started = std::time::Instant::now();
        self.heap.stats.peak_bytes = self.heap.peak_bytes();
        let mode_key = self.new_str(b"__mode");
        let mut m = Marker {
            work: Vec::new(),
            ephemerons: Vec::new(),
            weak: Vec::new(),
            mode_key,
        };
        m.value(mode_key);
        m.value(Value::Table(self.globals));
        m.value(Value::Table(self.registry));
        m.value(Value::Table(self.host_refs));
        for t in self.type_metas.into_iter().flatten() {
            m.value(Value::Table(t));
        }
        m.value(Value::Thread(self.current_thread));
        m.value(Value::Thread(self.main_thread));
        // Slots between the live windows are dead: they are cleared, as
        // their objects may be freed now, and a later frame could otherwise
        // expose the stale handles as registers it has not written yet.
        let mut done = 0;
        let (thread, hooks) = (self.current_thread, &self.hooks);
        let hooked = |i| hooks.is_hooked_frame(thread, i);
        for (lo, hi) in live_stack_ranges(&self.frames, self.stack.len(), hooked) {
            if let Some(dead) = self.stack.get_mut(done.min(lo)..lo) {
                dead.fill(Value::Nil);
            }
            for v in &self.stack[lo..hi] {
                m.value(*v);
            }
            done = done.max(hi);
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
        for f in self.hooks.functions() {
            m.value(f);
        }
        for t in self.hooks.threads() {
            m.value(Value::Thread(t));
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
        self.heap.purge_dead_tombstones();
        self.account_running_state();
        self.heap.sweep();
        self.heap.stats.gc_cycles += 1;
        self.heap.stats.gc_time += started.elapsed();
        self.run_pending_finalizers();
    }

    /// Reports the running thread's execution state size (stack, frames,
    /// ...) to the heap, charged to the running thread object.
    pub(crate) fn account_running_state(&mut self) {
        let now = exec_bytes(&self.stack, &self.frames, &self.open_upvals, &self.tbc);
        let th = self.current_thread;
        account_resize(th.charged.get(), now);
        th.charged.set(now);
    }

    /// Bytes held by Lua objects now (`collectgarbage("count") * 1024`):
    /// every object's box and owned buffers, thread stacks included (see
    /// `Heap::bytes`).
    pub fn gc_bytes_in_use(&mut self) -> usize {
        self.account_running_state();
        self.heap.bytes_in_use()
    }

    /// The allocation check of the interpreter's safe points: collects when
    /// the heap has grown past its threshold; raises `not enough memory`
    /// when the live data still exceeds the memory ceiling (`vm/memory.rs`).
    #[inline]
    pub fn gc_check(&mut self) -> LuaResult<()> {
        if self.heap.needs_collection() {
            return self.gc_step_slow();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn gc_step_slow(&mut self) -> LuaResult<()> {
        let native_active = self
            .frames
            .iter()
            .any(|f| matches!(f.callee, Callee::Native(_)));
        if !native_active {
            self.heap.clear_temp_roots();
        }
        self.collect_garbage();
        if self.heap.bytes > self.heap.limit() {
            return Err(self.memory_error());
        }
        Ok(())
    }
}
