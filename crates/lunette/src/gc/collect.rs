//! The collector: an incremental, tri-colour mark and sweep (Lua 5.4's
//! design), driven by the allocation checks of the interpreter.
//!
//! A cycle goes through three phases:
//! - **propagate** (incremental): the roots are marked gray (`roots.rs`),
//!   then each step traverses gray objects (`mark.rs`) until its budget is
//!   spent. The mutator runs between steps; write barriers (`barrier.rs`)
//!   keep black objects from pointing to white ones.
//! - **atomic** (one step, mutator stopped): roots marked again, tables the
//!   barrier grayed and every thread and weak table traversed again, then
//!   ephemerons to their fixed point, weak tables cleared, unreachable
//!   finalizable objects separated (and kept, with what they reach, for
//!   their finalizers), dead keys removed from cleared entries.
//! - **sweep** (incremental, `sweep.rs`): white objects are freed. When it
//!   ends, the heap's mark sense flips (survivors become white) and the
//!   cycle's pending finalizers run.
//!
//! Pacing (`collectgarbage("incremental", pause, stepmul, stepsize)`): a
//! cycle starts when the heap reaches `pause`% of the size the last one
//! left; then a step runs each time `2^stepsize` bytes more are allocated,
//! doing `stepmul` work units (about one 16-byte slot traversed, or an
//! object swept) per 16 bytes allocated, as Lua 5.4 does.

use super::barrier;
use super::heap::{StressMode, MIN_THRESHOLD};
use super::sweep::SweepPos;
use crate::gc::account_resize;
use crate::vm::call::Callee;
use crate::vm::thread::exec_bytes;
use crate::vm::LuaResult;
use crate::vm::Vm;

/// Where a collection cycle is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Between cycles.
    Pause,
    /// Marking (the mutator runs between steps).
    Propagate,
    /// Freeing the white objects.
    Sweep(SweepPos),
}

/// Work units of one step in the incremental stress mode.
const STRESS_STEP: usize = 40;

/// Largest step size honoured (`2^40` bytes).
const MAX_STEPSIZE: i32 = 40;

impl Vm {
    /// Starts a cycle: marks the roots. An incremental cycle lets the
    /// mutator run between its steps; when it cannot (another heap on this
    /// thread marks incrementally, see `barrier.rs`) or is not asked to,
    /// the cycle must run to its end without returning.
    fn start_cycle(&mut self, incremental: bool) {
        let sense = self.heap.sense;
        let epoch = match incremental {
            true => barrier::acquire(self.heap.id, sense),
            false => None,
        };
        self.heap.marker.reset(sense, epoch.unwrap_or(0));
        self.heap.complete_now = epoch.is_none();
        self.heap.phase = Phase::Propagate;
        self.mark_roots(false);
    }

    /// The atomic phase: finishes marking with the mutator stopped, clears
    /// weak tables, separates unreachable finalizable objects and starts
    /// the sweep.
    fn atomic(&mut self) {
        let id = self.heap.id;
        self.heap.marker.atomic = true;
        barrier::take_queue(id, &mut self.heap.marker.gray);
        self.mark_roots(true);
        let m = &mut self.heap.marker;
        let again = std::mem::take(&mut m.grayagain);
        m.gray.extend(again);
        m.drain();
        // Resurrected objects leave weak-value tables before their finalizers run.
        m.clear_weak(true);
        if self.heap.separate_unreachable() {
            for o in self.heap.tobefnz.clone() {
                self.heap.marker.obj(o);
            }
            self.heap.marker.drain();
        }
        let m = &mut self.heap.marker;
        m.clear_weak(false);
        m.purge_tombstones();
        barrier::release(id);
        self.account_running_state();
        self.heap.absorb_growth();
        self.heap.stats.peak_bytes = self.heap.peak_bytes();
        self.heap.alloc_bit = self.heap.marker.sense;
        self.heap.strings.sweeping = true;
        self.heap.phase = Phase::Sweep(SweepPos::Pools { class: 0, page: 0 });
    }

    /// Ends a cycle after its sweep: flips the mark sense and sets the
    /// threshold of the next cycle.
    fn finish_cycle(&mut self) {
        let h = &mut self.heap;
        h.strings.sweeping = false;
        h.sense ^= 1;
        h.alloc_bit = h.sense ^ 1;
        h.marker.reset(h.sense, 0);
        h.phase = Phase::Pause;
        h.absorb_growth();
        h.estimate = h.bytes;
        let pause = h.tuning.pause_percent();
        h.threshold = (h.estimate / 100)
            .saturating_mul(pause)
            .max(MIN_THRESHOLD)
            .min(h.limit());
        h.trim_pools(h.threshold);
        let before = h.strings.bucket_bytes();
        h.strings.shrink_if_sparse();
        h.bytes = (h.bytes + h.strings.bucket_bytes()).saturating_sub(before);
        if h.stress == StressMode::Incremental {
            h.threshold = 0;
        }
        h.stats.gc_cycles += 1;
        h.schedule_stress();
    }

    /// Does about `budget` work units of collection (starting a cycle if
    /// none is under way, incremental if `incremental`); returns whether a
    /// cycle ended. A cycle that cannot be incremental runs to its end
    /// whatever the budget. Finalizers are not run here.
    fn gc_work(&mut self, budget: usize, incremental: bool) -> bool {
        let started = std::time::Instant::now();
        let mut done = 0usize;
        let finished = loop {
            match self.heap.phase {
                Phase::Pause => {
                    self.start_cycle(incremental);
                    done += 1;
                }
                Phase::Propagate => {
                    // (tables the barrier grayed wait in its queue for the
                    // atomic phase, as Lua's `grayagain`: traversing them
                    // at once could repeat for every store into a big one)
                    let m = &mut self.heap.marker;
                    if m.gray.is_empty() {
                        self.atomic();
                        done += 1;
                    } else {
                        done += m.propagate(budget.saturating_sub(done).max(1));
                    }
                }
                Phase::Sweep(pos) => {
                    self.heap.absorb_growth();
                    self.heap.stats.peak_bytes = self.heap.peak_bytes();
                    let left = budget.saturating_sub(done).max(1);
                    let (w, next) = self.heap.sweep_some(pos, left);
                    done += w;
                    match next {
                        Some(p) => self.heap.phase = Phase::Sweep(p),
                        None => {
                            self.finish_cycle();
                            break true;
                        }
                    }
                }
            }
            if done >= budget && !self.heap.complete_now {
                break false;
            }
        };
        self.heap.stats.gc_time += started.elapsed();
        finished
    }

    /// Runs a full collection now, then the finalizers it made pending:
    /// finishes the cycle under way (it may keep objects that died since
    /// it started), then runs a whole cycle. Must only be called at a safe
    /// point (see `roots.rs`).
    pub fn collect_garbage(&mut self) {
        if self.heap.phase != Phase::Pause {
            self.gc_work(usize::MAX, false);
        }
        self.gc_work(usize::MAX, false);
        // an explicit full collection also gives back every empty page
        self.heap.trim_pools(0);
        self.run_pending_finalizers();
    }

    /// `collectgarbage("step", kb)`: one step of the size the pacing does
    /// for `kb` KB of allocation (a basic step for 0); returns whether it
    /// ended a cycle (then the finalizers it made pending have run). In
    /// generational mode (reported only: the collector is incremental) a
    /// step is a full collection.
    pub fn gc_manual_step(&mut self, kb: i64) -> bool {
        if self.heap.tuning.generational {
            self.collect_garbage();
            return true;
        }
        let bytes = usize::try_from(kb).unwrap_or(0).saturating_mul(1024);
        let budget = self.step_budget(bytes);
        let finished = self.gc_work(budget, true);
        if !finished {
            self.set_step_threshold();
        }
        if finished {
            self.run_pending_finalizers();
        }
        finished
    }

    /// The bytes between two steps (`2^stepsize`).
    fn step_bytes(&self) -> usize {
        1usize << self.heap.tuning.stepsize.clamp(0, MAX_STEPSIZE)
    }

    /// The work budget of a step paying for `debt` bytes of allocation
    /// beyond the step size: `stepmul` units per 16 bytes.
    fn step_budget(&self, debt: usize) -> usize {
        let mul = self.heap.tuning.stepmul_percent().max(1);
        (debt.saturating_add(self.step_bytes()) / 16).saturating_mul(mul)
    }

    /// Sets the threshold of the next step of the cycle under way.
    fn set_step_threshold(&mut self) {
        let h = &self.heap;
        let t = match h.stress {
            StressMode::Incremental => 0,
            _ => h.bytes.saturating_add(self.step_bytes()).min(h.limit()),
        };
        self.heap.threshold = t;
    }

    /// Reports the running thread's execution state size (stack, frames,
    /// ...) to the heap, charged to the running thread object.
    pub(crate) fn account_running_state(&mut self) {
        let now = exec_bytes(&self.stack, &self.frames, &self.open_upvals, &self.tbc);
        let th = self.current_thread;
        account_resize(th.charged.get(), now);
        th.charged.set(now);
    }

    /// Bytes held by Lua objects now (`collectgarbage("count") * 1024`):
    /// every object's box and owned buffers, thread stacks included (see
    /// `Heap::bytes`).
    pub fn gc_bytes_in_use(&mut self) -> usize {
        self.account_running_state();
        self.heap.bytes_in_use()
    }

    /// The allocation check of the interpreter's safe points: does a
    /// collection step when the heap has grown past its threshold; raises
    /// `not enough memory` when the live data still exceeds the memory
    /// ceiling (`vm/memory.rs`).
    #[inline]
    pub fn gc_check(&mut self) -> LuaResult<()> {
        if self.heap.needs_collection() {
            return self.gc_step_slow();
        }
        Ok(())
    }

    /// The check at a loop back-edge (a safe point that allocates nothing
    /// itself): the memory ceiling only. Collection steps, as in Lua, come
    /// with the allocations (new objects, native calls): a loop that only
    /// grows a table gets its step at the next allocation, with the debt
    /// its growth ran up. (Stepping here instead would run cycles while
    /// the growing table is live and postpone the next one until the heap
    /// has doubled again: `bench/programs/sieve.lua` then kept the previous
    /// repetition's array alive while building the next.) The stress modes
    /// step here too.
    pub(crate) fn gc_check_backedge(&mut self) -> LuaResult<()> {
        self.heap.absorb_growth();
        let h = &self.heap;
        let stress = h.stress != StressMode::Off && h.needs_collection();
        if stress || (h.bytes > h.limit() && h.running) {
            return self.gc_step_slow();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn gc_step_slow(&mut self) -> LuaResult<()> {
        let native_active = self
            .frames
            .iter()
            .any(|f| matches!(f.callee, Callee::Native(_)));
        if !native_active {
            self.heap.clear_temp_roots();
        }
        self.heap.absorb_growth();
        let stress_due = self.heap.count >= self.heap.stress_next;
        let finished = match self.heap.stress {
            StressMode::Full | StressMode::Bounded if stress_due => {
                self.collect_garbage();
                false
            }
            StressMode::Incremental => self.gc_work(STRESS_STEP, true),
            _ => {
                let debt = self.heap.bytes.saturating_sub(self.heap.threshold);
                let budget = self.step_budget(debt);
                self.gc_work(budget, true)
            }
        };
        if !finished && self.heap.phase != Phase::Pause {
            self.set_step_threshold();
        }
        if finished {
            self.run_pending_finalizers();
        }
        if self.heap.bytes > self.heap.limit() {
            // over the ceiling: all garbage goes before the error is raised
            self.collect_garbage();
            if self.heap.bytes > self.heap.limit() {
                return Err(self.memory_error());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "collect_tests.rs"]
mod tests;
