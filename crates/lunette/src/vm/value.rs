//! The Lua value: 16 bytes, `Copy`, tagged.

use super::function::{LuaClosure, NativeClosure};
use super::string::LuaStr;
use super::table::Table;
use super::thread::Thread;
use super::userdata::UserData;
use crate::gc::Gc;

/// A Lua value. Integers and floats are distinct subtypes of number.
/// Heap objects are `Gc` handles, so copying a value never allocates.
#[derive(Clone, Copy, Debug, Default)]
pub enum Value {
    /// `nil`
    #[default]
    Nil,
    /// A boolean.
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A double.
    Float(f64),
    /// A byte string.
    Str(Gc<LuaStr>),
    /// A table.
    Table(Gc<Table>),
    /// A Lua function (closure).
    LuaFn(Gc<LuaClosure>),
    /// A Rust function.
    Native(Gc<NativeClosure>),
    /// A full userdata.
    UserData(Gc<UserData>),
    /// A coroutine.
    Thread(Gc<Thread>),
    /// A light userdata (an opaque pointer-sized number).
    LightUserData(usize),
}

/// The basic types, in Lua's order (as `type` names them).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LuaType {
    /// `nil`
    Nil,
    /// `boolean`
    Boolean,
    /// `userdata` (light)
    LightUserData,
    /// `number`
    Number,
    /// `string`
    String,
    /// `table`
    Table,
    /// `function`
    Function,
    /// `userdata` (full)
    UserData,
    /// `thread`
    Thread,
}

impl LuaType {
    /// The name `type()` returns.
    pub fn name(self) -> &'static str {
        match self {
            LuaType::Nil => "nil",
            LuaType::Boolean => "boolean",
            LuaType::LightUserData | LuaType::UserData => "userdata",
            LuaType::Number => "number",
            LuaType::String => "string",
            LuaType::Table => "table",
            LuaType::Function => "function",
            LuaType::Thread => "thread",
        }
    }
}

impl Value {
    /// The value's basic type.
    #[inline]
    pub fn lua_type(&self) -> LuaType {
        match self {
            Value::Nil => LuaType::Nil,
            Value::Bool(_) => LuaType::Boolean,
            Value::Int(_) | Value::Float(_) => LuaType::Number,
            Value::Str(_) => LuaType::String,
            Value::Table(_) => LuaType::Table,
            Value::LuaFn(_) | Value::Native(_) => LuaType::Function,
            Value::UserData(_) => LuaType::UserData,
            Value::Thread(_) => LuaType::Thread,
            Value::LightUserData(_) => LuaType::LightUserData,
        }
    }

    /// The name `type()` returns.
    #[inline]
    pub fn type_name(&self) -> &'static str {
        self.lua_type().name()
    }

    /// Lua truthiness: everything but `nil` and `false`.
    #[inline(always)]
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    /// Whether the value is `nil`.
    #[inline(always)]
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Primitive equality (`rawequal`): no metamethods; `1 == 1.0`.
    pub fn raw_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                crate::number::int_eq_float(*a, *b)
            }
            (Value::Str(a), Value::Str(b)) => LuaStr::same(*a, *b),
            (Value::Table(a), Value::Table(b)) => Gc::ptr_eq(*a, *b),
            (Value::LuaFn(a), Value::LuaFn(b)) => Gc::ptr_eq(*a, *b),
            (Value::Native(a), Value::Native(b)) => Gc::ptr_eq(*a, *b),
            (Value::UserData(a), Value::UserData(b)) => Gc::ptr_eq(*a, *b),
            (Value::Thread(a), Value::Thread(b)) => Gc::ptr_eq(*a, *b),
            (Value::LightUserData(a), Value::LightUserData(b)) => a == b,
            _ => false,
        }
    }

    /// The string bytes, if the value is a string.
    #[inline]
    pub fn as_str(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    /// The table handle, if the value is a table.
    #[inline]
    pub fn as_table(&self) -> Option<Gc<Table>> {
        match self {
            Value::Table(t) => Some(*t),
            _ => None,
        }
    }

    /// The address of a heap object (for `%p` and `tostring`), 0 for non-objects.
    pub fn addr(&self) -> usize {
        match self {
            Value::Str(g) => g.addr(),
            Value::Table(g) => g.addr(),
            Value::LuaFn(g) => g.addr(),
            Value::Native(g) => g.addr(),
            Value::UserData(g) => g.addr(),
            Value::Thread(g) => g.addr(),
            Value::LightUserData(p) => *p,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_is_16_bytes() {
        assert_eq!(std::mem::size_of::<super::Value>(), 16);
    }
}
