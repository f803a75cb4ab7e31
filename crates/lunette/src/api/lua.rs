//! `Lua`: the state handle of the embedding API, and the machinery every
//! other API type uses — access to the `Vm`, host references (GC roots),
//! protected host runs with limits, and value conversion to and from the
//! VM's raw values.
//!
//! Access. The `Vm` lives in an `UnsafeCell` inside an `Rc`. API calls reach
//! it through [`Lua::with_vm`], which hands out one `&mut Vm` at a time: a
//! `busy` flag refuses a nested access, except from a host function called
//! by the running script — the trampoline (see `function.rs`) publishes the
//! `&mut Vm` the interpreter lent it as the `active` pointer and clears
//! `busy` while the Rust callback runs, then restores both.
//!
//! Roots. A handle held by the host ([`Table`](super::Table),
//! [`Function`](super::Function), ...) owns a slot of `Vm::host_refs`, a
//! table the collector marks and Lua code cannot reach; dropping the handle
//! clears the slot.

use super::error::{Error, ErrorKind, Result};
use super::limits::Limits;
use super::value::{LuaString, Value};
use crate::gc::Gc;
use crate::vm::limits::StopReason;
use crate::vm::table::Table as RawTable;
use crate::vm::{LuaError, LuaResult, Value as RawValue, Vm};
use std::any::TypeId;
use std::cell::{Cell, RefCell, UnsafeCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

/// Shared state behind a [`Lua`] and every handle it gave out.
pub(crate) struct Inner {
    vm: UnsafeCell<Vm>,
    /// The `&mut Vm` lent to the running host function (null at top level).
    active: Cell<*mut Vm>,
    /// Set while some API call uses the `Vm`.
    busy: Cell<bool>,
    /// `Vm::host_refs`.
    refs: Gc<RawTable>,
    free_slots: RefCell<Vec<i64>>,
    next_slot: Cell<i64>,
    /// Nesting of host runs (budgets are per outermost run).
    host_depth: Cell<u32>,
    /// Slots of the `xpcall` and message handler used for host calls.
    xpcall_slot: Cell<i64>,
    handler_slot: Cell<i64>,
    /// Metatables of user data types, by type (slots).
    pub(crate) ud_metas: RefCell<HashMap<TypeId, i64>>,
    limits: Cell<Limits>,
    /// Whether chunks loaded through the API must be text.
    pub(crate) text_only: Cell<bool>,
    interrupt: crate::vm::limits::InterruptHandle,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // no handle is left: run the finalizers as `lua_close` does, under
        // the configured budget (host functions refuse: the state is gone)
        let vm = self.vm.get_mut();
        vm.begin_host_run();
        vm.close_state();
    }
}

/// A Lua state with the embedding API.
///
/// Every method takes `&self`; handles ([`Table`](super::Table),
/// [`Function`](super::Function), ...) keep the state alive and their
/// values out of reach of the collector.
///
/// ```
/// let lua = lunette::Lua::new();
/// let n: i64 = lua.load("return 6 * 7").eval()?;
/// assert_eq!(n, 42);
/// # Ok::<(), lunette::Error>(())
/// ```
#[derive(Clone)]
pub struct Lua {
    pub(crate) inner: Rc<Inner>,
}

/// Resets `busy` when an access ends (also on unwinding).
struct BusyGuard<'a>(&'a Cell<bool>);

impl Drop for BusyGuard<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

impl Lua {
    /// A state with the full standard library.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// assert!(lua.load("return io ~= nil").eval::<bool>()?);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn new() -> Lua {
        let mut vm = Vm::new();
        crate::stdlib::open_libs(&mut vm);
        Lua::from_vm(vm)
    }

    /// A state with no library opened at all.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new_empty();
    /// assert!(lua.load("return print == nil").eval::<bool>()?);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn new_empty() -> Lua {
        Lua::from_vm(Vm::new())
    }

    /// Wraps a `Vm` (libraries opened or not) into the API.
    pub(crate) fn from_vm(mut vm: Vm) -> Lua {
        let refs = vm.host_refs;
        let xp = vm.new_native("xpcall", crate::stdlib::base_call::xpcall);
        let h = vm.new_native_with_upvalues("msgh", message_handler, vec![RawValue::Nil]);
        refs.raw_set_int(1, xp);
        refs.raw_set_int(2, h);
        let interrupt = vm.interrupt_handle();
        Lua {
            inner: Rc::new(Inner {
                vm: UnsafeCell::new(vm),
                active: Cell::new(std::ptr::null_mut()),
                busy: Cell::new(false),
                refs,
                free_slots: RefCell::new(Vec::new()),
                next_slot: Cell::new(3),
                host_depth: Cell::new(0),
                xpcall_slot: Cell::new(1),
                handler_slot: Cell::new(2),
                ud_metas: RefCell::new(HashMap::new()),
                limits: Cell::new(Limits::default()),
                text_only: Cell::new(false),
                interrupt,
            }),
        }
    }

    /// Runs `f` with the `Vm`. Fails (instead of aliasing it) when the state
    /// is already in use by an outer API call — e.g. from a `Drop` of a
    /// user data value run by the collector.
    pub(crate) fn with_vm<R>(&self, f: impl FnOnce(&mut Vm) -> R) -> Result<R> {
        let inner = &*self.inner;
        if inner.busy.get() {
            return Err(Error::new(
                ErrorKind::External,
                "the Lua state is in use (re-entered outside a host function)",
            ));
        }
        inner.busy.set(true);
        let _guard = BusyGuard(&inner.busy);
        let p = inner.active.get();
        let p = if p.is_null() { inner.vm.get() } else { p };
        // SAFETY: `busy` guarantees no other `&mut Vm` obtained here is in
        // use. `p` is either the state's own cell (no host function running)
        // or the `&mut Vm` the interpreter lent to the running host function,
        // which does not touch it until the callback returns (see
        // `function.rs`), so this is a reborrow of that reference.
        Ok(f(unsafe { &mut *p }))
    }

    /// Publishes `vm` (lent by the interpreter to a host function) for the
    /// duration of `f`; returns `f`'s result.
    pub(crate) fn lend_vm<R>(&self, vm: &mut Vm, f: impl FnOnce() -> R) -> R {
        let inner = &*self.inner;
        let prev_active = inner.active.replace(vm as *mut Vm);
        let prev_busy = inner.busy.replace(false);
        struct Restore<'a>(&'a Inner, *mut Vm, bool);
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                self.0.active.set(self.1);
                self.0.busy.set(self.2);
            }
        }
        let _restore = Restore(inner, prev_active, prev_busy);
        f()
    }

    /// A weak reference to the state (held by host functions).
    pub(crate) fn downgrade(&self) -> Weak<Inner> {
        Rc::downgrade(&self.inner)
    }

    // ---- host references -------------------------------------------------

    /// Stores `v` in a new host slot (a GC root) and returns the slot.
    pub(crate) fn new_slot(&self, v: RawValue) -> i64 {
        let inner = &*self.inner;
        let slot = match inner.free_slots.borrow_mut().pop() {
            Some(s) => s,
            None => {
                let s = inner.next_slot.get();
                inner.next_slot.set(s + 1);
                s
            }
        };
        inner.refs.raw_set_int(slot, v);
        slot
    }

    /// The value in host slot `slot`.
    pub(crate) fn slot_value(&self, slot: i64) -> RawValue {
        self.inner.refs.raw_get_int(slot)
    }

    /// Frees host slot `slot`.
    pub(crate) fn release_slot(&self, slot: i64) {
        self.inner.refs.raw_set_int(slot, RawValue::Nil);
        if let Ok(mut free) = self.inner.free_slots.try_borrow_mut() {
            free.push(slot);
        }
    }

    /// Whether `other` is this state.
    pub(crate) fn same_state(&self, other: &Lua) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }

    // ---- conversions -----------------------------------------------------

    /// An API value for raw value `v` (handles take a host slot).
    pub(crate) fn raw_to_api(&self, v: RawValue) -> Value {
        use super::handle::Ref;
        match v {
            RawValue::Nil => Value::Nil,
            RawValue::Bool(b) => Value::Boolean(b),
            RawValue::Int(i) => Value::Integer(i),
            RawValue::Float(f) => Value::Number(f),
            RawValue::Str(s) => Value::String(LuaString::from(s.as_bytes())),
            RawValue::Table(_) => Value::Table(super::Table(Ref::new(self, v))),
            RawValue::LuaFn(_) | RawValue::Native(_) => {
                Value::Function(super::Function(Ref::new(self, v)))
            }
            RawValue::UserData(_) => Value::UserData(super::AnyUserData(Ref::new(self, v))),
            RawValue::Thread(_) => Value::Thread(super::Thread(Ref::new(self, v))),
            RawValue::LightUserData(p) => Value::LightUserData(p),
        }
    }

    /// The raw value of API value `v` (strings are allocated). Fails for a
    /// handle of another state.
    pub(crate) fn to_raw(&self, vm: &mut Vm, v: &Value) -> Result<RawValue> {
        Ok(match v {
            Value::Nil => RawValue::Nil,
            Value::Boolean(b) => RawValue::Bool(*b),
            Value::Integer(i) => RawValue::Int(*i),
            Value::Number(f) => RawValue::Float(*f),
            Value::String(s) => vm.new_str(s.as_bytes()),
            Value::Table(t) => t.0.raw_in(self)?,
            Value::Function(f) => f.0.raw_in(self)?,
            Value::UserData(u) => u.0.raw_in(self)?,
            Value::Thread(t) => t.0.raw_in(self)?,
            Value::LightUserData(p) => RawValue::LightUserData(*p),
        })
    }

    /// Raw values of a list of API values.
    pub(crate) fn to_raw_all(&self, vm: &mut Vm, vs: &[Value]) -> Result<Vec<RawValue>> {
        vs.iter().map(|v| self.to_raw(vm, v)).collect()
    }

    // ---- protected host runs ---------------------------------------------

    /// Runs `op` as a host entry: the outermost entry starts a fresh budget;
    /// on error everything `op` pushed is unwound and the error converted.
    pub(crate) fn protect<R>(
        &self,
        vm: &mut Vm,
        op: impl FnOnce(&Lua, &mut Vm) -> LuaResult<R>,
    ) -> Result<R> {
        let inner = &*self.inner;
        let outer = inner.host_depth.get() == 0;
        if outer {
            vm.begin_host_run();
        }
        inner.host_depth.set(inner.host_depth.get() + 1);
        let depth = vm.frames.len();
        let level = vm.stack.len();
        let ccalls = vm.n_ccalls;
        let protected = vm.n_protected;
        let stack_limit = vm.stack_limit;
        let r = op(self, vm);
        inner.host_depth.set(inner.host_depth.get() - 1);
        let e = match r {
            Ok(v) => match vm.stop_reason() {
                None => return Ok(v),
                // a stop that something caught: it still ends the run
                Some(reason) => LuaError::new(vm.new_str(reason.message().as_bytes())),
            },
            Err(e) => e,
        };
        vm.yield_request = None;
        let e = vm.unwind(depth, level, e);
        vm.frames.truncate(depth);
        vm.n_ccalls = ccalls;
        vm.n_protected = protected;
        vm.stack_limit = stack_limit;
        Err(self.error_from_lua(vm, e))
    }

    /// Converts a Lua error reaching the host into an [`Error`].
    pub(crate) fn error_from_lua(&self, vm: &mut Vm, e: LuaError) -> Error {
        let message = match e.value {
            RawValue::Str(s) => s.to_str_lossy().into_owned(),
            v @ (RawValue::Int(_) | RawValue::Float(_)) => {
                let s = vm.number_to_str(v);
                s.to_str_lossy().into_owned()
            }
            v => format!("(error object is a {} value)", v.type_name()),
        };
        let kind = match vm.stop_reason() {
            Some(StopReason::InstructionLimit) => ErrorKind::InstructionLimit,
            Some(StopReason::Interrupted) => ErrorKind::Interrupted,
            None if vm.is_memory_error(e.value) || message == "not enough memory" => {
                ErrorKind::Memory
            }
            None => ErrorKind::Runtime,
        };
        let err = Error::new(kind, message);
        match e.traceback {
            Some(tb) => err.with_traceback(tb),
            None => err,
        }
    }

    /// Calls raw `f` with `args` through `xpcall` with the API's message
    /// handler, so that an error carries the traceback of where it was
    /// raised. Returns the raw results (temporary roots).
    pub(crate) fn call_traced(
        &self,
        vm: &mut Vm,
        f: RawValue,
        args: &[RawValue],
    ) -> LuaResult<Vec<RawValue>> {
        let xp = self.slot_value(self.inner.xpcall_slot.get());
        let h = self.slot_value(self.inner.handler_slot.get());
        let mut all = Vec::with_capacity(args.len() + 2);
        all.push(f);
        all.push(h);
        all.extend_from_slice(args);
        let mut res = vm.call_function(xp, &all)?;
        if matches!(res.first(), Some(RawValue::Bool(true))) {
            res.remove(0);
            return Ok(res);
        }
        let value = res.get(1).copied().unwrap_or_default();
        let mut err = LuaError::new(value);
        if let RawValue::Native(nc) = h {
            if let Some(RawValue::Str(tb)) = nc.upvalues.first().map(|c| c.get()) {
                err.traceback = Some(tb.to_str_lossy().into_owned());
            }
            if let Some(c) = nc.upvalues.first() {
                c.set(RawValue::Nil);
            }
        }
        Err(err)
    }

    /// Calls API function value `f` with `args` as a host entry; API results.
    pub(crate) fn call_value(&self, f: &Value, args: Vec<Value>) -> Result<Vec<Value>> {
        self.with_vm(|vm| {
            let f = self.to_raw(vm, f)?;
            let args = self.to_raw_all(vm, &args)?;
            let res = self.protect(vm, |lua, vm| lua.call_traced(vm, f, &args))?;
            Ok(res.into_iter().map(|v| self.raw_to_api(v)).collect())
        })?
    }

    // ---- public API ------------------------------------------------------

    /// The global table.
    ///
    /// ```
    /// let lua = lunette::Lua::new();
    /// lua.globals().set("answer", 42)?;
    /// assert_eq!(lua.load("return answer").eval::<i64>()?, 42);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn globals(&self) -> super::Table {
        let g = self
            .with_vm(|vm| RawValue::Table(vm.globals))
            .unwrap_or_default();
        super::Table(super::handle::Ref::new(self, g))
    }

    /// A new empty table.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t = lua.create_table()?;
    /// t.set(1, "one")?;
    /// assert_eq!(t.len()?, 1);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn create_table(&self) -> Result<super::Table> {
        let t = self.with_vm(|vm| RawValue::Table(vm.new_table(0, 0)))?;
        Ok(super::Table(super::handle::Ref::new(self, t)))
    }

    /// A Lua string with these bytes (any bytes, not only UTF-8).
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let s = lua.create_string(b"\xff\x00");
    /// assert_eq!(s.as_bytes(), b"\xff\x00");
    /// ```
    pub fn create_string(&self, bytes: impl AsRef<[u8]>) -> LuaString {
        LuaString::from(bytes.as_ref())
    }

    /// Sets the limits of this state (see [`Limits`]); they apply from the
    /// next host entry (`exec`, `eval`, `call`, ...).
    ///
    /// ```
    /// use lunette::{ErrorKind, Limits, Lua};
    /// let lua = Lua::new();
    /// lua.set_limits(Limits { instructions: Some(10_000), ..Limits::default() });
    /// let e = lua.load("while true do end").exec().unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::InstructionLimit);
    /// ```
    pub fn set_limits(&self, limits: Limits) {
        self.inner.limits.set(limits);
        let _ = self.with_vm(|vm| {
            vm.set_instruction_limit(limits.instructions);
            vm.set_call_depth_limit(limits.call_depth);
            super::limits::apply_memory_limit(vm, limits.memory);
        });
    }

    /// The limits set with [`Lua::set_limits`].
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// assert_eq!(lua.limits(), lunette::Limits::default());
    /// ```
    pub fn limits(&self) -> Limits {
        self.inner.limits.get()
    }

    /// A handle that stops the running script from another thread: the
    /// script raises an uncatchable error at its next check (a loop
    /// iteration, a call, or a builtin's work step).
    ///
    /// ```
    /// use lunette::{ErrorKind, Lua};
    /// let lua = Lua::new();
    /// let h = lua.interrupt_handle();
    /// let t = std::thread::spawn(move || {
    ///     std::thread::sleep(std::time::Duration::from_millis(20));
    ///     h.interrupt();
    /// });
    /// let e = lua.load("while true do end").exec().unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::Interrupted);
    /// t.join().unwrap();
    /// ```
    pub fn interrupt_handle(&self) -> crate::vm::limits::InterruptHandle {
        self.inner.interrupt.clone()
    }

    /// Runs a full garbage collection.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// lua.gc_collect()?;
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn gc_collect(&self) -> Result<()> {
        self.with_vm(|vm| {
            if vm.frames.is_empty() {
                vm.heap.clear_temp_roots();
            }
            vm.collect_garbage()
        })
    }

    /// Bytes currently held by the state's heap (approximate).
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// assert!(lua.used_memory() > 0);
    /// ```
    pub fn used_memory(&self) -> usize {
        self.with_vm(|vm| vm.heap.bytes).unwrap_or(0)
    }
}

impl Default for Lua {
    fn default() -> Self {
        Lua::new()
    }
}

impl std::fmt::Debug for Lua {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lua")
    }
}

/// The message handler of host calls: records the traceback of the error
/// (upvalue 1) and returns the error unchanged.
fn message_handler(vm: &mut Vm, args: crate::vm::Args) -> LuaResult<usize> {
    let err = vm.arg(args, 1);
    let tb = crate::stdlib::debug::traceback_text(vm, 1);
    let tb = vm.new_string(tb.into_bytes());
    vm.set_current_native_upvalue(0, tb);
    vm.push(err);
    Ok(1)
}
