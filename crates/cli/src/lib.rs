//! The command-line programs `lunette` (like `lua`) and `lunettec` (like `luac`).

pub mod chunk;
pub mod interrupt;
pub mod lua_cmd;
pub mod luac_cmd;
pub mod repl;

pub use lua_cmd::run_lua;
pub use luac_cmd::run_luac;
