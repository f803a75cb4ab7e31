//! Runs a Lua script through the embedding API, optionally under generous
//! limits, to measure what the limits cost:
//!
//! ```text
//! cargo build --release --example limited_run
//! bench/run.py --lunette target/release/examples/limited_run          # no limits
//! LUNETTE_LIMITS=1 bench/run.py --lunette target/release/examples/limited_run
//! ```
//!
//! Arguments after the script become the global `arg` table (`arg[1]` ...),
//! as the `lunette` command passes them, so benchmark sizes can be given.

use lunette::{Limits, Lua};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: limited_run script.lua");
        std::process::exit(2);
    };
    let source = match std::fs::read(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("limited_run: cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let lua = Lua::new();
    if std::env::var_os("LUNETTE_LIMITS").is_some_and(|v| v == "1") {
        lua.set_limits(Limits {
            instructions: Some(1 << 50),
            memory: Some(16 << 30),
            call_depth: Some(1_000_000),
        });
    }
    let script_args: Vec<String> = std::env::args().skip(2).collect();
    let arg_table = lua.create_table().and_then(|t| {
        for (i, a) in script_args.into_iter().enumerate() {
            t.set(i as i64 + 1, a)?;
        }
        lua.globals().set("arg", t)
    });
    if let Err(e) = arg_table {
        eprintln!("limited_run: {e}");
        std::process::exit(1);
    }
    if let Err(e) = lua.load(source).set_name(format!("@{path}")).exec() {
        eprintln!("limited_run: {e}");
        std::process::exit(1);
    }
}
