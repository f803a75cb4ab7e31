//! The sweep phase: frees the objects the cycle left white, a bounded
//! amount at a time.
//!
//! It walks the pools' pages slot by slot (`pool.rs`), then the list of
//! the other objects, then the string table bucket by bucket. An object is dead when its mark bit differs from the cycle's
//! sense; survivors are left as they are (the sense flips when the sweep
//! ends, which makes them white for the next cycle without a write), and
//! objects allocated during the sweep get the marked bit, so they survive
//! it too. New objects are prepended to the list, before the sweep's
//! position, land in pool slots (swept or not, they survive), or in string
//! buckets, which do not move while the sweep runs (`StrTab::sweeping`).

use super::handle::{drop_any, drop_box, free_any, link_at, set_link_at, size_of_any, GcAny};
use super::heap::Heap;
use super::pool::{class_of, CLASSES};

/// Work units charged per pool slot visited by the sweep (the slots of a
/// page are read in order; a freed object also costs its size in units of
/// 16 bytes). Units are calibrated so that a step of Lua's default size
/// (51200 units) takes about a millisecond (`bench/gc_pause.lua`).
const SLOT_VISIT: usize = 1;

/// Work units per object visited in a list (the object list, a string
/// bucket): each is a cache miss.
const LIST_VISIT: usize = 4;

/// Where the sweep is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SweepPos {
    /// In pool `class`, at page `page`.
    Pools {
        /// Index of the pool (size class).
        class: usize,
        /// Next page to sweep.
        page: usize,
    },
    /// In the object list, after the object at address `prev` (0: at the
    /// list's head).
    Objects {
        /// Address of the last surviving object visited (0: none yet).
        prev: usize,
    },
    /// In the string table, at bucket `next`.
    Strings {
        /// Next bucket to sweep.
        next: usize,
    },
}

impl Heap {
    /// Sweeps from `pos` until `budget` work units are spent; returns the
    /// work done and the new position (`None`: the sweep is over).
    pub(super) fn sweep_some(&mut self, pos: SweepPos, budget: usize) -> (usize, Option<SweepPos>) {
        let sense = self.marker.sense;
        let mut work = 0;
        match pos {
            SweepPos::Pools {
                mut class,
                mut page,
            } => {
                let (mut bytes, mut count) = (0usize, 0usize);
                while work < budget {
                    let Some(pool) = self.pools.get_mut(class) else {
                        break;
                    };
                    let freed_before = bytes;
                    let swept = pool.sweep_page(page, |addr| {
                        // SAFETY: `addr` is a pool slot holding an object.
                        let o = unsafe { GcAny::at(addr) };
                        if o.mark_bit() == sense {
                            return false;
                        }
                        bytes += size_of_any(o);
                        count += 1;
                        // SAFETY: white after a complete mark (see below);
                        // its slot becomes free right after.
                        unsafe { drop_any(o) };
                        true
                    });
                    match swept {
                        Some((visited, _)) => {
                            work += visited * SLOT_VISIT + (bytes - freed_before) / 16;
                            page += 1;
                        }
                        None => {
                            class += 1;
                            page = 0;
                        }
                    }
                }
                self.bytes = self.bytes.saturating_sub(bytes);
                self.count -= count;
                if class >= CLASSES {
                    return (work, Some(SweepPos::Objects { prev: 0 }));
                }
                (work, Some(SweepPos::Pools { class, page }))
            }
            SweepPos::Objects { mut prev } => {
                while work < budget {
                    let cur = if prev == 0 {
                        self.all
                    } else {
                        // SAFETY: `prev` is a surviving object of the list
                        // (visited by this sweep, not freed since: only the
                        // sweep frees).
                        unsafe { link_at(prev) }
                    };
                    if cur == 0 {
                        return (work, Some(SweepPos::Strings { next: 0 }));
                    }
                    // SAFETY: `cur` is `all` or a link of the list, which
                    // holds only live boxes (freed ones are unlinked here).
                    let o = unsafe { GcAny::at(cur) };
                    work += LIST_VISIT;
                    if o.mark_bit() == sense {
                        prev = cur;
                        continue;
                    }
                    let next = o.link();
                    if prev == 0 {
                        self.all = next;
                    } else {
                        // SAFETY: as above.
                        unsafe { set_link_at(prev, next) };
                    }
                    let size = size_of_any(o);
                    work += size / 16;
                    self.bytes = self.bytes.saturating_sub(size);
                    self.count -= 1;
                    // SAFETY: the object is white after a complete mark
                    // from the roots (and no barrier or lookup marked it
                    // since), so nothing live refers to it; it was in the
                    // list once and has just been unlinked.
                    unsafe { free_any(o) };
                }
                (work, Some(SweepPos::Objects { prev }))
            }
            SweepPos::Strings { mut next } => {
                while work < budget {
                    if next >= self.strings.bucket_count() {
                        return (work, None);
                    }
                    let pools = &mut self.str_pools;
                    let (visited, freed, bytes) = self.strings.sweep_bucket(next, sense, |s| {
                        let size = std::mem::size_of::<super::GcBox<crate::vm::string::LuaStr>>()
                            + s.len();
                        let Some(pool) = class_of(size).and_then(|c| pools.get_mut(c)) else {
                            return;
                        };
                        // SAFETY: a short string is a pooled box of its
                        // class; it was just unlinked from the table, its
                        // only list, and nothing live refers to it.
                        unsafe {
                            drop_box(s);
                            pool.release(s.addr());
                        }
                    });
                    work += 1 + visited * LIST_VISIT + bytes / 16;
                    self.count -= freed;
                    self.bytes = self.bytes.saturating_sub(bytes);
                    next += 1;
                }
                (work, Some(SweepPos::Strings { next }))
            }
        }
    }
}
