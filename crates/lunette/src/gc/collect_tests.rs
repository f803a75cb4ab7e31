//! Unit tests of the incremental collector: write barriers, objects born
//! during a sweep, string lookups during a sweep, several heaps on one
//! thread.

use super::Phase;
use crate::gc::Gc;
use crate::vm::function::{NativeClosure, UpVal};
use crate::vm::table::Table;
use crate::vm::value::Value;
use crate::vm::{LuaResult, Vm};
use std::cell::Cell;

/// Starts an incremental cycle and marks everything reachable (the
/// mutator could run now: the cycle is before its atomic phase).
fn mark_all(vm: &mut Vm) {
    assert_eq!(vm.heap.phase, Phase::Pause);
    vm.start_cycle(true);
    while !vm.heap.marker.gray.is_empty() {
        vm.heap.marker.propagate(usize::MAX);
    }
    assert_eq!(vm.heap.phase, Phase::Propagate);
}

/// Runs the cycle under way to its end.
fn finish(vm: &mut Vm) {
    while !vm.gc_work(usize::MAX, true) {}
}

/// A table reachable from the globals under `name`.
fn rooted_table(vm: &mut Vm, name: &[u8]) -> Gc<Table> {
    let t = vm.heap.alloc(Table::new(0, 0));
    let k = vm.new_str(name);
    vm.globals.raw_set(k, Value::Table(t)).unwrap();
    t
}

/// Whether `o` is white in the cycle under way.
fn white<T>(vm: &Vm, o: Gc<T>) -> bool {
    o.mark_bit() != vm.heap.marker.sense
}

#[test]
fn backward_barrier_grays_a_black_table() {
    let mut vm = Vm::new();
    let t = rooted_table(&mut vm, b"t");
    mark_all(&mut vm);
    assert!(t.gc_epoch() != 0, "a traversed table is black");
    let u = vm.heap.alloc(Table::new(0, 0));
    let garbage = vm.heap.alloc(Table::new(0, 0));
    assert!(white(&vm, u) && white(&vm, garbage));
    t.raw_set_int(1, Value::Table(u));
    assert_eq!(t.gc_epoch(), 0, "the store turned the table gray again");
    let before = vm.heap.object_count();
    finish(&mut vm);
    // only the unreferenced table went; `u` is still in `t`
    assert_eq!(vm.heap.object_count(), before - 1);
    assert!(matches!(t.raw_get_int(1), Value::Table(x) if Gc::ptr_eq(x, u)));
    vm.collect_garbage();
    assert_eq!(vm.heap.object_count(), before - 1);
}

#[test]
fn barrier_ignores_marked_values_and_stale_epochs() {
    let mut vm = Vm::new();
    let t = rooted_table(&mut vm, b"t");
    let other = rooted_table(&mut vm, b"other");
    mark_all(&mut vm);
    // a marked value keeps the table black
    t.raw_set_int(1, Value::Table(other));
    assert!(t.gc_epoch() != 0);
    finish(&mut vm);
    // after the cycle the epoch is stale: the first store clears it
    assert!(t.gc_epoch() != 0);
    let u = vm.heap.alloc(Table::new(0, 0));
    t.raw_set_int(2, Value::Table(u));
    assert_eq!(t.gc_epoch(), 0);
}

#[test]
fn metatable_store_runs_the_barrier() {
    let mut vm = Vm::new();
    let t = rooted_table(&mut vm, b"t");
    mark_all(&mut vm);
    let mt = vm.heap.alloc(Table::new(0, 0));
    t.set_metatable(Some(mt));
    assert_eq!(t.gc_epoch(), 0);
    let before = vm.heap.object_count();
    finish(&mut vm);
    assert_eq!(vm.heap.object_count(), before);
}

#[test]
fn forward_barrier_marks_values_stored_into_marked_objects() {
    fn nop(_: &mut Vm, _: crate::vm::Args) -> LuaResult<usize> {
        Ok(0)
    }
    let mut vm = Vm::new();
    let nc = vm.heap.alloc(NativeClosure {
        f: nop,
        name: "nop",
        upvalues: vec![Cell::new(Value::Nil)].into_boxed_slice(),
        fast: None,
    });
    let k = vm.new_str(b"f");
    vm.globals.raw_set(k, Value::Native(nc)).unwrap();
    // a closed upvalue, reachable as a root (the open-upvalue list)
    let uv = vm.heap.alloc(UpVal::closed(Value::Nil));
    vm.open_upvals.push(uv);
    mark_all(&mut vm);
    assert!(!white(&vm, nc) && !white(&vm, uv));
    let a = vm.heap.alloc(Table::new(0, 0));
    let b = vm.heap.alloc(Table::new(0, 0));
    nc.upvalues[0].set(Value::Table(a));
    vm.heap.barrier(nc, Value::Table(a));
    vm.upval_set(uv, Value::Table(b));
    assert!(!white(&vm, a) && !white(&vm, b), "the barrier marked both");
    let before = vm.heap.object_count();
    finish(&mut vm);
    assert_eq!(vm.heap.object_count(), before);
    vm.open_upvals.clear();
}

#[test]
fn objects_born_during_the_sweep_survive_it() {
    let mut vm = Vm::new();
    rooted_table(&mut vm, b"t");
    mark_all(&mut vm);
    // run the atomic phase, stop at the start of the sweep
    vm.gc_work(1, true);
    assert!(matches!(vm.heap.phase, Phase::Sweep(_)));
    let born = vm.heap.alloc(Table::new(0, 0));
    let before = vm.heap.object_count();
    finish(&mut vm);
    assert_eq!(vm.heap.object_count(), before, "`born` survived its sweep");
    assert!(born.raw_get_int(1).is_nil());
    // unreferenced, it goes in the next cycle
    vm.collect_garbage();
    assert_eq!(vm.heap.object_count(), before - 1);
}

#[test]
fn a_dead_string_found_during_the_sweep_is_kept() {
    let mut vm = Vm::new();
    let s1 = match vm.new_str(b"resurrected") {
        Value::Str(s) => s,
        _ => unreachable!(),
    };
    mark_all(&mut vm);
    vm.gc_work(1, true);
    assert!(matches!(vm.heap.phase, Phase::Sweep(_)));
    // unreferenced when marked, so dead; looked up again before its sweep
    let v = vm.new_str(b"resurrected");
    assert!(matches!(v, Value::Str(s2) if Gc::ptr_eq(s1, s2)));
    let k = vm.new_str(b"keep");
    vm.globals.raw_set(k, v).unwrap();
    let before = vm.heap.object_count();
    finish(&mut vm);
    // not freed by the sweep (its slot could otherwise be handed out again
    // for the same text, which would hide the loss)
    assert_eq!(vm.heap.object_count(), before);
    vm.collect_garbage();
    assert!(matches!(vm.new_str(b"resurrected"), Value::Str(s2) if Gc::ptr_eq(s1, s2)));
    assert_eq!(s1.as_bytes(), b"resurrected");
}

#[test]
fn a_second_heap_collects_whole_cycles_while_the_first_marks() {
    let mut a = Vm::new();
    let mut b = Vm::new();
    rooted_table(&mut a, b"t");
    mark_all(&mut a);
    // `a` owns this thread's incremental marking: `b` cannot interleave
    b.heap.alloc(Table::new(0, 0));
    let finished = b.gc_work(1, true);
    assert!(finished && b.heap.phase == Phase::Pause);
    finish(&mut a);
    // now `b` may mark incrementally
    assert!(!b.gc_work(1, true));
    assert_eq!(b.heap.phase, Phase::Propagate);
    finish(&mut b);
}
