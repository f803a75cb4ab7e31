//! Loading chunks from the basic library: `load`, `loadfile`, `dofile`.
//!
//! Binary (precompiled) chunks are recognised by their `\x1bLua` signature,
//! checked against the mode, read by `bytecode::dump::undump` and verified
//! like any compiled chunk.

use super::support::{call_catching, os_error_text, plain_error, push_all};
use crate::vm::{Args, LuaError, LuaResult, Value, Vm};

/// Registers `load`, `loadfile` and `dofile` in the globals.
pub fn open(vm: &mut Vm) {
    let funcs: &[(&'static str, crate::vm::function::NativeFn)] =
        &[("load", load), ("loadfile", loadfile), ("dofile", dofile)];
    for (name, f) in funcs {
        let v = vm.new_native(name, *f);
        vm.set_global(name, v);
    }
}

/// Compiles `source` named `chunkname` under `mode` (`"b"`, `"t"`, `"bt"`)
/// into a function whose `_ENV` is `env` (the globals when `None`). A
/// failure comes back as the error value (`Err`), not raised.
pub fn load_chunk(
    vm: &mut Vm,
    source: &[u8],
    chunkname: &[u8],
    mode: &[u8],
    env: Option<Value>,
) -> LuaResult<Value> {
    let binary = source.first() == Some(&0x1b);
    let (kind, needed) = if binary {
        ("binary", b'b')
    } else {
        ("text", b't')
    };
    if !mode.contains(&needed) {
        let msg = format!(
            "attempt to load a {kind} chunk (mode is '{}')",
            String::from_utf8_lossy(mode)
        );
        return Err(plain_error(vm, &msg));
    }
    if binary {
        return match crate::bytecode::dump::undump(source, chunkname) {
            Ok(proto) => vm.load_proto(std::rc::Rc::new(proto), env),
            Err(msg) => Err(plain_error(vm, &msg)),
        };
    }
    match crate::compiler::compile_source(source, chunkname) {
        Ok(proto) => vm.load_proto(proto, env),
        Err(e) => Err(plain_error(vm, &e.message)),
    }
}

/// Pushes the result of a load: the function, or `nil, message`.
fn push_load_result(vm: &mut Vm, r: LuaResult<Value>) -> usize {
    match r {
        Ok(f) => {
            vm.push(f);
            1
        }
        Err(e) => push_all(vm, &[Value::Nil, e.value]),
    }
}

/// Collects the pieces a reader function returns until nil or "". The
/// outer `Err` is a yield to propagate; the inner one a load failure.
fn read_from_function(vm: &mut Vm, f: Value) -> LuaResult<LuaResult<Vec<u8>>> {
    let mut source = Vec::new();
    loop {
        let res = match call_catching(vm, f, &[])? {
            Ok(res) => res,
            Err(v) => return Ok(Err(LuaError::new(v))),
        };
        let piece = match res.first().copied().unwrap_or(Value::Nil) {
            Value::Nil => break,
            Value::Str(s) => s.as_bytes().to_vec(),
            v @ (Value::Int(_) | Value::Float(_)) => vm.number_to_str(v).as_bytes().to_vec(),
            _ => return Ok(Err(vm.native_error("reader function must return a string"))),
        };
        if piece.is_empty() {
            break;
        }
        // the pieces are the script's: the source may not fit
        if let Err(e) = vm.try_extend(&mut source, &piece) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(source))
}

fn load(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let chunk = vm.arg(args, 1);
    let mode = match vm.opt_str(args, 3)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"bt".to_vec(),
    };
    let env = if args.len >= 4 {
        Some(vm.arg(args, 4))
    } else {
        None
    };
    let result = match chunk {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => {
            let s = vm.check_str(args, 1)?;
            let name = match vm.opt_str(args, 2)? {
                Some(n) => n,
                None => s,
            };
            load_chunk(vm, s.as_bytes(), name.as_bytes(), &mode, env)
        }
        _ => {
            let name = match vm.opt_str(args, 2)? {
                Some(n) => n.as_bytes().to_vec(),
                None => b"=(load)".to_vec(),
            };
            if !matches!(chunk, Value::LuaFn(_) | Value::Native(_)) {
                return Err(vm.type_arg_error(args, 1, "function"));
            }
            match read_from_function(vm, chunk)? {
                Ok(src) => load_chunk(vm, &src, &name, &mode, env),
                Err(e) => Err(e),
            }
        }
    };
    Ok(push_load_result(vm, result))
}

/// Reads and compiles a file (stdin when `filename` is `None`), skipping a
/// UTF-8 byte-order mark and a first line starting with `#`. Failures come
/// back as the error value.
pub fn load_file(
    vm: &mut Vm,
    filename: Option<&[u8]>,
    mode: &[u8],
    env: Option<Value>,
) -> LuaResult<Value> {
    let (data, chunkname) = match filename {
        Some(name) => {
            let path = String::from_utf8_lossy(name).into_owned();
            let data = match std::fs::read(&path) {
                Ok(d) => d,
                Err(e) => {
                    let (text, _) = os_error_text(&e);
                    let what = if e.kind() == std::io::ErrorKind::IsADirectory {
                        "read"
                    } else {
                        "open"
                    };
                    let msg = format!("cannot {what} {path}: {text}");
                    return Err(plain_error(vm, &msg));
                }
            };
            let mut chunkname = b"@".to_vec();
            chunkname.extend_from_slice(name);
            (data, chunkname)
        }
        None => {
            super::io::stdout_flush();
            let mut data = Vec::new();
            use std::io::Read;
            if let Err(e) = std::io::stdin().read_to_end(&mut data) {
                let (text, _) = os_error_text(&e);
                return Err(plain_error(vm, &format!("cannot read stdin: {text}")));
            }
            (data, b"=stdin".to_vec())
        }
    };
    let mut src: &[u8] = &data;
    if src.starts_with(b"\xEF\xBB\xBF") {
        src = &src[3..];
    }
    let stripped: Vec<u8>;
    if src.first() == Some(&b'#') {
        let end = src.iter().position(|&c| c == b'\n').unwrap_or(src.len());
        let after = if end < src.len() {
            &src[end + 1..]
        } else {
            &[][..]
        };
        // the newline keeps line numbers right (text chunks only)
        let mut rest = if after.first() == Some(&0x1b) {
            Vec::new()
        } else {
            b"\n".to_vec()
        };
        rest.extend_from_slice(after);
        stripped = rest;
        src = &stripped;
    }
    load_chunk(vm, src, &chunkname, mode, env)
}

fn loadfile(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.opt_str(args, 1)?;
    let mode = match vm.opt_str(args, 2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"bt".to_vec(),
    };
    let env = if args.len >= 3 {
        Some(vm.arg(args, 3))
    } else {
        None
    };
    let r = load_file(vm, name.as_ref().map(|s| s.as_bytes()), &mode, env);
    Ok(push_load_result(vm, r))
}

fn dofile(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.opt_str(args, 1)?;
    let f = load_file(vm, name.as_ref().map(|s| s.as_bytes()), b"bt", None)?;
    let results = vm.call_function(f, &[])?;
    Ok(push_all(vm, &results))
}
