//! Finalizers (`__gc`): registration at `setmetatable` time, separation of
//! unreachable finalizable objects during a collection, and running the
//! finalizers afterwards (errors become warnings).

use super::handle::GcAny;
use crate::vm::{Value, Vm};

/// The finalizable object behind a value, if it can have a finalizer.
fn as_obj(v: Value) -> Option<GcAny> {
    match v {
        Value::Table(t) => Some(GcAny::Table(t)),
        Value::UserData(u) => Some(GcAny::UserData(u)),
        _ => None,
    }
}

/// The value of a finalizable object.
pub(crate) fn obj_value(o: GcAny) -> Value {
    match o {
        GcAny::Table(t) => Value::Table(t),
        GcAny::UserData(u) => Value::UserData(u),
        _ => Value::Nil,
    }
}

impl Vm {
    /// Marks `obj` for finalization if its new metatable has a `__gc` field
    /// (the Lua 5.4 rule: the field must exist when the metatable is set).
    /// Call after every `setmetatable` on a table or userdata.
    pub fn check_finalizer(&mut self, obj: Value) {
        let Some(o) = as_obj(obj) else { return };
        if self.heap.closing {
            return;
        }
        let Some(mt) = self.get_metatable(obj) else {
            return;
        };
        if mt.raw_get_bytes(b"__gc").is_nil() {
            return;
        }
        self.heap.register_finalizer(o);
    }

    /// Runs the finalizers of objects a collection found unreachable, most
    /// recently registered first. Errors in finalizers become warnings.
    pub(crate) fn run_pending_finalizers(&mut self) {
        if self.heap.in_finalizer {
            return;
        }
        self.heap.in_finalizer = true;
        while let Some(o) = self.heap.pop_pending_finalizer() {
            self.call_finalizer(obj_value(o));
        }
        self.heap.in_finalizer = false;
    }

    fn call_finalizer(&mut self, obj: Value) {
        let Some(mt) = self.get_metatable(obj) else {
            return;
        };
        let f = mt.raw_get_bytes(b"__gc");
        if !matches!(f, Value::LuaFn(_) | Value::Native(_)) {
            return;
        }
        let was_running = self.heap.running;
        self.heap.running = false;
        let note = self.begin_finalizer();
        let result = self.pcall_function(f, &[obj]);
        self.end_finalizer(note);
        self.heap.running = was_running;
        if let Err(e) = result {
            let msg = match e.value.as_str() {
                Some(s) => String::from_utf8_lossy(s).into_owned(),
                None => "error object is not a string".to_string(),
            };
            let text = format!("error in __gc ({msg})");
            crate::stdlib::warn::emit_warning(self, text.as_bytes());
        }
    }

    /// Closes the state as `lua_close` does: runs the finalizers of every
    /// object still registered for finalization, in reverse order.
    /// Pending `<close>` variables are closed first. Objects given a
    /// finalizer after closing began are not finalized;
    /// a nested call (e.g. `os.exit(0, true)` from a finalizer) runs the
    /// finalizers still pending.
    pub fn close_state(&mut self) {
        // pending to-be-closed variables of the running thread first
        let _ = self.close_level(0);
        self.heap.closing = true;
        self.heap.finalize_all();
        let was = self.heap.in_finalizer;
        self.heap.in_finalizer = true;
        while let Some(o) = self.heap.pop_pending_finalizer() {
            self.call_finalizer(obj_value(o));
        }
        self.heap.in_finalizer = was;
    }
}
