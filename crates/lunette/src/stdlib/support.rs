//! Small helpers shared by the standard libraries written in Rust: plain
//! error values, metafield lookup, registry slots, `luaL_len`, OS error text.

use crate::gc::Gc;
use crate::vm::table::Table;
use crate::vm::{LuaError, LuaResult, Value, Vm};

/// An error whose value is exactly `msg` (no position prefix), like
/// `luaG_runerror` raised from inside a native function.
pub(crate) fn plain_error(vm: &mut Vm, msg: &str) -> LuaError {
    let v = vm.new_str(msg.as_bytes());
    LuaError::new(v)
}

/// Field `name` of `v`'s metatable, read raw (`luaL_getmetafield`); nil
/// when there is no metatable or no such field.
pub(crate) fn meta_field(vm: &mut Vm, v: Value, name: &str) -> Value {
    match vm.get_metatable(v) {
        Some(mt) => mt.raw_get_bytes(name.as_bytes()),
        None => Value::Nil,
    }
}

/// Pushes every value of `vals`; returns how many.
pub(crate) fn push_all(vm: &mut Vm, vals: &[Value]) -> usize {
    for v in vals {
        vm.push(*v);
    }
    vals.len()
}

/// Registry slots of the libraries, under integer keys (no string to
/// allocate per lookup; negative, so they never meet `luaL_ref` numbers).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Slot {
    /// The `next` function `pairs` returns.
    Next,
    /// The iterator `ipairs` returns.
    IpairsAux,
    /// The metatable of file handles.
    FileMeta,
    /// The default input file.
    Input,
    /// The default output file.
    Output,
}

impl Slot {
    fn key(self) -> i64 {
        -70_000 - self as i64
    }
}

/// Reads a registry slot.
pub(crate) fn registry_get(vm: &Vm, slot: Slot) -> Value {
    vm.registry.raw_get_int(slot.key())
}

/// Writes a registry slot.
pub(crate) fn registry_set(vm: &Vm, slot: Slot, v: Value) {
    vm.registry.raw_set_int(slot.key(), v);
}

/// `#v` honouring `__len`, which must give an integer (`luaL_len`). Tables
/// without a metatable take the raw fast path.
pub(crate) fn length_of(vm: &mut Vm, v: Value) -> LuaResult<i64> {
    if let Value::Table(t) = v {
        if t.metatable().is_none() {
            return Ok(t.len());
        }
    }
    match vm.len(v)? {
        Value::Int(n) => Ok(n),
        Value::Float(f) => match crate::number::float_to_int_exact(f) {
            Some(n) => Ok(n),
            None => Err(vm.native_error("object length is not an integer")),
        },
        _ => Err(vm.native_error("object length is not an integer")),
    }
}

/// `v[i]` honouring `__index`: raw when the table holds the key or has no
/// metatable (`lua_geti`'s fast path).
pub(crate) fn geti(vm: &mut Vm, v: Value, i: i64) -> LuaResult<Value> {
    if let Value::Table(t) = v {
        let x = t.raw_get_int(i);
        if !x.is_nil() || t.metatable().is_none() {
            return Ok(x);
        }
    }
    vm.index(v, Value::Int(i))
}

/// `v[i] = x` honouring `__newindex`: raw when the table has no metatable,
/// its metatable has no `__newindex` (cached absence), or the key is
/// present (`lua_seti`'s fast path).
pub(crate) fn seti(vm: &mut Vm, v: Value, i: i64, x: Value) -> LuaResult<()> {
    if let Value::Table(t) = v {
        let raw = match t.metatable() {
            None => true,
            Some(mt) => {
                let tm = crate::bytecode::TagMethod::NewIndex;
                mt.tag_method_str(tm, vm.tm_name(tm)).is_nil() || !t.raw_get_int(i).is_nil()
            }
        };
        if raw {
            return match t.try_set_int(i, x) {
                Ok(grown) => vm.table_grew_in_native(grown),
                Err(_) => Err(vm.memory_error()),
            };
        }
    }
    vm.set_index(v, Value::Int(i), x)
}

/// The C library's text for an OS error (`strerror`), without Rust's
/// ` (os error N)` suffix, and the errno value (0 when unknown).
pub(crate) fn os_error_text(e: &std::io::Error) -> (String, i64) {
    let code = e.raw_os_error().map(i64::from).unwrap_or(0);
    let mut text = e.to_string();
    if let Some(p) = text.find(" (os error ") {
        text.truncate(p);
    }
    (text, code)
}

/// Pushes `nil, msg, errno` (`luaL_fileresult` on failure); returns 3.
pub(crate) fn push_fail_errno(vm: &mut Vm, msg: &str, errno: i64) -> usize {
    vm.push(Value::Nil);
    let m = vm.new_str(msg.as_bytes());
    vm.push(m);
    vm.push(Value::Int(errno));
    3
}

/// Creates library table `lib` (through `Vm::register_lib`) holding
/// `funcs`, whose names are qualified (`"table.insert"`): the key is the
/// part after the last dot, and the qualified name is what argument errors
/// show when no call site names the function (as Lua's
/// `pushglobalfuncname` finds it in `package.loaded`).
pub(crate) fn register_qualified(
    vm: &mut Vm,
    lib: &str,
    funcs: &[(&'static str, crate::vm::function::NativeFn)],
) -> Gc<Table> {
    let t = vm.register_lib(lib, &[]);
    for (qualified, f) in funcs {
        let key = qualified.rsplit('.').next().unwrap_or(qualified);
        let k = vm.new_str(key.as_bytes());
        let v = vm.new_native(qualified, *f);
        let _ = t.raw_set(k, v);
    }
    t
}

/// Calls `f` and catches an error the way `lua_pcall` would: the frames
/// and stack are unwound to the level of the call and the error value is
/// returned as `Ok(Err(value))`. A pending yield is not an error to catch:
/// it comes back as `Err` to be propagated.
pub(crate) fn call_catching(
    vm: &mut Vm,
    f: Value,
    args: &[Value],
) -> LuaResult<Result<Vec<Value>, Value>> {
    let depth = vm.frames.len();
    let level = vm.stack.len();
    let ccalls = vm.n_ccalls;
    let protected = vm.n_protected;
    match vm.call_function(f, args) {
        Ok(v) => Ok(Ok(v)),
        Err(e) if vm.yield_request.is_some() || vm.limits.uncatchable() => Err(e),
        Err(e) => {
            let e = vm.unwind(depth, level, e);
            vm.n_ccalls = ccalls;
            vm.n_protected = protected;
            Ok(Err(e.value))
        }
    }
}
