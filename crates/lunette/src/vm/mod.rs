//! The virtual machine: values, objects, the interpreter loop, calls and
//! frames, metamethods, errors, coroutines.

pub mod arith;
pub mod call;
#[cfg(test)]
mod call_tests;
pub mod compare;
pub mod concat;
pub mod concat_op;
pub mod coroutine;
pub mod debuginfo;
pub mod error;
pub mod fastcall;
pub mod fastops;
pub mod function;
pub mod hook;
pub mod interp;
#[cfg(test)]
mod interp_tests;
pub mod limits;
pub mod load;
pub mod loop_ops;
pub mod memory;
pub mod meta;
pub mod meta_frames;
pub mod native;
pub mod native_upvalues;
pub mod observe;
pub mod protected;
pub mod state;
pub mod string;
pub mod table;
mod table_array;
mod table_hash;
mod table_key;
mod table_resize;
pub mod thread;
pub mod upvalue;
pub mod userdata;
pub mod value;
pub mod value_moves;

pub use error::{LuaError, LuaResult};
pub use native::Args;
pub use state::Vm;
pub use value::Value;
