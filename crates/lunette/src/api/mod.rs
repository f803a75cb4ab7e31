//! The embedding API for Rust hosts, in the style of the `mlua` crate, with
//! hard limits a host can rely on.
//!
//! * [`Lua`] is a state; [`Lua::new`] opens every library,
//!   [`Lua::sandboxed`] only the safe ones.
//! * [`Lua::load`] gives a [`Chunk`] to `exec`, `eval` or `call`.
//! * [`Table`], [`Function`], [`AnyUserData`], [`Thread`] are handles: they
//!   keep their object alive and may be held as long as the host likes.
//! * [`IntoLua`]/[`FromLua`] (one value) and [`IntoLuaMulti`]/
//!   [`FromLuaMulti`] (argument and result lists, tuples) convert values.
//! * [`UserData`] exposes a Rust type with methods and metamethods.
//! * [`Limits`] bounds instructions, memory and call depth; an
//!   [`InterruptHandle`] stops a script from another thread.
//!
//! ```
//! use lunette::{Lua, Table};
//! let lua = Lua::new();
//! let add = lua.create_function(|_lua, (a, b): (i64, i64)| Ok(a + b))?;
//! lua.globals().set("add", add)?;
//! let t: Table = lua.load("return { sum = add(1, 2) }").eval()?;
//! assert_eq!(t.get::<i64>("sum")?, 3);
//! # Ok::<(), lunette::Error>(())
//! ```

mod chunk;
mod conv;
mod error;
mod function;
mod handle;
mod limits;
mod lua;
mod multi;
mod sandbox;
mod table;
mod thread;
mod userdata;
mod value;

pub use crate::vm::limits::InterruptHandle;
pub use chunk::Chunk;
pub use conv::{FromLua, IntoLua};
pub use error::{Error, ErrorKind, Result};
pub use function::Function;
pub use limits::Limits;
pub use lua::Lua;
pub use multi::{FromLuaMulti, IntoLuaMulti};
pub use table::{Table, TablePairs, TableSequence};
pub use thread::Thread;
pub use userdata::{
    AnyUserData, MetaMethod, UserData, UserDataMethods, UserDataRef, UserDataRefMut,
};
pub use value::{LuaString, MultiValue, Value, Variadic};
