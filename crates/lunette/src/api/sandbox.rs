//! `Lua::sandboxed`: a state for untrusted scripts. It has the `string`
//! (without `dump`), `table`, `math`, `utf8` and `coroutine` libraries, the
//! basic functions with text-only chunk loading (`load` forced to mode
//! `"t"`, no `dofile`/`loadfile`), and `os.time`, `os.clock`, `os.date`.
//! There is no `io`, `package`/`require`, `debug`, or any other `os`
//! function, so a script cannot reach files, processes, environment
//! variables, binary chunks or the debug library.

use super::lua::Lua;
use crate::stdlib;
use crate::vm::{Args, LuaResult, Value as RawValue, Vm};

/// Globals a sandboxed state does not get.
const REMOVED_GLOBALS: &[&str] = &["dofile", "loadfile"];
/// The `os` functions a sandboxed state keeps.
const OS_KEPT: &[&str] = &["time", "clock", "date"];

impl Lua {
    /// A state for untrusted scripts (see the module documentation of
    /// `api::sandbox`): no file system, processes, environment, binary
    /// chunks or debug library. Combine with [`Lua::set_limits`].
    ///
    /// ```
    /// let sb = lunette::Lua::sandboxed();
    /// assert!(sb.load("return io == nil and debug == nil and require == nil").eval::<bool>()?);
    /// assert!(sb.load("return string.dump == nil and os.execute == nil").eval::<bool>()?);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn sandboxed() -> Lua {
        let mut vm = Vm::new();
        stdlib::base::open(&mut vm);
        stdlib::base_call::open(&mut vm);
        stdlib::coroutine::open(&mut vm);
        stdlib::string::open(&mut vm);
        stdlib::table::open(&mut vm);
        stdlib::math::open(&mut vm);
        stdlib::utf8::open(&mut vm);
        stdlib::os::open(&mut vm);
        restrict(&mut vm);
        let lua = Lua::from_vm(vm);
        lua.inner.text_only.set(true);
        lua
    }
}

/// Removes what a sandbox must not have from a state with the libraries open.
fn restrict(vm: &mut Vm) {
    for name in REMOVED_GLOBALS {
        vm.set_global(name, RawValue::Nil);
    }
    // load: text chunks only
    let load = vm.get_global("load");
    let wrapped = vm.new_native_with_upvalues("load", text_only_load, vec![load]);
    vm.set_global("load", wrapped);
    // string.dump: no binary chunks (the string metatable's __index is the
    // same table)
    if let RawValue::Table(string) = vm.get_global("string") {
        let k = vm.new_str(b"dump");
        let _ = string.raw_set(k, RawValue::Nil);
    }
    // os: only time, clock, date
    if let RawValue::Table(full) = vm.get_global("os") {
        let os = vm.new_table(0, OS_KEPT.len());
        for name in OS_KEPT {
            let k = vm.new_str(name.as_bytes());
            let _ = os.raw_set(k, full.raw_get(k));
        }
        vm.set_global("os", RawValue::Table(os));
    }
    // library names for tracebacks and messages (`registry._LOADED`)
    let loaded = stdlib::package::loaded_table(vm);
    for name in ["string", "table", "math", "utf8", "coroutine", "os"] {
        let k = vm.new_str(name.as_bytes());
        let v = vm.get_global(name);
        let _ = loaded.raw_set(k, v);
    }
    let k = vm.new_str(b"_G");
    let _ = loaded.raw_set(k, RawValue::Table(vm.globals));
}

/// `load` with its mode forced to `"t"`: the original `load` (upvalue 1)
/// runs in this frame with the third argument replaced.
fn text_only_load(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let RawValue::Native(orig) = vm.current_native_upvalue(0) else {
        return Err(vm.native_error("load is not available"));
    };
    let len = args.len.max(3);
    vm.stack.truncate(args.base + args.len);
    vm.stack.resize(args.base + len, RawValue::Nil);
    vm.stack[args.base + 2] = vm.new_str(b"t");
    (orig.f)(
        vm,
        Args {
            base: args.base,
            len,
        },
    )
}
