//! The `io` library and the methods of file handles. Handles are full
//! userdata with the shared `FILE*` metatable; the stream state lives in
//! `io_file.rs`. Standard output goes through the shared buffer of
//! `io_stdout.rs`, so `print` and `io.write` interleave correctly.

use super::io_file::{create_temp_file, FileRef, LuaFile, Stream};
use super::io_read::read_formats;
use super::io_stdout::BufferMode;
use super::support::{
    os_error_text, push_fail_errno, register_qualified, registry_get, registry_set, Slot,
};
use crate::vm::userdata::UserData;
use crate::vm::{Args, LuaResult, Value, Vm};
use std::cell::{Cell, RefCell};
use std::io::SeekFrom;

/// The type name of file handles (`__name`, argument errors).
const META_NAME: &str = "FILE*";

/// Registers the library in `vm`.
pub fn open(vm: &mut Vm) {
    let lib = register_qualified(
        vm,
        "io",
        &[
            ("io.close", io_close),
            ("io.flush", io_flush),
            ("io.input", io_input),
            ("io.lines", io_lines),
            ("io.open", io_open),
            ("io.output", io_output),
            ("io.popen", io_popen),
            ("io.read", io_read),
            ("io.tmpfile", io_tmpfile),
            ("io.type", io_type),
            ("io.write", io_write),
        ],
    );
    let methods = vm.new_table(0, 8);
    let method_fns: [(&'static str, crate::vm::function::NativeFn); 7] = [
        ("close", f_close),
        ("flush", f_flush),
        ("lines", f_lines),
        ("read", f_read),
        ("seek", f_seek),
        ("setvbuf", f_setvbuf),
        ("write", f_write),
    ];
    for (name, f) in method_fns {
        let k = vm.new_str(name.as_bytes());
        let v = vm.new_native(name, f);
        let _ = methods.raw_set(k, v);
    }
    let meta = vm.new_table(0, 6);
    let name = vm.new_str(META_NAME.as_bytes());
    let fields: [(&str, Value); 2] = [("__name", name), ("__index", Value::Table(methods))];
    for (k, v) in fields {
        let k = vm.new_str(k.as_bytes());
        let _ = meta.raw_set(k, v);
    }
    let meta_fns: [(&'static str, crate::vm::function::NativeFn); 3] = [
        ("__tostring", f_tostring),
        ("__gc", f_gc),
        ("__close", f_gc),
    ];
    for (name, f) in meta_fns {
        let k = vm.new_str(name.as_bytes());
        let v = vm.new_native(name, f);
        let _ = meta.raw_set(k, v);
    }
    registry_set(vm, Slot::FileMeta, Value::Table(meta));
    // also under its name, as `luaL_newmetatable` leaves it
    let _ = vm.registry.raw_set(name, Value::Table(meta));
    let stdin = new_file(vm, Stream::Stdin);
    let stdout = new_file(vm, Stream::Stdout);
    let stderr = new_file(vm, Stream::Stderr);
    for (name, v) in [("stdin", stdin), ("stdout", stdout), ("stderr", stderr)] {
        let k = vm.new_str(name.as_bytes());
        let _ = lib.raw_set(k, v);
    }
    registry_set(vm, Slot::Input, stdin);
    registry_set(vm, Slot::Output, stdout);
}

/// Writes out the buffered standard output and every open file's buffer
/// (for the CLI before exiting, `os.exit`, and before running commands).
pub fn flush_stdout(_vm: &mut Vm) {
    super::io_file::flush_all();
}

/// Appends bytes to the shared standard output buffer.
pub(crate) fn stdout_write(bytes: &[u8]) {
    let _ = super::io_stdout::write(bytes);
}

/// Flushes the shared standard output buffer.
pub(crate) fn stdout_flush() {
    let _ = super::io_stdout::flush();
}

/// A new file handle value for `stream`.
fn new_file(vm: &mut Vm, stream: Stream) -> Value {
    let meta = registry_get(vm, Slot::FileMeta).as_table();
    let f = LuaFile::new_ref(stream);
    Value::UserData(vm.heap.alloc(UserData {
        data: RefCell::new(Box::new(f)),
        metatable: Cell::new(meta),
        user_values: RefCell::new(Vec::new()),
    }))
}

/// The stream of `v` when it is a file handle (open or closed).
fn file_of(v: Value) -> Option<FileRef> {
    match v {
        Value::UserData(u) => u.data.try_borrow().ok()?.downcast_ref::<FileRef>().cloned(),
        _ => None,
    }
}

/// Argument `i` as an open file (`tofile`).
fn check_file(vm: &mut Vm, args: Args, i: usize) -> LuaResult<FileRef> {
    match file_of(vm.arg(args, i)) {
        Some(f) if f.borrow().is_closed() => Err(vm.native_error("attempt to use a closed file")),
        Some(f) => Ok(f),
        None => Err(vm.type_arg_error(args, i, META_NAME)),
    }
}

/// The default input or output file (`getiofile`).
fn default_file(vm: &mut Vm, key: Slot) -> LuaResult<(Value, FileRef)> {
    let v = registry_get(vm, key);
    match file_of(v) {
        Some(f) if !f.borrow().is_closed() => Ok((v, f)),
        _ => {
            let which = if key == Slot::Input {
                "input"
            } else {
                "output"
            };
            Err(vm.native_error(&format!("default {which} file is closed")))
        }
    }
}

/// Pushes the result of an I/O operation: `true` or `nil, msg, errno`.
fn push_io_result(vm: &mut Vm, r: std::io::Result<()>) -> usize {
    match r {
        Ok(()) => {
            vm.push(Value::Bool(true));
            1
        }
        Err(e) => {
            let (text, errno) = os_error_text(&e);
            push_fail_errno(vm, &text, errno)
        }
    }
}

/// Checks an `io.open` mode: `[rwa]%+?b*`.
fn valid_mode(mode: &[u8]) -> bool {
    match mode.split_first() {
        Some((c, rest)) if b"rwa".contains(c) => {
            let rest = rest.strip_prefix(b"+").unwrap_or(rest);
            rest.iter().all(|&c| c == b'b')
        }
        _ => false,
    }
}

/// Opens `path` with a C `fopen` mode (already validated).
fn open_with_mode(path: &str, mode: &[u8]) -> std::io::Result<std::fs::File> {
    // other handles on the same file must see what was written so far
    super::io_file::flush_all();
    let plus = mode.contains(&b'+');
    let mut o = std::fs::OpenOptions::new();
    match mode.first() {
        Some(b'w') => o.write(true).create(true).truncate(true).read(plus),
        Some(b'a') => o.append(true).create(true).read(plus),
        _ => o.read(true).write(plus),
    };
    o.open(path)
}

fn io_open(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?.to_str_lossy().into_owned();
    let mode = match vm.opt_str(args, 2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"r".to_vec(),
    };
    if !valid_mode(&mode) {
        return Err(vm.arg_error(2, "invalid mode"));
    }
    match open_with_mode(&name, &mode) {
        Ok(f) => {
            let v = new_file(vm, Stream::File(f));
            if let Some(h) = file_of(v) {
                let plus = mode.contains(&b'+');
                h.borrow_mut()
                    .set_access(plus || mode[0] == b'r', plus || mode[0] != b'r');
            }
            vm.push(v);
            Ok(1)
        }
        Err(e) => {
            let (text, errno) = os_error_text(&e);
            Ok(push_fail_errno(vm, &format!("{name}: {text}"), errno))
        }
    }
}

/// Opens `name` or raises `cannot open file 'name' (reason)`.
fn open_or_raise(vm: &mut Vm, name: &str, mode: &[u8]) -> LuaResult<Value> {
    match open_with_mode(name, mode) {
        Ok(f) => {
            let v = new_file(vm, Stream::File(f));
            if let Some(h) = file_of(v) {
                h.borrow_mut().set_access(mode == b"r", mode != b"r");
            }
            Ok(v)
        }
        Err(e) => {
            let (text, _) = os_error_text(&e);
            Err(vm.native_error(&format!("cannot open file '{name}' ({text})")))
        }
    }
}

fn io_tmpfile(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    match create_temp_file() {
        Some((path, f)) => {
            let _ = std::fs::remove_file(path);
            let v = new_file(vm, Stream::File(f));
            vm.push(v);
            Ok(1)
        }
        None => Ok(push_fail_errno(vm, "cannot create temporary file", 0)),
    }
}

fn io_popen(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let cmd = vm.check_str(args, 1)?.to_str_lossy().into_owned();
    let mode = match vm.opt_str(args, 2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"r".to_vec(),
    };
    if mode != b"r" && mode != b"w" {
        return Err(vm.arg_error(2, "invalid mode"));
    }
    super::io_file::flush_all();
    let mut command = std::process::Command::new("/bin/sh");
    // named `sh`, as `popen` runs it (the shell's messages start so)
    std::os::unix::process::CommandExt::arg0(&mut command, "sh");
    command.arg("-c").arg(&cmd);
    let stream = if mode == b"r" {
        command.stdout(std::process::Stdio::piped());
        command.spawn().and_then(|mut c| match c.stdout.take() {
            Some(out) => Ok(Stream::PipeIn(c, out)),
            None => Err(std::io::Error::from_raw_os_error(32)),
        })
    } else {
        command.stdin(std::process::Stdio::piped());
        command.spawn().map(|mut c| {
            let input = c.stdin.take();
            Stream::PipeOut(c, input)
        })
    };
    match stream {
        Ok(s) => {
            let v = new_file(vm, s);
            vm.push(v);
            Ok(1)
        }
        Err(e) => {
            let (text, errno) = os_error_text(&e);
            Ok(push_fail_errno(vm, &format!("{cmd}: {text}"), errno))
        }
    }
}

fn io_type(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    let r = match file_of(v) {
        Some(f) if f.borrow().is_closed() => vm.new_str(b"closed file"),
        Some(_) => vm.new_str(b"file"),
        None => Value::Nil,
    };
    vm.push(r);
    Ok(1)
}

/// Closes the file held by `v` (`aux_close`), pushing the results.
fn close_file(vm: &mut Vm, f: &FileRef) -> usize {
    if f.borrow().is_standard() {
        vm.push(Value::Nil);
        let m = vm.new_str(b"cannot close standard file");
        vm.push(m);
        return 2;
    }
    let r = f.borrow_mut().close();
    match r {
        Ok(None) => {
            vm.push(Value::Bool(true));
            1
        }
        Ok(Some((signalled, code))) => {
            vm.push(if !signalled && code == 0 {
                Value::Bool(true)
            } else {
                Value::Nil
            });
            let what = vm.new_str(if signalled { b"signal" } else { b"exit" });
            vm.push(what);
            vm.push(Value::Int(i64::from(code)));
            3
        }
        Err(e) => {
            let (text, errno) = os_error_text(&e);
            push_fail_errno(vm, &text, errno)
        }
    }
}

fn io_close(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    if vm.arg(args, 1).is_nil() {
        let (_, f) = default_file(vm, Slot::Output)?;
        return Ok(close_file(vm, &f));
    }
    f_close(vm, args)
}

fn f_close(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = check_file(vm, args, 1)?;
    Ok(close_file(vm, &f))
}

fn f_gc(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let Some(f) = file_of(vm.arg(args, 1)) else {
        return Err(vm.type_arg_error(args, 1, META_NAME));
    };
    let standard = f.borrow().is_standard();
    if !standard && !f.borrow().is_closed() {
        let _ = f.borrow_mut().close();
    }
    Ok(0)
}

fn f_tostring(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.arg(args, 1);
    let text = match file_of(v) {
        Some(f) if f.borrow().is_closed() => "file (closed)".to_string(),
        _ => format!("file ({:#x})", v.addr()),
    };
    let s = vm.new_str(text.as_bytes());
    vm.push(s);
    Ok(1)
}

fn io_flush(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    let (_, f) = default_file(vm, Slot::Output)?;
    let r = f.borrow_mut().flush();
    Ok(push_io_result(vm, r))
}

fn f_flush(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = check_file(vm, args, 1)?;
    let r = f.borrow_mut().flush();
    Ok(push_io_result(vm, r))
}

/// `io.input`/`io.output`: set from a name or a handle, return the current.
fn set_default(vm: &mut Vm, args: Args, key: Slot, mode: &[u8]) -> LuaResult<usize> {
    match vm.arg(args, 1) {
        Value::Nil => {}
        Value::Str(_) | Value::Int(_) | Value::Float(_) => {
            let name = vm.check_str(args, 1)?.to_str_lossy().into_owned();
            let f = open_or_raise(vm, &name, mode)?;
            registry_set(vm, key, f);
        }
        v => {
            check_file(vm, args, 1)?;
            registry_set(vm, key, v);
        }
    }
    let cur = registry_get(vm, key);
    vm.push(cur);
    Ok(1)
}

fn io_input(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    set_default(vm, args, Slot::Input, b"r")
}

fn io_output(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    set_default(vm, args, Slot::Output, b"w")
}

/// Writes arguments `first..` to `f` (`g_write`); returns `file` or the error.
fn write_values(
    vm: &mut Vm,
    args: Args,
    first: usize,
    f: &FileRef,
    file: Value,
) -> LuaResult<usize> {
    let mut status = Ok(());
    for i in first..=args.len {
        let bytes: Vec<u8> = match vm.arg(args, i) {
            Value::Int(n) => n.to_string().into_bytes(),
            Value::Float(x) => {
                // `%.14g`: Lua's float text without the `.0` it adds to
                // integral values (`%g` itself never ends in `.0`)
                let mut t = crate::number::fmt_float(x);
                if t.ends_with(".0") {
                    t.truncate(t.len() - 2);
                }
                t.into_bytes()
            }
            Value::Str(s) => s.as_bytes().to_vec(),
            _ => return Err(vm.type_arg_error(args, i, "string")),
        };
        if status.is_ok() {
            status = f.borrow_mut().write(&bytes);
        }
    }
    match status {
        Ok(()) => {
            vm.push(file);
            Ok(1)
        }
        Err(e) => {
            let (text, errno) = os_error_text(&e);
            Ok(push_fail_errno(vm, &text, errno))
        }
    }
}

fn io_write(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (v, f) = default_file(vm, Slot::Output)?;
    write_values(vm, args, 1, &f, v)
}

fn f_write(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = check_file(vm, args, 1)?;
    let v = vm.arg(args, 1);
    write_values(vm, args, 2, &f, v)
}

fn io_read(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (_, f) = default_file(vm, Slot::Input)?;
    let formats: Vec<Value> = (1..=args.len).map(|i| vm.arg(args, i)).collect();
    read_formats(vm, &f, &formats, 1, Some(args))
}

fn f_read(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = check_file(vm, args, 1)?;
    let formats: Vec<Value> = (2..=args.len).map(|i| vm.arg(args, i)).collect();
    read_formats(vm, &f, &formats, 2, Some(args))
}

/// Most formats `lines` accepts.
const MAX_LINE_FORMATS: usize = 250;

/// The iterator of `lines` over `file` with the formats in arguments
/// `first..` (`aux_lines`); upvalues: file, close-at-end flag, formats.
fn make_lines(
    vm: &mut Vm,
    args: Args,
    first: usize,
    file: Value,
    close_at_eof: bool,
) -> LuaResult<Value> {
    if args.len >= first && args.len - first + 1 > MAX_LINE_FORMATS {
        return Err(vm.arg_error(MAX_LINE_FORMATS + first, "too many arguments"));
    }
    let mut up = vec![file, Value::Bool(close_at_eof)];
    up.extend((first..=args.len).map(|i| vm.arg(args, i)));
    Ok(vm.new_native_with_upvalues("?", lines_step, up))
}

fn lines_step(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    let file = vm.current_native_upvalue(0);
    let close_at_eof = vm.current_native_upvalue(1).truthy();
    let Some(f) = file_of(file) else {
        return Ok(0);
    };
    if f.borrow().is_closed() {
        return Err(vm.native_error("file is already closed"));
    }
    let mut formats = Vec::new();
    let mut i = 2;
    loop {
        // upvalues past the end read as nil; formats are never nil
        let v = vm.current_native_upvalue(i);
        if v.is_nil() {
            break;
        }
        formats.push(v);
        i += 1;
    }
    let base = vm.stack.len();
    let n = read_formats(vm, &f, &formats, 2, None)?;
    let first = vm
        .stack
        .get(vm.stack.len() - n)
        .copied()
        .unwrap_or(Value::Nil);
    if n > 0 && first.truthy() {
        return Ok(n);
    }
    if n > 1 {
        let msg = match vm.stack.get(vm.stack.len() - n + 1) {
            Some(Value::Str(s)) => s.to_str_lossy().into_owned(),
            _ => String::new(),
        };
        return Err(vm.native_error(&msg));
    }
    vm.stack.truncate(base);
    if close_at_eof {
        let _ = f.borrow_mut().close();
    }
    Ok(0)
}

fn io_lines(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (file, close_at_eof) = match vm.arg(args, 1) {
        Value::Nil => {
            let (v, _) = default_file(vm, Slot::Input)?;
            (v, false)
        }
        _ => {
            let name = vm.check_str(args, 1)?.to_str_lossy().into_owned();
            (open_or_raise(vm, &name, b"r")?, true)
        }
    };
    let iter = make_lines(vm, args, 2, file, close_at_eof)?;
    vm.push(iter);
    vm.push(Value::Nil);
    vm.push(Value::Nil);
    vm.push(if close_at_eof { file } else { Value::Nil });
    Ok(4)
}

fn f_lines(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    check_file(vm, args, 1)?;
    let file = vm.arg(args, 1);
    let iter = make_lines(vm, args, 2, file, false)?;
    vm.push(iter);
    Ok(1)
}

fn f_seek(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = check_file(vm, args, 1)?;
    let whence = match vm.opt_str(args, 2)? {
        Some(s) => s.to_str_lossy().into_owned(),
        None => "cur".into(),
    };
    let offset = vm.opt_int(args, 3, 0)?;
    let pos = match whence.as_str() {
        "set" => {
            if offset < 0 {
                return Ok(push_fail_errno(vm, "Invalid argument", 22));
            }
            SeekFrom::Start(offset as u64)
        }
        "cur" => SeekFrom::Current(offset),
        "end" => SeekFrom::End(offset),
        _ => return Err(vm.arg_error(2, &format!("invalid option '{whence}'"))),
    };
    let r = f.borrow_mut().seek(pos);
    match r {
        Ok(p) => {
            vm.push(Value::Int(p as i64));
            Ok(1)
        }
        Err(e) => {
            let (text, errno) = os_error_text(&e);
            Ok(push_fail_errno(vm, &text, errno))
        }
    }
}

fn f_setvbuf(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = check_file(vm, args, 1)?;
    let mode = vm.check_str(args, 2)?.to_str_lossy().into_owned();
    let mode = match mode.as_str() {
        "no" => BufferMode::Unbuffered,
        "full" => BufferMode::Full,
        "line" => BufferMode::Line,
        _ => return Err(vm.arg_error(2, &format!("invalid option '{mode}'"))),
    };
    vm.opt_int(args, 3, 0)?;
    let r = f.borrow_mut().set_mode(mode);
    Ok(push_io_result(vm, r))
}
