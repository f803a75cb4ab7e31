//! [`Function`]: a host handle to a Lua or host function; host functions
//! (`Lua::create_function`) and the trampoline that runs them.
//!
//! A host function is a native closure whose upvalue is a user data holding
//! the boxed Rust closure and a weak reference to the state. The trampoline
//! converts the arguments, lends the interpreter's `&mut Vm` to the API for
//! the duration of the callback (`Lua::lend_vm`), catches a panic, and
//! turns an `Err` into a Lua error (an uncatchable stop stays one).

use super::error::{Error, ErrorKind, Result};
use super::handle::Ref;
use super::lua::{Inner, Lua};
use super::multi::{FromLuaMulti, IntoLuaMulti};
use super::value::{MultiValue, Value};
use crate::vm::limits::StopReason;
use crate::vm::userdata::UserData as RawUserData;
use crate::vm::{Args, LuaError, LuaResult, Value as RawValue, Vm};
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::{Rc, Weak};

/// A Lua function (or host function) held by the host.
///
/// ```
/// let lua = lunette::Lua::new();
/// let f: lunette::Function = lua.load("return function(a, b) return a .. b end").eval()?;
/// assert_eq!(f.call::<String>(("x", 1))?, "x1");
/// # Ok::<(), lunette::Error>(())
/// ```
#[derive(Clone)]
pub struct Function(pub(crate) Ref);

impl Function {
    /// Calls the function with `args` (one value, a tuple, `()`, a
    /// [`Variadic`](super::Variadic) ...) and converts its results to `R`
    /// (one value, a tuple, [`MultiValue`] ...). A Lua error comes back as
    /// `Err` with its traceback; the state stays usable.
    ///
    /// ```
    /// let lua = lunette::Lua::new();
    /// let f: lunette::Function = lua.load("return function(...) return select('#', ...), ... end").eval()?;
    /// let (n, a, b): (i64, i64, String) = f.call((7, "s"))?;
    /// assert_eq!((n, a, b.as_str()), (2, 7, "s"));
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn call<R: FromLuaMulti>(&self, args: impl IntoLuaMulti) -> Result<R> {
        let lua = &self.0.lua;
        let args = args.into_lua_multi(lua)?;
        let f = Value::Function(self.clone());
        let res = lua.call_value(&f, args.0)?;
        R::from_lua_multi(MultiValue(res), lua)
    }
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Function({:#x})", self.0.addr())
    }
}

impl PartialEq for Function {
    fn eq(&self, other: &Function) -> bool {
        self.0.same(&other.0)
    }
}

/// The boxed callback of a host function.
pub(crate) type Callback = Rc<dyn Fn(&Lua, MultiValue) -> Result<MultiValue>>;

/// What a host function's user data upvalue holds.
struct HostFn {
    callback: Callback,
    owner: Weak<Inner>,
}

impl Lua {
    /// A host function: `f` gets the state and its converted arguments
    /// (`A`: one value, a tuple, [`Variadic`](super::Variadic), ...), and
    /// returns values to Lua or an error (raised in Lua, where `pcall`
    /// catches it). A panic in `f` is caught and becomes a Lua error.
    ///
    /// ```
    /// let lua = lunette::Lua::new();
    /// let add = lua.create_function(|_lua, (a, b): (i64, i64)| Ok(a + b))?;
    /// lua.globals().set("add", add)?;
    /// assert_eq!(lua.load("return add(2, 3)").eval::<i64>()?, 5);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn create_function<A, R, F>(&self, f: F) -> Result<Function>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, A) -> Result<R> + 'static,
    {
        let cb: Callback = Rc::new(move |lua: &Lua, args: MultiValue| {
            let a = A::from_lua_multi(args, lua)?;
            f(lua, a)?.into_lua_multi(lua)
        });
        self.function_from_callback(cb)
    }

    /// Like [`Lua::create_function`] for a closure that mutates its state;
    /// a recursive call of it (through Lua) is a Lua error.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let mut n = 0;
    /// let counter = lua.create_function_mut(move |_, ()| { n += 1; Ok(n) })?;
    /// counter.call::<()>(())?;
    /// assert_eq!(counter.call::<i64>(())?, 2);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn create_function_mut<A, R, F>(&self, f: F) -> Result<Function>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: FnMut(&Lua, A) -> Result<R> + 'static,
    {
        let f = RefCell::new(f);
        self.create_function(move |lua, a: A| match f.try_borrow_mut() {
            Ok(mut f) => f(lua, a),
            Err(_) => Err(Error::new(
                ErrorKind::External,
                "mutable host function called recursively",
            )),
        })
    }

    /// Wraps a boxed callback into a Lua function value.
    pub(crate) fn function_from_callback(&self, callback: Callback) -> Result<Function> {
        let raw = self.with_vm(|vm| self.raw_host_function(vm, callback))?;
        Ok(Function(Ref::new(self, raw)))
    }

    /// The raw native closure running `callback`.
    pub(crate) fn raw_host_function(&self, vm: &mut Vm, callback: Callback) -> RawValue {
        let data = HostFn {
            callback,
            owner: self.downgrade(),
        };
        let ud = vm.heap.alloc(RawUserData {
            data: RefCell::new(Box::new(data)),
            metatable: Cell::new(None),
            user_values: RefCell::new(Vec::new()),
        });
        vm.new_native_with_upvalues("?", trampoline, vec![RawValue::UserData(ud)])
    }
}

/// The native function of every host function.
fn trampoline(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (callback, owner) = {
        let RawValue::UserData(ud) = vm.current_native_upvalue(0) else {
            return Err(vm.native_error("bad host function"));
        };
        let data = ud.data.borrow();
        let Some(h) = data.downcast_ref::<HostFn>() else {
            return Err(vm.native_error("bad host function"));
        };
        (h.callback.clone(), h.owner.clone())
    };
    let Some(inner) = owner.upgrade() else {
        return Err(vm.native_error("host function called after its state was closed"));
    };
    let lua = Lua { inner };
    let argv: MultiValue = (1..=args.len)
        .map(|i| lua.raw_to_api(vm.arg(args, i)))
        .collect();
    let outcome = lua.lend_vm(vm, || {
        catch_unwind(AssertUnwindSafe(|| callback(&lua, argv)))
    });
    let result = match outcome {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "?".to_string());
            Err(Error::new(
                ErrorKind::Panic,
                format!("host function panicked: {what}"),
            ))
        }
    };
    match result {
        Ok(values) => {
            let mut raw = Vec::with_capacity(values.len());
            for v in values.0.iter() {
                match lua.to_raw(vm, v) {
                    Ok(r) => raw.push(r),
                    Err(e) => return Err(host_error(vm, e)),
                }
            }
            let n = raw.len();
            vm.stack.extend_from_slice(&raw);
            Ok(n)
        }
        Err(e) => Err(host_error(vm, e)),
    }
}

/// The Lua error for an error a host function returned.
pub(crate) fn host_error(vm: &mut Vm, e: Error) -> LuaError {
    match e.kind() {
        ErrorKind::InstructionLimit => vm.raise_stop(StopReason::InstructionLimit),
        ErrorKind::Interrupted => vm.raise_stop(StopReason::Interrupted),
        // errors that came from Lua keep their message
        ErrorKind::Runtime | ErrorKind::Syntax | ErrorKind::Memory => {
            LuaError::new(vm.new_str(e.message().as_bytes()))
        }
        _ => match e.arg_position() {
            Some(i) => vm.arg_error(i, e.message()),
            None => vm.native_error(e.message()),
        },
    }
}
