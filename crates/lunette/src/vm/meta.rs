//! Metatables and the semantics of operators on any values: indexing with
//! `__index`/`__newindex` chains, equality, length, `tostring`, type names.
//! Arithmetic lives in `arith.rs`, ordering in `compare.rs`, concatenation
//! in `concat.rs`, variable names for messages in `debuginfo.rs`. The
//! interpreter's fast paths handle the common cases inline and call these
//! on the slow path.

use super::error::{LuaError, LuaResult};
use super::state::Vm;
use super::table::{Table, TableError};
use super::value::Value;
use crate::bytecode::TagMethod;
use crate::gc::Gc;

/// Longest `__index`/`__newindex` chain followed before giving up.
pub const MAX_TAG_LOOP: usize = 2000;

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
    #[inline]
    pub fn metamethod(&mut self, v: Value, tm: TagMethod) -> Value {
        match self.get_metatable(v) {
            Some(mt) => mt.tag_method_str(tm, self.tm_name(tm)),
            None => Value::Nil,
        }
    }

    /// The type name for messages, honouring a string `__name` in the
    /// metatable of tables and full userdata (`luaT_objtypename`).
    pub fn type_name_meta(&mut self, v: Value) -> String {
        let mt = match v {
            Value::Table(t) => t.metatable(),
            Value::UserData(u) => u.metatable.get(),
            _ => None,
        };
        if let Some(mt) = mt {
            if let Value::Str(s) = mt.raw_get_bytes(b"__name") {
                return s.to_str_lossy().into_owned();
            }
        }
        v.type_name().to_string()
    }

    /// The type name `bad argument` messages use (`luaL_typeerror`): a
    /// string `__name` from any value's metatable, `light userdata` for
    /// light userdata, else the basic type name.
    pub fn arg_type_name(&mut self, v: Value) -> String {
        if let Some(mt) = self.get_metatable(v) {
            if let Value::Str(s) = mt.raw_get_bytes(b"__name") {
                return s.to_str_lossy().into_owned();
            }
        }
        match v {
            Value::LightUserData(_) => "light userdata".to_string(),
            other => other.type_name().to_string(),
        }
    }

    /// Calls metamethod `f` with `args` and returns its first result.
    pub(crate) fn call_meta1(&mut self, f: Value, args: &[Value]) -> LuaResult<Value> {
        self.call_function_1(f, args)
    }

    /// `obj[key]` with `__index`.
    pub fn index(&mut self, obj: Value, key: Value) -> LuaResult<Value> {
        let mut cur = obj;
        for step in 0..MAX_TAG_LOOP {
            let tm = if let Value::Table(t) = cur {
                let v = t.raw_get(key);
                if !v.is_nil() {
                    return Ok(v);
                }
                match t.metatable() {
                    None => return Ok(Value::Nil),
                    Some(mt) => {
                        let tm =
                            mt.tag_method_str(TagMethod::Index, self.tm_name(TagMethod::Index));
                        if tm.is_nil() {
                            return Ok(Value::Nil);
                        }
                        tm
                    }
                }
            } else {
                let tm = self.metamethod(cur, TagMethod::Index);
                if tm.is_nil() {
                    let operand = if step == 0 { Some(0) } else { None };
                    return Err(self.index_error(cur, key, operand));
                }
                tm
            };
            if matches!(tm, Value::LuaFn(_) | Value::Native(_)) {
                return self.call_meta1(tm, &[cur, key]);
            }
            cur = tm;
        }
        Err(self.error_at_level("'__index' chain too long; possible loop", 0))
    }

    /// The error for indexing a value that cannot be indexed.
    fn index_error(&mut self, v: Value, key: Value, operand: Option<u8>) -> LuaError {
        let _ = key;
        self.type_error(v, "index", operand)
    }

    /// `obj[key] = val` with `__newindex`.
    pub fn set_index(&mut self, obj: Value, key: Value, val: Value) -> LuaResult<()> {
        let mut cur = obj;
        for step in 0..MAX_TAG_LOOP {
            let tm = if let Value::Table(t) = cur {
                let tm = match t.metatable() {
                    None => Value::Nil,
                    Some(mt) => {
                        let tm = mt
                            .tag_method_str(TagMethod::NewIndex, self.tm_name(TagMethod::NewIndex));
                        if !tm.is_nil() && !t.raw_get(key).is_nil() {
                            Value::Nil
                        } else {
                            tm
                        }
                    }
                };
                if tm.is_nil() {
                    return self.raw_set_checked(t, key, val);
                }
                tm
            } else {
                let tm = self.metamethod(cur, TagMethod::NewIndex);
                if tm.is_nil() {
                    let operand = if step == 0 { Some(0) } else { None };
                    return Err(self.index_error(cur, key, operand));
                }
                tm
            };
            if matches!(tm, Value::LuaFn(_) | Value::Native(_)) {
                self.call_function(tm, &[cur, key, val])?;
                return Ok(());
            }
            cur = tm;
        }
        Err(self.error_at_level("'__newindex' chain too long; possible loop", 0))
    }

    /// `t[key] = val` raw, turning a bad key into Lua's error
    /// (`table index is nil` / `table index is NaN`).
    pub fn raw_set_checked(&mut self, t: Gc<Table>, key: Value, val: Value) -> LuaResult<()> {
        match t.raw_set(key, val) {
            Ok(()) => Ok(()),
            Err(TableError::NilKey) => Err(self.error_at_level("table index is nil", 0)),
            Err(TableError::NanKey) => Err(self.error_at_level("table index is NaN", 0)),
            Err(TableError::NoMemory) => Err(self.memory_error()),
        }
    }

    /// `a == b` with `__eq` (tried only for two tables or two full userdata
    /// that are not primitively equal; first operand's metamethod first).
    pub fn equals(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        if a.raw_eq(&b) {
            return Ok(true);
        }
        match (a, b) {
            (Value::Table(_), Value::Table(_)) | (Value::UserData(_), Value::UserData(_)) => {
                let mut tm = self.metamethod(a, TagMethod::Eq);
                if tm.is_nil() {
                    tm = self.metamethod(b, TagMethod::Eq);
                }
                if tm.is_nil() {
                    return Ok(false);
                }
                Ok(self.call_meta1(tm, &[a, b])?.truthy())
            }
            _ => Ok(false),
        }
    }

    /// `#v` with `__len`.
    pub fn len(&mut self, v: Value) -> LuaResult<Value> {
        match v {
            Value::Str(s) => Ok(Value::Int(s.len() as i64)),
            Value::Table(t) => {
                if let Some(mt) = t.metatable() {
                    let tm = mt.tag_method_str(TagMethod::Len, self.tm_name(TagMethod::Len));
                    if !tm.is_nil() {
                        return self.call_meta1(tm, &[v, v]);
                    }
                }
                Ok(Value::Int(t.len()))
            }
            _ => {
                let tm = self.metamethod(v, TagMethod::Len);
                if tm.is_nil() {
                    return Err(self.type_error(v, "get length of", Some(0)));
                }
                self.call_meta1(tm, &[v, v])
            }
        }
    }

    /// `tostring(v)`: `__tostring` (which must return a string or a
    /// number), `__name`, numbers, `table: 0x...`.
    pub fn tostring(&mut self, v: Value) -> LuaResult<Value> {
        let mt = self.get_metatable(v);
        if let Some(mt) = mt {
            let tm = mt.raw_get_bytes(b"__tostring");
            if !tm.is_nil() {
                let r = self.call_meta1(tm, &[v])?;
                return match r {
                    Value::Str(_) => Ok(r),
                    Value::Int(_) | Value::Float(_) => Ok(Value::Str(self.number_to_str(r))),
                    _ => Err(self.native_error("'__tostring' must return a string")),
                };
            }
        }
        let text = match v {
            Value::Str(_) => return Ok(v),
            Value::Int(_) | Value::Float(_) => return Ok(Value::Str(self.number_to_str(v))),
            Value::Nil => "nil".to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                let kind = match mt.map(|m| m.raw_get_bytes(b"__name")) {
                    Some(Value::Str(s)) => s.to_str_lossy().into_owned(),
                    _ => v.type_name().to_string(),
                };
                format!("{kind}: {:#x}", v.addr())
            }
        };
        Ok(self.new_string(text.into_bytes()))
    }

    /// `attempt to <op> a <type> value<varinfo>`. `operand` says which
    /// operand of the current instruction `v` is (0 first, 1 second; for
    /// `concat` the index in its value list), or `None` when `v` is not an
    /// instruction operand (no varinfo then).
    ///
    /// For `op == "call"` the callee is named from the calling instruction
    /// first (`for iterator`, `metamethod 'add'`, `global 'f'`), as Lua does.
    pub fn type_error(&mut self, v: Value, op: &str, operand: Option<u8>) -> LuaError {
        if op == "call" && operand.is_some() {
            return self.call_type_error(v);
        }
        let t = self.type_name_meta(v);
        let info = self.varinfo(operand);
        self.error_at_level(&format!("attempt to {op} a {t} value{info}"), 0)
    }

    /// `attempt to call a <type> value<name>` for the value about to be
    /// called by the current instruction (CALL, TAILCALL, TFORCALL, or a
    /// metamethod call), with the callee named as Lua names it.
    pub fn call_type_error(&mut self, f: Value) -> LuaError {
        let t = self.type_name_meta(f);
        let named = self
            .current_lua_frame()
            .and_then(|(cl, pc, _)| super::debuginfo::call_site_name(&cl.proto.proto, pc));
        let info = match named {
            Some((kind, name)) => format!(" ({kind} '{name}')"),
            None => self.varinfo(Some(0)),
        };
        self.error_at_level(&format!("attempt to call a {t} value{info}"), 0)
    }
}

#[cfg(test)]
#[path = "semantics_tests.rs"]
mod tests;
