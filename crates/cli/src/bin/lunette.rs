//! `lunette`: the Lua interpreter command (like `lua`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    lunette_cli::run_lua(&args)
}
