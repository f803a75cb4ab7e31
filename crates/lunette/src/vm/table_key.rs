//! Keys of a table's hash part: the 64-bit hash of a normalised key
//! (string hashes cached in the strings, other keys mixed from their bits),
//! key equality, and the cached hashes of metamethod names.
//!
//! A normalised key is never nil, NaN or a float with an integer value
//! (`2.0` is stored as `2`), so only keys of the same variant can be equal.

use super::string::{hash_bytes_const, LuaStr};
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

/// The string hash (`hash_bytes(name) | 1`) of each event name, computed
/// at compile time.
const TM_HASHES: [u64; TagMethod::ALL.len()] = {
    let mut out = [0u64; TagMethod::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = hash_bytes_const(TagMethod::ALL[i].name().as_bytes()) | 1;
        i += 1;
    }
    out
};

/// The string hash of event `tm`'s name (`__index`, ...).
#[inline(always)]
pub(crate) fn tag_method_hash(tm: TagMethod) -> u64 {
    TM_HASHES[tm as usize]
}

/// Whether `a` and `b`, of equal length at most 16, hold the same bytes:
/// two overlapping word compares instead of a call to `memcmp`.
#[inline(always)]
fn short_bytes_eq(a: &[u8], b: &[u8]) -> bool {
    let n = b.len();
    debug_assert!(a.len() == n && n <= 16);
    fn word8(s: &[u8], at: usize) -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_ne_bytes(w)
    }
    fn word4(s: &[u8], at: usize) -> u32 {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_ne_bytes(w)
    }
    if n >= 8 {
        word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8)
    } else if n >= 4 {
        word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4)
    } else {
        a == b
    }
}

/// Whether string key `k` is the string with bytes `name` and hash `h`
/// (`hash_bytes(name) | 1`): the cached hash first, then length and
/// bytes.
#[inline(always)]
pub(crate) fn str_is(k: Gc<LuaStr>, name: &[u8], h: u64) -> bool {
    k.hash() == h && k.as_bytes() == name
}

/// `str_is` for a short `name` of at most 16 bytes (an event name): a
/// string with those bytes is short, so its hash is known (no lazy
/// hashing), and the bytes are compared inline.
#[inline(always)]
pub(crate) fn str_is_short(k: Gc<LuaStr>, name: &[u8], h: u64) -> bool {
    k.known_hash() == h && k.len() == name.len() && short_bytes_eq(k.as_bytes(), name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::string::hash_bytes;

    #[test]
    fn event_hashes_match_the_runtime_hash() {
        for tm in TagMethod::ALL {
            let name = tm.name().as_bytes();
            assert_eq!(tag_method_hash(tm), hash_bytes(name) | 1, "{}", tm.name());
        }
        for s in [
            "",
            "a",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "0123456789abcdef0",
        ] {
            assert_eq!(hash_bytes_const(s.as_bytes()), hash_bytes(s.as_bytes()));
        }
        // every tail length (the last word is read in overlapping halves),
        // with distinct bytes so that a misplaced byte changes the hash
        let bytes: Vec<u8> = (0..40u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(1))
            .collect();
        for n in 0..bytes.len() {
            let b = &bytes[..n];
            assert_eq!(hash_bytes_const(b), hash_bytes(b), "length {n}");
        }
    }

    #[test]
    fn short_compare() {
        for (a, b, eq) in [
            ("", "", true),
            ("ab", "ab", true),
            ("ab", "ac", false),
            ("__lt", "__le", false),
            ("__index", "__index", true),
            ("__index", "__indey", false),
            ("__newindex", "__newindey", false),
            ("__newindex", "_xnewindex", false),
            ("0123456789abcdef", "0123456789abcdef", true),
            ("0123456789abcdef", "0123456789abcdeg", false),
        ] {
            assert_eq!(short_bytes_eq(a.as_bytes(), b.as_bytes()), eq, "{a} {b}");
        }
    }
}
