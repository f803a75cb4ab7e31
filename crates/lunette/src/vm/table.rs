//! Lua tables: an array part and a hash part.
//!
//! PLACEHOLDER implementation (linear hash part) so the pipeline runs; the
//! real array+hash table replaces it. The public API below is the contract.

use super::value::Value;
use crate::gc::{Gc, GcAny, GcObject};
use std::cell::{Cell, RefCell};

/// Why a raw set failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableError {
    /// The key is nil (`index is nil`).
    NilKey,
    /// The key is NaN (`index is NaN`).
    NanKey,
}

/// A Lua table.
pub struct Table {
    array: RefCell<Vec<Value>>,
    hash: RefCell<Vec<(Value, Value)>>,
    metatable: Cell<Option<Gc<Table>>>,
}

/// Normalises a key: floats with an integer value become integers.
fn normalize(key: Value) -> Value {
    if let Value::Float(f) = key {
        if let Some(i) = crate::number::float_to_int_exact(f) {
            return Value::Int(i);
        }
    }
    key
}

impl Table {
    /// A new table with room for `narr` array items and `nhash` hash items.
    pub fn new(narr: usize, nhash: usize) -> Table {
        Table {
            array: RefCell::new(Vec::with_capacity(narr)),
            hash: RefCell::new(Vec::with_capacity(nhash)),
            metatable: Cell::new(None),
        }
    }

    /// `t[key]` without metamethods.
    pub fn raw_get(&self, key: Value) -> Value {
        let key = normalize(key);
        if let Value::Int(i) = key {
            return self.raw_get_int(i);
        }
        self.hash
            .borrow()
            .iter()
            .find(|(k, _)| k.raw_eq(&key))
            .map(|(_, v)| *v)
            .unwrap_or(Value::Nil)
    }

    /// `t[i]` without metamethods.
    pub fn raw_get_int(&self, i: i64) -> Value {
        let a = self.array.borrow();
        if i >= 1 && (i as u64) <= a.len() as u64 {
            return a[(i - 1) as usize];
        }
        drop(a);
        self.hash
            .borrow()
            .iter()
            .find(|(k, _)| matches!(k, Value::Int(j) if *j == i))
            .map(|(_, v)| *v)
            .unwrap_or(Value::Nil)
    }

    /// `t[s]` for a string key without metamethods.
    pub fn raw_get_str(&self, key: Value) -> Value {
        self.raw_get(key)
    }

    /// `t[key] = val` without metamethods.
    pub fn raw_set(&self, key: Value, val: Value) -> Result<(), TableError> {
        let key = normalize(key);
        match key {
            Value::Nil => return Err(TableError::NilKey),
            Value::Float(f) if f.is_nan() => return Err(TableError::NanKey),
            Value::Int(i) => {
                self.raw_set_int(i, val);
                return Ok(());
            }
            _ => {}
        }
        let mut h = self.hash.borrow_mut();
        if let Some(e) = h.iter_mut().find(|(k, _)| k.raw_eq(&key)) {
            e.1 = val;
        } else if !val.is_nil() {
            h.push((key, val));
        }
        Ok(())
    }

    /// `t[i] = val` without metamethods.
    pub fn raw_set_int(&self, i: i64, val: Value) {
        let mut a = self.array.borrow_mut();
        if i >= 1 && (i as u64) <= a.len() as u64 {
            a[(i - 1) as usize] = val;
            return;
        }
        if i == a.len() as i64 + 1 && !val.is_nil() {
            a.push(val);
            // migrate following keys from the hash part
            let mut h = self.hash.borrow_mut();
            loop {
                let next = a.len() as i64 + 1;
                match h
                    .iter()
                    .position(|(k, _)| matches!(k, Value::Int(j) if *j == next))
                {
                    Some(p) => {
                        let (_, v) = h.remove(p);
                        a.push(v);
                    }
                    None => break,
                }
            }
            return;
        }
        drop(a);
        let mut h = self.hash.borrow_mut();
        if let Some(e) = h
            .iter_mut()
            .find(|(k, _)| matches!(k, Value::Int(j) if *j == i))
        {
            e.1 = val;
        } else if !val.is_nil() {
            h.push((Value::Int(i), val));
        }
    }

    /// A border of the table (`#t` without `__len`).
    pub fn len(&self) -> i64 {
        let a = self.array.borrow();
        let mut n = a.len();
        while n > 0 && a[n - 1].is_nil() {
            n -= 1;
        }
        if n == a.len() && n > 0 || a.is_empty() {
            drop(a);
            let mut j = n as i64;
            while !self.raw_get_int(j + 1).is_nil() {
                j += 1;
            }
            return j;
        }
        n as i64
    }

    /// Whether the table has no entries at all (array or hash).
    pub fn is_empty(&self) -> bool {
        self.array.borrow().iter().all(|v| v.is_nil())
            && self.hash.borrow().iter().all(|(_, v)| v.is_nil())
    }

    /// The entry after `key` in traversal order (`next`); `Ok(None)` at the
    /// end; `Err(())` when `key` is not in the table.
    #[allow(clippy::result_unit_err)]
    pub fn next(&self, key: Value) -> Result<Option<(Value, Value)>, ()> {
        let key = normalize(key);
        let a = self.array.borrow();
        let h = self.hash.borrow();
        let mut start_hash = 0;
        match key {
            Value::Nil => {
                for (i, v) in a.iter().enumerate() {
                    if !v.is_nil() {
                        return Ok(Some((Value::Int(i as i64 + 1), *v)));
                    }
                }
            }
            Value::Int(i) if i >= 1 && (i as u64) <= a.len() as u64 => {
                for (j, v) in a.iter().enumerate().skip(i as usize) {
                    if !v.is_nil() {
                        return Ok(Some((Value::Int(j as i64 + 1), *v)));
                    }
                }
            }
            _ => match h.iter().position(|(k, _)| k.raw_eq(&key)) {
                Some(p) => start_hash = p + 1,
                None => return Err(()),
            },
        }
        for (k, v) in h.iter().skip(start_hash) {
            if !v.is_nil() {
                return Ok(Some((*k, *v)));
            }
        }
        Ok(None)
    }

    /// The metatable.
    #[inline]
    pub fn metatable(&self) -> Option<Gc<Table>> {
        self.metatable.get()
    }

    /// Replaces the metatable.
    pub fn set_metatable(&self, mt: Option<Gc<Table>>) {
        self.metatable.set(mt);
    }

    /// Every (key, value) pair currently stored (for the collector and tools).
    pub fn entries(&self) -> Vec<(Value, Value)> {
        let mut out = Vec::new();
        let mut k = Value::Nil;
        while let Ok(Some((nk, v))) = self.next(k) {
            out.push((nk, v));
            k = nk;
        }
        out
    }
}

impl GcObject for Table {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::Table(g)
    }
}
