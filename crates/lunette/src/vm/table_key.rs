//! Keys of a table's hash part: normalised key wrapper, hashing (string
//! hashes cached in the strings, integer keys hashed for locality, other
//! keys fully mixed) and byte-string lookups without allocation.

use super::string::hash_bytes;
use super::value::Value;
use crate::bytecode::TagMethod;
use indexmap::{Equivalent, IndexMap};
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// The hasher of table keys: the key's `Hash` impl writes its final hash
/// (already mixed by `key_hash`), which is returned unchanged.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher {
    state: u64,
}

impl Hasher for KeyHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.state
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.state ^= hash_bytes(bytes);
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.state ^= n;
    }
}

/// A normalised key of the hash part (never nil, NaN, or an integral float).
#[derive(Clone, Copy, Debug)]
pub(crate) struct HKey(pub(crate) Value);

/// The 64-bit hash input of a normalised key.
#[inline]
fn key_hash(v: &Value) -> u64 {
    match v {
        Value::Str(s) => mix(s.hash()),
        Value::Int(i) => int_hash(*i as u64),
        Value::Float(f) => mix(f.to_bits()),
        Value::Bool(b) => mix(0x5bd1_e995 + *b as u64),
        Value::Nil => 0,
        other => mix(other.addr() as u64),
    }
}

/// Spreads every input bit over the whole word (128-bit multiply folded).
#[inline]
fn mix(x: u64) -> u64 {
    let p = (x as u128).wrapping_mul(0x9E37_79B9_7F4A_7C15_u128);
    (p as u64) ^ ((p >> 64) as u64)
}

/// Integer keys: the low bits stay close to the key (consecutive keys land
/// in neighbouring buckets, as in Lua's `i mod size`), with higher key bits
/// folded in so power-of-two strides do not pile up in one bucket; the top
/// 7 bits (the hash table's per-slot tags) come from a full mix.
#[inline]
fn int_hash(x: u64) -> u64 {
    const LOW: u64 = u64::MAX >> 7;
    let low = x ^ (x >> 9) ^ (x >> 23) ^ (x >> 41);
    (low & LOW) | (mix(x) & !LOW)
}

impl Hash for HKey {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(key_hash(&self.0));
    }
}

impl PartialEq for HKey {
    #[inline]
    fn eq(&self, other: &HKey) -> bool {
        match (self.0, other.0) {
            // keys are normalised, so only same-variant keys can be equal
            (Value::Str(a), Value::Str(b)) => super::string::LuaStr::same(a, b),
            (Value::Int(a), Value::Int(b)) => a == b,
            (x, y) => x.raw_eq(&y),
        }
    }
}
impl Eq for HKey {}

/// A lookup key given as raw bytes (hashes like a string key).
pub(crate) struct BytesKey<'a> {
    /// The string's bytes.
    pub(crate) bytes: &'a [u8],
    /// Its string hash (`hash_bytes(bytes) | 1`).
    pub(crate) hash: u64,
}

impl Hash for BytesKey<'_> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        // must equal `key_hash` of the same string
        state.write_u64(mix(self.hash));
    }
}

impl Equivalent<HKey> for BytesKey<'_> {
    #[inline]
    fn equivalent(&self, key: &HKey) -> bool {
        match key.0 {
            Value::Str(s) => s.as_bytes() == self.bytes,
            _ => false,
        }
    }
}

/// The string hash of each event name (`__index`, ...), computed once.
pub(crate) fn tag_method_hash(tm: TagMethod) -> u64 {
    static HASHES: std::sync::OnceLock<[u64; TagMethod::ALL.len()]> = std::sync::OnceLock::new();
    let all = HASHES.get_or_init(|| TagMethod::ALL.map(|t| hash_bytes(t.name().as_bytes()) | 1));
    all[tm as usize]
}

pub(crate) type HashPart = IndexMap<HKey, Value, BuildHasherDefault<KeyHasher>>;
