//! Keys of a table's hash part: the 64-bit hash of a normalised key
//! (string hashes cached in the strings, other keys mixed from their bits),
//! key equality, and the cached hashes of metamethod names.
//!
//! A normalised key is never nil, NaN or a float with an integer value
//! (`2.0` is stored as `2`), so only keys of the same variant can be equal.

use super::string::{hash_bytes, LuaStr};
use super::value::Value;
use crate::bytecode::TagMethod;
use crate::gc::Gc;

/// The hash of a string key from the string's own (cached) hash.
#[inline(always)]
pub(crate) fn str_hash(s: Gc<LuaStr>) -> u64 {
    s.hash()
}

/// The 64-bit hash of a normalised key. The hash part takes the top bits
/// of this value times an odd constant (see `table_hash::slot_of`), so
/// every input bit matters and no extra mixing is needed here.
#[inline]
pub(crate) fn key_hash(v: &Value) -> u64 {
    match v {
        Value::Str(s) => str_hash(*s),
        Value::Int(i) => *i as u64,
        Value::Float(f) => f.to_bits() ^ 0x7ff0_1234_5678_9abc,
        Value::Bool(b) => 0x5bd1_e995 + *b as u64,
        Value::Nil => 0,
        other => other.addr() as u64 ^ 0x0123_4567,
    }
}

/// Whether string key `k` is the string `key` (see `LuaStr::same`).
#[inline(always)]
pub(crate) fn same_str(k: Gc<LuaStr>, key: Gc<LuaStr>) -> bool {
    // short strings are interned: pointer equality decides them
    LuaStr::same(k, key)
}

/// Equality of two normalised keys (raw equality; no int/float crossing is
/// needed since integral floats are normalised away).
#[inline]
pub(crate) fn key_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => same_str(*x, *y),
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Nil, _) | (_, Value::Nil) => false,
        (x, y) => x.raw_eq(y),
    }
}

/// The string hash of each event name (`__index`, ...), computed once.
pub(crate) fn tag_method_hash(tm: TagMethod) -> u64 {
    static HASHES: std::sync::OnceLock<[u64; TagMethod::ALL.len()]> = std::sync::OnceLock::new();
    let all = HASHES.get_or_init(|| TagMethod::ALL.map(|t| hash_bytes(t.name().as_bytes()) | 1));
    all[tm as usize]
}
