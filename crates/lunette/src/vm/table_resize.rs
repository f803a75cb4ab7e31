//! Resizing a table's parts: Lua's array sizing on rehash, shrinking a
//! sparse array part (a queue that advanced), and pulling keys from the
//! hash part into the array part after an append.
//!
//! Everything here works on `&mut Parts` (see `table.rs` for the access
//! rule) and reports byte changes through `gc::account_resize`.

use super::table::{array_slot, Parts, TableError};
use super::table_hash::HashPart;
use super::value::Value;
use crate::gc::account_resize;

/// Lua's array sizing: the largest power of two `n` such that more than
/// `n / 2` of the keys `1..=n` are used, counting the array part's items,
/// the hash part's integer keys and `extra` (a key about to be inserted).
fn optimal_array_size(p: &Parts, extra: Option<i64>) -> usize {
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
    for (i, v) in p.array.as_slice().iter().enumerate() {
        if !v.is_nil() {
            add(i as i64 + 1);
        }
    }
    for (k, _) in p.hash.live() {
        if let Value::Int(i) = k {
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

/// Bytes held by both parts' buffers.
pub(crate) fn parts_bytes(p: &Parts) -> usize {
    p.array.cap() * std::mem::size_of::<Value>() + p.hash.bytes()
}

/// Rebuilds the hash part with room for its live keys plus `extra_keys`,
/// leaving out integer keys inside the array part (moved there).
fn rebuild_hash(p: &mut Parts, extra_keys: usize) -> Result<(), TableError> {
    let len = p.array.len();
    let keep = p
        .hash
        .live()
        .filter(|(k, _)| !matches!(k, Value::Int(i) if array_slot(*i, len).is_some()))
        .count();
    let mut fresh = HashPart::with_room(keep + extra_keys).map_err(|_| TableError::NoMemory)?;
    let old = std::mem::replace(&mut p.hash, HashPart::empty());
    for (k, v) in old.live() {
        if let Value::Int(i) = k {
            if let Some(idx) = array_slot(i, len) {
                p.array.set(idx, v);
                continue;
            }
        }
        // room for `keep` keys was allocated and keys are distinct
        let placed = fresh.insert_absent(k, v);
        debug_assert!(placed.is_some());
    }
    p.hash = fresh;
    Ok(())
}

/// Makes room for the new key `extra` (normalised, absent): recomputes the
/// array size (which only grows here) and rebuilds the hash part without
/// tombstones. Returns the bytes the parts grew by.
pub(crate) fn rehash(p: &mut Parts, extra: Value) -> Result<usize, TableError> {
    let before = parts_bytes(p);
    let r = rehash_parts(p, extra);
    let after = parts_bytes(p);
    account_resize(before, after);
    r.map(|()| after.saturating_sub(before))
}

fn rehash_parts(p: &mut Parts, extra: Value) -> Result<(), TableError> {
    let extra_int = match extra {
        Value::Int(i) => Some(i),
        _ => None,
    };
    let best = optimal_array_size(p, extra_int);
    if best > p.array.len() {
        p.array.grow_to(best).map_err(|_| TableError::NoMemory)?;
    }
    let extra_in_array = extra_int.is_some_and(|i| array_slot(i, p.array.len()).is_some());
    rebuild_hash(p, usize::from(!extra_in_array))
}

/// Before the array part reallocates to append key `next`: when fewer
/// than half of its slots are in use (a queue that advanced), shrinks it
/// to Lua's optimal size, moving the remaining items to the hash part.
/// Returns whether it shrank.
#[cold]
#[inline(never)]
pub(crate) fn shrink_sparse_array(p: &mut Parts, next: i64) -> bool {
    let before = parts_bytes(p);
    let shrank = shrink_sparse_parts(p, next).unwrap_or(false);
    account_resize(before, parts_bytes(p));
    shrank
}

fn shrink_sparse_parts(p: &mut Parts, next: i64) -> Result<bool, TableError> {
    let a = p.array.as_slice();
    let used = a.iter().filter(|v| !v.is_nil()).count();
    if used * 2 >= a.len() {
        return Ok(false);
    }
    let best = optimal_array_size(p, Some(next));
    if best >= p.array.len() {
        return Ok(false);
    }
    let moving: Vec<(i64, Value)> = p.array.as_slice()[best..]
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_nil())
        .map(|(j, v)| ((best + j) as i64 + 1, *v))
        .collect();
    // the hash part is rebuilt with room for the moved items and `next`
    let keep = p.hash.live_count();
    let mut fresh =
        HashPart::with_room(keep + moving.len() + 1).map_err(|_| TableError::NoMemory)?;
    for (k, v) in p.hash.live() {
        fresh.insert_absent(k, v);
    }
    for (k, v) in moving {
        fresh.insert_absent(Value::Int(k), v);
    }
    p.hash = fresh;
    p.array.truncate_to(best);
    Ok(true)
}

/// After an append, moves the keys `len+1, len+2, ...` that sit in the
/// hash part into the array part, leaving tombstones (a traversal may be
/// positioned on them). The appended key itself can only have a tombstone
/// there: a live entry is updated in place instead.
#[inline(never)]
pub(crate) fn pull_from_hash(p: &mut Parts) {
    let cap = p.array.cap();
    loop {
        let next = p.array.len() as i64 + 1;
        let Some(i) = p.hash.find_int(next) else {
            break;
        };
        let v = p.hash.node(i).val;
        if v.is_nil() || p.array.push(v).is_err() {
            // a failed growth leaves the key in the hash part, still valid
            break;
        }
        p.hash.node_mut(i).val = Value::Nil;
    }
    let size = std::mem::size_of::<Value>();
    account_resize(cap * size, p.array.cap() * size);
}

/// After the array part grew without a rehash: moves the hash part's
/// integer keys that now fall inside the array part there, leaving
/// tombstones (no allocation).
pub(crate) fn rehash_in_place(p: &mut Parts) {
    let len = p.array.len();
    for n in p.hash.nodes_mut() {
        if let (Value::Int(i), false) = (n.key, n.val.is_nil()) {
            if let Some(idx) = array_slot(i, len) {
                p.array.set(idx, n.val);
                n.val = Value::Nil;
            }
        }
    }
}
