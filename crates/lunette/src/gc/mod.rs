//! Garbage-collected heap: handles (`Gc<T>`), the object list, and the
//! collector.
//!
//! Ownership model: every Lua object is allocated by `Heap::alloc` and owned
//! by the heap; Lua values hold `Gc<T>` handles, which are `Copy` raw
//! pointers. The heap frees an object only in the sweep of a collection
//! cycle, and only objects the cycle's marking proved unreachable; the
//! collector works only at safe points of the interpreter, when every live
//! value is reachable from the roots (stacks of all threads, globals,
//! registry, type metatables, host handles; see `roots.rs`). The collector
//! is incremental (`collect.rs`): stores into heap objects go through
//! write barriers (`barrier.rs`).

mod barrier;
mod collect;
mod finalize;
mod handle;
mod heap;
mod mark;
mod pool;
mod roots;
mod strtab;
mod sweep;
mod tuning;

pub use barrier::table_barrier;
pub use handle::{Gc, GcAny, GcBox, GcObject};
pub use heap::{account_resize, Heap, StressMode};
pub use tuning::Tuning;
