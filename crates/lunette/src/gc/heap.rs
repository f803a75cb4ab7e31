//! The heap: allocation, accounting, and the lists of all objects,
//! finalizable objects and temporary roots. The collector's state machine
//! is in `collect.rs`, marking in `mark.rs`, sweeping in `sweep.rs`.

use super::collect::Phase;
use super::handle::{alloc_box_extra, drop_any, free_any, init_box, size_of_obj, GcBox};
use super::mark::Marker;
use super::pool::{self, Pool, CLASSES};
use super::strtab::StrTab;
use super::{Gc, GcAny, GcObject};
use crate::vm::string::{hash_bytes, LuaStr, MAX_SHORT};
use crate::vm::value::Value;
use std::cell::Cell;

thread_local! {
    /// Net bytes by which heap objects' owned buffers (table parts, thread
    /// stacks) grew since a heap last took them into account. Objects
    /// cannot reach their heap, so they report growth here; the heap folds
    /// it into `bytes` at its next allocation or `bytes_in_use` call, and a
    /// sweep (which recounts every object) resets it. With several states
    /// on one thread, growth between two allocations may be charged to the
    /// wrong one until its next collection; the sum stays right.
    static GROWTH: Cell<isize> = const { Cell::new(0) };
}

/// Records that an object's owned buffers went from `old` to `new` bytes
/// (call where a table part or a stack reallocates), so that
/// `collectgarbage("count")` and the collection threshold see it.
#[inline]
pub fn account_resize(old: usize, new: usize) {
    if old != new {
        GROWTH.with(|g| {
            g.set(
                g.get()
                    .wrapping_add((new as isize).wrapping_sub(old as isize)),
            )
        });
    }
}

/// Smallest heap size that triggers an automatic collection cycle (256
/// KiB: programs with little live data keep a peak RSS near lua5.4's; see
/// docs/performance.md, "Peak memory").
pub(super) const MIN_THRESHOLD: usize = 1 << 18;

/// Stress mode, from the `LUNETTE_GC_STRESS` environment variable:
/// collection work far more often than the pacing asks, to expose values
/// the collector cannot see (missing roots) and stores it does not see
/// (missing write barriers) as use-after-free.
///
/// Collections only run at safe points, and every safe point follows an
/// allocation or precedes a native call, so "a collection at every safe
/// point" is the strongest setting (`full`). Its cost is the live heap
/// size per allocation, quadratic for scripts that build large
/// structures, so the default stress mode (`1`) bounds it: it collects at
/// the next safe point once the objects allocated since the last collection
/// reach 1/`STRESS_DIVISOR` of the objects that survived it. While fewer
/// than `STRESS_DIVISOR` objects are live that is every allocation; on
/// larger heaps the marking work stays at most `STRESS_DIVISOR` object
/// visits per allocation (linear in the allocations).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StressMode {
    /// Normal pacing.
    Off,
    /// `LUNETTE_GC_STRESS=1`: bounded stress (see the type's doc).
    Bounded,
    /// `LUNETTE_GC_STRESS=full`: a full collection at every safe point.
    Full,
    /// `LUNETTE_GC_STRESS=incremental`: a small incremental step at every
    /// safe point, cycles back to back, so the mutator runs between
    /// marking steps as much as possible (finds missing write barriers).
    Incremental,
}

/// Largest string-building buffer kept for reuse.
const SCRATCH_KEEP: usize = 64 * 1024;

/// See `StressMode::Bounded`.
const STRESS_DIVISOR: usize = 256;

impl StressMode {
    fn from_env() -> StressMode {
        match std::env::var_os("LUNETTE_GC_STRESS") {
            Some(v) if v == "1" => StressMode::Bounded,
            Some(v) if v == "full" => StressMode::Full,
            Some(v) if v == "incremental" => StressMode::Incremental,
            _ => StressMode::Off,
        }
    }
}

/// Size classes of short strings (boxes of at most 64 bytes).
pub(super) const STR_CLASSES: usize = 3;

/// Source of heap ids (for the barrier's owner, see `barrier.rs`).
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The heap: owns every object.
pub struct Heap {
    /// Address of the most recently allocated object's box, other than
    /// short strings (0: none); each box's header links to the next.
    pub(super) all: usize,
    /// Number of objects, short strings included.
    pub(super) count: usize,
    /// The short strings (interned).
    pub(super) strings: StrTab,
    /// Slots for small objects other than strings, by size class.
    pub(super) pools: [Pool; CLASSES],
    /// Slots for short strings, by size class.
    pub(super) str_pools: [Pool; STR_CLASSES],
    /// A byte buffer reused to build strings (see `Vm::scratch_buffer`).
    scratch: Vec<u8>,
    /// Bytes held by Lua objects, as of the last allocation: each object's
    /// box (`GcBox<T>`, a string's bytes included) plus the buffers it owns
    /// (table parts, closure upvalue arrays, thread stacks and frames),
    /// plus the string table's buckets. Prototypes (code, shared by closures) are not counted.
    /// `bytes_in_use` adds growth reported since (see `account_resize`).
    pub bytes: usize,
    /// Allocation level at which the next collection step runs.
    pub(super) threshold: usize,
    /// Bytes in use after the last cycle (the live size estimate pacing
    /// the next one).
    pub(super) estimate: usize,
    /// Whether automatic collection is running (`collectgarbage("stop")`).
    pub running: bool,
    /// Mode and parameters (`collectgarbage` options).
    pub tuning: super::Tuning,
    /// Values held by Rust code across calls into Lua (see `collect.rs`).
    pub(super) temp_roots: Vec<Value>,
    /// Objects marked for finalization, in registration order.
    finobj: Vec<GcAny>,
    /// Addresses in `finobj` (an object is registered once).
    fin_registered: std::collections::HashSet<usize>,
    /// Unreachable finalizable objects whose finalizers are pending (roots).
    pub(super) tobefnz: Vec<GcAny>,
    /// Set while finalizers run (they do not nest).
    pub(crate) in_finalizer: bool,
    /// Set once the state is closing (no new finalizers are registered).
    pub(crate) closing: bool,
    /// Stress mode (see `StressMode`).
    pub(super) stress: StressMode,
    /// In stress mode, the object count at which the next collection runs
    /// (`usize::MAX` otherwise).
    pub(super) stress_next: usize,
    /// Allocation and collection counters (`lunette --stats`).
    pub stats: crate::vm::observe::HeapStats,
    /// Memory ceiling in bytes (`usize::MAX`: none; see `vm/memory.rs`).
    limit: usize,
    /// This heap's id (see `barrier.rs`).
    pub(super) id: u64,
    /// Where the collection cycle is.
    pub(super) phase: Phase,
    /// The marking state of the cycle.
    pub(super) marker: Marker,
    /// The mark bit of marked objects in the current (or next) cycle; it
    /// flips at the end of every sweep, so survivors turn white without a
    /// write (see `handle.rs`).
    pub(super) sense: usize,
    /// The mark bit given to new objects: white while marking, marked
    /// during the sweep (objects born then survive it).
    pub(super) alloc_bit: usize,
    /// Set when the cycle under way must run to its end without returning
    /// to the mutator (it has no write barriers, see `barrier.rs`).
    pub(super) complete_now: bool,
}

impl Default for Heap {
    fn default() -> Self {
        let strings = StrTab::new();
        let stress = StressMode::from_env();
        Heap {
            all: 0,
            count: 0,
            bytes: strings.bucket_bytes(),
            strings,
            pools: std::array::from_fn(Pool::new),
            str_pools: std::array::from_fn(Pool::new),
            scratch: Vec::new(),
            threshold: MIN_THRESHOLD,
            estimate: 0,
            running: true,
            tuning: Default::default(),
            temp_roots: Vec::new(),
            finobj: Vec::new(),
            fin_registered: Default::default(),
            tobefnz: Vec::new(),
            in_finalizer: false,
            closing: false,
            stress,
            stress_next: match stress {
                StressMode::Off => usize::MAX,
                _ => 0,
            },
            stats: Default::default(),
            limit: usize::MAX,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            phase: Phase::Pause,
            marker: Marker::default(),
            sense: 1,
            alloc_bit: 0,
            complete_now: false,
        }
    }
}

impl Heap {
    /// A new, empty heap.
    pub fn new() -> Heap {
        Heap::default()
    }

    /// Bytes held by Lua objects now (see `bytes`): what
    /// `collectgarbage("count")` reports, times 1024.
    pub fn bytes_in_use(&self) -> usize {
        let pending = GROWTH.with(|g| g.get());
        self.bytes.saturating_add_signed(pending)
    }

    /// Folds the growth reported by objects into `bytes`.
    #[inline]
    pub(crate) fn absorb_growth(&mut self) {
        let pending = GROWTH.with(|g| g.replace(0));
        self.bytes = self.bytes.saturating_add_signed(pending);
    }

    /// Whether the heap grew past the threshold of the next collection step.
    #[inline(always)]
    pub fn needs_collection(&self) -> bool {
        (self.bytes > self.threshold || self.count >= self.stress_next) && self.running
    }

    /// Keeps `vals` alive until `clear_temp_roots`.
    pub fn add_temp_roots(&mut self, vals: &[Value]) {
        self.temp_roots.extend_from_slice(vals);
    }

    /// The temporary roots.
    pub fn temp_roots(&self) -> &[Value] {
        &self.temp_roots
    }

    /// Forgets the temporary roots added after the first `len`.
    pub fn truncate_temp_roots(&mut self, len: usize) {
        self.temp_roots.truncate(len);
    }

    /// Forgets the temporary roots (when no native function is active).
    pub fn clear_temp_roots(&mut self) {
        self.temp_roots.clear();
    }

    /// Registers an object for finalization (once).
    pub(crate) fn register_finalizer(&mut self, o: GcAny) {
        if self.fin_registered.insert(o.addr()) {
            self.finobj.push(o);
        }
    }

    /// Moves every unmarked registered object to the pending list; returns
    /// whether any moved.
    pub(super) fn separate_unreachable(&mut self) -> bool {
        let before = self.tobefnz.len();
        let mut keep = Vec::with_capacity(self.finobj.len());
        let sense = self.marker.sense;
        for o in self.finobj.drain(..) {
            if o.mark_bit() == sense {
                keep.push(o);
            } else {
                self.fin_registered.remove(&o.addr());
                self.tobefnz.push(o);
            }
        }
        self.finobj = keep;
        self.tobefnz.len() > before
    }

    /// Takes the next pending finalizer (most recently registered first).
    pub(crate) fn pop_pending_finalizer(&mut self) -> Option<GcAny> {
        self.tobefnz.pop()
    }

    /// Makes every registered object's finalizer pending (state closing).
    pub(crate) fn finalize_all(&mut self) {
        self.fin_registered.clear();
        self.tobefnz.append(&mut self.finobj);
    }

    /// Sets the memory ceiling; the collection threshold never exceeds it
    /// (so the heap is collected before the ceiling is declared crossed).
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
        self.threshold = self.threshold.min(limit);
    }

    /// The memory ceiling (`usize::MAX`: none).
    #[inline(always)]
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Moves `value` into the heap and returns its handle. Not for
    /// strings (see `new_str`).
    pub fn alloc<T: GcObject>(&mut self, value: T) -> Gc<T> {
        self.absorb_growth();
        self.new_box(value, 0)
    }

    /// Moves `value` into the heap followed, in the same box, by a copy of
    /// `tail` (a Lua closure's upvalue cells): `T` reads its tail right
    /// after itself and reports `size_of_val(tail)` as its `heap_size`,
    /// which sizing (`size_of_obj`) and freeing (`free`) use as a string's
    /// length is used.
    pub(crate) fn alloc_with_tail<T: GcObject, E: Copy>(&mut self, value: T, tail: &[E]) -> Gc<T> {
        const {
            assert!(std::mem::align_of::<E>() <= std::mem::align_of::<GcBox<T>>());
            assert!(std::mem::size_of::<GcBox<T>>().is_multiple_of(std::mem::align_of::<E>()));
        }
        self.absorb_growth();
        let extra = std::mem::size_of_val(tail);
        let g = self.new_box(value, extra);
        // SAFETY: the box was sized for `extra` bytes right after the
        // `GcBox<T>`, whose size is a multiple of `E`'s alignment (checked
        // above), so the tail is aligned for `E`; nothing else refers to
        // the new box yet.
        unsafe {
            let data = (g.addr() as *mut u8).add(std::mem::size_of::<GcBox<T>>()) as *mut E;
            std::ptr::copy_nonoverlapping(tail.as_ptr(), data, tail.len());
        }
        debug_assert_eq!(g.heap_size(), extra);
        g
    }

    /// A new box holding `value` with `extra` bytes (uninitialised) after
    /// it: a pool slot when both fit one, else an allocation of its own on
    /// the object list; counted in the heap's bytes (`size_of_obj`: the
    /// object itself says how long its tail is), objects and statistics.
    #[inline(always)]
    fn new_box<T: GcObject>(&mut self, value: T, extra: usize) -> Gc<T> {
        let g = match pool::class_of(std::mem::size_of::<GcBox<T>>() + extra) {
            Some(c) => {
                let slot = self.pools[c].alloc();
                // SAFETY: a free slot of class `c`, large enough for the
                // box and `extra` bytes, 16-byte aligned (`pool.rs`).
                unsafe { init_box(slot as *mut u8, value, 0, self.alloc_bit) }
            }
            None => {
                let g = alloc_box_extra(value, self.all, self.alloc_bit, extra);
                self.all = g.addr();
                g
            }
        };
        self.bytes += size_of_obj(g);
        self.count += 1;
        self.stats.allocs[crate::vm::observe::alloc_kind(&T::into_any(g))] += 1;
        g
    }

    /// The string holding `bytes`: the existing one if the string is short
    /// and already interned (no allocation), else a new one.
    pub fn new_str(&mut self, bytes: &[u8]) -> Gc<LuaStr> {
        let short = bytes.len() <= MAX_SHORT;
        let hash = if short { hash_bytes(bytes) | 1 } else { 0 };
        if short {
            if let Some(s) = self.strings.find(bytes, hash) {
                if let Phase::Sweep(_) = self.phase {
                    // dead but not swept yet: in use again, it must survive
                    s.set_mark_bit(self.alloc_bit);
                }
                return s;
            }
        }
        self.absorb_growth();
        let header = LuaStr::header(bytes, hash);
        let size = std::mem::size_of::<GcBox<LuaStr>>() + bytes.len();
        let g = match pool::class_of(size) {
            Some(c) if short && c < STR_CLASSES => {
                let slot = self.str_pools[c].alloc();
                // SAFETY: a free slot of class `c`, large enough for the
                // box and the bytes, 16-byte aligned (`pool.rs`).
                unsafe { init_box(slot as *mut u8, header, 0, self.alloc_bit) }
            }
            _ => alloc_box_extra(header, 0, self.alloc_bit, bytes.len()),
        };
        // SAFETY: the box was sized for `bytes.len()` bytes right after the
        // `GcBox<LuaStr>` (where `LuaStr::as_bytes` reads them); nothing
        // else refers to the new box yet.
        unsafe {
            let data = (g.addr() as *mut u8).add(std::mem::size_of::<GcBox<LuaStr>>());
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), data, bytes.len());
        }
        self.bytes += size_of_obj(g);
        if short {
            let before = self.strings.bucket_bytes();
            self.strings.insert(g);
            self.bytes = self.bytes + self.strings.bucket_bytes() - before;
        } else {
            g.set_link(self.all);
            self.all = g.addr();
        }
        self.count += 1;
        self.stats.allocs[crate::vm::observe::alloc_kind(&GcAny::Str(g))] += 1;
        g
    }

    /// The forward write barrier: call when `owner` (an upvalue, closure,
    /// native closure or userdata) gets a reference to `v`. While a cycle
    /// marks, a white `v` stored into a marked owner is marked at once
    /// (see `barrier.rs`). Tables have their own barrier.
    #[inline]
    pub fn barrier<T>(&mut self, owner: Gc<T>, v: Value) {
        if let Phase::Propagate = self.phase {
            if owner.mark_bit() == self.marker.sense {
                self.marker.value(v);
            }
        }
    }

    /// `barrier` for an upvalue stored into a closure.
    #[inline]
    pub(crate) fn barrier_upval<T>(&mut self, owner: Gc<T>, uv: Gc<crate::vm::function::UpVal>) {
        if let Phase::Propagate = self.phase {
            if owner.mark_bit() == self.marker.sense {
                self.marker.obj(GcAny::UpVal(uv));
            }
        }
    }

    /// Takes the reusable string-building buffer (empty; give it back
    /// with `put_scratch`).
    pub fn take_scratch(&mut self) -> Vec<u8> {
        let mut b = std::mem::take(&mut self.scratch);
        b.clear();
        b
    }

    /// Returns the string-building buffer for reuse (dropped if large).
    pub fn put_scratch(&mut self, buf: Vec<u8>) {
        if buf.capacity() <= SCRATCH_KEEP {
            self.scratch = buf;
        }
    }

    /// The largest heap size reached so far (bytes only shrink in a sweep,
    /// so the size before each sweep step and the current one cover it).
    pub fn peak_bytes(&self) -> usize {
        self.stats.peak_bytes.max(self.bytes_in_use())
    }

    /// Number of objects currently on the heap.
    pub fn object_count(&self) -> usize {
        self.count
    }

    /// Pages held by the pools.
    pub(super) fn pool_pages(&self) -> usize {
        self.pools
            .iter()
            .chain(self.str_pools.iter())
            .map(|p| p.page_count())
            .sum()
    }

    /// Gives empty pool pages back while the pools hold more than `keep`
    /// bytes (the heap will grow to the next cycle's threshold anyway:
    /// pages it needs by then are kept, not freed and allocated again).
    pub(super) fn trim_pools(&mut self, keep: usize) {
        let mut held = self.pool_pages() * pool::PAGE_BYTES;
        for p in self.pools.iter_mut().chain(self.str_pools.iter_mut()) {
            if held <= keep {
                break;
            }
            let excess = (held - keep).div_ceil(pool::PAGE_BYTES);
            held -= p.release_empty(excess) * pool::PAGE_BYTES;
        }
    }

    /// The stress mode (see `StressMode`).
    pub fn stress_mode(&self) -> StressMode {
        self.stress
    }

    /// Sets the next stress collection after a cycle that left `live` objects.
    pub(super) fn schedule_stress(&mut self) {
        let live = self.count;
        self.stress_next = match self.stress {
            StressMode::Off | StressMode::Incremental => usize::MAX,
            StressMode::Bounded => live + (live / STRESS_DIVISOR).max(1),
            StressMode::Full => 0,
        };
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        super::barrier::release(self.id);
        let mut cur = std::mem::take(&mut self.all);
        while cur != 0 {
            // SAFETY: the heap is being dropped with its VM, so no handle
            // survives; `cur` is a live box of the list, visited once.
            unsafe {
                let o = GcAny::at(cur);
                cur = o.link();
                free_any(o);
            }
        }
        for p in &self.pools {
            // SAFETY: as above; each slot holding an object is visited once
            // and its page is freed afterwards with the pool.
            p.for_each_object(|addr| unsafe { drop_any(GcAny::at(addr)) });
        }
        // short strings need no drop: their pages go with the pools
        self.strings.forget_all();
    }
}
