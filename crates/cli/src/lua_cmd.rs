//! `lunette`, flag for flag like the `lua` command of Lua 5.4.

use lunette::vm::Args;
use lunette::{LuaError, LuaResult, RawValue as Value, Vm};
use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

/// The version banner (`-v` and the interactive mode).
pub const VERSION: &str =
    "lunette 0.1.0 (Lua 5.4)  Lua language Copyright (C) 1994-2022 Lua.org, PUC-Rio";

/// What the command line asked for, in order.
#[derive(Debug, Default)]
struct Options {
    /// `-i` given.
    interactive: bool,
    /// `-v` given.
    version: bool,
    /// `-E` given.
    ignore_env: bool,
    /// `-W` given.
    warnings: bool,
    /// `-e` and `-l` actions in command-line order.
    actions: Vec<Action>,
    /// Index in argv of the script (`-` for stdin), if any.
    script: Option<usize>,
}

#[derive(Debug)]
enum Action {
    Exec(String),
    Require { global: String, module: String },
}

enum ParseError {
    Unrecognized(String),
    NeedsArgument(String),
}

/// Parses argv like `lua.c`'s `collectargs`.
fn collect_args(argv: &[String]) -> Result<Options, ParseError> {
    let mut o = Options::default();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if !a.starts_with('-') {
            o.script = Some(i);
            return Ok(o);
        }
        match a.as_str() {
            "--" => {
                if i + 1 < argv.len() {
                    o.script = Some(i + 1);
                }
                return Ok(o);
            }
            "-" => {
                o.script = Some(i);
                return Ok(o);
            }
            "-E" => o.ignore_env = true,
            "-W" => o.warnings = true,
            "-i" => {
                o.interactive = true;
                o.version = true;
            }
            "-v" => o.version = true,
            _ if a.starts_with("-e") || a.starts_with("-l") => {
                let opt = &a[..2];
                let value = if a.len() > 2 {
                    a[2..].to_string()
                } else {
                    i += 1;
                    match argv.get(i) {
                        Some(v) if !v.starts_with('-') => v.clone(),
                        _ => return Err(ParseError::NeedsArgument(opt.to_string())),
                    }
                };
                if opt == "-e" {
                    o.actions.push(Action::Exec(value));
                } else {
                    let (global, module) = match value.split_once('=') {
                        Some((g, m)) => (g.to_string(), m.to_string()),
                        None => (value.clone(), value.clone()),
                    };
                    o.actions.push(Action::Require { global, module });
                }
            }
            _ => return Err(ParseError::Unrecognized(a.clone())),
        }
        i += 1;
    }
    Ok(o)
}

fn print_usage(progname: &str, bad: &ParseError) {
    let mut err = std::io::stderr();
    let _ = match bad {
        ParseError::Unrecognized(o) => writeln!(err, "{progname}: unrecognized option '{o}'"),
        ParseError::NeedsArgument(o) => writeln!(err, "{progname}: '{o}' needs argument"),
    };
    let _ = write!(
        err,
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
    );
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
    let mut vm = Vm::new();
    // under an address-space limit (`ulimit -v`) memory exhaustion is the
    // Lua error `not enough memory`, not an allocator abort
    vm.set_memory_limit(lunette::vm::memory::address_space_soft_limit());
    if opts.ignore_env {
        // as lua.c: the libraries (package.path) must not read LUA_PATH etc.
        let k = vm.new_str(b"LUA_NOENV");
        let _ = vm.registry.raw_set(k, Value::Bool(true));
    }
    lunette::stdlib::open_libs(&mut vm);
    let ok = run_main(&mut vm, &progname, argv, &opts);
    vm.close_state();
    lunette::stdlib::io::flush_stdout(&mut vm);
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_main(vm: &mut Vm, progname: &str, argv: &[String], opts: &Options) -> bool {
    if opts.version {
        println!("{VERSION}");
    }
    create_arg_table(vm, argv, opts.script);
    if !opts.ignore_env && !handle_lua_init(vm, progname) {
        return false;
    }
    if opts.warnings {
        // `warn("@on")`, as lua.c does for -W.
        let w = vm.get_global("warn");
        let on = vm.new_str(b"@on");
        let _ = vm.call_function(w, &[on]);
    }
    for action in &opts.actions {
        let ok = match action {
            Action::Exec(code) => dostring(vm, progname, code.as_bytes(), "=(command line)"),
            Action::Require { global, module } => dorequire(vm, progname, global, module),
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
        repl(vm, progname);
    } else if opts.script.is_none() && opts.actions.is_empty() && !opts.version {
        if std::io::stdin().is_terminal() {
            println!("{VERSION}");
            repl(vm, progname);
        } else {
            return dofile(vm, progname, None);
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
        dofile(vm, progname, Some(&String::from_utf8_lossy(file)))
    } else {
        dostring(vm, progname, &init, name)
    }
}

fn handle_script(vm: &mut Vm, progname: &str, argv: &[String], si: usize) -> bool {
    let fname = &argv[si];
    let path = if fname == "-" && argv.get(si - 1).map(String::as_str) != Some("--") {
        None
    } else {
        Some(fname.as_str())
    };
    let f = match load_file(vm, path) {
        Ok(f) => f,
        Err(e) => return report(vm, progname, e),
    };
    // the script's arguments are read back from `arg`, which `-e` code may
    // have changed (as lua.c's pushargs does)
    let Value::Table(argt) = vm.get_global("arg") else {
        let e = vm.new_str(b"'arg' is not a table");
        return report(vm, progname, LuaError::new(e));
    };
    let n = argt.len().max(0);
    let args: Vec<Value> = (1..=n).map(|i| argt.raw_get_int(i)).collect();
    let _ = argv;
    match docall(vm, f, &args) {
        Ok(_) => true,
        Err(e) => report(vm, progname, e),
    }
}

/// Reads and compiles a file (stdin when `None`), skipping a `#` first line.
pub fn load_file(vm: &mut Vm, path: Option<&str>) -> LuaResult<Value> {
    let (chunkname, data) = match path {
        None => {
            let mut buf = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
                let msg = format!("cannot read stdin: {}", os_error_text(&e));
                return Err(LuaError::new(vm.new_str(msg.as_bytes())));
            }
            ("=stdin".to_string(), buf)
        }
        Some(p) => match std::fs::read(p) {
            Ok(d) => (format!("@{p}"), d),
            Err(e) => {
                let msg = format!("cannot open {p}: {}", os_error_text(&e));
                return Err(LuaError::new(vm.new_str(msg.as_bytes())));
            }
        },
    };
    let src = skip_comment_line(&data);
    if src.starts_with(b"\x1bLua") {
        // a precompiled chunk (lunettec output): verified when loaded
        return match lunette::bytecode::dump::undump(src, chunkname.as_bytes()) {
            Ok(p) => vm.load_proto(std::rc::Rc::new(p), None),
            Err(msg) => Err(LuaError::new(vm.new_str(msg.as_bytes()))),
        };
    }
    lunette::load_text(vm, src, chunkname.as_bytes())
}

/// Skips a first line starting with `#` (keeping the newline so lines count right).
fn skip_comment_line(data: &[u8]) -> &[u8] {
    if data.first() == Some(&b'#') {
        match data.iter().position(|&c| c == b'\n') {
            Some(p) => &data[p..],
            None => &[],
        }
    } else {
        data
    }
}

/// The text of an OS error without Rust's ` (os error N)` suffix.
pub fn os_error_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(p) => s[..p].to_string(),
        None => s,
    }
}

fn dostring(vm: &mut Vm, progname: &str, code: &[u8], name: &str) -> bool {
    match lunette::load_text(vm, code, name.as_bytes()).and_then(|f| docall(vm, f, &[])) {
        Ok(_) => true,
        Err(e) => report(vm, progname, e),
    }
}

fn dofile(vm: &mut Vm, progname: &str, path: Option<&str>) -> bool {
    match load_file(vm, path).and_then(|f| docall(vm, f, &[])) {
        Ok(_) => true,
        Err(e) => report(vm, progname, e),
    }
}

fn dorequire(vm: &mut Vm, progname: &str, global: &str, module: &str) -> bool {
    let require = vm.get_global("require");
    let m = vm.new_str(module.as_bytes());
    match docall(vm, require, &[m]) {
        Ok(res) => {
            let v = res.first().copied().unwrap_or(Value::Nil);
            vm.set_global(global, v);
            true
        }
        Err(e) => report(vm, progname, e),
    }
}

/// The message handler of protected calls: turns the error into a string
/// (honouring `__tostring`) and appends a traceback.
fn msghandler(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let msg = vm.arg(args, 1);
    let text = match msg {
        Value::Str(_) => msg,
        Value::Int(_) | Value::Float(_) => vm.tostring(msg)?,
        _ => {
            let key = vm.new_str(b"__tostring");
            let has_tostring = vm
                .get_metatable(msg)
                .is_some_and(|mt| !mt.raw_get(key).is_nil());
            if has_tostring {
                let s = vm.tostring(msg)?;
                vm.push(s);
                return Ok(1);
            }
            let t = msg.type_name();
            vm.new_str(format!("(error object is a {t} value)").as_bytes())
        }
    };
    let mut out = text.as_str().unwrap_or_default().to_vec();
    out.push(b'\n');
    out.extend_from_slice(lunette::stdlib::debug::traceback_text(vm, 1).as_bytes());
    let v = vm.new_string(out);
    vm.push(v);
    Ok(1)
}

/// Calls `f` under `xpcall` with the traceback message handler.
fn docall(vm: &mut Vm, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
    let xpcall = vm.get_global("xpcall");
    let handler = vm.new_native("msghandler", msghandler);
    let mut all = vec![f, handler];
    all.extend_from_slice(args);
    let mut res = vm.pcall_function(xpcall, &all)?;
    if res.first().is_some_and(|v| v.truthy()) {
        res.remove(0);
        Ok(res)
    } else {
        Err(LuaError::new(res.get(1).copied().unwrap_or(Value::Nil)))
    }
}

/// Prints an error like `lua.c`'s `l_message` and returns false.
fn report(vm: &mut Vm, progname: &str, e: LuaError) -> bool {
    lunette::stdlib::io::flush_stdout(vm);
    let msg = match e.value {
        Value::Str(s) => s.to_str_lossy().into_owned(),
        v => match vm.tostring(v) {
            Ok(Value::Str(s)) => s.to_str_lossy().into_owned(),
            _ => format!("(error object is a {} value)", v.type_name()),
        },
    };
    let mut err = std::io::stderr();
    let _ = writeln!(err, "{progname}: {msg}");
    if let Some(tb) = e.traceback {
        let _ = writeln!(err, "{tb}");
    }
    let _ = err.flush();
    false
}

/// The interactive loop: `> ` prompts, `>> ` continuations, expressions printed.
fn repl(vm: &mut Vm, progname: &str) {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock();
    while let Some(mut chunk) = read_line(vm, &mut lines, true) {
        let f = loop {
            // First try it as an expression.
            let ret = format!("return {chunk}");
            if let Ok(f) = lunette::load_text(vm, ret.as_bytes(), b"=stdin") {
                break Ok(f);
            }
            match lunette::load_text(vm, chunk.as_bytes(), b"=stdin") {
                Ok(f) => break Ok(f),
                Err(e) => {
                    let incomplete = e.value.as_str().is_some_and(|m| m.ends_with(b"<eof>"));
                    if !incomplete {
                        break Err(e);
                    }
                    match read_line(vm, &mut lines, false) {
                        Some(more) => {
                            chunk.push('\n');
                            chunk.push_str(&more);
                        }
                        None => break Err(e),
                    }
                }
            }
        };
        match f.and_then(|f| docall(vm, f, &[])) {
            Ok(results) if !results.is_empty() => {
                let print = vm.get_global("print");
                if let Err(e) = vm.pcall_function(print, &results) {
                    let msg = match e.value {
                        Value::Str(s) => s.to_str_lossy().into_owned(),
                        v => format!("(error object is a {} value)", v.type_name()),
                    };
                    let text = vm.new_str(format!("error calling 'print' ({msg})").as_bytes());
                    report(vm, progname, LuaError::new(text));
                }
            }
            Ok(_) => {}
            Err(e) => {
                report(vm, progname, e);
            }
        }
        lunette::stdlib::io::flush_stdout(vm);
    }
    println!();
}

fn read_line(vm: &mut Vm, input: &mut impl BufRead, first: bool) -> Option<String> {
    let prompt_var = if first { "_PROMPT" } else { "_PROMPT2" };
    let prompt = match vm.get_global(prompt_var) {
        Value::Nil => (if first { "> " } else { ">> " }).to_string(),
        v => match vm.tostring(v) {
            Ok(Value::Str(s)) => s.to_str_lossy().into_owned(),
            _ => String::new(),
        },
    };
    print!("{prompt}");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            let l = line.trim_end_matches(['\n', '\r']);
            if !std::io::stdin().is_terminal() {
                // like lua built with readline: the line read is echoed
                println!("{l}");
            }
            let l = if first {
                l.strip_prefix('=').map(|r| format!("return {r}"))
            } else {
                None
            }
            .unwrap_or_else(|| l.to_string());
            Some(l)
        }
    }
}
