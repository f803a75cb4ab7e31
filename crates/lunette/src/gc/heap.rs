//! The heap: allocation, handles and the list of all objects.

use crate::vm::function::{LuaClosure, NativeClosure, UpVal};
use crate::vm::string::LuaStr;
use crate::vm::table::Table;
use crate::vm::thread::Thread;
use crate::vm::userdata::UserData;
use crate::vm::value::Value;
use std::cell::Cell;
use std::fmt;
use std::ops::Deref;
use std::ptr::NonNull;

/// A heap cell: the collector's mark beside the object.
pub struct GcBox<T> {
    marked: Cell<bool>,
    value: T,
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
        // SAFETY: a `Gc` is only created by `Heap::alloc`, and the heap frees
        // an object only when the collector proved it unreachable, so a
        // handle reachable by running code points to a live `GcBox`.
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
    /// Whether the collector marked the object in the current cycle.
    pub fn is_marked(self) -> bool {
        // SAFETY: as in `deref`.
        unsafe { self.ptr.as_ref().marked.get() }
    }
    /// Sets the collector's mark.
    pub fn set_marked(self, m: bool) {
        // SAFETY: as in `deref`.
        unsafe { self.ptr.as_ref().marked.set(m) }
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
}

/// Implemented by every type the heap can hold.
pub trait GcObject: Sized {
    /// Wraps a handle into the heap's object list entry.
    fn into_any(g: Gc<Self>) -> GcAny;
    /// Bytes of the buffers the object owns outside its box (string bytes,
    /// table parts, ...), for `collectgarbage("count")`; the box itself
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
    objects: Vec<GcAny>,
    /// Bytes held by Lua objects, as of the last allocation: each object's
    /// box (`GcBox<T>`) plus the buffers it owns (string bytes, table parts,
    /// closure upvalue arrays, thread stacks and frames), plus the heap's
    /// object list. Prototypes (code, shared by closures) are not counted.
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
    /// Memory ceiling in bytes (`usize::MAX`: none; see `vm/memory.rs`).
    limit: usize,
}

impl Default for Heap {
    fn default() -> Self {
        Heap {
            objects: Vec::new(),
            bytes: 0,
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
        (self.bytes > self.threshold || self.objects.len() >= self.stress_next) && self.running
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
        for o in &self.objects {
            if let GcAny::Table(t) = *o {
                if t.is_marked() {
                    t.purge_dead_tombstones(|k| !super::collect::value_marked(k));
                }
            }
        }
    }

    /// Frees every unmarked object, clears the marks of the survivors,
    /// recounts the bytes held and sets the next threshold (the live size times
    /// the pause, 200% by default, at least 125%).
    pub(crate) fn sweep(&mut self) {
        // the recount below includes every growth reported so far
        GROWTH.with(|g| g.set(0));
        let mut bytes = 0;
        self.objects.retain(|o| {
            let (marked, size) = with_any!(*o, g => (g.is_marked(), size_of_obj(g)));
            if marked {
                bytes += size;
                o.set_marked(false);
                true
            } else {
                // SAFETY: the object is unmarked after a full mark from the
                // roots at a safe point, so no live value refers to it; it
                // appears once in `objects` and is dropped from it here.
                unsafe { free_any(*o) };
                false
            }
        });
        if self.objects.capacity() > 4 * self.objects.len().max(1024) {
            self.objects.shrink_to(2 * self.objects.len());
        }
        bytes += self.objects.capacity() * std::mem::size_of::<GcAny>();
        self.bytes = bytes;
        // a full collection costs the live size: waiting for at least a
        // quarter of it keeps collection work linear in the allocation
        // even with a pause of 100% or less
        let pause = self.tuning.pause_percent().max(125);
        self.threshold = (bytes / 100)
            .saturating_mul(pause)
            .max(MIN_THRESHOLD)
            .min(self.limit);
        let live = self.objects.len();
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

    /// Moves `value` into the heap and returns its handle.
    pub fn alloc<T: GcObject>(&mut self, value: T) -> Gc<T> {
        self.absorb_growth();
        self.bytes += value.heap_size() + std::mem::size_of::<GcBox<T>>();
        if self.objects.len() == self.objects.capacity() {
            let cap = self.objects.capacity();
            self.objects.reserve(1);
            self.bytes += (self.objects.capacity() - cap) * std::mem::size_of::<GcAny>();
        }
        let b = Box::new(GcBox {
            marked: Cell::new(false),
            value,
        });
        let g = Gc {
            ptr: NonNull::from(Box::leak(b)),
        };
        self.objects.push(T::into_any(g));
        g
    }

    /// Number of objects currently on the heap.
    pub fn object_count(&self) -> usize {
        self.objects.len()
    }
}

/// Frees one object.
///
/// # Safety
/// `g` must come from `Heap::alloc`, must not have been freed, and must not
/// be used afterwards.
unsafe fn free<T>(g: Gc<T>) {
    // SAFETY: by the function's contract the box came from `Box::leak`.
    drop(unsafe { Box::from_raw(g.ptr.as_ptr()) });
}

/// Frees any object.
///
/// # Safety
/// As `free`.
unsafe fn free_any(o: GcAny) {
    // SAFETY: forwarded from the caller's contract.
    unsafe { with_any!(o, g => free(g)) }
}

fn size_of_obj<T: GcObject>(g: Gc<T>) -> usize {
    g.heap_size() + std::mem::size_of::<GcBox<T>>()
}

impl Drop for Heap {
    fn drop(&mut self) {
        for o in self.objects.drain(..) {
            // SAFETY: the heap is being dropped with its VM, so no handle
            // survives; each object is in the list exactly once.
            unsafe { free_any(o) }
        }
    }
}
