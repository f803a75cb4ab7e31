//! Object handles: the heap cell (`GcBox`: one header word, then the
//! object), the typed handle `Gc<T>`, the untyped `GcAny`, and the
//! allocation and freeing of single boxes.
//!
//! The header word holds the link to the next object of the object's list
//! (the heap's list of all objects, or a string-table chain), the kind
//! (bits 1-3) and the mark bit (bit 0). Whether a set mark bit means
//! "marked" depends on the heap's current *sense*, which flips after each
//! sweep (see `collect.rs`), so survivors never need their mark cleared.

use crate::vm::function::{LuaClosure, NativeClosure, UpVal};
use crate::vm::string::LuaStr;
use crate::vm::table::Table;
use crate::vm::thread::Thread;
use crate::vm::userdata::UserData;
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
pub(super) const MARK_BIT: usize = 1;
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
        // (or rebuilt from a list link or an object the collector traced,
        // which are such boxes), and the heap frees an object only when the
        // collector proved it unreachable, so a handle reachable by running
        // code points to a live, initialised `GcBox`.
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
    /// The raw mark bit (0 or 1); what it means depends on the heap's
    /// sense (see the module documentation).
    #[inline(always)]
    pub(crate) fn mark_bit(self) -> usize {
        self.header().get() & MARK_BIT
    }
    /// Sets the raw mark bit to `bit` (0 or 1).
    #[inline(always)]
    pub(crate) fn set_mark_bit(self, bit: usize) {
        let h = self.header();
        h.set((h.get() & !MARK_BIT) | bit);
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
    /// The handle of the boxed object `value` refers to.
    ///
    /// # Safety
    /// `value` must be the `value` field of a live `GcBox<T>` (an object
    /// the heap allocated), not a `T` living anywhere else.
    #[inline(always)]
    pub(super) unsafe fn from_ref(value: &T) -> Gc<T> {
        let offset = std::mem::offset_of!(GcBox<T>, value);
        let addr = (value as *const T as usize).wrapping_sub(offset);
        // SAFETY: by the contract, the box starts `offset` bytes before
        // its `value` field, and it is live.
        unsafe { Gc::from_addr(addr) }
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
#[allow(unused_imports)]
pub(super) use with_any;

impl GcAny {
    /// The object's address.
    pub fn addr(self) -> usize {
        with_any!(self, g => g.addr())
    }
    /// The raw mark bit (see `Gc::mark_bit`).
    #[inline]
    pub(crate) fn mark_bit(self) -> usize {
        with_any!(self, g => g.mark_bit())
    }
    /// Sets the raw mark bit.
    #[inline]
    pub(crate) fn set_mark_bit(self, bit: usize) {
        with_any!(self, g => g.set_mark_bit(bit))
    }
    /// The next object of its list (0: none).
    #[inline]
    pub(super) fn link(self) -> usize {
        with_any!(self, g => g.link())
    }
    /// The object whose box is at `addr`, typed by its header's kind.
    ///
    /// # Safety
    /// `addr` must be the address of a live box (a list link).
    pub(super) unsafe fn at(addr: usize) -> GcAny {
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

/// Bytes of a `GcBox<T>` followed by `extra` bytes, as allocated: the
/// slot size when it fits a pool (`pool.rs`), else the exact size.
#[inline(always)]
pub(super) const fn box_bytes<T>(extra: usize) -> usize {
    let size = std::mem::size_of::<GcBox<T>>() + extra;
    match super::pool::class_of(size) {
        Some(c) => super::pool::slot_size(c),
        None => size,
    }
}

/// Writes a box holding `value`, linked to `next`, with mark bit `bit`,
/// at `p`.
///
/// # Safety
/// `p` must be valid for writes of `size_of::<GcBox<T>>()` bytes (plus
/// whatever the caller writes after it), aligned to `BOX_ALIGN`, and hold
/// no live object.
#[inline(always)]
pub(super) unsafe fn init_box<T: GcObject>(p: *mut u8, value: T, next: usize, bit: usize) -> Gc<T> {
    debug_assert_eq!(p as usize & TAG_BITS, 0);
    let p = p as *mut GcBox<T>;
    // SAFETY: by the contract; the link's tag bits are free (alignment)
    // for the kind and mark.
    unsafe {
        p.write(GcBox {
            header: Cell::new(next),
            value,
        })
    };
    // SAFETY: `p` is not null (the caller's allocation).
    let g = Gc {
        ptr: unsafe { NonNull::new_unchecked(p) },
    };
    let kind = any_kind(T::into_any(g));
    g.header().set(next | ((kind as usize) << 1) | bit);
    g
}

/// Allocates (with the global allocator) a box holding `value`, linked to
/// `next`, with mark bit `bit` and `extra` more bytes (uninitialised)
/// after it. For boxes too large for the pools.
pub(super) fn alloc_box_extra<T: GcObject>(
    value: T,
    next: usize,
    bit: usize,
    extra: usize,
) -> Gc<T> {
    let layout = box_layout::<T>(extra);
    // SAFETY: the layout's size is at least the size of the header word.
    let p = unsafe { std::alloc::alloc(layout) };
    if p.is_null() {
        std::alloc::handle_alloc_error(layout)
    }
    // SAFETY: `p` is a fresh allocation with the layout of `GcBox<T>`
    // (plus `extra` bytes), aligned to `BOX_ALIGN`.
    unsafe { init_box(p, value, next, bit) }
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

/// Drops the object in its box (the memory stays allocated).
///
/// # Safety
/// `g` must come from the heap's allocation functions, must not have been
/// dropped, and must not be used afterwards.
#[inline]
pub(super) unsafe fn drop_box<T>(g: Gc<T>) {
    // SAFETY: by the function's contract the box is live and initialised.
    unsafe { std::ptr::drop_in_place(g.ptr.as_ptr()) }
}

/// Frees one object allocated by `alloc_box_extra`.
///
/// # Safety
/// `g` must come from `alloc_box_extra`, must not have been freed, and
/// must not be used afterwards.
pub(super) unsafe fn free<T: GcObject>(g: Gc<T>) {
    let extra = match T::into_any(g) {
        // bytes allocated after the box: a string's text, a Lua closure's
        // upvalue cells (`Heap::alloc_with_tail`)
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

/// Frees any object allocated by `alloc_box_extra`.
///
/// # Safety
/// As `free`.
pub(super) unsafe fn free_any(o: GcAny) {
    // SAFETY: forwarded from the caller's contract.
    unsafe { with_any!(o, g => free(g)) }
}

/// Drops any object in its box.
///
/// # Safety
/// As `drop_box`.
pub(super) unsafe fn drop_any(o: GcAny) {
    // SAFETY: forwarded from the caller's contract.
    unsafe { with_any!(o, g => drop_box(g)) }
}

/// Bytes held by an object: its box (with a string's bytes; a pool slot's
/// size when pooled) and owned buffers.
#[inline]
pub(super) fn size_of_obj<T: GcObject>(g: Gc<T>) -> usize {
    match T::into_any(g) {
        // a string's bytes and a closure's upvalue cells are its
        // `heap_size`, inside its box
        GcAny::Str(_) | GcAny::LuaFn(_) => box_bytes::<T>(g.heap_size()),
        _ => g.heap_size() + box_bytes::<T>(0),
    }
}

/// `size_of_obj` of any object.
#[inline]
pub(super) fn size_of_any(o: GcAny) -> usize {
    with_any!(o, g => size_of_obj(g))
}

/// The link word of the box at `addr` (the next object of its list).
///
/// # Safety
/// `addr` must be the address of a live box.
#[inline(always)]
pub(super) unsafe fn link_at(addr: usize) -> usize {
    // SAFETY: by the contract, `addr` is a live box, whose header word is
    // its first field (`repr(C)`).
    unsafe { (*(addr as *const Cell<usize>)).get() & !TAG_BITS }
}

/// Sets the link word of the box at `addr`, keeping its tag bits.
///
/// # Safety
/// As `link_at`.
#[inline(always)]
pub(super) unsafe fn set_link_at(addr: usize, next: usize) {
    // SAFETY: as in `link_at`; the header is a `Cell`, shared mutation is
    // allowed.
    let h = unsafe { &*(addr as *const Cell<usize>) };
    h.set((h.get() & TAG_BITS) | next);
}
