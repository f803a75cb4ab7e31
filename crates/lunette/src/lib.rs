//! lunette: a bytecode virtual machine for Lua 5.4.
//!
//! Pipeline: source -> `syntax` (tokens, AST) -> `compiler` (prototypes) ->
//! `bytecode` (verified prototypes) -> `vm` (interpreter). `gc` owns the
//! heap, `stdlib` the standard libraries, `api` the embedding API.

#![warn(missing_docs)]

pub mod api;
pub mod bytecode;
pub mod compiler;
pub mod gc;
pub mod number;
pub mod stdlib;
pub mod syntax;
pub mod vm;

pub use api::{
    AnyUserData, Chunk, Error, ErrorKind, FromLua, FromLuaMulti, Function, InterruptHandle,
    IntoLua, IntoLuaMulti, Limits, Lua, LuaString, MetaMethod, MultiValue, Result, Table, Thread,
    UserData, UserDataMethods, UserDataRef, UserDataRefMut, Value, Variadic,
};
/// The VM's raw value (a `Copy` handle; see `vm::Value`). Embedders use
/// the API's [`Value`] instead.
pub use vm::Value as RawValue;
pub use vm::{LuaError, LuaResult, Vm};

/// Compiles `source` (named `chunkname`, e.g. `@file.lua`) and returns the
/// main function as a value, ready to call. Syntax errors come back as Lua
/// errors carrying the message string.
pub fn load_text(vm: &mut Vm, source: &[u8], chunkname: &[u8]) -> LuaResult<RawValue> {
    match compiler::compile_source(source, chunkname) {
        Ok(proto) => vm.load_proto(proto, None),
        Err(e) => {
            let v = vm.new_str(e.message.as_bytes());
            Err(LuaError::new(v))
        }
    }
}
