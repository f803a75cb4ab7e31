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
    /// Approximate bytes held by the object (for `collectgarbage("count")`).
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

/// Smallest heap size that triggers an automatic collection.
const MIN_THRESHOLD: usize = 1 << 20;

/// The heap: owns every object.
pub struct Heap {
    objects: Vec<GcAny>,
    /// Bytes currently allocated (approximate).
    pub bytes: usize,
    /// Allocation level at which the next automatic collection runs.
    threshold: usize,
    /// Whether automatic collection is running (`collectgarbage("stop")`).
    pub running: bool,
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
    /// Stress mode (`LUNETTE_GC_STRESS=1`): collect at every safe point.
    stress: bool,
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
            temp_roots: Vec::new(),
            finobj: Vec::new(),
            fin_registered: Default::default(),
            tobefnz: Vec::new(),
            in_finalizer: false,
            closing: false,
            stress: std::env::var_os("LUNETTE_GC_STRESS").is_some_and(|v| v == "1"),
            limit: usize::MAX,
        }
    }
}

impl Heap {
    /// A new, empty heap.
    pub fn new() -> Heap {
        Heap::default()
    }

    /// Whether the heap grew past the threshold of the next automatic collection.
    #[inline(always)]
    pub fn needs_collection(&self) -> bool {
        (self.bytes > self.threshold || self.stress) && self.running
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
    /// recounts the bytes held and sets the next threshold (twice the live size).
    pub(crate) fn sweep(&mut self) {
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
        self.bytes = bytes;
        self.threshold = (bytes * 2).max(MIN_THRESHOLD).min(self.limit);
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
        self.bytes += value.heap_size() + std::mem::size_of::<GcBox<T>>();
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
