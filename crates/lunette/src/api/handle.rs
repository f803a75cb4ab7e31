//! `Ref`: a host-held reference to a Lua object — a slot of the state's
//! host reference table (a collector root), freed on drop.

use super::error::{Error, ErrorKind, Result};
use super::lua::Lua;
use crate::vm::Value as RawValue;

/// A reference to a Lua object held by the host.
pub(crate) struct Ref {
    pub(crate) lua: Lua,
    slot: i64,
}

impl Ref {
    /// Roots `v` in a new slot of `lua`.
    pub(crate) fn new(lua: &Lua, v: RawValue) -> Ref {
        Ref {
            lua: lua.clone(),
            slot: lua.new_slot(v),
        }
    }

    /// The referenced raw value.
    pub(crate) fn raw(&self) -> RawValue {
        self.lua.slot_value(self.slot)
    }

    /// The raw value, checking that the reference belongs to `lua`.
    pub(crate) fn raw_in(&self, lua: &Lua) -> Result<RawValue> {
        if !self.lua.same_state(lua) {
            return Err(Error::new(
                ErrorKind::External,
                "a value of another Lua state was passed",
            ));
        }
        Ok(self.raw())
    }

    /// Whether both refer to the same object (raw equality).
    pub(crate) fn same(&self, other: &Ref) -> bool {
        self.lua.same_state(&other.lua) && self.raw().raw_eq(&other.raw())
    }

    /// The object's address (for `Debug`).
    pub(crate) fn addr(&self) -> usize {
        self.raw().addr()
    }
}

impl Clone for Ref {
    fn clone(&self) -> Ref {
        Ref::new(&self.lua, self.raw())
    }
}

impl Drop for Ref {
    fn drop(&mut self) {
        self.lua.release_slot(self.slot);
    }
}
