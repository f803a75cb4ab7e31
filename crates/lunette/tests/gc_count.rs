//! `collectgarbage("count")` against the bytes the allocator really holds.
//!
//! A counting global allocator tracks the live bytes of the process. Each
//! workload builds a known structure and keeps it reachable; after a full
//! collection, the growth of `count` (times 1024) must be within 5% of the
//! growth of the allocator's live bytes. The count covers each object's box
//! and the buffers it owns (see `Heap::bytes`); prototypes are compiled
//! before the first measurement, so both sides see the same objects.

use lunette::{load_text, RawValue as Value, Vm};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

/// The system allocator, counting live bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter is only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded with the caller's pointer, layout and size.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Compiles `src` into a function value, kept alive in the registry.
fn chunk(vm: &mut Vm, src: &str) -> Value {
    let f = load_text(vm, src.as_bytes(), b"=count").expect("chunk compiles");
    let n = vm.registry.len() + 1;
    vm.registry.raw_set_int(n, f);
    f
}

/// Runs a compiled chunk, returning its first result.
fn run(vm: &mut Vm, f: Value) -> Value {
    let r = vm.call_function(f, &[]).expect("chunk runs");
    r.first().copied().unwrap_or(Value::Nil)
}

/// (allocator live bytes, count in bytes) after running `probe`.
fn measure(vm: &mut Vm, probe: Value) -> (f64, f64) {
    let count = match run(vm, probe) {
        Value::Float(kb) => kb * 1024.0,
        other => panic!("count returned {other:?}"),
    };
    (LIVE.load(Ordering::Relaxed) as f64, count)
}

const WORKLOADS: &[(&str, &str)] = &[
    (
        "integer array",
        "keep = {} for i = 1, 300000 do keep[i] = i end",
    ),
    (
        "string keys",
        "keep = {} for i = 1, 100000 do keep['key' .. i] = i end",
    ),
    (
        "small tables",
        "keep = {} for i = 1, 100000 do keep[i] = {i, i + 1, x = i} end",
    ),
    (
        "growing hash parts",
        "keep = {} for i = 1, 20000 do local t = {} for j = 1, 20 do t[j * 3] = j end keep[i] = t end",
    ),
    (
        "closures",
        "keep = {} for i = 1, 100000 do local a, b = i, {} keep[i] = function() return a, b end end",
    ),
    (
        "strings",
        "keep = {} for i = 1, 50000 do keep[i] = string.rep('x', i % 300) .. i end",
    ),
    (
        "coroutines",
        "keep = {} for i = 1, 20000 do
           local co = coroutine.create(function(x)
             local function deep(n) if n == 0 then coroutine.yield(x) else deep(n - 1) end end
             deep(20)
           end)
           coroutine.resume(co, {i})
           keep[i] = co
         end",
    ),
];

#[test]
fn count_matches_allocated_bytes() {
    let mut vm = Vm::new();
    lunette::stdlib::open_libs(&mut vm);
    let probe = chunk(
        &mut vm,
        "collectgarbage() collectgarbage() return collectgarbage('count')",
    );
    let clear = chunk(&mut vm, "keep = nil");
    let peek = chunk(&mut vm, "return collectgarbage('count')");
    let stop = chunk(&mut vm, "collectgarbage('stop')");
    let restart = chunk(&mut vm, "collectgarbage('restart')");
    let mut report = Vec::new();
    let mut check = |name: &str, when: &str, real: f64, counted: f64| {
        let err = (counted - real) / real;
        report.push(format!(
            "{name} ({when}): allocator +{real:.0} B, count +{counted:.0} B ({:+.2}%)",
            err * 100.0
        ));
        assert!(real > 500_000.0, "{name}: workload too small ({real} B)");
        assert!(
            err.abs() <= 0.05,
            "{name} ({when}): count off by {:.2}%\n{}",
            err * 100.0,
            report.join("\n")
        );
    };
    for (name, src) in WORKLOADS {
        let f = chunk(&mut vm, src);
        let (a0, c0) = measure(&mut vm, probe);
        // without a collection: growth must be seen as it happens
        run(&mut vm, stop);
        run(&mut vm, f);
        let (a1, c1) = measure(&mut vm, peek);
        check(name, "before collecting", a1 - a0, c1 - c0);
        run(&mut vm, restart);
        let (a2, c2) = measure(&mut vm, probe);
        check(name, "after collecting", a2 - a0, c2 - c0);
        run(&mut vm, clear);
    }
    eprintln!("{}", report.join("\n"));
} // large enough that pool pages (256 KB, filled from the ones already
  // open at the baseline) do not dominate the difference
