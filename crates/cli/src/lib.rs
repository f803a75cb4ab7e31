//! The command-line programs `lunette` (like `lua`) and `lunettec` (like `luac`).

use lunette::{Value, Vm};
use std::process::ExitCode;

/// Runs `lunette` with the process arguments (`args[0]` is the program name).
pub fn run_lua(args: &[String]) -> ExitCode {
    let progname = args.first().map(String::as_str).unwrap_or("lunette");
    let Some(script) = args.get(1) else {
        eprintln!("usage: {progname} script.lua [args]");
        return ExitCode::from(1);
    };
    let mut vm = Vm::new();
    lunette::stdlib::open_libs(&mut vm);
    // arg table: arg[0] = script, arg[1..] = script arguments, arg[-1] = interpreter
    let argt = vm.new_table(args.len(), 1);
    for (i, a) in args.iter().enumerate() {
        let v = vm.new_str(a.as_bytes());
        argt.raw_set_int(i as i64 - 1, v);
    }
    vm.set_global("arg", Value::Table(argt));
    let source = match std::fs::read(script) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{progname}: cannot open {script} ({e})");
            return ExitCode::from(1);
        }
    };
    let chunkname = format!("@{script}");
    let result = lunette::load_text(&mut vm, &source, chunkname.as_bytes()).and_then(|f| {
        let script_args: Vec<Value> = args[2..].iter().map(|a| vm.new_str(a.as_bytes())).collect();
        vm.call_function(f, &script_args)
    });
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = match vm.tostring(e.value) {
                Ok(Value::Str(s)) => s.to_str_lossy().into_owned(),
                _ => format!("(error object is a {} value)", e.value.type_name()),
            };
            eprintln!("{progname}: {msg}");
            if let Some(tb) = e.traceback {
                eprintln!("{tb}");
            }
            ExitCode::from(1)
        }
    }
}

/// Runs `lunettec` with the process arguments.
pub fn run_luac(args: &[String]) -> ExitCode {
    let mut list = 0;
    let mut files = Vec::new();
    for a in &args[1..] {
        match a.as_str() {
            "-l" => list += 1,
            "-p" => {}
            f => files.push(f.to_string()),
        }
    }
    for f in files {
        let src = match std::fs::read(&f) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("lunettec: cannot open {f} ({e})");
                return ExitCode::from(1);
            }
        };
        match lunette::compiler::compile_source(&src, format!("@{f}").as_bytes()) {
            Ok(p) => {
                if list == 1 {
                    print!("{}", lunette::bytecode::disasm::listing(&p));
                } else if list > 1 {
                    print!("{}", lunette::bytecode::disasm::listing_full(&p));
                }
            }
            Err(e) => {
                eprintln!("lunettec: {}", e.message);
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}
