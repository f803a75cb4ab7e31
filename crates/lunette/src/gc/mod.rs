//! Garbage-collected heap: handles (`Gc<T>`), the object list, and (with
//! the GC issue) the collector.
//!
//! Ownership model: every Lua object is allocated by `Heap::alloc` and owned
//! by the heap; Lua values hold `Gc<T>` handles, which are `Copy` raw
//! pointers. The heap frees an object only in a collection, and a
//! collection only runs at a safe point of the interpreter, when every live
//! value is reachable from the roots (stacks of all threads, globals,
//! registry, type metatables, host handles). `collect.rs` is the collector.

mod collect;
mod finalize;
mod heap;
mod strtab;
mod tuning;

pub use heap::{account_resize, Gc, GcAny, GcObject, Heap, StressMode};
pub use tuning::Tuning;
