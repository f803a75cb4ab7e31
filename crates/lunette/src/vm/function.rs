//! Functions: runtime prototypes, Lua closures, native closures, upvalues.

use super::error::LuaResult;
use super::native::Args;
use super::state::Vm;
use super::thread::Thread;
use super::value::Value;
use crate::bytecode::{Instruction, Proto};
use crate::gc::{Gc, GcAny, GcObject, Heap};
use std::cell::Cell;
use std::rc::Rc;

/// A prototype ready to run: the verified `Proto` plus its constants as
/// values (strings allocated on the heap) and its children.
pub struct FnProto {
    /// `proto.max_stack` and `proto.is_vararg`, copied here for the
    /// interpreter's frame load (one pointer less to follow). What a call
    /// needs is copied further, into each closure (`LuaClosure::code`).
    pub max_stack: u8,
    /// See `max_stack`.
    pub is_vararg: bool,
    /// The verified prototype (code, line info, debug names).
    pub proto: Rc<Proto>,
    /// `proto.constants` converted to values.
    pub constants: Box<[Value]>,
    /// Runtime prototypes of `proto.protos`, same order.
    pub children: Box<[Rc<FnProto>]>,
    /// One prediction per instruction (same length as `proto.code`) for
    /// the string-key lookups of `GETFIELD`/`SETFIELD`/`SELF`/`GETTABUP`.
    pub field_slots: Box<[FieldSlots]>,
}

/// Predicted hash-part slots of one field-access instruction (see
/// `Table::raw_get_str_cached`); a wrong prediction costs one compare.
#[derive(Default)]
pub struct FieldSlots {
    /// Where the instruction's key was last found (in the table itself or
    /// in a class reached through `__index`).
    pub key: Cell<u32>,
    /// Where `__index` was last found in a metatable on the way to a
    /// class (`method_lookup`).
    pub index: Cell<u32>,
}

/// A Lua function: a prototype plus its upvalues.
///
/// The upvalue cells follow the closure in its heap allocation (one
/// allocation per closure, one pointer less to follow per `GETUPVAL`), as
/// many as the prototype has upvalue descriptors; a closure is therefore
/// only made by [`LuaClosure::alloc`], never by value.
#[repr(C)]
pub struct LuaClosure {
    /// What to run.
    pub proto: Rc<FnProto>,
    /// `proto.code`, for the call path: a call reaches the callee's code,
    /// frame size and parameter count with one load from the closure
    /// instead of two (closure, then prototype). Valid while the closure
    /// lives: it owns `proto`, whose code never moves.
    pub code: *const Instruction,
    /// `proto.constants.as_ptr()`, as `code`.
    pub constants: *const Value,
    /// The code length (saturated to `u32::MAX`): what a call charges to
    /// the instruction budget (`vm/limits.rs`); copied as `code`.
    pub code_len: u32,
    /// `proto.max_stack`, as `code`.
    pub max_stack: u8,
    /// `proto.num_params`, as `code`.
    pub num_params: u8,
    /// Keeps the struct private to construct (see `alloc`) and aligned for
    /// the cells that follow it; holds none itself.
    tail: [Cell<Gc<UpVal>>; 0],
}

impl LuaClosure {
    /// Makes a closure of `proto` on `heap` with the upvalues `upvals`, one
    /// per upvalue descriptor of the prototype.
    pub fn alloc(heap: &mut Heap, proto: Rc<FnProto>, upvals: &[Gc<UpVal>]) -> Gc<LuaClosure> {
        // the cell count is read back from the prototype (`upvals`,
        // `heap_size`): a mismatch would read past the allocation
        assert_eq!(upvals.len(), proto.proto.upvalues.len(), "upvalue count");
        let p = &proto.proto;
        let closure = LuaClosure {
            code: p.code.as_ptr(),
            constants: proto.constants.as_ptr(),
            // saturated: what a call charges to the instruction budget
            code_len: u32::try_from(p.code.len()).unwrap_or(u32::MAX),
            max_stack: p.max_stack,
            num_params: p.num_params,
            proto,
            tail: [],
        };
        heap.alloc_with_tail(closure, upvals)
    }

    /// The captured variables, in `proto.upvalues` order (cells, so that
    /// `debug.upvaluejoin` can re-point one).
    #[inline(always)]
    pub fn upvals(&self) -> &[Cell<Gc<UpVal>>] {
        // SAFETY: see `upval_cells`; there are exactly this many cells.
        unsafe { std::slice::from_raw_parts(self.upval_cells(), self.proto.proto.upvalues.len()) }
    }

    /// The first upvalue cell: `upvals().len()` cells start there. For the
    /// interpreter, whose upvalue operands the verifier bounds (V5).
    #[inline(always)]
    pub fn upval_cells(&self) -> *const Cell<Gc<UpVal>> {
        // A closure exists only inside an allocation made by `alloc`
        // (`Heap::alloc_with_tail`), which puts the cells right after it
        // (`tail` is at the end of this `repr(C)` struct, whose size is a
        // multiple of the cells' alignment) and initialises them. The
        // pointer is derived from `self`, so it addresses that allocation
        // (reads past the struct rely on the Tree Borrows reading of
        // reference provenance, as `LuaStr::as_bytes` does).
        const {
            assert!(std::mem::size_of::<LuaClosure>()
                .is_multiple_of(std::mem::align_of::<Cell<Gc<UpVal>>>()))
        };
        // SAFETY: one past the struct is within (or at the end of) its
        // allocation, per the above.
        unsafe { (self as *const LuaClosure).add(1) as *const Cell<Gc<UpVal>> }
    }
}

impl GcObject for LuaClosure {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::LuaFn(g)
    }
    /// The upvalue cells after the closure (see `Heap::alloc_with_tail`).
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Cell<Gc<UpVal>>>() * self.proto.proto.upvalues.len()
    }
}

/// Signature of a Rust function callable from Lua. Arguments are read with
/// `Args` accessors on the VM stack; results are pushed with `Vm::push` and
/// their count returned.
pub type NativeFn = fn(&mut Vm, Args) -> LuaResult<usize>;

/// A Rust function with optional upvalues (mutable state for iterators etc.).
pub struct NativeClosure {
    /// The function.
    pub f: NativeFn,
    /// The name used in error messages when the call site gives none.
    pub name: &'static str,
    /// Upvalues.
    pub upvalues: Box<[Cell<Value>]>,
    /// How the interpreter runs the common cases of `f` without a call,
    /// for some builtins (`vm/fastcall.rs`).
    pub fast: Option<super::fastcall::FastFn>,
}

impl GcObject for NativeClosure {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::Native(g)
    }
    fn heap_size(&self) -> usize {
        std::mem::size_of_val(&*self.upvalues)
    }
}

/// Where an upvalue's variable lives.
#[derive(Clone, Copy, Debug)]
pub enum UpState {
    /// Still a register: slot `index` of `thread`'s stack.
    Open {
        /// The thread whose stack holds the variable.
        thread: Gc<Thread>,
        /// Absolute stack index.
        index: usize,
    },
    /// Closed: the value lives here.
    Closed(Value),
}

/// `UpVal::index` of a closed upvalue.
const CLOSED: usize = usize::MAX;

/// A captured variable shared by closures. Kept as plain fields rather
/// than as an `UpState` so that reading one costs a compare and a load:
/// `index` is the absolute stack slot while open (`CLOSED` after), and
/// `value` holds the variable once closed.
pub struct UpVal {
    /// Stack slot of the variable while open; `CLOSED` once closed.
    index: Cell<usize>,
    /// The thread whose stack holds the variable while open.
    thread: Cell<Option<Gc<Thread>>>,
    /// The variable once closed.
    value: Cell<Value>,
}

impl UpVal {
    /// An open upvalue for slot `index` of `thread`'s stack.
    pub fn open(thread: Gc<Thread>, index: usize) -> UpVal {
        UpVal {
            index: Cell::new(index),
            thread: Cell::new(Some(thread)),
            value: Cell::new(Value::Nil),
        }
    }

    /// A closed upvalue holding `v`.
    pub fn closed(v: Value) -> UpVal {
        UpVal {
            index: Cell::new(CLOSED),
            thread: Cell::new(None),
            value: Cell::new(v),
        }
    }

    /// Where the variable lives now.
    #[inline]
    pub fn state(&self) -> UpState {
        match (self.index.get(), self.thread.get()) {
            (index, Some(thread)) if index != CLOSED => UpState::Open { thread, index },
            _ => UpState::Closed(self.value.get()),
        }
    }

    /// The stack slot of an open upvalue of `thread`, if it is one.
    #[inline(always)]
    pub fn open_slot_in(&self, thread: Gc<Thread>) -> Option<usize> {
        let index = self.index.get();
        if index != CLOSED && self.thread.get() == Some(thread) {
            Some(index)
        } else {
            None
        }
    }

    /// The stack slot while open, `usize::MAX` once closed: below any
    /// stack's length only while open, so `slot_hint() < stack.len()`
    /// doubles as the "still open" test on the read fast path.
    #[inline(always)]
    pub fn slot_hint(&self) -> usize {
        self.index.get()
    }

    /// Whether the upvalue is open in `thread`'s stack (a closed one has
    /// no thread).
    #[inline(always)]
    pub fn is_open_in(&self, thread: Gc<Thread>) -> bool {
        self.thread.get() == Some(thread)
    }

    /// Whether the upvalue is closed.
    #[inline(always)]
    pub fn is_closed(&self) -> bool {
        self.index.get() == CLOSED
    }

    /// The value of a closed upvalue (nil while open).
    #[inline(always)]
    pub fn closed_value(&self) -> Value {
        self.value.get()
    }

    /// Sets the value of a closed upvalue (a store of the value only).
    #[inline(always)]
    pub fn set_closed_value(&self, v: Value) {
        debug_assert!(self.is_closed());
        self.value.set(v);
    }

    /// Closes the upvalue with value `v` (or sets a closed one).
    #[inline(always)]
    pub fn close(&self, v: Value) {
        self.value.set(v);
        self.index.set(CLOSED);
        self.thread.set(None);
    }
}

impl GcObject for UpVal {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::UpVal(g)
    }
}
