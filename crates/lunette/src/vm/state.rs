//! The VM state: heap, the running thread's stack and frames, globals,
//! registry, type metatables. (Owned by the call-machine work: fields and
//! stubs below are the contract other modules use.)

use super::call::{Callee, Frame};
use super::error::LuaResult;
use super::function::{LuaClosure, UpVal};
use super::string::LuaStr;
use super::table::Table;
use super::thread::Thread;
use super::value::{LuaType, Value};
use crate::bytecode::{Proto, TagMethod};
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
    /// The running thread's call frames, innermost last.
    pub frames: Vec<Frame>,
    /// The running thread's open upvalues, sorted by stack index.
    pub open_upvals: Vec<Gc<UpVal>>,
    /// Stack indices of the running thread's pending to-be-closed variables.
    pub tbc: Vec<usize>,
    /// Top of the last multiple-results operation (`CALL`/`VARARG` with
    /// `C == 0`), read by the next `B == 0` instruction.
    pub mtop: usize,
    /// Nested re-entries of the interpreter from Rust (`C stack` depth).
    pub n_ccalls: u32,
    /// Native stack address at the outermost interpreter entry (for the
    /// `C stack overflow` guard).
    pub native_stack_base: usize,
    /// Native stack bytes nested re-entries may use (see `call.rs`); an
    /// embedder running lunette on a small thread may lower it.
    pub native_stack_budget: usize,
    /// Set while the interpreter unwinds to its loop to run a metamethod
    /// frame it just pushed (not an error; see `vm/meta_frames.rs`).
    pub meta_frame_pushed: bool,
    /// Set when a `__close` frame of an error recovery returned (see `execute`).
    pub recovery_pending: bool,
    /// Set when the interpreter switched loop variants right after the
    /// call hook of a frame at its first instruction: the new variant must
    /// not run that hook again (see `interp.rs`).
    pub entry_hook_done: bool,
    /// The current stack size limit (`MAX_STACK`, more while a message
    /// handler runs).
    pub stack_limit: usize,
    /// Active protected-call markers of the running thread (they count
    /// towards the `C stack overflow` limit, as Lua's `pcall` does).
    pub n_protected: u32,
    /// The running thread.
    pub current_thread: Gc<Thread>,
    /// The main thread.
    pub main_thread: Gc<Thread>,
    /// Set by `coroutine.yield` while a yield unwinds to `resume`:
    /// the number of values yielded (on top of the stack).
    pub yield_request: Option<usize>,
    /// Debug hooks (`debug.sethook`).
    pub hooks: super::hook::Hooks,
    /// Host limits: instruction budget, call depth, interrupt requests.
    pub limits: super::limits::LimitState,
    /// Values held by the embedding API's handles (`api::Table`, ...), by
    /// slot; a collector root Lua code cannot reach.
    pub host_refs: Gc<Table>,
    /// The interned event names (`__index`, ...), indexed by `TagMethod`:
    /// metatables are searched for them by pointer. A collector root.
    pub tm_names: [Gc<LuaStr>; TagMethod::ALL.len()],
}

impl Vm {
    /// A new state with no libraries opened.
    pub fn new() -> Vm {
        let mut heap = Heap::new();
        let globals = heap.alloc(Table::new(0, 64));
        let registry = heap.alloc(Table::new(0, 8));
        let main_thread = heap.alloc(Thread::main());
        let host_refs = heap.alloc(Table::new(0, 0));
        let tm_names = TagMethod::ALL.map(|tm| heap.new_str(tm.name().as_bytes()));
        Vm {
            heap,
            stack: Vec::new(),
            globals,
            registry,
            type_metas: [None; 9],
            frames: Vec::new(),
            open_upvals: Vec::new(),
            tbc: Vec::new(),
            mtop: 0,
            n_ccalls: 0,
            n_protected: 0,
            stack_limit: super::call::MAX_STACK,
            native_stack_base: 0,
            native_stack_budget: super::call::native_stack_budget_here(),
            meta_frame_pushed: false,
            recovery_pending: false,
            entry_hook_done: false,
            current_thread: main_thread,
            main_thread,
            yield_request: None,
            hooks: Default::default(),
            limits: Default::default(),
            host_refs,
            tm_names,
        }
    }

    /// The interned name of event `tm`.
    #[inline(always)]
    pub fn tm_name(&self, tm: TagMethod) -> Gc<LuaStr> {
        self.tm_names[tm as usize]
    }

    /// The metatable slot for a non-table, non-userdata type.
    pub fn type_meta(&self, t: LuaType) -> Option<Gc<Table>> {
        self.type_metas[t as usize]
    }

    /// `"chunk:line: "` of the function at `level` (0 = running function)
    /// when it is a Lua function, else `""` (`luaL_where`).
    pub fn where_(&self, level: usize) -> String {
        let Some(idx) = self.frames.len().checked_sub(level + 1) else {
            return String::new();
        };
        let fr = &self.frames[idx];
        match fr.callee {
            Callee::Lua(cl) => {
                let p = &cl.proto.proto;
                match p.line_at(fr.pc.saturating_sub(1)) {
                    Some(line) if line > 0 => {
                        format!(
                            "{}:{}: ",
                            crate::bytecode::chunkid::chunk_id(&p.source),
                            line
                        )
                    }
                    _ => String::new(),
                }
            }
            Callee::Native(_) => String::new(),
        }
    }

    /// The name the running native function was called by, and whether it
    /// was called as a method (for `bad argument` messages).
    pub fn current_function_name(&self) -> (String, bool) {
        let n = self.frames.len();
        let Some(top) = self.frames.last() else {
            return ("?".to_string(), false);
        };
        if n >= 2 {
            let caller = &self.frames[n - 2];
            if let Callee::Lua(cl) = caller.callee {
                let pc = caller.pc.saturating_sub(1);
                if let Some((kind, name)) = super::debuginfo::call_site_name(&cl.proto.proto, pc) {
                    return (name, kind == "method");
                }
            }
        }
        let f = match top.callee {
            Callee::Native(nc) => Value::Native(nc),
            Callee::Lua(cl) => Value::LuaFn(cl),
        };
        match self.global_function_name(f) {
            Some(name) => (name, false),
            None => ("?".to_string(), false),
        }
    }

    /// `"mod.name"` of a function found in a loaded module table
    /// (`package.loaded`), `"name"` for globals (as `luaL_traceback` and
    /// `luaL_argerror` name functions without a call-site name).
    pub fn global_function_name(&self, f: Value) -> Option<String> {
        let loaded = self
            .registry
            .entries()
            .into_iter()
            .find(|(k, _)| k.as_str() == Some(b"_LOADED"))
            .and_then(|(_, v)| v.as_table())?;
        for (modname, module) in loaded.entries() {
            let (Some(modname), Some(module)) = (modname.as_str(), module.as_table()) else {
                continue;
            };
            for (k, v) in module.entries() {
                if let (Some(k), true) = (k.as_str(), v.raw_eq(&f)) {
                    let k = String::from_utf8_lossy(k);
                    return Some(if modname == b"_G" {
                        k.into_owned()
                    } else {
                        format!("{}.{}", String::from_utf8_lossy(modname), k)
                    });
                }
            }
        }
        None
    }

    /// The running Lua frame: its closure, the pc of the instruction being
    /// executed, and the stack index of its register 0. `None` when the
    /// running function is native.
    pub fn current_lua_frame(&self) -> Option<(Gc<LuaClosure>, usize, usize)> {
        let fr = self.frames.last()?;
        match fr.callee {
            Callee::Lua(cl) => Some((cl, fr.pc.saturating_sub(1), fr.base)),
            Callee::Native(_) => None,
        }
    }

    /// Calls `f` with `args` and returns all its results (re-enters the
    /// interpreter; honours `__call`).
    pub fn call_function(&mut self, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        let results = self.call_function_impl(f, args)?;
        // The caller is Rust code holding these in locals: keep them alive
        // until no native function is active (see gc/collect.rs).
        self.heap.add_temp_roots(&results);
        Ok(results)
    }

    /// Calls `f` with `args` and returns only its first result (nil when it
    /// returns none). Unlike `call_function` it allocates nothing: the shape
    /// of callbacks called from Rust in loops (sort comparators, `gsub`
    /// replacement functions, metamethods).
    pub fn call_function_1(&mut self, f: Value, args: &[Value]) -> LuaResult<Value> {
        let (func, n) = self.call_on_stack(f, args, 1)?;
        let v = if n > 0 { self.stack[func] } else { Value::Nil };
        self.stack.truncate(func);
        if !matches!(
            v,
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::LightUserData(_)
        ) {
            // held by Rust code: keep it alive while the native call lasts
            self.heap.add_temp_roots(&[v]);
        }
        Ok(v)
    }

    /// Verifies `proto` and turns it into a closure of a main chunk whose
    /// first upvalue (`_ENV`) is `env` (the globals when `None`).
    pub fn load_proto(&mut self, proto: Rc<Proto>, env: Option<Value>) -> LuaResult<Value> {
        self.load_proto_impl(proto, env)
    }
}

impl Default for Vm {
    fn default() -> Self {
        Vm::new()
    }
}
