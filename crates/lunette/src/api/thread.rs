//! [`Thread`]: a host handle to a coroutine.

use super::error::{Error, ErrorKind, Result};
use super::handle::Ref;
use super::multi::{FromLuaMulti, IntoLuaMulti};
use super::value::MultiValue;
use crate::vm::LuaError;

/// A coroutine held by the host.
///
/// ```
/// let lua = lunette::Lua::new();
/// let co: lunette::Thread = lua.load("return coroutine.create(function(a) coroutine.yield(a + 1) end)").eval()?;
/// assert_eq!(co.resume::<i64>(1)?, 2);
/// assert_eq!(co.status(), "suspended");
/// # Ok::<(), lunette::Error>(())
/// ```
#[derive(Clone)]
pub struct Thread(pub(crate) Ref);

impl Thread {
    /// Resumes the coroutine with `args` (as `coroutine.resume`): the values
    /// it yields or returns, or its error.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let co: lunette::Thread = lua.load("return coroutine.create(function() error('no') end)").eval()?;
    /// assert!(co.resume::<()>(()).is_err());
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn resume<R: FromLuaMulti>(&self, args: impl IntoLuaMulti) -> Result<R> {
        let lua = &self.0.lua;
        let args = args.into_lua_multi(lua)?;
        let crate::vm::Value::Thread(co) = self.0.raw() else {
            return Err(Error::new(ErrorKind::External, "not a thread"));
        };
        let res = lua.with_vm(|vm| {
            let args = lua.to_raw_all(vm, &args)?;
            let r = lua.protect(vm, |_, vm| match vm.resume(co, &args) {
                Ok(vals) => Ok(Ok(vals)),
                // a host limit stop is not the coroutine's error
                Err(e) if vm.limits.uncatchable() => Err(LuaError::new(e)),
                Err(e) => Ok(Err(e)),
            })?;
            Ok::<_, Error>(match r {
                Ok(vals) => Ok(vals.into_iter().map(|v| lua.raw_to_api(v)).collect()),
                Err(e) => Err(lua.error_from_lua(vm, LuaError::new(e))),
            })
        })???;
        R::from_lua_multi(MultiValue(res), lua)
    }

    /// `coroutine.status`: `"suspended"`, `"running"`, `"normal"` or `"dead"`.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let co: lunette::Thread = lua.load("return coroutine.create(print)").eval()?;
    /// assert_eq!(co.status(), "suspended");
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn status(&self) -> &'static str {
        match self.0.raw() {
            crate::vm::Value::Thread(t) => t.status.get().name(),
            _ => "dead",
        }
    }
}

impl std::fmt::Debug for Thread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Thread({:#x})", self.0.addr())
    }
}

impl PartialEq for Thread {
    fn eq(&self, other: &Thread) -> bool {
        self.0.same(&other.0)
    }
}
