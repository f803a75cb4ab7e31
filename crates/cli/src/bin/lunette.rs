//! `lunette`: the Lua interpreter command (like `lua`).
//!
//! The program defines C's `main` itself instead of Rust's `fn main`, so
//! that the Rust runtime's start-up does not run: see `startup.rs` for why
//! (peak memory) and what is done in its place.

#![cfg_attr(not(test), no_main)]

/// The process entry point, called by the C library's start code.
// `no_mangle`: this is the program's only `main` symbol (the Rust runtime's
// `main` is not generated under `no_main`); its signature is C's.
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    lunette_cli::startup::run(lunette_cli::run_lua)
}
