//! Lua strings: immutable byte strings, one allocation each (a small
//! header followed by the bytes), short ones interned.
//!
//! A string of at most [`MAX_SHORT`] bytes is *short*: the heap keeps one
//! object per distinct short string (its string table, `gc/strtab.rs`),
//! so two short strings are equal exactly when they are the same object,
//! and their hash is computed once, when the string is created. Long
//! strings are not interned: equality compares lengths then bytes, and
//! the hash is computed on first use and cached. Strings are allocated
//! only by the heap (`Heap::new_str`), which lays the bytes out right
//! after the header (see `gc/heap.rs`).

use crate::gc::{Gc, GcAny, GcObject};
use std::cell::Cell;

/// Longest string that is interned (as in Lua 5.4).
pub const MAX_SHORT: usize = 40;

/// An immutable Lua string: this header, then `len` bytes in the same
/// allocation. Only the heap creates them; a `LuaStr` is only ever seen
/// behind a `Gc<LuaStr>` (never moved or copied out of its allocation).
#[repr(C)]
pub struct LuaStr {
    hash: Cell<u64>,
    len: usize,
}

impl LuaStr {
    /// The header of a string of `bytes` (its hash computed now when the
    /// string is short); the heap writes the bytes after it.
    pub(crate) fn header(bytes: &[u8], hash: u64) -> LuaStr {
        LuaStr {
            hash: Cell::new(hash),
            len: bytes.len(),
        }
    }

    /// The bytes.
    #[inline(always)]
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: a `LuaStr` exists only inside an allocation made by
        // `Heap::new_str`, which sizes it for `len` more bytes right after
        // the header and initialises them; the string is immutable and
        // lives as long as `self` can be borrowed (see `Gc::deref`). The
        // pointer is derived from `self`, so it addresses that allocation
        // (this relies on the Tree Borrows reading of reference provenance,
        // which allows reads past the header within the allocation).
        unsafe {
            let data = (self as *const LuaStr).add(1) as *const u8;
            std::slice::from_raw_parts(data, self.len)
        }
    }

    /// Length in bytes.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the string is empty.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the string is short, hence interned.
    #[inline(always)]
    pub fn is_short(&self) -> bool {
        self.len <= MAX_SHORT
    }

    /// The string's hash (`hash_bytes(bytes) | 1`, never 0): set at
    /// creation for short strings, computed on first call for long ones.
    #[inline]
    pub fn hash(&self) -> u64 {
        let h = self.hash.get();
        if h != 0 {
            return h;
        }
        let h = hash_bytes(self.as_bytes()) | 1;
        self.hash.set(h);
        h
    }

    /// The hash if it is known (always, for short strings), else 0.
    #[inline(always)]
    pub(crate) fn known_hash(&self) -> u64 {
        self.hash.get()
    }

    /// The bytes as UTF-8 text, lossily (for messages).
    pub fn to_str_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.as_bytes())
    }

    /// String equality: the same object, or (long strings only, since
    /// short ones are interned) the same length and bytes.
    #[inline(always)]
    pub fn same(a: Gc<LuaStr>, b: Gc<LuaStr>) -> bool {
        Gc::ptr_eq(a, b) || (a.len > MAX_SHORT && a.len == b.len && long_eq(a, b))
    }
}

/// Byte comparison of two long strings of equal length (the cached hash
/// first, when both are known).
#[inline(never)]
fn long_eq(a: Gc<LuaStr>, b: Gc<LuaStr>) -> bool {
    let (ha, hb) = (a.hash.get(), b.hash.get());
    if ha != 0 && hb != 0 && ha != hb {
        return false;
    }
    a.as_bytes() == b.as_bytes()
}

/// The string hash: the bytes taken eight at a time (little-endian words,
/// the last one zero-padded), each folded into the state by a 128-bit
/// multiply whose halves are xored; the length seeds the state.
pub fn hash_bytes(b: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    #[inline(always)]
    fn fold(x: u64, y: u64) -> u64 {
        let p = (x as u128).wrapping_mul(y as u128);
        (p as u64) ^ ((p >> 64) as u64)
    }
    let mut h = fold(b.len() as u64 ^ 0x2d35_8dcc_aa6c_78a5, K);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = fold(h ^ u64::from_le_bytes(w), K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = fold(h ^ tail_word(rest), K);
    }
    h
}

/// The 1-7 bytes `rest` as a zero-padded little-endian word, read as two
/// overlapping halves (the overlap holds the same bytes at the same
/// places), without the `memcpy` call a variable-length copy compiles to.
#[inline(always)]
fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    debug_assert!((1..8).contains(&n));
    let le32 = |i: usize| u32::from_le_bytes([rest[i], rest[i + 1], rest[i + 2], rest[i + 3]]);
    let le16 = |i: usize| u16::from_le_bytes([rest[i], rest[i + 1]]);
    if n >= 4 {
        le32(0) as u64 | (le32(n - 4) as u64) << (8 * (n - 4))
    } else if n >= 2 {
        le16(0) as u64 | (le16(n - 2) as u64) << (8 * (n - 2))
    } else {
        rest[0] as u64
    }
}

/// `hash_bytes` at compile time (for the metamethod names' hashes; a
/// unit test checks that both agree).
pub const fn hash_bytes_const(b: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    const fn fold(x: u64, y: u64) -> u64 {
        let p = (x as u128).wrapping_mul(y as u128);
        (p as u64) ^ ((p >> 64) as u64)
    }
    let mut h = fold(b.len() as u64 ^ 0x2d35_8dcc_aa6c_78a5, K);
    let mut i = 0;
    while i < b.len() {
        let mut w = 0u64;
        let mut j = 0;
        while j < 8 && i + j < b.len() {
            w |= (b[i + j] as u64) << (8 * j);
            j += 1;
        }
        h = fold(h ^ w, K);
        i += 8;
    }
    h
}

impl GcObject for LuaStr {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::Str(g)
    }
    fn heap_size(&self) -> usize {
        self.len
    }
}
