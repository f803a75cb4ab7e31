//! The heap: allocation, handles and the list of all objects.

use super::strtab::StrTab;
use crate::vm::function::{LuaClosure, NativeClosure, UpVal};
use crate::vm::string::{hash_bytes, LuaStr, MAX_SHORT};
use crate::vm::table::Table;
use crate::vm::thread::Thread;
use crate::vm::userdata::UserData;
use crate::vm::value::Value;
use std::alloc::Layout;
use std::cell::Cell;
use std::fmt;
use std::ops::Deref;
use std::ptr::NonNull;

/// The kind of a heap object, kept in its header word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum Kind {
    /// `LuaStr`.
    Str = 0,
    /// `Table`.
    Table = 1,
    /// `LuaClosure`.
    LuaFn = 2,
    /// `NativeClosure`.
    Native = 3,
    /// `UpVal`.
    UpVal = 4,
    /// `UserData`.
    UserData = 5,
    /// `Thread`.
    Thread = 6,
}

/// Bits of the header word below the link: the mark (bit 0) and the kind
/// (bits 1-3). Boxes are allocated 16-byte aligned, so the link (the
/// address of the next object's box, or 0) never uses them.
const TAG_BITS: usize = 0b1111;
/// The mark bit of the header word.
const MARK_BIT: usize = 1;
/// Alignment of every box (frees the header's four tag bits).
const BOX_ALIGN: usize = 16;

/// A heap cell: one word of header (link to the next object of its list,
/// kind and mark) before the object. Strings keep their bytes right after
/// the `LuaStr` header, in the same allocation.
#[repr(C)]
pub struct GcBox<T> {
    header: Cell<usize>,
    value: T,
}

/// The allocation layout of a `GcBox<T>` followed by `extra` bytes.
fn box_layout<T>(extra: usize) -> Layout {
    let size = std::mem::size_of::<GcBox<T>>().saturating_add(extra);
    let align = std::mem::align_of::<GcBox<T>>().max(BOX_ALIGN);
    match Layout::from_size_align(size, align) {
        Ok(l) => l,
        // only for sizes near isize::MAX, which no existing byte slice has
        Err(_) => panic!("capacity overflow"),
    }
}

/// A handle to a heap object. `Copy`; valid while the object is reachable
/// from the roots (the heap owns the object).
pub struct Gc<T> {
    ptr: NonNull<GcBox<T>>,
}

impl<T> Clone for Gc<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Gc<T> {}

impl<T> Deref for Gc<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: a `Gc` is only created by the heap's allocation functions
        // (or rebuilt from a list link, which points to such a box), and the
        // heap frees an object only when the collector proved it
        // unreachable, so a handle reachable by running code points to a
        // live, initialised `GcBox`.
        unsafe { &self.ptr.as_ref().value }
    }
}

impl<T> Gc<T> {
    /// Whether two handles name the same object.
    #[inline(always)]
    pub fn ptr_eq(a: Gc<T>, b: Gc<T>) -> bool {
        a.ptr == b.ptr
    }
    /// The object's address (for `tostring` and hashing).
    #[inline(always)]
    pub fn addr(self) -> usize {
        self.ptr.as_ptr() as usize
    }
    #[inline(always)]
    fn header(&self) -> &Cell<usize> {
        // SAFETY: as in `deref`.
        unsafe { &self.ptr.as_ref().header }
    }
    /// Whether the collector marked the object in the current cycle.
    #[inline(always)]
    pub fn is_marked(self) -> bool {
        self.header().get() & MARK_BIT != 0
    }
    /// Sets the collector's mark.
    #[inline(always)]
    pub fn set_marked(self, m: bool) {
        let h = self.header();
        h.set((h.get() & !MARK_BIT) | m as usize);
    }
    /// The address of the next object in this object's list (0: none).
    #[inline(always)]
    pub(super) fn link(self) -> usize {
        self.header().get() & !TAG_BITS
    }
    /// Sets the next object in this object's list (an address from
    /// `addr`, or 0).
    #[inline(always)]
    pub(super) fn set_link(self, next: usize) {
        let h = self.header();
        h.set((h.get() & TAG_BITS) | next);
    }
    /// The handle of the object whose box is at `addr`.
    ///
    /// # Safety
    /// `addr` must be the address of a live box of a `T` (a list link).
    #[inline(always)]
    pub(super) unsafe fn from_addr(addr: usize) -> Gc<T> {
        Gc {
            // SAFETY: by the contract, a live box's address is not null.
            ptr: unsafe { NonNull::new_unchecked(addr as *mut GcBox<T>) },
        }
    }
}

impl<T> PartialEq for Gc<T> {
    fn eq(&self, other: &Self) -> bool {
        self.ptr == other.ptr
    }
}
impl<T> Eq for Gc<T> {}

impl<T> fmt::Debug for Gc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gc({:#x})", self.addr())
    }
}

/// Any heap object, as the heap lists them.
#[derive(Clone, Copy, Debug)]
pub enum GcAny {
    /// A string.
    Str(Gc<LuaStr>),
    /// A table.
    Table(Gc<Table>),
    /// A Lua closure.
    LuaFn(Gc<LuaClosure>),
    /// A native (Rust) function.
    Native(Gc<NativeClosure>),
    /// An upvalue.
    UpVal(Gc<UpVal>),
    /// A full userdata.
    UserData(Gc<UserData>),
    /// A coroutine.
    Thread(Gc<Thread>),
}

/// Applies `$f` to the typed handle inside a `GcAny`.
macro_rules! with_any {
    ($o:expr, $g:ident => $e:expr) => {
        match $o {
            GcAny::Str($g) => $e,
            GcAny::Table($g) => $e,
            GcAny::LuaFn($g) => $e,
            GcAny::Native($g) => $e,
            GcAny::UpVal($g) => $e,
            GcAny::UserData($g) => $e,
            GcAny::Thread($g) => $e,
        }
    };
}

impl GcAny {
    /// The object's address.
    pub fn addr(self) -> usize {
        with_any!(self, g => g.addr())
    }
    /// Whether the collector marked the object.
    pub fn is_marked(self) -> bool {
        with_any!(self, g => g.is_marked())
    }
    /// Sets the collector's mark.
    pub fn set_marked(self, m: bool) {
        with_any!(self, g => g.set_marked(m))
    }
    /// The next object of its list (0: none).
    fn link(self) -> usize {
        with_any!(self, g => g.link())
    }
    /// Sets the next object of its list.
    fn set_link(self, next: usize) {
        with_any!(self, g => g.set_link(next))
    }
    /// The object whose box is at `addr`, typed by its header's kind.
    ///
    /// # Safety
    /// `addr` must be the address of a live box (a list link).
    unsafe fn at(addr: usize) -> GcAny {
        // SAFETY: by the contract, `addr` is a live box, whose header word
        // is its first field (`repr(C)`) and was written by the heap.
        let word = unsafe { (*(addr as *const Cell<usize>)).get() };
        // SAFETY (each arm): the kind bits were written from the box's
        // type `T::KIND` when it was allocated, so the box holds that type.
        unsafe {
            match (word >> 1) & 7 {
                0 => GcAny::Str(Gc::from_addr(addr)),
                1 => GcAny::Table(Gc::from_addr(addr)),
                2 => GcAny::LuaFn(Gc::from_addr(addr)),
                3 => GcAny::Native(Gc::from_addr(addr)),
                4 => GcAny::UpVal(Gc::from_addr(addr)),
                5 => GcAny::UserData(Gc::from_addr(addr)),
                _ => GcAny::Thread(Gc::from_addr(addr)),
            }
        }
    }
}

/// Implemented by every type the heap can hold.
pub trait GcObject: Sized {
    /// Wraps a handle into the heap's object list entry.
    fn into_any(g: Gc<Self>) -> GcAny;
    /// Bytes of the buffers the object owns outside its box (table parts,
    /// ...; for a string, its bytes after the header), for `collectgarbage("count")`; the box itself
    /// (`size_of::<GcBox<Self>>()`) is counted by the heap.
    fn heap_size(&self) -> usize {
        0
    }
}

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

/// Smallest heap size that triggers an automatic collection.
const MIN_THRESHOLD: usize = 1 << 20;

/// Stress mode, from the `LUNETTE_GC_STRESS` environment variable: full
/// collections far more often than the pacing asks, to expose values the
/// collector cannot see (missing roots) as use-after-free.
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
            _ => StressMode::Off,
        }
    }
}

/// The heap: owns every object.
pub struct Heap {
    /// Address of the most recently allocated object's box, other than
    /// short strings (0: none); each box's header links to the next.
    all: usize,
    /// Number of objects, short strings included.
    count: usize,
    /// The short strings (interned).
    strings: StrTab,
    /// A byte buffer reused to build strings (see `Vm::scratch_buffer`).
    scratch: Vec<u8>,
    /// Bytes held by Lua objects, as of the last allocation: each object's
    /// box (`GcBox<T>`, a string's bytes included) plus the buffers it owns
    /// (table parts, closure upvalue arrays, thread stacks and frames),
    /// plus the string table's buckets. Prototypes (code, shared by closures) are not counted.
    /// `bytes_in_use` adds growth reported since (see `account_resize`).
    pub bytes: usize,
    /// Allocation level at which the next automatic collection runs.
    threshold: usize,
    /// Whether automatic collection is running (`collectgarbage("stop")`).
    pub running: bool,
    /// Mode and parameters (`collectgarbage` options).
    pub tuning: super::Tuning,
    /// Values held by Rust code across calls into Lua (see `collect.rs`).
    temp_roots: Vec<Value>,
    /// Objects marked for finalization, in registration order.
    finobj: Vec<GcAny>,
    /// Addresses in `finobj` (an object is registered once).
    fin_registered: std::collections::HashSet<usize>,
    /// Unreachable finalizable objects whose finalizers are pending (roots).
    tobefnz: Vec<GcAny>,
    /// Set while finalizers run (they do not nest).
    pub(crate) in_finalizer: bool,
    /// Set once the state is closing (no new finalizers are registered).
    pub(crate) closing: bool,
    /// Stress mode (see `StressMode`).
    stress: StressMode,
    /// In stress mode, the object count at which the next collection runs
    /// (`usize::MAX` otherwise).
    stress_next: usize,
    /// Allocation and collection counters (`lunette --stats`).
    pub stats: crate::vm::observe::HeapStats,
    /// Memory ceiling in bytes (`usize::MAX`: none; see `vm/memory.rs`).
    limit: usize,
}

impl Default for Heap {
    fn default() -> Self {
        let strings = StrTab::new();
        Heap {
            all: 0,
            count: 0,
            bytes: strings.bucket_bytes(),
            strings,
            scratch: Vec::new(),
            threshold: MIN_THRESHOLD,
            running: true,
            tuning: Default::default(),
            temp_roots: Vec::new(),
            finobj: Vec::new(),
            fin_registered: Default::default(),
            tobefnz: Vec::new(),
            in_finalizer: false,
            closing: false,
            stress: StressMode::from_env(),
            stress_next: match StressMode::from_env() {
                StressMode::Off => usize::MAX,
                _ => 0,
            },
            stats: Default::default(),
            limit: usize::MAX,
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

    /// Whether the heap grew past the threshold of the next automatic collection.
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

    /// Objects with pending finalizers (collection roots).
    pub(crate) fn pending_finalizers(&self) -> &[GcAny] {
        &self.tobefnz
    }

    /// Moves every unmarked registered object to the pending list; returns
    /// whether any moved.
    pub(crate) fn separate_unreachable(&mut self) -> bool {
        let before = self.tobefnz.len();
        let mut keep = Vec::with_capacity(self.finobj.len());
        for o in self.finobj.drain(..) {
            if o.is_marked() {
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

    /// Removes, from every surviving table, cleared entries whose key is
    /// about to be freed (call after marking, before `sweep`).
    pub(crate) fn purge_dead_tombstones(&self) {
        let mut cur = self.all;
        while cur != 0 {
            // SAFETY: `cur` is `all` or a link of the list, which holds
            // only live boxes (freed ones are unlinked in `sweep`).
            let o = unsafe { GcAny::at(cur) };
            if let GcAny::Table(t) = o {
                if t.is_marked() {
                    t.purge_dead_tombstones(|k| !super::collect::value_marked(k));
                }
            }
            cur = o.link();
        }
    }

    /// Frees every unmarked object, clears the marks of the survivors,
    /// recounts the bytes held and sets the next threshold (the live size times
    /// the pause, 200% by default, at least 125%).
    pub(crate) fn sweep(&mut self) {
        // the recount below includes every growth reported so far
        GROWTH.with(|g| g.set(0));
        let mut bytes = 0;
        let mut count = 0;
        let mut first = 0;
        let mut last: Option<GcAny> = None;
        let mut cur = self.all;
        while cur != 0 {
            // SAFETY: `cur` is `all` or a link of the list, which holds only
            // live boxes.
            let o = unsafe { GcAny::at(cur) };
            cur = o.link();
            let (marked, size) = with_any!(o, g => (g.is_marked(), size_of_obj(g)));
            if marked {
                bytes += size;
                count += 1;
                o.set_marked(false);
                match last {
                    Some(l) => l.set_link(o.addr()),
                    None => first = o.addr(),
                }
                last = Some(o);
            } else {
                // SAFETY: the object is unmarked after a full mark from the
                // roots at a safe point, so no live value refers to it; it
                // is in the list once and is unlinked from it here (its
                // predecessor is relinked past it).
                unsafe { free_any(o) };
            }
        }
        if let Some(l) = last {
            l.set_link(0);
        }
        self.all = first;
        let (live, sbytes) = self.strings.sweep();
        self.count = count + live;
        bytes += sbytes + self.strings.bucket_bytes();
        self.bytes = bytes;
        // a full collection costs the live size: waiting for at least a
        // quarter of it keeps collection work linear in the allocation
        // even with a pause of 100% or less
        let pause = self.tuning.pause_percent().max(125);
        self.threshold = (bytes / 100)
            .saturating_mul(pause)
            .max(MIN_THRESHOLD)
            .min(self.limit);
        let live = self.count;
        self.stress_next = match self.stress {
            StressMode::Off => usize::MAX,
            StressMode::Bounded => live + (live / STRESS_DIVISOR).max(1),
            StressMode::Full => 0,
        };
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
        self.bytes += value.heap_size() + std::mem::size_of::<GcBox<T>>();
        let g = alloc_box_extra(value, self.all, 0);
        self.all = g.addr();
        self.count += 1;
        self.stats.allocs[crate::vm::observe::alloc_kind(&T::into_any(g))] += 1;
        g
    }

    /// Moves `value` into the heap followed, in the same allocation, by a
    /// copy of `tail` (a Lua closure's upvalue cells): `T` reads its tail
    /// right after itself and reports `size_of_val(tail)` as its
    /// `heap_size`, which `free` uses to rebuild the layout.
    pub(crate) fn alloc_with_tail<T: GcObject, E: Copy>(&mut self, value: T, tail: &[E]) -> Gc<T> {
        const {
            assert!(std::mem::align_of::<E>() <= std::mem::align_of::<GcBox<T>>());
            assert!(std::mem::size_of::<GcBox<T>>().is_multiple_of(std::mem::align_of::<E>()));
        }
        self.absorb_growth();
        let extra = std::mem::size_of_val(tail);
        self.bytes += extra + std::mem::size_of::<GcBox<T>>();
        let g = alloc_box_extra(value, self.all, extra);
        // SAFETY: `alloc_box_extra` sized the allocation for `extra` bytes
        // right after the `GcBox<T>`, whose size is a multiple of `E`'s
        // alignment (checked above), so the tail is aligned for `E`;
        // nothing else refers to the new box yet.
        unsafe {
            let data = (g.addr() as *mut u8).add(std::mem::size_of::<GcBox<T>>()) as *mut E;
            std::ptr::copy_nonoverlapping(tail.as_ptr(), data, tail.len());
        }
        debug_assert_eq!(g.heap_size(), extra);
        self.all = g.addr();
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
                return s;
            }
        }
        self.absorb_growth();
        let header = LuaStr::header(bytes, hash);
        let g = alloc_box_extra(header, 0, bytes.len());
        // SAFETY: `alloc_box_extra` sized the allocation for `bytes.len()`
        // bytes right after the `GcBox<LuaStr>` (where `LuaStr::as_bytes`
        // reads them); nothing else refers to the new box yet.
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
    /// so the size before each collection and the current one cover it).
    pub fn peak_bytes(&self) -> usize {
        self.stats.peak_bytes.max(self.bytes_in_use())
    }

    /// Number of objects currently on the heap.
    pub fn object_count(&self) -> usize {
        self.count
    }
}

/// Allocates a box holding `value`, linked to `next`, with `extra` more
/// bytes (uninitialised) after it.
fn alloc_box_extra<T: GcObject>(value: T, next: usize, extra: usize) -> Gc<T> {
    let layout = box_layout::<T>(extra);
    // SAFETY: the layout's size is at least the size of the header word.
    let p = unsafe { std::alloc::alloc(layout) } as *mut GcBox<T>;
    let Some(ptr) = NonNull::new(p) else {
        std::alloc::handle_alloc_error(layout)
    };
    debug_assert_eq!(p as usize & TAG_BITS, 0);
    // SAFETY: `p` is a fresh allocation with the layout of `GcBox<T>`
    // (plus `extra` bytes), aligned to `BOX_ALIGN`, so the link's tag bits
    // are free for the kind.
    unsafe {
        p.write(GcBox {
            header: Cell::new(next),
            value,
        })
    };
    let g = Gc { ptr };
    let kind = any_kind(T::into_any(g));
    g.header().set(next | ((kind as usize) << 1));
    g
}

/// The kind of an object (a constant for each `T`, once inlined).
#[inline(always)]
fn any_kind(o: GcAny) -> Kind {
    match o {
        GcAny::Str(_) => Kind::Str,
        GcAny::Table(_) => Kind::Table,
        GcAny::LuaFn(_) => Kind::LuaFn,
        GcAny::Native(_) => Kind::Native,
        GcAny::UpVal(_) => Kind::UpVal,
        GcAny::UserData(_) => Kind::UserData,
        GcAny::Thread(_) => Kind::Thread,
    }
}

/// Frees one object.
///
/// # Safety
/// `g` must come from the heap's allocation functions, must not have been
/// freed, and must not be used afterwards.
pub(super) unsafe fn free<T: GcObject>(g: Gc<T>) {
    let extra = match T::into_any(g) {
        // bytes allocated after the box: a string's text, a Lua closure's
        // upvalue cells (`alloc_with_tail`)
        GcAny::Str(_) | GcAny::LuaFn(_) => g.heap_size(),
        _ => 0,
    };
    let p = g.ptr.as_ptr();
    // SAFETY: by the function's contract the box is live and initialised
    // and was allocated by `alloc_box_extra` with this layout (the extra
    // bytes are a string's length, which never changes, or a closure's
    // upvalue count times the cell size, fixed by its prototype, which the
    // closure holds until the `drop_in_place` below).
    unsafe {
        std::ptr::drop_in_place(p);
        std::alloc::dealloc(p as *mut u8, box_layout::<T>(extra));
    }
}

/// Frees any object.
///
/// # Safety
/// As `free`.
unsafe fn free_any(o: GcAny) {
    // SAFETY: forwarded from the caller's contract.
    unsafe { with_any!(o, g => free(g)) }
}

/// Bytes held by an object: its box (with a string's bytes) and owned buffers.
pub(super) fn size_of_obj<T: GcObject>(g: Gc<T>) -> usize {
    g.heap_size() + std::mem::size_of::<GcBox<T>>()
}

impl Drop for Heap {
    fn drop(&mut self) {
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
        self.strings.free_all();
    }
}
