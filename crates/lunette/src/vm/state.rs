//! The VM state: heap, the running thread's stack and frames, globals,
//! registry, type metatables. (Owned by the call-machine work: fields and
//! stubs below are the contract other modules use.)

use super::error::LuaResult;
use super::function::LuaClosure;
use super::table::Table;
use super::value::{LuaType, Value};
use crate::bytecode::Proto;
use crate::gc::{Gc, Heap};
use std::rc::Rc;

/// A Lua state.
pub struct Vm {
    /// The heap owning every object.
    pub heap: Heap,
    /// The running thread's value stack.
    pub stack: Vec<Value>,
    /// The global table (`_G`, default `_ENV`).
    pub globals: Gc<Table>,
    /// The registry (`debug.getregistry`).
    pub registry: Gc<Table>,
    /// Metatables of non-table types, indexed by `LuaType as usize`
    /// (the string metatable lives at `LuaType::String`).
    pub type_metas: [Option<Gc<Table>>; 9],
}

impl Vm {
    /// A new state with no libraries opened.
    pub fn new() -> Vm {
        let mut heap = Heap::new();
        let globals = heap.alloc(Table::new(0, 64));
        let registry = heap.alloc(Table::new(0, 8));
        Vm {
            heap,
            stack: Vec::new(),
            globals,
            registry,
            type_metas: [None; 9],
        }
    }

    /// The metatable slot for a non-table, non-userdata type.
    pub fn type_meta(&self, t: LuaType) -> Option<Gc<Table>> {
        self.type_metas[t as usize]
    }

    /// `"chunk:line: "` of the function at `level` (0 = running function)
    /// when it is a Lua function, else `""` (`luaL_where`).
    pub fn where_(&self, _level: usize) -> String {
        todo!("call machine")
    }

    /// The name the running native function was called by, and whether it
    /// was called as a method (for `bad argument` messages).
    pub fn current_function_name(&self) -> (String, bool) {
        todo!("call machine")
    }

    /// The running Lua frame: its closure, the pc of the instruction being
    /// executed, and the stack index of its register 0. `None` when the
    /// running function is native.
    pub fn current_lua_frame(&self) -> Option<(Gc<LuaClosure>, usize, usize)> {
        todo!("call machine")
    }

    /// Calls `f` with `args` and returns all its results (re-enters the
    /// interpreter; honours `__call`).
    pub fn call_function(&mut self, _f: Value, _args: &[Value]) -> LuaResult<Vec<Value>> {
        todo!("call machine")
    }

    /// Verifies `proto` and turns it into a closure of a main chunk whose
    /// first upvalue (`_ENV`) is `env` (the globals when `None`).
    pub fn load_proto(&mut self, _proto: Rc<Proto>, _env: Option<Value>) -> LuaResult<Value> {
        todo!("call machine")
    }
}

impl Default for Vm {
    fn default() -> Self {
        Vm::new()
    }
}
