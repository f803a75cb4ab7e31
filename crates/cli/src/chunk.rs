//! Running chunks for the `lunette` command and reporting their errors the
//! way `lua` does (`progname: message` plus a traceback, on stderr).

use lunette::vm::Args;
use lunette::{LuaError, LuaResult, RawValue as Value, Vm};
use std::io::Write;

/// The text of an OS error without Rust's ` (os error N)` suffix.
pub fn os_error_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(p) => s[..p].to_string(),
        None => s,
    }
}

/// Compiles and runs `code` under the name `name`; reports a failure.
pub fn dostring(vm: &mut Vm, progname: Option<&str>, code: &[u8], name: &str) -> bool {
    match lunette::load_text(vm, code, name.as_bytes()).and_then(|f| docall(vm, f, &[])) {
        Ok(_) => true,
        Err(e) => report(vm, progname, e),
    }
}

/// Compiles and runs a file (stdin for `None`); reports a failure.
pub fn dofile(vm: &mut Vm, progname: Option<&str>, path: Option<&[u8]>) -> bool {
    match lunette::stdlib::base_load::load_file(vm, path, b"bt", None)
        .and_then(|f| docall(vm, f, &[]))
    {
        Ok(_) => true,
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

/// Calls `f` under `xpcall` with the traceback message handler, with Ctrl-C
/// turned into a catchable "interrupted!" error while it runs.
pub fn docall(vm: &mut Vm, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
    let xpcall = vm.get_global("xpcall");
    let handler = vm.new_native("msghandler", msghandler);
    let mut all = vec![f, handler];
    all.extend_from_slice(args);
    let res = {
        let _armed = crate::interrupt::Armed::new(vm);
        vm.pcall_function(xpcall, &all)
    };
    let mut res = res?;
    if res.first().is_some_and(|v| v.truthy()) {
        res.remove(0);
        Ok(res)
    } else {
        Err(LuaError::new(res.get(1).copied().unwrap_or(Value::Nil)))
    }
}

/// The text of an error value (a string, a number, or `__tostring`'s result).
pub fn error_text(vm: &mut Vm, v: Value) -> String {
    match v {
        Value::Str(s) => s.to_str_lossy().into_owned(),
        v => match vm.tostring(v) {
            Ok(Value::Str(s)) => s.to_str_lossy().into_owned(),
            _ => format!("(error object is a {} value)", v.type_name()),
        },
    }
}

/// Prints a message on stderr like `lua.c`'s `l_message`: `progname: msg`,
/// or just `msg` without a program name (the interactive mode).
pub fn message(vm: &mut Vm, progname: Option<&str>, msg: &str) {
    lunette::stdlib::io::flush_stdout(vm);
    let mut err = std::io::stderr();
    if let Some(p) = progname {
        let _ = write!(err, "{p}: ");
    }
    let _ = writeln!(err, "{msg}");
    let _ = err.flush();
}

/// Reports an error like `lua.c`'s `report` and returns false.
pub fn report(vm: &mut Vm, progname: Option<&str>, e: LuaError) -> bool {
    let mut msg = error_text(vm, e.value);
    if let Some(tb) = e.traceback {
        msg.push('\n');
        msg.push_str(&tb);
    }
    message(vm, progname, &msg);
    false
}
