//! The string table: the heap's set of short strings (interning).
//!
//! Every short string (`vm/string.rs`, at most `MAX_SHORT` bytes) lives
//! here and nowhere else: a hash table of buckets chained through the
//! strings' own header links (no extra allocation per string). The table
//! is weak: a collection frees the unmarked strings and unlinks them
//! (`sweep_bucket`, a bucket at a time, so the sweep can be incremental).
//! It doubles when it holds more strings than buckets (not while a sweep
//! is under way: buckets must not move under it) and halves when it holds
//! fewer than a quarter.

use super::handle::size_of_obj;
use super::Gc;
use crate::vm::string::LuaStr;

/// Buckets of a new table (and the smallest size after shrinking).
const MIN_BUCKETS: usize = 128;

/// The set of short strings.
pub(super) struct StrTab {
    /// Heads of the chains (box addresses, 0: empty); a power of two long.
    buckets: Vec<usize>,
    /// Strings in the table.
    count: usize,
    /// Set while a sweep walks the buckets (no resizing meanwhile).
    pub(super) sweeping: bool,
}

impl StrTab {
    /// An empty table.
    pub(super) fn new() -> StrTab {
        StrTab {
            buckets: vec![0; MIN_BUCKETS],
            count: 0,
            sweeping: false,
        }
    }

    /// Bytes held by the bucket array (counted by the heap).
    pub(super) fn bucket_bytes(&self) -> usize {
        self.buckets.capacity() * std::mem::size_of::<usize>()
    }

    #[inline(always)]
    fn slot(&self, hash: u64) -> usize {
        hash as usize & (self.buckets.len() - 1)
    }

    /// The interned string with these bytes and hash (`hash_bytes | 1`).
    #[inline]
    pub(super) fn find(&self, bytes: &[u8], hash: u64) -> Option<Gc<LuaStr>> {
        let mut cur = self.buckets[self.slot(hash)];
        while cur != 0 {
            // SAFETY: chains hold only live short strings (dead ones are
            // unlinked by `sweep` before they are freed).
            let s: Gc<LuaStr> = unsafe { Gc::from_addr(cur) };
            if s.hash() == hash && s.as_bytes() == bytes {
                return Some(s);
            }
            cur = s.link();
        }
        None
    }

    /// Adds a new short string (not already present), growing the table
    /// when it holds more strings than buckets.
    pub(super) fn insert(&mut self, s: Gc<LuaStr>) {
        if self.count >= self.buckets.len() && !self.sweeping {
            self.resize(self.buckets.len() * 2);
        }
        let i = self.slot(s.hash());
        s.set_link(self.buckets[i]);
        self.buckets[i] = s.addr();
        self.count += 1;
    }

    /// Rehashes every string into `n` buckets (a power of two).
    fn resize(&mut self, n: usize) {
        let old = std::mem::replace(&mut self.buckets, vec![0; n]);
        for mut cur in old {
            while cur != 0 {
                // SAFETY: as in `find`.
                let s: Gc<LuaStr> = unsafe { Gc::from_addr(cur) };
                cur = s.link();
                let i = self.slot(s.hash());
                s.set_link(self.buckets[i]);
                self.buckets[i] = s.addr();
            }
        }
    }

    /// Number of buckets (the sweep's range).
    pub(super) fn bucket_count(&self) -> usize {
        self.buckets.len()
    }

    /// Unlinks the strings of bucket `i` whose mark bit is not `sense` and
    /// hands them to `free`; returns the number of strings visited, and the
    /// number and bytes of those freed.
    pub(super) fn sweep_bucket(
        &mut self,
        i: usize,
        sense: usize,
        mut free: impl FnMut(Gc<LuaStr>),
    ) -> (usize, usize, usize) {
        let (mut visited, mut freed, mut bytes) = (0, 0, 0);
        let Some(head) = self.buckets.get_mut(i) else {
            return (0, 0, 0);
        };
        let mut cur = *head;
        let mut last: Option<Gc<LuaStr>> = None;
        *head = 0;
        while cur != 0 {
            // SAFETY: as in `find`.
            let s: Gc<LuaStr> = unsafe { Gc::from_addr(cur) };
            cur = s.link();
            visited += 1;
            if s.mark_bit() == sense {
                match last {
                    Some(l) => l.set_link(s.addr()),
                    None => *head = s.addr(),
                }
                last = Some(s);
            } else {
                freed += 1;
                bytes += size_of_obj(s);
                // unmarked after a full mark at a safe point, so unreachable
                // (a lookup since then would have marked it); it was in
                // this chain once and is unlinked from it here (its
                // predecessor is relinked past it)
                free(s);
            }
        }
        if let Some(l) = last {
            l.set_link(0);
        }
        self.count -= freed;
        (visited, freed, bytes)
    }

    /// Shrinks the table if it became sparse (after a sweep).
    pub(super) fn shrink_if_sparse(&mut self) {
        let mut n = self.buckets.len();
        while n > MIN_BUCKETS && self.count < n / 4 {
            n /= 2;
        }
        if n != self.buckets.len() {
            self.resize(n);
            self.buckets.shrink_to_fit();
        }
    }

    /// Forgets every string (the heap is being dropped; the strings'
    /// memory goes with its pools).
    pub(super) fn forget_all(&mut self) {
        self.buckets.iter_mut().for_each(|b| *b = 0);
        self.count = 0;
    }
}
