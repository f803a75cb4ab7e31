//! Metatables and the semantics of operators on any values: indexing with
//! `__index`/`__newindex` chains, arithmetic with coercions and metamethods,
//! comparison, concatenation, length, `tostring`. The interpreter's fast
//! paths handle the common cases inline and call these on the slow path.

use super::error::{LuaError, LuaResult};
use super::state::Vm;
use super::table::Table;
use super::value::Value;
use crate::bytecode::TagMethod;
use crate::gc::Gc;

impl Vm {
    /// The metatable of any value.
    pub fn get_metatable(&self, v: Value) -> Option<Gc<Table>> {
        match v {
            Value::Table(t) => t.metatable(),
            Value::UserData(u) => u.metatable.get(),
            other => self.type_meta(other.lua_type()),
        }
    }

    /// The metamethod `tm` of `v` (nil when absent).
    pub fn metamethod(&mut self, _v: Value, _tm: TagMethod) -> Value {
        todo!("semantics")
    }

    /// The type name for messages, honouring `__name` in the metatable.
    pub fn type_name_meta(&mut self, v: Value) -> String {
        v.type_name().to_string()
    }

    /// `obj[key]` with `__index`.
    pub fn index(&mut self, _obj: Value, _key: Value) -> LuaResult<Value> {
        todo!("semantics")
    }

    /// `obj[key] = val` with `__newindex`.
    pub fn set_index(&mut self, _obj: Value, _key: Value, _val: Value) -> LuaResult<()> {
        todo!("semantics")
    }

    /// Binary arithmetic/bitwise `op` (`TagMethod::Add..=Shr`), or unary
    /// (`Unm`, `BNot`; `b` is then a copy of `a`), with string coercion and
    /// metamethods.
    pub fn arith(&mut self, _op: TagMethod, _a: Value, _b: Value) -> LuaResult<Value> {
        todo!("semantics")
    }

    /// `a == b` with `__eq`.
    pub fn equals(&mut self, _a: Value, _b: Value) -> LuaResult<bool> {
        todo!("semantics")
    }

    /// `a < b` with `__lt`.
    pub fn less_than(&mut self, _a: Value, _b: Value) -> LuaResult<bool> {
        todo!("semantics")
    }

    /// `a <= b` with `__le`.
    pub fn less_equal(&mut self, _a: Value, _b: Value) -> LuaResult<bool> {
        todo!("semantics")
    }

    /// `v[1] .. v[2] .. ...` with `__concat` (right associative).
    pub fn concat(&mut self, _vals: &[Value]) -> LuaResult<Value> {
        todo!("semantics")
    }

    /// `#v` with `__len`.
    pub fn len(&mut self, _v: Value) -> LuaResult<Value> {
        todo!("semantics")
    }

    /// `tostring(v)`: `__tostring`, `__name`, numbers, `table: 0x...`.
    pub fn tostring(&mut self, _v: Value) -> LuaResult<Value> {
        todo!("semantics")
    }

    /// `attempt to <op> a <type> value<varinfo>`. `operand` says which
    /// operand of the current instruction `v` is (0 first, 1 second), or
    /// `None` when `v` is not an instruction operand (no varinfo then).
    pub fn type_error(&mut self, v: Value, op: &str, operand: Option<u8>) -> LuaError {
        let _ = operand;
        let t = self.type_name_meta(v);
        self.error_at_level(&format!("attempt to {op} a {t} value"), 0)
    }
}
