//! `pairs` and `dofile` as small Lua functions over native helpers, so a
//! coroutine can yield inside a `__pairs` metamethod or inside a file run
//! by `dofile` (Lua 5.4 allows both; a native function calling back into
//! Lua cannot be suspended here). The helpers do the argument checks and
//! report errors at the caller's position, as the C versions do. If the
//! wrappers cannot be built, the native versions stay in place.

use super::base_load::load_file;
use super::support::meta_field;
use crate::vm::{Args, LuaError, LuaResult, Value, Vm};

/// The wrappers; the chunk receives the two helpers and returns them.
const WRAPPERS: &[u8] = b"local pairs_start, dofile_start, pass = ...
local function pairs(...)
  local f, s, c, mm = pairs_start(...)
  if mm then f, s, c = mm(s) end
  return f, s, c
end
local function dofile(...)
  local f = dofile_start(...)
  return pass(f())
end
return pairs, dofile
";

/// Replaces the globals `pairs` and `dofile` by their yieldable versions.
pub fn open(vm: &mut Vm) {
    let Ok(proto) = crate::compiler::compile_source(WRAPPERS, b"=[C]") else {
        return;
    };
    let Ok(chunk) = vm.load_proto(proto, None) else {
        return;
    };
    let start_pairs = vm.new_native("pairs", pairs_start);
    let start_dofile = vm.new_native("dofile", dofile_start);
    // not a tail call: the chunk's traceback shows `dofile` below it
    let pass = vm.new_native("dofile", pass_results);
    if let Ok(fs) = vm.call_function(chunk, &[start_pairs, start_dofile, pass]) {
        if let [p @ Value::LuaFn(_), d @ Value::LuaFn(_), ..] = fs[..] {
            vm.set_global("pairs", p);
            vm.set_global("dofile", d);
        }
    }
}

/// Returns its arguments.
fn pass_results(_vm: &mut Vm, args: Args) -> LuaResult<usize> {
    Ok(args.len)
}

/// An argument error reported at the position of the wrapper's caller.
fn caller_arg_error(vm: &mut Vm, fname: &str, msg: &str) -> LuaError {
    vm.error_at_level(&format!("bad argument #1 to '{fname}' ({msg})"), 2)
}

/// `next, t, nil` — or `nil, t, nil, mm` when `t` has `__pairs`.
fn pairs_start(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    if args.len == 0 {
        return Err(caller_arg_error(vm, "pairs", "value expected"));
    }
    let t = vm.arg(args, 1);
    let mm = meta_field(vm, t, "__pairs");
    if mm.is_nil() {
        let next = super::support::registry_get(vm, super::support::Slot::Next);
        vm.push(next);
        vm.push(t);
        vm.push(Value::Nil);
        Ok(3)
    } else {
        vm.push(Value::Nil);
        vm.push(t);
        vm.push(Value::Nil);
        vm.push(mm);
        Ok(4)
    }
}

/// Loads the file named by the argument (stdin when absent), raising the
/// load error as is.
fn dofile_start(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name: Option<Vec<u8>> = match vm.arg(args, 1) {
        Value::Nil => None,
        Value::Str(s) => Some(s.as_bytes().to_vec()),
        v @ (Value::Int(_) | Value::Float(_)) => Some(vm.number_to_str(v).as_bytes().to_vec()),
        v => {
            let got = vm.type_name_meta(v);
            return Err(caller_arg_error(
                vm,
                "dofile",
                &format!("string expected, got {got}"),
            ));
        }
    };
    let f = load_file(vm, name.as_deref(), b"bt", None)?;
    vm.push(f);
    Ok(1)
}
