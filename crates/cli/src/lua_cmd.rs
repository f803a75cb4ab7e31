//! `lunette`, flag for flag like the `lua` command of Lua 5.4.
//!
//! The command line is read exactly as `lua` reads it (`collect_args`); on
//! top of lua's one-letter options lunette accepts a few long options of its
//! own (`--help`, ...), recognised in one place (`long_option`) so that new
//! ones are added there. Running chunks and reporting errors lives in
//! [`crate::chunk`], the interactive loop in [`crate::repl`].

use crate::chunk::{docall, dofile, dostring, report};
use lunette::{LuaError, RawValue as Value, Vm};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub use crate::chunk::os_error_text;

/// The version banner (`-v` and the interactive mode).
pub const VERSION: &str =
    "lunette 0.1.0 (Lua 5.4)  Lua language Copyright (C) 1994-2022 Lua.org, PUC-Rio";

/// What the command line asked for.
#[derive(Debug, Default)]
pub struct Options {
    /// `-i` given.
    pub interactive: bool,
    /// `-v` given (or implied by `-i`).
    pub version: bool,
    /// `-e` given at least once (an "active" option: no stdin script then).
    pub has_exec: bool,
    /// `-E` given.
    pub ignore_env: bool,
    /// `-e`, `-l` and `-W` in command-line order.
    pub actions: Vec<Action>,
    /// Index in argv of the script (`-` for stdin), if any.
    pub script: Option<usize>,
    /// lunette's own long options.
    pub extra: ExtraOptions,
    /// `--trace`, `--stats`, `--visualize` (see `tools.rs`).
    pub tools: crate::tools::ToolOpts,
}

/// lunette's own long options (`--name` or `--name=value`); lua has none.
#[derive(Debug, Default)]
pub struct ExtraOptions {
    /// `--help`: print the usage text on stdout and exit.
    pub help: bool,
}

/// An option that runs or changes something, done in command-line order.
#[derive(Debug)]
pub enum Action {
    /// `-e stat`.
    Exec(String),
    /// `-l mod` (global = module) or `-l g=mod`.
    Require {
        /// The global that receives the module.
        global: String,
        /// The module name given to `require`.
        module: String,
    },
    /// `-W`: warnings on.
    WarningsOn,
}

/// Why the command line was refused (printed like lua's usage message).
#[derive(Debug, PartialEq)]
pub enum ParseError {
    /// An option lua (and lunette) does not know, as written.
    Unrecognized(String),
    /// `-e` or `-l` without its argument.
    NeedsArgument(String),
}

/// lunette's long options, with their help lines. Add new long options here
/// and in [`long_option`].
pub const LONG_OPTIONS: &[(&str, &str)] = &[
    ("--help", "show this help and exit"),
    (
        "--trace[=F]",
        "print each executed instruction to stderr (F: function name or lines A-B)",
    ),
    (
        "--stats",
        "print execution statistics to stderr after the run",
    ),
    (
        "--visualize OUT",
        "record the run into the step-through page OUT (.html)",
    ),
    (
        "--visualize-limit N",
        "record at most N instructions (default 100000)",
    ),
];

/// Recognises one of lunette's long options at `argv[*i]` (`--name` or
/// `--name=value`; one that takes the next argument advances `*i` past it),
/// storing it in `o`. Returns `Ok(false)` for an unknown one, which is then
/// refused as lua refuses any `--x`. New long options go here.
fn long_option(argv: &[String], i: &mut usize, o: &mut Options) -> Result<bool, ParseError> {
    let arg = argv[*i].as_str();
    let (name, value) = match arg.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (arg, None),
    };
    match (name, value) {
        ("--help", None) => o.extra.help = true,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Parses argv like `lua.c` does: options up to the script name (the first
/// argument not starting with `-`), `--` or `-`.
pub fn collect_args(argv: &[String]) -> Result<Options, ParseError> {
    let mut o = Options::default();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        if !a.starts_with('-') {
            o.script = Some(i);
            return Ok(o);
        }
        let letter = a.as_bytes().get(1).copied();
        let rest = a.get(2..).unwrap_or("");
        let flag_only = |o: &mut Options, set: fn(&mut Options)| {
            if rest.is_empty() {
                set(o);
                Ok(())
            } else {
                Err(ParseError::Unrecognized(a.to_string()))
            }
        };
        match letter {
            None => {
                // `-`: the script is stdin
                o.script = Some(i);
                return Ok(o);
            }
            Some(b'-') if rest.is_empty() => {
                if i + 1 < argv.len() {
                    o.script = Some(i + 1);
                }
                return Ok(o);
            }
            Some(b'-') => {
                if !long_option(argv, &mut i, &mut o)? {
                    match o.tools.parse(argv, &mut i) {
                        Ok(()) => {}
                        Err(crate::tools::FlagError::NeedsArgument(f)) => {
                            return Err(ParseError::NeedsArgument(f))
                        }
                        Err(_) => return Err(ParseError::Unrecognized(a.to_string())),
                    }
                }
            }
            Some(b'E') => flag_only(&mut o, |o| o.ignore_env = true)?,
            Some(b'W') => flag_only(&mut o, |o| o.actions.push(Action::WarningsOn))?,
            Some(b'i') => flag_only(&mut o, |o| {
                o.interactive = true;
                o.version = true;
            })?,
            Some(b'v') => flag_only(&mut o, |o| o.version = true)?,
            Some(c @ (b'e' | b'l')) => {
                let value = if rest.is_empty() {
                    i += 1;
                    match argv.get(i) {
                        Some(v) if !v.starts_with('-') => v.clone(),
                        _ => return Err(ParseError::NeedsArgument(a.to_string())),
                    }
                } else {
                    rest.to_string()
                };
                if c == b'e' {
                    o.has_exec = true;
                    o.actions.push(Action::Exec(value));
                } else {
                    let (global, module) = match value.split_once('=') {
                        Some((g, m)) => (g.to_string(), m.to_string()),
                        None => (value.clone(), value),
                    };
                    o.actions.push(Action::Require { global, module });
                }
            }
            Some(_) => return Err(ParseError::Unrecognized(a.to_string())),
        }
        i += 1;
    }
    Ok(o)
}

/// lua's list of options, as its usage message prints it.
fn lua_options_text(progname: &str) -> String {
    format!(
        "usage: {progname} [options] [script [args]]\n\
         Available options are:\n\
         \x20 -e stat   execute string 'stat'\n\
         \x20 -i        enter interactive mode after executing 'script'\n\
         \x20 -l mod    require library 'mod' into global 'mod'\n\
         \x20 -l g=mod  require library 'mod' into global 'g'\n\
         \x20 -v        show version information\n\
         \x20 -E        ignore environment variables\n\
         \x20 -W        turn warnings on\n\
         \x20 --        stop handling options\n\
         \x20 -         stop handling options and execute stdin\n"
    )
}

/// The usage message for a refused command line, on stderr (as lua's).
fn print_usage(progname: &str, bad: &ParseError) {
    let mut err = std::io::stderr();
    let _ = match bad {
        ParseError::Unrecognized(o) => writeln!(err, "{progname}: unrecognized option '{o}'"),
        ParseError::NeedsArgument(o) => writeln!(err, "{progname}: '{o}' needs argument"),
    };
    let _ = write!(err, "{}", lua_options_text(progname));
    let _ = err.flush();
}

/// The `--help` text: lua's options, then lunette's own.
pub fn help_text(progname: &str) -> String {
    let mut s = lua_options_text(progname);
    s.push_str("lunette's own options (before the script):\n");
    for (flag, what) in LONG_OPTIONS {
        s.push_str(&format!("  {flag:<18} {what}\n"));
    }
    s.push_str(
        "Environment: LUA_INIT_5_4 or LUA_INIT (code, or @file) runs first unless -E;\n\
         the interactive mode keeps its history in ~/.lunette_history.\n",
    );
    s
}

/// Runs `lunette` with the process arguments (`argv[0]` is the program name).
pub fn run_lua(argv: &[String]) -> ExitCode {
    let progname = argv
        .first()
        .filter(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| "lunette".to_string());
    let opts = match collect_args(argv) {
        Ok(o) => o,
        Err(e) => {
            print_usage(&progname, &e);
            return ExitCode::FAILURE;
        }
    };
    if opts.extra.help {
        print!("{}", help_text(&progname));
        let _ = std::io::stdout().flush();
        return ExitCode::SUCCESS;
    }
    if opts.version {
        println!("{VERSION}");
    }
    let mut vm = Vm::new();
    if crate::startup::on_main_thread() {
        // the library recognises the main thread by the name the Rust
        // runtime gives it, which it has not here (see `startup.rs`)
        vm.native_stack_budget = vm
            .native_stack_budget
            .max(lunette::vm::call::MAIN_THREAD_STACK_BUDGET);
    }
    // under an address-space limit (`ulimit -v`) memory exhaustion is the
    // Lua error `not enough memory`, not an allocator abort
    vm.set_memory_limit(lunette::vm::memory::address_space_soft_limit());
    if opts.ignore_env {
        // as lua.c: the libraries (package.path) must not read LUA_PATH etc.
        let k = vm.new_str(b"LUA_NOENV");
        let _ = vm.registry.raw_set(k, Value::Bool(true));
    }
    lunette::stdlib::open_libs(&mut vm);
    let tools = opts.tools.install(&mut vm);
    let ok = run_main(&mut vm, &progname, argv, &opts);
    tools.finish(&mut vm);
    vm.close_state();
    lunette::stdlib::io::flush_stdout(&mut vm);
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Everything after the state is open, in lua's order; false on an error
/// (already reported).
fn run_main(vm: &mut Vm, progname: &str, argv: &[String], opts: &Options) -> bool {
    create_arg_table(vm, argv, opts.script);
    if !opts.ignore_env && !handle_lua_init(vm, progname) {
        return false;
    }
    for action in &opts.actions {
        let ok = match action {
            Action::Exec(code) => dostring(vm, Some(progname), code.as_bytes(), "=(command line)"),
            Action::Require { global, module } => dorequire(vm, progname, global, module),
            Action::WarningsOn => {
                // `warn("@on")`, as lua.c does for -W
                let w = vm.get_global("warn");
                let on = vm.new_str(b"@on");
                let _ = vm.call_function(w, &[on]);
                true
            }
        };
        if !ok {
            return false;
        }
    }
    if let Some(si) = opts.script {
        if !handle_script(vm, progname, argv, si) {
            return false;
        }
    }
    if opts.interactive {
        crate::repl::run(vm);
    } else if opts.script.is_none() && !opts.has_exec && !opts.version {
        if std::io::stdin().is_terminal() {
            println!("{VERSION}");
            crate::repl::run(vm);
        } else {
            return dofile(vm, Some(progname), None);
        }
    }
    true
}

/// `arg`: script at index 0, its arguments at 1.., interpreter and options below 0.
fn create_arg_table(vm: &mut Vm, argv: &[String], script: Option<usize>) {
    let script = script.unwrap_or(0);
    let t = vm.new_table(argv.len().saturating_sub(script + 1), script + 1);
    for (i, a) in argv.iter().enumerate() {
        let v = vm.new_str(a.as_bytes());
        t.raw_set_int(i as i64 - script as i64, v);
    }
    vm.set_global("arg", Value::Table(t));
}

/// Runs `LUA_INIT_5_4` (or else `LUA_INIT`): code, or `@file`.
fn handle_lua_init(vm: &mut Vm, progname: &str) -> bool {
    let (name, init) = match std::env::var_os("LUA_INIT_5_4") {
        Some(v) => ("=LUA_INIT_5_4", v),
        None => match std::env::var_os("LUA_INIT") {
            Some(v) => ("=LUA_INIT", v),
            None => return true,
        },
    };
    let init = init.into_encoded_bytes();
    if let Some(file) = init.strip_prefix(b"@") {
        dofile(vm, Some(progname), Some(file))
    } else {
        dostring(vm, Some(progname), &init, name)
    }
}

/// Runs the script `argv[si]` (stdin for `-` unless it follows `--`) with
/// the positive entries of `arg` as its arguments.
fn handle_script(vm: &mut Vm, progname: &str, argv: &[String], si: usize) -> bool {
    let fname = argv[si].as_str();
    let after_dashes = si > 0 && argv[si - 1] == "--";
    let path = if fname == "-" && !after_dashes {
        None
    } else {
        Some(fname.as_bytes())
    };
    let f = match lunette::stdlib::base_load::load_file(vm, path, b"bt", None) {
        Ok(f) => f,
        Err(e) => return report(vm, Some(progname), e),
    };
    // the script's arguments are read back from `arg`, which `-e` code may
    // have changed (as lua does)
    let Value::Table(argt) = vm.get_global("arg") else {
        let e = vm.new_str(b"'arg' is not a table");
        return report(vm, Some(progname), LuaError::new(e));
    };
    let n = argt.len().max(0);
    let args: Vec<Value> = (1..=n).map(|i| argt.raw_get_int(i)).collect();
    match docall(vm, f, &args) {
        Ok(_) => true,
        Err(e) => report(vm, Some(progname), e),
    }
}

/// `-l g=mod`: `g = require("mod")`.
fn dorequire(vm: &mut Vm, progname: &str, global: &str, module: &str) -> bool {
    let require = vm.get_global("require");
    let m = vm.new_str(module.as_bytes());
    match docall(vm, require, &[m]) {
        Ok(res) => {
            let v = res.first().copied().unwrap_or(Value::Nil);
            vm.set_global(global, v);
            true
        }
        Err(e) => report(vm, Some(progname), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, ParseError> {
        let argv: Vec<String> = std::iter::once("lunette")
            .chain(args.iter().copied())
            .map(String::from)
            .collect();
        collect_args(&argv)
    }

    #[test]
    fn refuses_like_lua() {
        for bad in [
            "-h", "---", "-Ex", "-vv", "-iv", "-Wx", "--nope", "--help=x",
        ] {
            assert_eq!(
                parse(&[bad]).unwrap_err(),
                ParseError::Unrecognized(bad.into())
            );
        }
        assert_eq!(
            parse(&["-e"]).unwrap_err(),
            ParseError::NeedsArgument("-e".into())
        );
        assert_eq!(
            parse(&["-l", "-i"]).unwrap_err(),
            ParseError::NeedsArgument("-l".into())
        );
    }

    #[test]
    fn script_position() {
        assert_eq!(parse(&["-e", "x", "s.lua", "-v"]).unwrap().script, Some(3));
        assert_eq!(parse(&["--", "-v"]).unwrap().script, Some(2));
        assert_eq!(parse(&["--"]).unwrap().script, None);
        assert_eq!(parse(&["-i", "-"]).unwrap().script, Some(2));
        let o = parse(&["-lstring", "-W"]).unwrap();
        assert!(!o.has_exec && o.script.is_none() && o.actions.len() == 2);
        assert!(parse(&["--help"]).unwrap().extra.help);
    }
}
