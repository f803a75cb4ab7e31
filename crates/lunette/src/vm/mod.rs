//! The virtual machine: values, objects, the interpreter loop, calls and
//! frames, metamethods, errors, coroutines.

pub mod arith;
pub mod compare;
pub mod concat;
pub mod debuginfo;
pub mod error;
pub mod function;
pub mod meta;
pub mod native;
pub mod state;
pub mod string;
pub mod table;
pub mod thread;
pub mod userdata;
pub mod value;

pub use error::{LuaError, LuaResult};
pub use native::Args;
pub use state::Vm;
pub use value::Value;
