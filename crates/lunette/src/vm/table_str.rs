//! String-key lookups of a table: fields by interned string (with the
//! predicted slot of GETFIELD/SETFIELD/SELF), keys given as bytes, and
//! metamethods by event (`tag_method`, with the absence cache).

use super::Table;
use crate::bytecode::TagMethod;
use crate::gc::Gc;
use crate::vm::string::{hash_bytes, LuaStr};
use crate::vm::table_hash::HashPart;
use crate::vm::table_key::tag_method_hash;
use crate::vm::value::Value;
use std::cell::Cell;

impl Table {
    /// `t[s]` for a string key without metamethods (any other key works
    /// too, through the general path).
    #[inline]
    pub fn raw_get_str(&self, key: Value) -> Value {
        match key {
            Value::Str(s) => self.get_str(s),
            _ => self.raw_get(key),
        }
    }

    /// `t[s]` for a string `s`: short (interned) strings are compared by
    /// pointer only.
    #[inline(never)]
    pub fn get_str(&self, s: Gc<LuaStr>) -> Value {
        let h = &self.parts().hash;
        if h.mask() < 8 && s.is_short() {
            // the common case (an object's fields), kept free of calls
            return match h.find_short_str(s) {
                Some(i) => h.node(i).val,
                None => Value::Nil,
            };
        }
        self.get_str_general(s)
    }

    /// `get_str` for long strings and larger parts.
    #[inline(never)]
    pub(super) fn get_str_general(&self, s: Gc<LuaStr>) -> Value {
        let h = &self.parts().hash;
        let found = find_string(h, s);
        match found {
            Some(i) => h.node(i).val,
            None => Value::Nil,
        }
    }

    /// `t[key]` for a string `key`, checking first the hash-part node at
    /// `slot` (where the same instruction last found its key) and
    /// remembering where it was found otherwise: an object field read by
    /// one instruction usually sits in the same node in every table of
    /// the same shape.
    #[inline(always)]
    pub fn raw_get_str_cached(&self, key: Gc<LuaStr>, slot: &Cell<u32>) -> Value {
        let h = &self.parts().hash;
        let s = slot.get() as usize;
        if s <= h.mask() {
            let n = h.node(s);
            if let Value::Str(k) = n.key {
                if Gc::ptr_eq(k, key) {
                    return n.val;
                }
            }
        }
        self.raw_get_str_probe(key, slot)
    }

    /// `raw_get_str_cached` after a wrong prediction: a hash lookup that
    /// records where the key was found.
    #[inline(never)]
    fn raw_get_str_probe(&self, key: Gc<LuaStr>, slot: &Cell<u32>) -> Value {
        let h = &self.parts().hash;
        let found = find_string(h, key);
        match found {
            Some(i) => {
                slot.set(i as u32);
                h.node(i).val
            }
            None => Value::Nil,
        }
    }

    /// `t[key] = val` for a string `key` that is present, using and
    /// updating the predicted `slot` like `raw_get_str_cached`. A field
    /// holding a value is replaced (`val` may be nil: the field is
    /// cleared); a cleared field (the key left as a tombstone) is assigned
    /// only when no `__newindex` can apply. Returns false (nothing done)
    /// when the key is absent or `__newindex` may apply (the general path).
    #[inline(always)]
    pub fn raw_replace_str_cached(&self, key: Gc<LuaStr>, val: Value, slot: &Cell<u32>) -> bool {
        if self.is_black() {
            return self.raw_replace_str_black(key, val, slot);
        }
        let h = &mut self.parts_mut().hash;
        let s = slot.get() as usize;
        if s < h.size() {
            let n = h.node_mut(s);
            if let Value::Str(k) = n.key {
                if Gc::ptr_eq(k, key) && !n.val.is_nil() {
                    // an existing field: no key is added, so the
                    // metamethod-absence cache stays valid
                    n.val = val;
                    return true;
                }
            }
        }
        self.raw_replace_str_probe(key, val, slot)
    }

    /// `raw_replace_str_cached` on a table the collector may be watching:
    /// the write barrier, then the lookup (out of line, see
    /// `try_set_int_black`).
    #[cold]
    #[inline(never)]
    fn raw_replace_str_black(&self, key: Gc<LuaStr>, val: Value, slot: &Cell<u32>) -> bool {
        // the key too: a cleared field (tombstone) may be revived
        self.barrier(Value::Str(key), val);
        self.raw_replace_str_probe(key, val, slot)
    }

    /// `raw_replace_str_cached` after a wrong prediction, or for a cleared
    /// field.
    #[inline(never)]
    fn raw_replace_str_probe(&self, key: Gc<LuaStr>, val: Value, slot: &Cell<u32>) -> bool {
        let (i, live) = {
            let h = &self.parts().hash;
            let found = find_string(h, key);
            match found {
                Some(i) => (i, !h.node(i).val.is_nil()),
                None => return false,
            }
        };
        if !live {
            // a tombstone: assigning it is raw unless `__newindex` applies
            // (looked up before the parts are borrowed: the metatable may
            // be this table)
            if let Some(mt) = self.metatable() {
                if !mt.tag_method(TagMethod::NewIndex).is_nil() {
                    return false;
                }
            }
            if !val.is_nil() {
                // a field appears: forget cached metamethod absences
                self.tm_absent.set(0);
            }
        }
        slot.set(i as u32);
        self.parts_mut().hash.node_mut(i).val = val;
        true
    }

    /// `t[name]` for a string key given as bytes (no allocation).
    pub fn raw_get_bytes(&self, name: &[u8]) -> Value {
        self.raw_get_bytes_hashed(name, hash_bytes(name) | 1)
    }

    /// `raw_get_bytes` with the string hash of `name` already known.
    #[inline]
    fn raw_get_bytes_hashed(&self, name: &[u8], hash: u64) -> Value {
        let h = &self.parts().hash;
        match h.find_bytes(name, hash) {
            Some(i) => h.node(i).val,
            None => Value::Nil,
        }
    }

    /// The field named after event `tm` (e.g. `__index`) when this table is
    /// used as a metatable; nil when absent. Absence is cached until a
    /// string key is added to the table.
    #[inline]
    pub fn tag_method(&self, tm: TagMethod) -> Value {
        self.event_cached(tm, || {
            let h = &self.parts().hash;
            match h.find_short_name(tm.name().as_bytes(), tag_method_hash(tm)) {
                Some(i) => h.node(i).val,
                None => Value::Nil,
            }
        })
    }

    /// `tag_method` with the event's interned name (`Vm::tm_name`): the
    /// key is found by pointer, as any short-string key is. Absence is
    /// cached the same way.
    #[inline]
    pub fn tag_method_str(&self, tm: TagMethod, name: Gc<LuaStr>) -> Value {
        self.event_cached(tm, || {
            let h = &self.parts().hash;
            match h.find_short_str(name) {
                Some(i) => h.node(i).val,
                None => Value::Nil,
            }
        })
    }

    /// `tag_method_str(TagMethod::Index, name)` with a predicted slot
    /// (`name` must be the interned `"__index"`): a class's metatable
    /// rarely changes, so the prediction almost always holds.
    #[inline(always)]
    pub fn index_method_cached(&self, name: Gc<LuaStr>, slot: &Cell<u32>) -> Value {
        self.event_cached(TagMethod::Index, || self.raw_get_str_cached(name, slot))
    }

    /// The metamethod-absence cache around a lookup of event `tm`'s field:
    /// nil without a lookup when the field is known absent, else `find`'s
    /// value, noting its absence when nil.
    #[inline(always)]
    fn event_cached(&self, tm: TagMethod, find: impl FnOnce() -> Value) -> Value {
        let bit = 1u32 << (tm as u32);
        if self.tm_absent.get() & bit != 0 {
            return Value::Nil;
        }
        let v = find();
        if v.is_nil() {
            self.tm_absent.set(self.tm_absent.get() | bit);
        }
        v
    }
}

/// The node holding string key `s`: short strings are interned, so
/// compared by pointer; long ones by hash and bytes.
#[inline(always)]
fn find_string(h: &HashPart, s: Gc<LuaStr>) -> Option<usize> {
    if s.is_short() {
        h.find_short_str(s)
    } else {
        find_long_string(h, s)
    }
}

/// `find_string` for a long string, out of line: hashing its bytes needs
/// registers the callers' short-string path would otherwise save and
/// restore on every call.
#[inline(never)]
fn find_long_string(h: &HashPart, s: Gc<LuaStr>) -> Option<usize> {
    h.find_str(s)
}
