//! The sweep phase: frees the objects the cycle left white, a bounded
//! amount at a time.
//!
//! It walks the heap's object list, then the string table bucket by
//! bucket. An object is dead when its mark bit differs from the cycle's
//! sense; survivors are left as they are (the sense flips when the sweep
//! ends, which makes them white for the next cycle without a write), and
//! objects allocated during the sweep get the marked bit, so they survive
//! it too. New objects are prepended to the list, before the sweep's
//! position, or land in string buckets, which do not move while the sweep
//! runs (`StrTab::sweeping`).

use super::handle::{free_any, link_at, set_link_at, size_of_any, GcAny};
use super::heap::Heap;

/// Work units charged per object visited by the sweep (a freed object
/// also costs its size in units of 16 bytes).
const SWEEP_VISIT: usize = 1;

/// Where the sweep is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SweepPos {
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
                    work += SWEEP_VISIT;
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
                    let (visited, freed, bytes) = self.strings.sweep_bucket(next, sense);
                    work += 1 + visited * SWEEP_VISIT + bytes / 16;
                    self.count -= freed;
                    self.bytes = self.bytes.saturating_sub(bytes);
                    next += 1;
                }
                (work, Some(SweepPos::Strings { next }))
            }
        }
    }
}
