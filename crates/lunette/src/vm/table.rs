//! Lua tables: an array part for the keys `1..n` and a hash part for every
//! other key.
//!
//! Design:
//! - The array part (`table_array.rs`) holds keys `1..=len` (nil slots
//!   allowed). Setting key `len + 1` appends and then pulls the following
//!   integer keys out of the hash part, so `t[#t+1] = v` loops stay in the
//!   array. When the hash part is full, the array size is recomputed the
//!   way Lua does (the largest `n` such that more than `n/2` of the slots
//!   `1..n` would be in use) and qualifying keys migrate; an array part
//!   that became mostly empty (a queue) shrinks the same way when it would
//!   reallocate (`table_resize.rs`).
//! - The hash part (`table_hash.rs`) is open addressing over 32-byte nodes,
//!   keys inline next to values. Keys are normalised (`2.0` is stored as
//!   `2`). Clearing a field leaves a tombstone so `next` keeps working
//!   while a traversal assigns or clears fields.
//! - Both parts allocate lazily: `{}` allocates nothing beyond the object.
//!   A `Table` is 48 bytes.
//! - Interior mutability without borrow flags: the parts live in an
//!   `UnsafeCell`. Access rule (what makes every `parts`/`parts_mut` call
//!   sound): a reference to the parts never outlives the `Table` method
//!   that took it, no method calls back into Lua or into another method of
//!   the same table while holding one, and `for_each_entry`'s callback must
//!   not touch the table it walks. Tables are not `Sync`.
//! - A metamethod-absence cache (`tm_absent`) lets the VM skip looking up
//!   `__index`, `__newindex`, ... in metatables that lack them; it is reset
//!   whenever a string key is added to the table.
//! - A predicted slot (`raw_get_str_cached`): each GETFIELD/SETFIELD/SELF
//!   instruction remembers the hash-part node where it last found its key;
//!   tables built the same way put a field in the same node. String-key
//!   lookups live in `table_str.rs`, bulk moves in `table_bulk.rs`.

use super::table_array::ArrayPart;
use super::table_hash::HashPart;
use super::table_resize::{
    parts_bytes, pull_from_hash, rehash, rehash_in_place, shrink_sparse_array,
};
use super::value::Value;
use crate::gc::{account_resize, Gc, GcAny, GcObject};
use std::cell::{Cell, UnsafeCell};

/// Why a raw set failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableError {
    /// The key is nil (`table index is nil`).
    NilKey,
    /// The key is NaN (`table index is NaN`).
    NanKey,
    /// A part of the table could not grow (`not enough memory`).
    NoMemory,
}

/// The two parts of a table.
pub(crate) struct Parts {
    /// Keys `1..=len`.
    pub(crate) array: ArrayPart,
    /// Every other key.
    pub(crate) hash: HashPart,
}

/// A Lua table.
pub struct Table {
    parts: UnsafeCell<Parts>,
    metatable: Cell<Option<Gc<Table>>>,
    /// Bit `tm as u32` set: this table (used as a metatable) is known to
    /// have no field named after that event.
    tm_absent: Cell<u32>,
    /// The border `len` found last inside the array part (a hint: checked
    /// before use), so that pushing and popping at the end costs O(1).
    border_hint: Cell<u32>,
    /// The collector's black flag for the write barrier (`table_gc.rs`).
    gc_epoch: Cell<u32>,
}

/// Largest size hint `Table::new` honours for either part.
pub const MAX_PREALLOC: usize = 1 << 20;

/// Normalises a key: floats with an integer value become integers.
#[inline]
fn normalize(key: Value) -> Value {
    if let Value::Float(f) = key {
        if let Some(i) = crate::number::float_to_int_exact(f) {
            return Value::Int(i);
        }
    }
    key
}

/// Index into the array part for key `i`, if `i` is in `1..=len`.
#[inline(always)]
pub(crate) fn array_slot(i: i64, len: usize) -> Option<usize> {
    let idx = (i as u64).wrapping_sub(1);
    if idx < len as u64 {
        Some(idx as usize)
    } else {
        None
    }
}

impl Table {
    /// A new table with room for `narr` array items and `nhash` hash items.
    /// The array part starts with `narr` nil slots (like a constructor's
    /// preallocated array), so `#{1, 2, nil, 4}` is 4 as in Lua.
    /// Hints above `MAX_PREALLOC` are capped (sizes can come from untrusted
    /// binary chunks); the parts still grow on demand.
    pub fn new(narr: usize, nhash: usize) -> Table {
        let hash = HashPart::with_room(nhash.min(MAX_PREALLOC)).unwrap_or_else(|()| {
            std::alloc::handle_alloc_error(std::alloc::Layout::new::<Value>())
        });
        Table {
            parts: UnsafeCell::new(Parts {
                array: ArrayPart::with_nils(narr.min(MAX_PREALLOC)),
                hash,
            }),
            metatable: Cell::new(None),
            tm_absent: Cell::new(0),
            border_hint: Cell::new(0),
            gc_epoch: Cell::new(0),
        }
    }

    /// The parts, shared.
    #[inline(always)]
    fn parts(&self) -> &Parts {
        // SAFETY: module rule: no `&mut Parts` of this table is alive (none
        // outlives the method that took it, and methods do not nest).
        unsafe { &*self.parts.get() }
    }

    /// The parts, exclusively.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    fn parts_mut(&self) -> &mut Parts {
        // SAFETY: module rule: no other reference to this table's parts is
        // alive while a method runs, and this one is dropped before the
        // method returns; no Lua code runs meanwhile.
        unsafe { &mut *self.parts.get() }
    }

    /// `t[key]` without metamethods.
    #[inline]
    pub fn raw_get(&self, key: Value) -> Value {
        match key {
            Value::Int(i) => self.raw_get_int(i),
            // one call either way: small parts and the others
            Value::Str(s) if self.parts().hash.mask() < 8 => self.get_str(s),
            Value::Str(s) => self.get_str_general(s),
            _ => self.raw_get_other(key),
        }
    }

    /// `raw_get` for every key but an integer or a string.
    #[inline(never)]
    fn raw_get_other(&self, key: Value) -> Value {
        match key {
            Value::Nil => Value::Nil,
            Value::Float(f) => match crate::number::float_to_int_exact(f) {
                Some(i) => self.raw_get_int(i),
                None => self.parts().hash.get(&key),
            },
            _ => self.parts().hash.get(&key),
        }
    }

    /// The hash-part lookup of an integer key (outside the array part).
    #[inline(never)]
    fn hash_get_int(&self, i: i64) -> Value {
        let h = &self.parts().hash;
        match h.find_int(i) {
            Some(n) => h.node(n).val,
            None => Value::Nil,
        }
    }

    /// `t[i]` without metamethods.
    #[inline]
    pub fn raw_get_int(&self, i: i64) -> Value {
        let a = &self.parts().array;
        if let Some(idx) = array_slot(i, a.len()) {
            return a.get(idx);
        }
        self.hash_get_int(i)
    }

    /// `t[i]` when `i` is inside the array part, `None` otherwise (the
    /// value may be nil). For the interpreter's inline fast paths.
    #[inline(always)]
    pub fn array_get(&self, i: i64) -> Option<&Value> {
        // `i - 1` wraps to a huge index for `i <= 0`
        self.parts()
            .array
            .as_slice()
            .get((i as u64).wrapping_sub(1) as usize)
    }

    /// `t[i] = *v` when that is a raw store into the array part: `i` is
    /// inside it, its slot holds a value or the table has no metatable (no
    /// `__newindex` can apply), and the collector is not watching the table
    /// (no write barrier due). Returns false, changing nothing, otherwise.
    /// For the interpreter's inline fast paths.
    #[inline(always)]
    pub fn array_store(&self, i: i64, v: &Value) -> bool {
        if self.is_black() {
            return false;
        }
        let no_meta = self.metatable.get().is_none();
        let a = self.parts_mut().array.as_mut_slice();
        match a.get_mut((i as u64).wrapping_sub(1) as usize) {
            Some(slot) if no_meta || !slot.is_nil() => {
                Value::store(slot, *v);
                true
            }
            _ => false,
        }
    }

    /// `t[key] = val` without metamethods.
    #[inline]
    pub fn raw_set(&self, key: Value, val: Value) -> Result<(), TableError> {
        self.try_set(key, val).map(|_| ())
    }

    /// `raw_set`, returning the bytes by which the table's parts grew (for
    /// the VM's memory count; 0 unless a part was reallocated).
    #[inline]
    pub fn try_set(&self, key: Value, val: Value) -> Result<usize, TableError> {
        if let Value::Int(i) = key {
            return self.try_set_int(i, val);
        }
        self.raw_set_other(key, val)
    }

    /// `raw_set` for every key but an integer.
    #[inline(never)]
    fn raw_set_other(&self, key: Value, val: Value) -> Result<usize, TableError> {
        self.barrier(key, val);
        let key = normalize(key);
        match key {
            Value::Nil => Err(TableError::NilKey),
            Value::Float(f) if f.is_nan() => Err(TableError::NanKey),
            Value::Int(i) => self.try_set_int(i, val),
            _ => self.hash_set(key, val),
        }
    }

    /// Sets a normalised key in the hash part (an integer key is outside
    /// the array part). Returns the bytes the parts grew by.
    fn hash_set(&self, key: Value, val: Value) -> Result<usize, TableError> {
        if let (Value::Str(_), false) = (key, val.is_nil()) {
            // a field may appear: forget cached metamethod absences
            self.tm_absent.set(0);
        }
        let p = self.parts_mut();
        if let Some(i) = p.hash.find(&key) {
            p.hash.node_mut(i).val = val;
            return Ok(0);
        }
        if val.is_nil() {
            return Ok(0);
        }
        if p.hash.insert_absent(key, val).is_some() {
            return Ok(0);
        }
        let grown = rehash(p, key)?;
        if let Value::Int(i) = key {
            if let Some(idx) = array_slot(i, p.array.len()) {
                p.array.set(idx, val);
                return Ok(grown);
            }
        }
        match p.hash.insert_absent(key, val) {
            Some(_) => Ok(grown),
            // `rehash` made room for this key
            None => Err(TableError::NoMemory),
        }
    }

    /// `t[i] = val` without metamethods, for tables whose size the program
    /// bounds: a failed growth aborts like any Rust allocation
    /// (script-driven stores use `try_set_int`).
    #[inline]
    pub fn raw_set_int(&self, i: i64, val: Value) {
        if self.try_set_int(i, val).is_err() {
            std::alloc::handle_alloc_error(std::alloc::Layout::new::<Value>());
        }
    }

    /// `t[i] = val` without metamethods; `NoMemory` when a part of the table
    /// cannot grow. Returns the bytes the parts grew by (0 unless reallocated).
    #[inline]
    pub fn try_set_int(&self, i: i64, val: Value) -> Result<usize, TableError> {
        if self.is_black() {
            return self.try_set_int_black(i, val);
        }
        self.try_set_int_white(i, val)
    }

    /// `try_set_int` on a table the collector may be watching: the write
    /// barrier first (out of line: the common path has no call to prepare).
    #[cold]
    #[inline(never)]
    fn try_set_int_black(&self, i: i64, val: Value) -> Result<usize, TableError> {
        self.barrier(Value::Nil, val);
        self.try_set_int_white(i, val)
    }

    /// `try_set_int` once the barrier is done.
    #[inline(always)]
    fn try_set_int_white(&self, i: i64, val: Value) -> Result<usize, TableError> {
        let p = self.parts_mut();
        let len = p.array.len();
        if let Some(idx) = array_slot(i, len) {
            p.array.set(idx, val);
            return Ok(0);
        }
        if i == len as i64 + 1 && !val.is_nil() {
            return self.append(i, val);
        }
        self.hash_set(Value::Int(i), val)
    }

    /// `t[len + 1] = val` (non-nil): appends to the array part unless the
    /// key lives in the hash part.
    #[inline(never)]
    fn append(&self, i: i64, val: Value) -> Result<usize, TableError> {
        let p = self.parts_mut();
        let hash_live = p.hash.is_alloc()
            && match p.hash.find_int(i) {
                Some(n) => !p.hash.node(n).val.is_nil(),
                None => false,
            };
        if hash_live {
            // an existing field is updated in place (a traversal stays valid)
            return self.hash_set(Value::Int(i), val);
        }
        let len = p.array.len();
        if len >= 64 && len == p.array.cap() && shrink_sparse_array(p, i) {
            return self.hash_set(Value::Int(i), val);
        }
        let cap = p.array.cap();
        p.array.push(val).map_err(|()| TableError::NoMemory)?;
        let mut grown = 0;
        if p.array.cap() != cap {
            let size = std::mem::size_of::<Value>();
            let (old, new) = (cap * size, p.array.cap() * size);
            account_resize(old, new);
            grown = new.saturating_sub(old);
        }
        if p.hash.is_alloc() {
            pull_from_hash(p);
        }
        Ok(grown)
    }

    /// `t[first + j] = items[j]` for every `j` (a constructor's SETLIST):
    /// the array part first grows to exactly `first + items.len() - 1`
    /// slots when the keys continue it, as Lua sizes constructor arrays.
    /// Returns the bytes the parts grew by.
    pub fn set_list(&self, first: i64, items: &[Value]) -> Result<usize, TableError> {
        let mut grown = 0;
        let p = self.parts_mut();
        let len = p.array.len();
        let end = first.saturating_add(items.len() as i64).saturating_sub(1);
        if first >= 1 && first as u64 <= len as u64 + 1 && end as u64 > len as u64 {
            let cap = p.array.cap();
            if p.array.grow_to(end as usize).is_ok() {
                let size = std::mem::size_of::<Value>();
                account_resize(cap * size, p.array.cap() * size);
                grown += (p.array.cap() - cap) * size;
                // keys now in the array part may still sit in the hash part
                if p.hash.is_alloc() {
                    rehash_in_place(p);
                }
            }
        }
        for (j, v) in items.iter().enumerate() {
            grown += self.try_set_int(first + j as i64, *v)?;
        }
        Ok(grown)
    }

    /// Whether hash-part integer key `k` holds a value.
    #[inline]
    fn hash_has_int(&self, k: i64) -> bool {
        let h = &self.parts().hash;
        h.find_int(k).is_some_and(|n| !h.node(n).val.is_nil())
    }

    /// A border of the table (`#t` without `__len`), in O(log n).
    pub fn len(&self) -> i64 {
        let a = self.parts().array.as_slice();
        let n = a.len();
        if n > 0 && a[n - 1].is_nil() {
            // `n - 1` is a border when its slot is used (the common case
            // after removing the last element)
            if n >= 2 && !a[n - 2].is_nil() {
                return n as i64 - 1;
            }
            // the last border found, or one next to it (a stack pushed or
            // popped since)
            let h = self.border_hint.get() as usize;
            if h < n {
                let used = |i: usize| i == 0 || !a[i - 1].is_nil();
                if a[h].is_nil() {
                    if used(h) {
                        return h as i64;
                    }
                    if used(h - 1) {
                        self.border_hint.set(h as u32 - 1);
                        return h as i64 - 1;
                    }
                } else if h + 1 < n && a[h + 1].is_nil() {
                    self.border_hint.set(h as u32 + 1);
                    return h as i64 + 1;
                }
            }
            // binary search for a border inside the array part:
            // invariant: lo == 0 or a[lo-1] non-nil; a[hi-1] nil
            let (mut lo, mut hi) = (0usize, n);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if a[mid - 1].is_nil() {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            self.border_hint.set(lo as u32);
            return lo as i64;
        }
        if !self.parts().hash.is_alloc() {
            return n as i64;
        }
        self.hash_border(n as i64)
    }

    /// The border search continuing into the hash part from `lo` (a key
    /// that is present, or 0).
    fn hash_border(&self, mut lo: i64) -> i64 {
        if !self.hash_has_int(lo + 1) {
            return lo;
        }
        // unbounded search: find hi with t[hi] nil
        let mut hi = lo + 1;
        loop {
            if !self.hash_has_int(hi) {
                break;
            }
            lo = hi;
            if hi > i64::MAX / 2 {
                // pathological: linear scan from lo
                let mut j = lo;
                while j < i64::MAX && self.hash_has_int(j + 1) {
                    j += 1;
                }
                return j;
            }
            hi *= 2;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.hash_has_int(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Whether the table has no entries at all (array or hash).
    pub fn is_empty(&self) -> bool {
        let p = self.parts();
        p.array.as_slice().iter().all(|v| v.is_nil()) && p.hash.live().next().is_none()
    }

    /// The size of the array part (for `table` library fast paths).
    pub fn array_len(&self) -> usize {
        self.parts().array.len()
    }

    /// The entry after `key` in traversal order (`next`); `Ok(None)` at the
    /// end; `Err(())` when `key` is not in the table (Lua's message:
    /// `invalid key to 'next'`). A field cleared during the traversal keeps
    /// its node (a tombstone), so its key still leads to the next entry.
    #[allow(clippy::result_unit_err)]
    pub fn next(&self, key: Value) -> Result<Option<(Value, Value)>, ()> {
        let key = normalize(key);
        let p = self.parts();
        let a = p.array.as_slice();
        let start_array = match key {
            Value::Nil => Some(0),
            Value::Int(i) => array_slot(i, a.len()).map(|idx| idx + 1),
            _ => None,
        };
        let start_hash = match start_array {
            Some(from) => {
                for (j, v) in a.iter().enumerate().skip(from) {
                    if !v.is_nil() {
                        return Ok(Some((Value::Int(j as i64 + 1), *v)));
                    }
                }
                0
            }
            None => match p.hash.find(&key) {
                Some(i) => i + 1,
                None => return Err(()),
            },
        };
        let nodes = p.hash.nodes();
        for n in nodes.iter().skip(start_hash) {
            if !n.val.is_nil() {
                return Ok(Some((n.key, n.val)));
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
        if let Some(m) = mt {
            self.barrier(Value::Table(m), Value::Nil);
        }
        self.metatable.set(mt);
    }

    /// Every (key, value) pair currently stored (for the collector and tools).
    pub fn entries(&self) -> Vec<(Value, Value)> {
        let mut out = Vec::new();
        self.for_each_entry(|k, v| out.push((k, v)));
        out
    }

    /// Calls `f` on every live (key, value) pair without allocating (for
    /// the collector; `f` must not touch this table).
    pub fn for_each_entry(&self, mut f: impl FnMut(Value, Value)) {
        let p = self.parts();
        for (i, v) in p.array.as_slice().iter().enumerate() {
            if !v.is_nil() {
                f(Value::Int(i as i64 + 1), *v);
            }
        }
        for (k, v) in p.hash.live() {
            f(k, v);
        }
    }

    /// Number of hash-part nodes (tests).
    #[cfg(test)]
    pub(crate) fn hash_nodes(&self) -> usize {
        self.parts().hash.size()
    }
}

impl GcObject for Table {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::Table(g)
    }
    fn heap_size(&self) -> usize {
        parts_bytes(self.parts())
    }
}

#[path = "table_bulk.rs"]
mod bulk;
#[path = "table_gc.rs"]
mod gc_support;
#[path = "table_str.rs"]
mod str_keys;

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
