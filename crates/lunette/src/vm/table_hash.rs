//! The hash part of a table: open addressing with linear probing over a
//! power-of-two array of 32-byte nodes (key and value side by side),
//! followed in the same allocation by one control byte per node.
//!
//! - Control bytes: 0 for a free node, else a 7-bit tag of the key's hash
//!   with the top bit set (`DEAD` for dead nodes). A probe compares tags
//!   first, so a miss walks a few bytes without touching the keys (string
//!   keys would otherwise be dereferenced for their hashes).
//! - A node whose key is nil is free. A node with a key and a nil value is
//!   a tombstone: the field was cleared, but the key stays so probe
//!   sequences and `next` traversals that are positioned on it keep
//!   working. A tombstone is revived when its key is assigned again and is
//!   reused for a new key inserted along its probe path (inserting new keys
//!   during a traversal is undefined in Lua). The collector turns
//!   tombstones whose key is about to be freed into dead nodes (key NaN,
//!   equal to nothing), which lookups skip and inserts reuse.
//! - A key's first slot is the top bits of its 64-bit hash times an odd
//!   constant (Fibonacci hashing), so strided integer keys spread out.
//! - A part is 16 bytes (pointer, mask, used count), so a `Table` is 48.
//! - `used` counts nodes with a key (live, tombstone or dead); an insert
//!   that would take a free node beyond the load limit fails, and the table
//!   rehashes (see `table.rs`). Small parts (up to 8 nodes) may fill
//!   completely; a probe never visits more nodes than the part has.
//! - An empty part allocates nothing: it points at a static free node with
//!   mask 0, so a lookup in it costs one compare and no null check.

use super::string::LuaStr;
use super::table_key::{key_eq, key_hash, same_str, str_hash, str_is, str_is_short};
use super::value::Value;
use crate::gc::Gc;
use std::ptr::NonNull;

/// One slot of the hash part.
#[derive(Clone, Copy)]
pub(crate) struct Node {
    /// The key (nil: free node; NaN: dead node).
    pub(crate) key: Value,
    /// The value (nil: free, tombstone or dead).
    pub(crate) val: Value,
}

/// The free node every empty hash part points at, with its control byte
/// right after it as in an allocated part of one node (never written).
#[repr(C)]
struct Dummy {
    node: Node,
    ctrl: [u8; 8],
}
// SAFETY: the dummy holds only nils and zero bytes and is never written
// (writes happen only when `HashPart::is_alloc`), so sharing it between
// threads cannot race.
unsafe impl Sync for Dummy {}
static DUMMY: Dummy = Dummy {
    node: Node {
        key: Value::Nil,
        val: Value::Nil,
    },
    ctrl: [0; 8],
};

/// Control byte of a dead node (never equal to a tag: tags are `>= 0x80`).
const DEAD: u8 = 1;

/// Bytes per node: the node and its control byte.
const NODE_BYTES: usize = std::mem::size_of::<Node>() + 1;

/// The layout of an allocation of `size` nodes.
fn layout(size: usize) -> Option<std::alloc::Layout> {
    std::alloc::Layout::from_size_align(size.checked_mul(NODE_BYTES)?, 8).ok()
}

/// The odd multiplier of Fibonacci hashing (2^64 / golden ratio).
const FIB: u64 = 0x9E37_79B9_7F4A_7C15;

/// Largest number of nodes (2^30; far beyond any memory limit).
const MAX_LOG: u32 = 30;

/// The hash part (see the module documentation).
pub(crate) struct HashPart {
    nodes: NonNull<Node>,
    /// Node count minus one (0 for the dummy).
    mask: u32,
    /// Nodes with a key.
    used: u32,
}

/// How many nodes with keys a part of `size` nodes may hold.
#[inline]
fn max_load(size: usize) -> usize {
    if size <= 8 {
        size
    } else {
        size - size / 8
    }
}

impl HashPart {
    /// An empty part (nothing allocated).
    pub(crate) fn empty() -> HashPart {
        HashPart {
            nodes: NonNull::from(&DUMMY.node),
            mask: 0,
            used: 0,
        }
    }

    /// A part with room for `n` keys (empty when `n` is 0); `Err` when it
    /// cannot be allocated.
    #[inline]
    pub(crate) fn with_room(n: usize) -> Result<HashPart, ()> {
        if n == 0 {
            return Ok(HashPart::empty());
        }
        HashPart::allocate(n)
    }

    /// `with_room` for `n > 0`.
    #[inline(never)]
    fn allocate(n: usize) -> Result<HashPart, ()> {
        let mut log = 0u32;
        while max_load(1usize << log) < n {
            log += 1;
            if log > MAX_LOG {
                return Err(());
            }
        }
        let size = 1usize << log;
        let layout = layout(size).ok_or(())?;
        // SAFETY: the layout has a non-zero size (`size >= 1`).
        let raw = unsafe { std::alloc::alloc(layout) };
        let nodes = NonNull::new(raw as *mut Node).ok_or(())?;
        for i in 0..size {
            // SAFETY: `i < size`: inside the allocation, which is aligned
            // for nodes; the slot is uninitialised and written once.
            unsafe {
                nodes.as_ptr().add(i).write(Node {
                    key: Value::Nil,
                    val: Value::Nil,
                })
            };
        }
        // SAFETY: the `size` control bytes follow the nodes inside the
        // allocation (`layout`).
        unsafe {
            raw.add(size * std::mem::size_of::<Node>())
                .write_bytes(0, size)
        };
        Ok(HashPart {
            nodes,
            mask: (size - 1) as u32,
            used: 0,
        })
    }

    /// Whether nodes are allocated.
    #[inline(always)]
    pub(crate) fn is_alloc(&self) -> bool {
        !std::ptr::eq(self.nodes.as_ptr(), &DUMMY.node)
    }

    /// Number of allocated nodes.
    #[inline]
    pub(crate) fn size(&self) -> usize {
        if self.is_alloc() {
            self.mask as usize + 1
        } else {
            0
        }
    }

    /// Bytes allocated for the nodes and their control bytes.
    #[inline]
    pub(crate) fn bytes(&self) -> usize {
        self.size() * NODE_BYTES
    }

    /// Control byte `i` (`i <= mask`: always in bounds, the dummy
    /// included).
    #[inline(always)]
    fn ctrl(&self, i: usize) -> u8 {
        debug_assert!(i <= self.mask as usize);
        // SAFETY: the control bytes of the `mask + 1` nodes follow them
        // (the dummy's too, `repr(C)`), and `i <= mask`.
        unsafe {
            *(self.nodes.as_ptr() as *const u8)
                .add((self.mask as usize + 1) * std::mem::size_of::<Node>() + i)
        }
    }

    /// Sets control byte `i` of an allocated part (`i < size()`).
    #[inline(always)]
    fn set_ctrl(&mut self, i: usize, c: u8) {
        debug_assert!(i < self.size());
        // SAFETY: as `ctrl`, for an allocated part owned by `self`.
        unsafe {
            *(self.nodes.as_ptr() as *mut u8)
                .add((self.mask as usize + 1) * std::mem::size_of::<Node>() + i) = c
        }
    }

    /// The allocated nodes (empty for the dummy).
    #[inline]
    pub(crate) fn nodes(&self) -> &[Node] {
        // SAFETY: `nodes` points to `size()` initialised nodes owned by
        // this part (or at the dummy, of which 0 nodes are exposed).
        unsafe { std::slice::from_raw_parts(self.nodes.as_ptr(), self.size()) }
    }

    /// The allocated nodes, mutably.
    #[inline]
    pub(crate) fn nodes_mut(&mut self) -> &mut [Node] {
        // SAFETY: as `nodes`; `&mut self` makes the access exclusive, and
        // the dummy is never exposed (size 0).
        unsafe { std::slice::from_raw_parts_mut(self.nodes.as_ptr(), self.size()) }
    }

    /// Node `i` (`i <= mask`: always in bounds, the dummy included).
    #[inline(always)]
    pub(crate) fn node(&self, i: usize) -> &Node {
        debug_assert!(i <= self.mask as usize);
        // SAFETY: the caller passes `i <= mask`; there are `mask + 1`
        // nodes (one, the dummy, when nothing is allocated).
        unsafe { &*self.nodes.as_ptr().add(i) }
    }

    /// Node `i` mutably (`i < size()`: an allocated node).
    #[inline(always)]
    pub(crate) fn node_mut(&mut self, i: usize) -> &mut Node {
        debug_assert!(i < self.size());
        // SAFETY: the caller passes an index of an allocated node (found
        // by a probe of an allocated part), owned by this part.
        unsafe { &mut *self.nodes.as_ptr().add(i) }
    }

    /// The mask of node indices (for validating predicted slots).
    #[inline(always)]
    pub(crate) fn mask(&self) -> usize {
        self.mask as usize
    }

    /// The first slot and the control tag of a key with hash `h`: the
    /// top `log2(size)` bits of `h * FIB` (the shift is `64 - log2(size)`,
    /// 64 wrapping to 0 for one node, where the mask keeps slot 0), and 7
    /// lower bits with the top bit set.
    #[inline(always)]
    fn slot_of(&self, h: u64) -> (usize, u8) {
        let p = h.wrapping_mul(FIB);
        let shift = 32 + self.mask.leading_zeros();
        let slot = (p.wrapping_shr(shift) as u32 & self.mask) as usize;
        (slot, (p >> 24) as u8 | 0x80)
    }

    /// Probes from the slot of hash `h` for a node whose key satisfies
    /// `eq` (tested only where the control tag matches); stops at a free
    /// node or after visiting every node.
    #[inline(always)]
    fn probe(&self, h: u64, mut eq: impl FnMut(&Value) -> bool) -> Option<usize> {
        let mask = self.mask as usize;
        let (mut i, tag) = self.slot_of(h);
        let mut left = mask;
        loop {
            let c = self.ctrl(i);
            if c == 0 {
                return None;
            }
            if c == tag && eq(&self.node(i).key) {
                return Some(i);
            }
            if left == 0 {
                return None;
            }
            left -= 1;
            i = (i + 1) & mask;
        }
    }

    /// The node holding normalised key `key` (a tombstone counts).
    #[inline]
    pub(crate) fn find(&self, key: &Value) -> Option<usize> {
        match key {
            Value::Str(s) => self.find_str(*s),
            Value::Int(i) => self.find_int(*i),
            _ => self.probe(key_hash(key), |k| key_eq(k, key)),
        }
    }

    /// The node holding string key `s`.
    #[inline]
    pub(crate) fn find_str(&self, s: Gc<LuaStr>) -> Option<usize> {
        self.probe(str_hash(s), |k| match k {
            Value::Str(ks) => same_str(*ks, s),
            _ => false,
        })
    }

    /// The node holding short (interned) string key `s`: pointer
    /// comparisons only. A part of up to 8 nodes has its control bytes
    /// compared all at once (a miss in a full small part, such as a
    /// method looked up in an object, then costs no walk over its nodes).
    #[inline]
    pub(crate) fn find_short_str(&self, s: Gc<LuaStr>) -> Option<usize> {
        debug_assert!(s.is_short());
        if self.mask < 8 {
            return self.find_in_small(s.known_hash(), |k| match k {
                Value::Str(ks) => Gc::ptr_eq(*ks, s),
                _ => false,
            });
        }
        self.probe(s.known_hash(), |k| match k {
            Value::Str(ks) => Gc::ptr_eq(*ks, s),
            _ => false,
        })
    }

    /// `probe` for a part of at most 8 nodes: the control bytes are read
    /// as one word and every node whose tag matches is tested (the order
    /// does not matter: a key is in at most one node).
    #[inline(always)]
    fn find_in_small(&self, h: u64, mut eq: impl FnMut(&Value) -> bool) -> Option<usize> {
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        debug_assert!(self.mask < 8);
        let (_, tag) = self.slot_of(h);
        let size = self.mask as usize + 1;
        // SAFETY: the `size` control bytes follow the `size` nodes (the
        // dummy's too: one node, eight zero bytes); exactly `size` bytes
        // (1, 2, 4 or 8) are read.
        let ctrl = unsafe {
            let p = (self.nodes.as_ptr() as *const u8).add(size * std::mem::size_of::<Node>());
            match size {
                1 => *p as u64,
                2 => u16::from_le_bytes(p.cast::<[u8; 2]>().read_unaligned()) as u64,
                4 => u32::from_le_bytes(p.cast::<[u8; 4]>().read_unaligned()) as u64,
                _ => u64::from_le_bytes(p.cast::<[u8; 8]>().read_unaligned()),
            }
        };
        // bytes equal to the tag, exactly (no carry crosses bytes); the
        // zero bytes above `size` never equal a tag (tags are >= 0x80)
        let x = ctrl ^ LO.wrapping_mul(tag as u64);
        let mut m = !(((x & !HI).wrapping_add(!HI)) | x) & HI;
        while m != 0 {
            let i = (m.trailing_zeros() / 8) as usize;
            if eq(&self.node(i).key) {
                return Some(i);
            }
            m &= m - 1;
        }
        None
    }

    /// The node holding integer key `i`.
    #[inline]
    pub(crate) fn find_int(&self, i: i64) -> Option<usize> {
        self.probe(i as u64, |k| matches!(k, Value::Int(ki) if *ki == i))
    }

    /// The node holding the string whose bytes are `name` and hash `h`.
    #[inline]
    pub(crate) fn find_bytes(&self, name: &[u8], h: u64) -> Option<usize> {
        self.probe(h, |k| match k {
            Value::Str(ks) => str_is(*ks, name, h),
            _ => false,
        })
    }

    /// `find_bytes` for a name of at most 16 bytes (an event name such
    /// as `__index`), compared without `memcmp`.
    #[inline(always)]
    pub(crate) fn find_short_name(&self, name: &[u8], h: u64) -> Option<usize> {
        debug_assert!(name.len() <= 16);
        self.probe(h, |k| match k {
            Value::Str(ks) => str_is_short(*ks, name, h),
            _ => false,
        })
    }

    /// The value of normalised key `key` (nil when absent).
    #[inline]
    pub(crate) fn get(&self, key: &Value) -> Value {
        match self.find(key) {
            Some(i) => self.node(i).val,
            None => Value::Nil,
        }
    }

    /// Inserts normalised `key`, known to be absent (not even as a
    /// tombstone), with non-nil `val`: in the first tombstone or dead node
    /// of its probe path, else in the free node ending it. Returns the node
    /// index, or `None` when the part is full (the caller rehashes).
    pub(crate) fn insert_absent(&mut self, key: Value, val: Value) -> Option<usize> {
        if !self.is_alloc() {
            return None;
        }
        let mask = self.mask as usize;
        let (mut i, tag) = self.slot_of(key_hash(&key));
        let mut left = mask;
        loop {
            if self.node(i).val.is_nil() {
                if self.ctrl(i) == 0 {
                    if self.used as usize + 1 > max_load(mask + 1) {
                        return None;
                    }
                    self.used += 1;
                }
                self.set_ctrl(i, tag);
                let n = self.node_mut(i);
                n.key = key;
                n.val = val;
                return Some(i);
            }
            if left == 0 {
                return None;
            }
            left -= 1;
            i = (i + 1) & mask;
        }
    }

    /// Live entries (non-nil values).
    pub(crate) fn live(&self) -> impl Iterator<Item = (Value, Value)> + '_ {
        self.nodes()
            .iter()
            .filter(|n| !n.val.is_nil())
            .map(|n| (n.key, n.val))
    }

    /// Number of live entries.
    pub(crate) fn live_count(&self) -> usize {
        self.nodes().iter().filter(|n| !n.val.is_nil()).count()
    }

    /// Turns tombstones whose key satisfies `dead` into dead nodes.
    pub(crate) fn kill_tombstones(&mut self, dead: impl Fn(Value) -> bool) {
        for i in 0..self.size() {
            let n = self.node_mut(i);
            if n.val.is_nil() && !n.key.is_nil() && dead(n.key) {
                n.key = Value::Float(f64::NAN);
                self.set_ctrl(i, DEAD);
            }
        }
    }
}

impl Drop for HashPart {
    fn drop(&mut self) {
        if let (true, Some(layout)) = (self.is_alloc(), layout(self.size())) {
            // SAFETY: an allocated part's memory comes from `alloc` with
            // this layout (`allocate`) and is owned by this part; nodes
            // need no drop (`Value` is `Copy`); this is the only place
            // freeing it.
            unsafe { std::alloc::dealloc(self.nodes.as_ptr() as *mut u8, layout) };
        }
    }
}
