//! Full userdata: host data with a metatable and user values.

use super::table::Table;
use super::value::Value;
use crate::gc::{Gc, GcAny, GcObject};
use std::any::Any;
use std::cell::{Cell, RefCell};

/// A full userdata.
pub struct UserData {
    /// The host data.
    pub data: RefCell<Box<dyn Any>>,
    /// The metatable.
    pub metatable: Cell<Option<Gc<Table>>>,
    /// The user values (`debug.getuservalue` n = 1..).
    pub user_values: RefCell<Vec<Value>>,
}

impl GcObject for UserData {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::UserData(g)
    }
    fn heap_size(&self) -> usize {
        let data = self
            .data
            .try_borrow()
            .map_or(0, |d| std::mem::size_of_val(&**d));
        let uv = self
            .user_values
            .try_borrow()
            .map_or(0, |v| v.capacity() * std::mem::size_of::<Value>());
        data + uv
    }
}
