//! The command-line programs `lunette` (like `lua`) and `lunettec` (like `luac`).

pub mod chunk;
pub mod frames;
pub mod interrupt;
pub mod lua_cmd;
pub mod luac_cmd;
pub mod repl;
pub mod startup;
pub mod stats;
pub mod tools;
pub mod trace;
pub mod visualize;

pub use lua_cmd::run_lua;
pub use luac_cmd::run_luac;
