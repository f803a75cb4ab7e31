//! Size-class pools for small boxes (tables, closures, upvalues, short
//! strings, ...): pages of equal slots with free lists, instead of one
//! `malloc`/`free` per object.
//!
//! - A page is `PAGE_BYTES` bytes aligned to its size: a header
//!   (`PageHead`: the page's free list, live count and bump pointer) in
//!   the first `HEAD_BYTES`, then slots of one size class (a multiple of
//!   16 bytes). The page of a slot is found by masking its address. Pages
//!   are large (above the allocator's threshold for mapping memory
//!   directly), so they do not interleave with, and fragment, the small
//!   allocations of table parts; slots are handed out from a bump pointer
//!   before the free list has any, so untouched slots cost no memory.
//! - A free slot's header word is `FREE_WORD` (a kind no object has) and
//!   its second word links the next free slot of its page.
//! - Allocation pops the current page's free list, else bumps its bump
//!   pointer; when the page is full, the next page with free slots
//!   (`avail`) becomes current, else a new page is made. Objects
//!   allocated one after the other sit side by side.
//! - The sweep (`sweep.rs`) walks pages slot by slot (sequential memory,
//!   no pointer chasing) and frees dead objects into their page's free
//!   list; pages left empty are given back between cycles. Short strings
//!   have pools of their own, not walked: they are swept through the
//!   string table (`strtab.rs`), which frees them with `release`.

use std::alloc::Layout;
use std::cell::Cell;
use std::ptr::NonNull;

/// Bytes per page (also its alignment).
pub(super) const PAGE_BYTES: usize = 256 * 1024;
/// Bytes before the first slot (the page header, padded).
const HEAD_BYTES: usize = 64;
/// Slot sizes: 32, 48, ..., `MAX_POOLED` bytes.
pub(super) const MAX_POOLED: usize = 128;
/// Number of size classes.
pub(super) const CLASSES: usize = MAX_POOLED / 16 - 1;
/// The header word of a free slot: kind bits 7 (no object kind), not a
/// valid link.
pub(super) const FREE_WORD: usize = 0b1110;

/// The size class of a box of `size` bytes (`None`: not pooled).
#[inline(always)]
pub(super) const fn class_of(size: usize) -> Option<usize> {
    if size > MAX_POOLED {
        return None;
    }
    let rounded = if size < 32 { 32 } else { (size + 15) & !15 };
    Some(rounded / 16 - 2)
}

/// The slot size of class `c`.
#[inline(always)]
pub(super) const fn slot_size(c: usize) -> usize {
    (c + 2) * 16
}

/// The header at the start of each page.
#[repr(C)]
struct PageHead {
    /// First free slot (address; 0: none).
    free: Cell<usize>,
    /// Slots holding objects.
    live: Cell<u32>,
    /// Whether the page is on its pool's `avail` list (or current).
    listed: Cell<bool>,
    /// First slot never handed out (address; the page's end when all were).
    bump: Cell<usize>,
}

/// The page holding slot `addr`.
#[inline(always)]
fn head_of(addr: usize) -> &'static PageHead {
    let base = addr & !(PAGE_BYTES - 1);
    // SAFETY: every slot lives in a page allocated by `Pool::new_page`,
    // aligned to `PAGE_BYTES`, which starts with an initialised
    // `PageHead`; pages are freed only with their pool, after every
    // object in them (callers hold slots of live pages only).
    unsafe { &*(base as *const PageHead) }
}

/// Reads the free-list link of free slot `addr`.
///
/// # Safety
/// `addr` must be a free slot of a live page.
#[inline(always)]
unsafe fn next_free(addr: usize) -> usize {
    // SAFETY: by the contract, the slot is free: its second word is the link.
    unsafe { *((addr + 8) as *const usize) }
}

/// Makes slot `addr` free and pushes it onto its page's free list.
///
/// # Safety
/// `addr` must be a slot of a live page that holds no object any more
/// (dropped or never initialised) and is not on a free list.
#[inline(always)]
unsafe fn push_free(addr: usize) {
    let h = head_of(addr);
    // SAFETY: by the contract, the slot's 16+ bytes belong to the page and
    // nothing else uses them.
    unsafe {
        *(addr as *mut usize) = FREE_WORD;
        *((addr + 8) as *mut usize) = h.free.get();
    }
    h.free.set(addr);
}

/// The page layout.
fn page_layout() -> Layout {
    match Layout::from_size_align(PAGE_BYTES, PAGE_BYTES) {
        Ok(l) => l,
        Err(_) => unreachable!("the page size is a power of two"),
    }
}

/// The pool of one size class.
pub(super) struct Pool {
    /// Slot size in bytes.
    slot: usize,
    /// Every page (their base addresses).
    pages: Vec<NonNull<u8>>,
    /// The page being allocated from (0: none).
    current: usize,
    /// Pages with free slots, besides the current one.
    avail: Vec<usize>,
}

impl Pool {
    /// An empty pool of class `c`.
    pub(super) fn new(c: usize) -> Pool {
        Pool {
            slot: slot_size(c),
            pages: Vec::new(),
            current: 0,
            avail: Vec::new(),
        }
    }

    /// Number of pages.
    pub(super) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// An uninitialised slot (its address).
    #[inline(always)]
    pub(super) fn alloc(&mut self) -> usize {
        if self.current != 0 {
            let h = head_of(self.current);
            let slot = h.free.get();
            if slot != 0 {
                // SAFETY: `slot` heads the free list of a live page.
                h.free.set(unsafe { next_free(slot) });
                h.live.set(h.live.get() + 1);
                return slot;
            }
        }
        self.alloc_slow()
    }

    /// `alloc` when the current page's free list is empty.
    #[inline(never)]
    fn alloc_slow(&mut self) -> usize {
        if self.current != 0 {
            let h = head_of(self.current);
            let slot = h.bump.get();
            if slot + self.slot <= self.current + PAGE_BYTES {
                h.bump.set(slot + self.slot);
                h.live.set(h.live.get() + 1);
                return slot;
            }
            h.listed.set(false);
        }
        self.current = match self.avail.pop() {
            Some(p) => p,
            None => self.new_page(),
        };
        self.alloc()
    }

    /// Allocates a page with every slot free (to be bumped); returns its
    /// base address.
    fn new_page(&mut self) -> usize {
        let layout = page_layout();
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { std::alloc::alloc(layout) };
        let Some(base) = NonNull::new(raw) else {
            std::alloc::handle_alloc_error(layout)
        };
        // SAFETY: the page is fresh and large enough for its header.
        unsafe {
            (raw as *mut PageHead).write(PageHead {
                free: Cell::new(0),
                live: Cell::new(0),
                listed: Cell::new(true),
                bump: Cell::new(raw as usize + HEAD_BYTES),
            })
        };
        self.pages.push(base);
        raw as usize
    }

    /// The objects of page `i`: calls `f` on every slot holding one (its
    /// address); `f` returns whether the object is dead, in which case it
    /// has dropped it and the slot becomes free. Returns (slots visited,
    /// slots freed), or `None` past the last page.
    pub(super) fn sweep_page(
        &mut self,
        i: usize,
        mut f: impl FnMut(usize) -> bool,
    ) -> Option<(usize, usize)> {
        let base = self.pages.get(i)?.as_ptr() as usize;
        let n = (head_of(base).bump.get() - base - HEAD_BYTES) / self.slot;
        let mut freed = 0;
        for k in 0..n {
            let addr = base + HEAD_BYTES + k * self.slot;
            // SAFETY: the slot lies in a live page, below its bump
            // pointer; its first word is an object header or `FREE_WORD`.
            let word = unsafe { *(addr as *const usize) };
            if word == FREE_WORD {
                continue;
            }
            if f(addr) {
                // SAFETY: `f` dropped the object; the slot is on no list.
                unsafe { push_free(addr) };
                freed += 1;
            }
        }
        let h = head_of(base);
        h.live.set(h.live.get() - freed as u32);
        if h.free.get() != 0 && !h.listed.get() && base != self.current {
            h.listed.set(true);
            self.avail.push(base);
        }
        Some((n, freed))
    }

    /// Frees up to `max` pages whose slots are all free, except the
    /// current one; returns the number freed. (Between cycles: no sweep
    /// position refers to page indices then.)
    pub(super) fn release_empty(&mut self, max: usize) -> usize {
        let mut freed = 0;
        let current = self.current;
        let before = self.pages.len();
        self.pages.retain(|p| {
            let base = p.as_ptr() as usize;
            if freed >= max || base == current || head_of(base).live.get() != 0 {
                return true;
            }
            freed += 1;
            // SAFETY: the page came from `new_page` with this layout and
            // holds no object; it is dropped from `pages` here and from
            // `avail` below, so nothing refers to it afterwards.
            unsafe { std::alloc::dealloc(p.as_ptr(), page_layout()) };
            false
        });
        let freed = before - self.pages.len();
        if freed > 0 {
            let pages = &self.pages;
            self.avail
                .retain(|a| pages.iter().any(|p| p.as_ptr() as usize == *a));
        }
        freed
    }

    /// Gives back the slot of an object dropped outside a page sweep (a
    /// string freed by the string table's sweep).
    ///
    /// # Safety
    /// `addr` must be a slot of this pool whose object was dropped, not on
    /// a free list.
    pub(super) unsafe fn release(&mut self, addr: usize) {
        // SAFETY: forwarded from the caller's contract.
        unsafe { push_free(addr) };
        let h = head_of(addr);
        h.live.set(h.live.get() - 1);
        let base = addr & !(PAGE_BYTES - 1);
        if !h.listed.get() && base != self.current {
            h.listed.set(true);
            self.avail.push(base);
        }
    }

    /// Calls `f` on every slot holding an object (when the heap is dropped).
    pub(super) fn for_each_object(&self, mut f: impl FnMut(usize)) {
        for p in &self.pages {
            let base = p.as_ptr() as usize;
            let n = (head_of(base).bump.get() - base - HEAD_BYTES) / self.slot;
            for k in 0..n {
                let addr = base + HEAD_BYTES + k * self.slot;
                // SAFETY: as in `sweep_page`.
                if unsafe { *(addr as *const usize) } != FREE_WORD {
                    f(addr);
                }
            }
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        for p in self.pages.drain(..) {
            // SAFETY: each page came from `new_page` with this layout; the
            // heap dropped the objects in them first (`for_each_object`).
            unsafe { std::alloc::dealloc(p.as_ptr(), page_layout()) };
        }
    }
}
