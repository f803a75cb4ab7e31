//! Lua tables: an array part for the keys `1..n` and an insertion-ordered
//! hash part for every other key.
//!
//! Design:
//! - The array part is a `Vec<Value>` holding keys `1..=len` (nil slots
//!   allowed). Setting key `len + 1` appends and then pulls the following
//!   integer keys out of the hash part, so `t[#t+1] = v` loops stay in the
//!   array. When the hash part has to grow, the array size is recomputed the
//!   way Lua does (the largest `n` such that more than `n/2` of the slots
//!   `1..n` would be in use) and qualifying keys migrate; an array part
//!   that became mostly empty (a queue) shrinks the same way when it would
//!   reallocate.
//! - The hash part is an `IndexMap` keyed by `table_key::HKey` (hashing in
//!   `table_key.rs`). Keys are normalised (`2.0` is stored as `2`). Clearing
//!   a field leaves a tombstone (the key with a nil value) so `next` keeps working while a
//!   traversal assigns or clears fields; tombstones are purged only when a
//!   new key must be inserted into a full hash part.
//! - Interior mutability: tables are shared handles, so every method takes
//!   `&self`; borrows never outlive a method (no call into Lua happens here).
//! - A metamethod-absence cache (`tm_absent`) lets the VM skip looking up
//!   `__index`, `__newindex`, ... in metatables that lack them; it is reset
//!   whenever a string key is added to the table.

use super::string::{hash_bytes, LuaStr};
use super::table_key::{tag_method_hash, BytesKey, HKey, HashPart};
use super::value::Value;
use crate::bytecode::TagMethod;
use crate::gc::{account_resize, Gc, GcAny, GcObject};
use std::cell::{Cell, RefCell};
use std::hash::BuildHasherDefault;

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

/// A Lua table.
pub struct Table {
    array: RefCell<Vec<Value>>,
    hash: RefCell<HashPart>,
    metatable: Cell<Option<Gc<Table>>>,
    /// Bit `tm as u32` set: this table (used as a metatable) is known to
    /// have no field named after that event.
    tm_absent: Cell<u32>,
}

/// Whether hash-part key `k` is the string `key`.
#[inline(always)]
fn same_str(k: &HKey, key: Gc<LuaStr>) -> bool {
    match k.0 {
        Value::Str(s) => LuaStr::same(s, key),
        _ => false,
    }
}

/// Lua's array sizing: the largest power of two `n` such that more than
/// `n / 2` of the keys `1..=n` are used, counting the array part's items,
/// the hash part's integer keys and `extra` (a key about to be inserted).
fn optimal_array_size(a: &[Value], h: &HashPart, extra: Option<i64>) -> usize {
    // counts[b]: used keys k with 2^(b-1) < k <= 2^b (k = 1 in b = 0)
    let mut counts = [0usize; 65];
    let mut total = 0usize;
    let mut add = |k: i64| {
        if k >= 1 {
            let b = 64 - ((k - 1) as u64).leading_zeros() as usize;
            counts[b] += 1;
            total += 1;
        }
    };
    for (i, v) in a.iter().enumerate() {
        if !v.is_nil() {
            add(i as i64 + 1);
        }
    }
    for (k, v) in h.iter() {
        if let (Value::Int(i), false) = (k.0, v.is_nil()) {
            add(i);
        }
    }
    if let Some(i) = extra {
        add(i);
    }
    let mut best = 0usize;
    let mut used = 0usize;
    for (b, c) in counts.iter().enumerate() {
        let size = 1usize << b.min(62);
        if size / 2 >= total {
            break;
        }
        used += c;
        if used > size / 2 {
            best = size;
        }
    }
    best
}

/// Bytes allocated by a hash part of capacity `cap`: the entry vector
/// (hash, key, value per entry) and the index table (one index and one
/// control byte per bucket, plus a trailing control group).
fn hash_part_bytes(cap: usize) -> usize {
    if cap == 0 {
        return 0;
    }
    let buckets = match cap {
        0..=3 => 4,
        4..=7 => 8,
        _ => (cap * 8 / 7).next_power_of_two(),
    };
    cap * std::mem::size_of::<(u64, HKey, Value)>()
        + buckets * (std::mem::size_of::<usize>() + 1)
        + 16
}

/// Bytes allocated by an array part of capacity `cap`.
#[inline(always)]
fn array_part_bytes(cap: usize) -> usize {
    cap * std::mem::size_of::<Value>()
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
fn array_slot(i: i64, len: usize) -> Option<usize> {
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
        Table {
            array: RefCell::new(vec![Value::Nil; narr.min(MAX_PREALLOC)]),
            hash: RefCell::new(HashPart::with_capacity_and_hasher(
                nhash.min(MAX_PREALLOC),
                BuildHasherDefault::default(),
            )),
            metatable: Cell::new(None),
            tm_absent: Cell::new(0),
        }
    }

    /// `t[key]` without metamethods.
    #[inline]
    pub fn raw_get(&self, key: Value) -> Value {
        match key {
            Value::Int(i) => self.raw_get_int(i),
            _ => self.raw_get_other(key),
        }
    }

    /// `raw_get` for every key but an integer.
    #[inline(never)]
    fn raw_get_other(&self, key: Value) -> Value {
        match key {
            Value::Nil => Value::Nil,
            Value::Float(f) => match crate::number::float_to_int_exact(f) {
                Some(i) => self.raw_get_int(i),
                None => self.hash_get(key),
            },
            _ => self.hash_get(key),
        }
    }

    #[inline]
    fn hash_get(&self, key: Value) -> Value {
        let h = self.hash.borrow();
        if h.is_empty() {
            return Value::Nil;
        }
        h.get(&HKey(key)).copied().unwrap_or(Value::Nil)
    }

    /// The hash-part lookup of an integer key (outside the array part).
    #[inline(never)]
    fn hash_get_int(&self, i: i64) -> Value {
        self.hash_get(Value::Int(i))
    }

    /// `t[i]` without metamethods.
    #[inline]
    pub fn raw_get_int(&self, i: i64) -> Value {
        {
            let a = self.array.borrow();
            if let Some(idx) = array_slot(i, a.len()) {
                return a[idx];
            }
        }
        self.hash_get_int(i)
    }

    /// `t[s]` for a string key without metamethods (any other key works
    /// too, through the general path).
    #[inline]
    pub fn raw_get_str(&self, key: Value) -> Value {
        if let Value::Str(_) = key {
            self.hash_get(key)
        } else {
            self.raw_get(key)
        }
    }

    /// `t[key]` for a string `key`, checking first the hash-part entry at
    /// `slot` (where the same instruction last found its key) and
    /// remembering where it was found otherwise: an object field read by
    /// one instruction usually sits at the same position in every table of
    /// the same shape.
    #[inline(always)]
    pub fn raw_get_str_cached(&self, key: Gc<LuaStr>, slot: &Cell<u32>) -> Value {
        {
            let h = self.hash.borrow();
            if let Some((k, v)) = h.get_index(slot.get() as usize) {
                if same_str(k, key) {
                    return *v;
                }
            }
        }
        self.raw_get_str_probe(key, slot)
    }

    /// `raw_get_str_cached` after a wrong prediction: a hash lookup that
    /// records where the key was found.
    #[inline(never)]
    fn raw_get_str_probe(&self, key: Gc<LuaStr>, slot: &Cell<u32>) -> Value {
        let h = self.hash.borrow();
        if h.is_empty() {
            return Value::Nil;
        }
        match h.get_full(&HKey(Value::Str(key))) {
            Some((i, _, v)) => {
                slot.set(i as u32);
                *v
            }
            None => Value::Nil,
        }
    }

    /// `t[key] = val` for a string `key` already present with a non-nil
    /// value, using and updating the predicted `slot` like
    /// `raw_get_str_cached`; returns false (nothing done) when the key is
    /// absent or nil, or `val` is nil (those take the general path).
    #[inline]
    pub fn raw_replace_str_cached(&self, key: Gc<LuaStr>, val: Value, slot: &Cell<u32>) -> bool {
        if val.is_nil() {
            return false;
        }
        let mut h = self.hash.borrow_mut();
        if let Some((k, v)) = h.get_index_mut(slot.get() as usize) {
            if same_str(k, key) && !v.is_nil() {
                *v = val;
                return true;
            }
        }
        if h.is_empty() {
            return false;
        }
        match h.get_full_mut(&HKey(Value::Str(key))) {
            Some((i, _, v)) if !v.is_nil() => {
                slot.set(i as u32);
                // an existing non-nil field: no key is added, so the
                // metamethod-absence cache stays valid
                *v = val;
                true
            }
            _ => false,
        }
    }

    /// `t[name]` for a string key given as bytes (no allocation).
    pub fn raw_get_bytes(&self, name: &[u8]) -> Value {
        self.raw_get_bytes_hashed(name, hash_bytes(name) | 1)
    }

    /// `raw_get_bytes` with the string hash of `name` already known.
    #[inline]
    fn raw_get_bytes_hashed(&self, name: &[u8], hash: u64) -> Value {
        let h = self.hash.borrow();
        if h.is_empty() {
            return Value::Nil;
        }
        let k = BytesKey { bytes: name, hash };
        h.get(&k).copied().unwrap_or(Value::Nil)
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
        let key = normalize(key);
        match key {
            Value::Nil => Err(TableError::NilKey),
            Value::Float(f) if f.is_nan() => Err(TableError::NanKey),
            Value::Int(i) => self.try_set_int(i, val),
            _ => {
                if let Value::Str(_) = key {
                    self.tm_absent.set(0);
                }
                self.hash_set(key, val)
            }
        }
    }

    /// Sets a normalised key in the hash part.
    /// Returns the bytes the parts grew by.
    fn hash_set(&self, key: Value, val: Value) -> Result<usize, TableError> {
        let mut h = self.hash.borrow_mut();
        if let Some(slot) = h.get_mut(&HKey(key)) {
            *slot = val;
            return Ok(0);
        }
        if val.is_nil() {
            return Ok(0);
        }
        let mut grown = 0;
        if h.len() == h.capacity() {
            drop(h);
            grown = self.rehash(key)?;
            if let Value::Int(i) = key {
                let mut a = self.array.borrow_mut();
                let len = a.len();
                if let Some(idx) = array_slot(i, len) {
                    a[idx] = val;
                    return Ok(grown);
                }
            }
            h = self.hash.borrow_mut();
        }
        let cap = h.capacity();
        h.insert(HKey(key), val);
        if h.capacity() != cap {
            account_resize(hash_part_bytes(cap), hash_part_bytes(h.capacity()));
            grown += hash_part_bytes(h.capacity()).saturating_sub(hash_part_bytes(cap));
        }
        Ok(grown)
    }

    /// Bytes held by both parts' buffers (for the collector's accounting).
    fn parts_bytes(&self) -> usize {
        array_part_bytes(self.array.borrow().capacity())
            + hash_part_bytes(self.hash.borrow().capacity())
    }

    /// Makes room for one new key: drops tombstones and resizes the array
    /// part so more than half of its slots would be in use (counting `extra`).
    /// Returns the bytes the parts grew by.
    fn rehash(&self, extra: Value) -> Result<usize, TableError> {
        let before = self.parts_bytes();
        let r = self.rehash_parts(extra);
        let after = self.parts_bytes();
        account_resize(before, after);
        r.map(|()| after.saturating_sub(before))
    }

    /// The work of `rehash`.
    fn rehash_parts(&self, extra: Value) -> Result<(), TableError> {
        let mut h = self.hash.borrow_mut();
        h.retain(|_, v| !v.is_nil());
        let mut a = self.array.borrow_mut();
        let extra = match extra {
            Value::Int(i) => Some(i),
            _ => None,
        };
        let best = optimal_array_size(&a, &h, extra);
        if best > a.len() {
            let more = best - a.len();
            a.try_reserve_exact(more)
                .map_err(|_| TableError::NoMemory)?;
            a.resize(best, Value::Nil);
            let len = a.len();
            h.retain(|k, v| match k.0 {
                Value::Int(i) => match array_slot(i, len) {
                    Some(idx) => {
                        a[idx] = *v;
                        false
                    }
                    None => true,
                },
                _ => true,
            });
        }
        let want = (h.len() + 1).max(4);
        if h.capacity() < want * 2 {
            h.try_reserve(want).map_err(|_| TableError::NoMemory)?;
        }
        Ok(())
    }

    /// Before the array part reallocates to append key `next`: when fewer
    /// than half of its slots are in use (a queue that advanced), shrinks it
    /// to Lua's optimal size, moving the remaining items to the hash part.
    /// Returns whether it shrank.
    #[cold]
    #[inline(never)]
    fn shrink_sparse_array(&self, next: i64) -> bool {
        let before = self.parts_bytes();
        let shrank = self.shrink_sparse_parts(next);
        account_resize(before, self.parts_bytes());
        shrank
    }

    /// The work of `shrink_sparse_array`.
    fn shrink_sparse_parts(&self, next: i64) -> bool {
        let mut a = self.array.borrow_mut();
        let used = a.iter().filter(|v| !v.is_nil()).count();
        if used * 2 >= a.len() {
            return false;
        }
        let mut h = self.hash.borrow_mut();
        h.retain(|_, v| !v.is_nil());
        let best = optimal_array_size(&a, &h, Some(next));
        if best >= a.len() {
            return false;
        }
        for (idx, v) in a.iter().enumerate().skip(best) {
            if !v.is_nil() {
                h.insert(HKey(Value::Int(idx as i64 + 1)), *v);
            }
        }
        a.truncate(best);
        a.shrink_to_fit();
        true
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
        {
            let mut a = self.array.borrow_mut();
            let len = a.len();
            if let Some(idx) = array_slot(i, len) {
                a[idx] = val;
                return Ok(0);
            }
            if i == len as i64 + 1 && !val.is_nil() && !self.hash_has_live_int(i) {
                if len >= 64 && len == a.capacity() {
                    drop(a);
                    if self.shrink_sparse_array(i) {
                        return self.hash_set(Value::Int(i), val);
                    }
                    a = self.array.borrow_mut();
                }
                let cap = a.capacity();
                if len == cap {
                    a.try_reserve(1).map_err(|_| TableError::NoMemory)?;
                }
                a.push(val);
                let mut grown = 0;
                if a.capacity() != cap {
                    let (old, new) = (array_part_bytes(cap), array_part_bytes(a.capacity()));
                    account_resize(old, new);
                    grown = new.saturating_sub(old);
                }
                drop(a);
                // pull the key's successors over from the hash part
                self.migrate_after_append();
                return Ok(grown);
            }
        }
        self.hash_set(Value::Int(i), val)
    }

    /// Whether the hash part holds integer key `i` with a value (an
    /// existing field is updated in place, so a traversal stays valid).
    #[inline]
    fn hash_has_live_int(&self, i: i64) -> bool {
        let h = self.hash.borrow();
        !h.is_empty() && h.get(&HKey(Value::Int(i))).is_some_and(|v| !v.is_nil())
    }

    /// After an append, moves the keys `len+1, len+2, ...` that sit in the
    /// hash part into the array part (the appended key itself can only have
    /// a tombstone there: a live entry is updated in place instead).
    #[inline]
    fn migrate_after_append(&self) {
        if !self.hash.borrow().is_empty() {
            self.pull_from_hash();
        }
    }

    /// The loop of `migrate_after_append`.
    #[inline(never)]
    fn pull_from_hash(&self) {
        let mut h = self.hash.borrow_mut();
        let mut a = self.array.borrow_mut();
        let cap = a.capacity();
        loop {
            let next = a.len() as i64 + 1;
            match h.get_mut(&HKey(Value::Int(next))) {
                Some(v) if !v.is_nil() => {
                    if a.len() == a.capacity() && a.try_reserve(1).is_err() {
                        // the key stays in the hash part, still valid
                        break;
                    }
                    // leave a tombstone: a traversal may be positioned on it
                    a.push(std::mem::take(v));
                }
                _ => break,
            }
        }
        account_resize(array_part_bytes(cap), array_part_bytes(a.capacity()));
    }

    /// A border of the table (`#t` without `__len`).
    pub fn len(&self) -> i64 {
        let a = self.array.borrow();
        let n = a.len();
        if n > 0 && a[n - 1].is_nil() {
            // `n - 1` is a border when its slot is used (the common case
            // after removing the last element)
            if n >= 2 && !a[n - 2].is_nil() {
                return n as i64 - 1;
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
            return lo as i64;
        }
        drop(a);
        let h = self.hash.borrow();
        if h.is_empty() {
            return n as i64;
        }
        let present = |k: i64| h.get(&HKey(Value::Int(k))).is_some_and(|v| !v.is_nil());
        let mut lo = n as i64;
        if !present(lo + 1) {
            return lo;
        }
        // unbounded search: find hi with t[hi] nil
        let mut hi = lo + 1;
        loop {
            if !present(hi) {
                break;
            }
            lo = hi;
            if hi > i64::MAX / 2 {
                // pathological: linear scan from lo
                let mut j = lo;
                while j < i64::MAX && present(j + 1) {
                    j += 1;
                }
                return j;
            }
            hi *= 2;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if present(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Whether the table has no entries at all (array or hash).
    pub fn is_empty(&self) -> bool {
        self.array.borrow().iter().all(|v| v.is_nil())
            && self.hash.borrow().values().all(|v| v.is_nil())
    }

    /// The size of the array part (for `table` library fast paths).
    pub fn array_len(&self) -> usize {
        self.array.borrow().len()
    }

    /// The entry after `key` in traversal order (`next`); `Ok(None)` at the
    /// end; `Err(())` when `key` is not in the table (Lua's message:
    /// `invalid key to 'next'`).
    #[allow(clippy::result_unit_err)]
    pub fn next(&self, key: Value) -> Result<Option<(Value, Value)>, ()> {
        let key = normalize(key);
        let a = self.array.borrow();
        let start_array = match key {
            Value::Nil => Some(0),
            Value::Int(i) => array_slot(i, a.len()).map(|idx| idx + 1),
            _ => None,
        };
        let h = self.hash.borrow();
        let start_hash = match start_array {
            Some(from) => {
                for (j, v) in a.iter().enumerate().skip(from) {
                    if !v.is_nil() {
                        return Ok(Some((Value::Int(j as i64 + 1), *v)));
                    }
                }
                0
            }
            None => match h.get_index_of(&HKey(key)) {
                Some(p) => p + 1,
                None => return Err(()),
            },
        };
        let mut idx = start_hash;
        while let Some((k, v)) = h.get_index(idx) {
            if !v.is_nil() {
                return Ok(Some((k.0, *v)));
            }
            idx += 1;
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

    /// The field named after event `tm` (e.g. `__index`) when this table is
    /// used as a metatable; nil when absent. Absence is cached until a
    /// string key is added to the table.
    #[inline]
    pub fn tag_method(&self, tm: TagMethod) -> Value {
        let bit = 1u32 << (tm as u32);
        if self.tm_absent.get() & bit != 0 {
            return Value::Nil;
        }
        let v = self.raw_get_bytes_hashed(tm.name().as_bytes(), tag_method_hash(tm));
        if v.is_nil() {
            self.tm_absent.set(self.tm_absent.get() | bit);
        }
        v
    }

    /// Every (key, value) pair currently stored (for the collector and tools).
    pub fn entries(&self) -> Vec<(Value, Value)> {
        let mut out = Vec::new();
        for (i, v) in self.array.borrow().iter().enumerate() {
            if !v.is_nil() {
                out.push((Value::Int(i as i64 + 1), *v));
            }
        }
        for (k, v) in self.hash.borrow().iter() {
            if !v.is_nil() {
                out.push((k.0, *v));
            }
        }
        out
    }

    /// Calls `f` on every live (key, value) pair without allocating (for
    /// the collector; `f` must not touch this table).
    pub fn for_each_entry(&self, mut f: impl FnMut(Value, Value)) {
        for (i, v) in self.array.borrow().iter().enumerate() {
            if !v.is_nil() {
                f(Value::Int(i as i64 + 1), *v);
            }
        }
        for (k, v) in self.hash.borrow().iter() {
            if !v.is_nil() {
                f(k.0, *v);
            }
        }
    }

    /// Drops tombstones (cleared entries) whose key the collector is about
    /// to free, so no dead key stays in the table. Safe for traversals: a
    /// key still used by `next` is reachable, so it is not `dead`.
    pub fn purge_dead_tombstones(&self, dead: impl Fn(Value) -> bool) {
        self.hash
            .borrow_mut()
            .retain(|k, v| !(v.is_nil() && dead(k.0)));
    }
}

impl GcObject for Table {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::Table(g)
    }
    fn heap_size(&self) -> usize {
        self.parts_bytes()
    }
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
