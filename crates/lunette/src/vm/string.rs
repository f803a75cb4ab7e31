//! Lua strings: immutable byte strings with a cached hash.
//!
//! Strings are not interned (decision recorded in docs/design.md): equality
//! compares the handles first, then the bytes; the hash is computed once,
//! on first use, and cached.

use crate::gc::{Gc, GcAny, GcObject};
use std::cell::Cell;

/// An immutable Lua string.
pub struct LuaStr {
    bytes: Box<[u8]>,
    hash: Cell<u64>,
}

impl LuaStr {
    /// A new string holding `bytes`.
    pub fn new(bytes: &[u8]) -> LuaStr {
        LuaStr {
            bytes: bytes.into(),
            hash: Cell::new(0),
        }
    }

    /// A new string taking ownership of `bytes`.
    pub fn from_vec(bytes: Vec<u8>) -> LuaStr {
        LuaStr {
            bytes: bytes.into_boxed_slice(),
            hash: Cell::new(0),
        }
    }

    /// The bytes.
    #[inline(always)]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Length in bytes.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the string is empty.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The string's hash (computed on first call, then cached; never 0).
    #[inline]
    pub fn hash(&self) -> u64 {
        let h = self.hash.get();
        if h != 0 {
            return h;
        }
        let h = hash_bytes(&self.bytes) | 1;
        self.hash.set(h);
        h
    }

    /// The bytes as UTF-8 text, lossily (for messages).
    pub fn to_str_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

/// FNV-1a over the bytes, then a final mix.
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (b.len() as u64);
    for &c in b {
        h ^= c as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

impl GcObject for LuaStr {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::Str(g)
    }
    fn heap_size(&self) -> usize {
        self.bytes.len()
    }
}
