//! `lunettec`: the Lua compiler command (like `luac`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    lunette_cli::run_luac(&args)
}
