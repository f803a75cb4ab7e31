//! `lunettec`, flag for flag like the `luac` command of Lua 5.4.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::rc::Rc;

use lunette::bytecode::proto::Proto;

/// Parsed `lunettec` options.
#[derive(Default)]
struct Options {
    /// `-l` count (1 = listing, 2 = full listing with constants/locals/upvalues).
    list: u32,
    /// `-p`: parse only.
    parse_only: bool,
    /// `-s`: strip debug information.
    strip: bool,
    /// `-o file`.
    output: Option<String>,
    /// `-v` given.
    version: bool,
    /// Input files (`-` is stdin).
    files: Vec<String>,
}

fn usage(progname: &str, msg: &str) -> ExitCode {
    let mut e = std::io::stderr();
    let _ = writeln!(e, "{progname}: {msg}");
    let _ = write!(
        e,
        "usage: {progname} [options] [filenames]\n\
         Available options are:\n\
         \x20 -l       list (use -l -l for full listing)\n\
         \x20 -o name  output to file 'name' (default is \"luac.out\")\n\
         \x20 -p       parse only\n\
         \x20 -s       strip debug information\n\
         \x20 -v       show version information\n\
         \x20 --       stop handling options\n\
         \x20 -        stop handling options and process stdin\n"
    );
    ExitCode::FAILURE
}

/// Runs `lunettec` with the process arguments.
pub fn run_luac(argv: &[String]) -> ExitCode {
    let progname = argv.first().cloned().unwrap_or_else(|| "lunettec".into());
    let mut o = Options::default();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        match a {
            "--" => {
                i += 1;
                break;
            }
            "-" => break,
            "-l" => o.list += 1,
            "-p" => o.parse_only = true,
            "-s" => o.strip = true,
            "-v" => o.version = true,
            "-o" => {
                i += 1;
                match argv.get(i) {
                    Some(f) => o.output = Some(f.clone()),
                    _ => return usage(&progname, "'-o' needs argument"),
                }
            }
            _ if a.starts_with('-') => {
                return usage(&progname, &format!("unrecognized option '{a}'"));
            }
            _ => break,
        }
        i += 1;
    }
    o.files = argv[i..].to_vec();
    if o.version {
        println!("{}", crate::lua_cmd::VERSION);
        if o.files.is_empty() {
            return ExitCode::SUCCESS;
        }
    }
    if o.files.is_empty() {
        return usage(&progname, "no input files given");
    }
    let mut protos = Vec::new();
    for f in &o.files {
        let (name, src) = if f == "-" {
            let mut buf = Vec::new();
            if std::io::stdin().read_to_end(&mut buf).is_err() {
                eprintln!("{progname}: cannot read stdin");
                return ExitCode::FAILURE;
            }
            ("=stdin".to_string(), buf)
        } else {
            match std::fs::read(f) {
                Ok(s) => (format!("@{f}"), s),
                Err(e) => {
                    let text = crate::lua_cmd::os_error_text(&e);
                    eprintln!("{progname}: cannot open {f}: {text}");
                    return ExitCode::FAILURE;
                }
            }
        };
        let src = if src.first() == Some(&b'#') {
            let p = src.iter().position(|&c| c == b'\n').unwrap_or(src.len());
            src[p..].to_vec()
        } else {
            src
        };
        let compiled = if src.starts_with(b"\x1bLua") {
            lunette::bytecode::dump::undump(&src, name.as_bytes()).map(Rc::new)
        } else {
            lunette::compiler::compile_source(&src, name.as_bytes()).map_err(|e| e.message)
        };
        match compiled {
            Ok(p) => protos.push(p),
            Err(msg) => {
                eprintln!("{progname}: {msg}");
                return ExitCode::FAILURE;
            }
        }
    }
    let proto = match combine(protos) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("{progname}: {msg}");
            return ExitCode::FAILURE;
        }
    };
    if o.list > 0 {
        let text = if o.list > 1 {
            lunette::bytecode::disasm::listing_full(&proto)
        } else {
            lunette::bytecode::disasm::listing(&proto)
        };
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }
    if o.parse_only {
        return ExitCode::SUCCESS;
    }
    let bytes = lunette::bytecode::dump::dump(&proto, o.strip);
    let out = o.output.as_deref().unwrap_or("luac.out");
    let written = if out == "-" {
        std::io::stdout().write_all(&bytes)
    } else {
        std::fs::write(out, &bytes)
    };
    if let Err(e) = written {
        let text = crate::lua_cmd::os_error_text(&e);
        eprintln!("{progname}: cannot write {out}: {text}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// One chunk from the compiled input files, as luac makes it: a single file
/// is its own chunk; several become the functions of a main chunk named
/// `=(lunettec)` that calls each in order. Each file's `_ENV` then comes
/// from the main chunk's `_ENV` upvalue instead of a register.
fn combine(mut protos: Vec<Rc<Proto>>) -> Result<Rc<Proto>, String> {
    if protos.len() == 1 {
        return Ok(protos.remove(0));
    }
    let calls = "(function()end)();".repeat(protos.len());
    let main = lunette::compiler::compile_source(calls.as_bytes(), b"=(lunettec)")
        .map_err(|e| e.message)?;
    let mut main = Rc::unwrap_or_clone(main);
    for (slot, file) in main.protos.iter_mut().zip(protos) {
        let mut file = Rc::unwrap_or_clone(file);
        if let Some(env) = file.upvalues.first_mut() {
            env.in_stack = false;
            env.index = 0;
        }
        *slot = Rc::new(file);
    }
    Ok(Rc::new(main))
}
