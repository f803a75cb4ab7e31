//! `lunette --stats`: execution statistics printed to stderr after the run.
//!
//! Instructions are counted per opcode by an [`Observer`]; calls are
//! counted when a function is entered (Lua or Rust, including metamethods
//! and functions called from builtins); allocations, collections and the
//! peak heap size come from the heap's own counters (`HeapStats`).

use lunette::bytecode::opcode::NUM_OPCODES;
use lunette::bytecode::OpCode;
use lunette::vm::observe::{HeapStats, Observer, ALLOC_KIND_NAMES};
use lunette::Vm;
use std::cell::RefCell;
use std::fmt::Write;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The counts gathered by a [`Counter`].
#[derive(Clone, Debug)]
pub struct Counts {
    /// Instructions executed, per opcode number.
    pub per_op: [u64; NUM_OPCODES],
    /// Lua functions entered.
    pub lua_calls: u64,
    /// Rust (builtin) functions entered.
    pub rust_calls: u64,
}

impl Default for Counts {
    fn default() -> Self {
        Counts {
            per_op: [0; NUM_OPCODES],
            lua_calls: 0,
            rust_calls: 0,
        }
    }
}

/// The counting observer; the counts are shared with whoever reports them.
pub struct Counter(pub Rc<RefCell<Counts>>);

impl Observer for Counter {
    fn instruction(&mut self, vm: &Vm, pc: usize) {
        let Some((cl, _, _)) = vm.current_lua_frame() else {
            return;
        };
        if let Some(i) = cl.proto.proto.code.get(pc) {
            let op = i.op_bits() as usize;
            if let Some(n) = self.0.borrow_mut().per_op.get_mut(op) {
                *n += 1;
            }
        }
    }

    fn call(&mut self, vm: &Vm) {
        let mut c = self.0.borrow_mut();
        if vm.top_is_lua() {
            c.lua_calls += 1;
        } else {
            c.rust_calls += 1;
        }
    }
}

/// A `--stats` session: counts from installation to `report`.
pub struct Stats {
    counts: Rc<RefCell<Counts>>,
    heap_at_start: HeapStats,
    started: Instant,
}

impl Stats {
    /// Starts counting; the returned observer must be installed in `vm`.
    pub fn start(vm: &Vm) -> (Stats, Counter) {
        let counts = Rc::new(RefCell::new(Counts::default()));
        let s = Stats {
            counts: counts.clone(),
            heap_at_start: vm.heap.stats.clone(),
            started: Instant::now(),
        };
        (s, Counter(counts))
    }

    /// The report text (see the README for an example).
    pub fn report(&self, vm: &Vm) -> String {
        render(
            &self.counts.borrow(),
            &self.heap_at_start,
            &vm.heap.stats,
            vm.heap.peak_bytes(),
            self.started.elapsed(),
        )
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Formats the statistics report.
pub fn render(
    c: &Counts,
    heap0: &HeapStats,
    heap: &HeapStats,
    peak: usize,
    elapsed: Duration,
) -> String {
    let mut out = String::new();
    let total: u64 = c.per_op.iter().sum();
    let _ = writeln!(out, "-- lunette --stats");
    let per = if total > 0 {
        elapsed.as_nanos() as f64 / total as f64
    } else {
        0.0
    };
    let _ = writeln!(
        out,
        "instructions  {total}  ({per:.1} ns each, run time {} with counting on)",
        ms(elapsed)
    );
    let mut ops: Vec<(usize, u64)> = c
        .per_op
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, n)| n > 0)
        .collect();
    ops.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (op, n) in ops {
        let name = OpCode::from_u8(op as u8).map_or("?", |o| o.name());
        let share = 100.0 * n as f64 / total.max(1) as f64;
        let _ = writeln!(out, "  {name:<10} {n:>12}  {share:5.1}%");
    }
    let _ = writeln!(
        out,
        "calls         {} (Lua {}, Rust {})",
        c.lua_calls + c.rust_calls,
        c.lua_calls,
        c.rust_calls
    );
    let mut parts = Vec::new();
    let mut all = 0;
    for (i, name) in ALLOC_KIND_NAMES.iter().enumerate() {
        let n = heap.allocs[i].saturating_sub(heap0.allocs[i]);
        all += n;
        if n > 0 {
            parts.push(format!("{name} {n}"));
        }
    }
    let _ = writeln!(out, "allocations   {all} ({})", parts.join(", "));
    let _ = writeln!(
        out,
        "gc            {} cycles, {}",
        heap.gc_cycles - heap0.gc_cycles,
        ms(heap.gc_time.saturating_sub(heap0.gc_time))
    );
    let _ = writeln!(out, "peak heap     {:.1} KiB", peak as f64 / 1024.0);
    out
}
