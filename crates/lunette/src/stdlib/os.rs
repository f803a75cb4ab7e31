//! The `os` library. Dates are computed without libc (see `os_time.rs`):
//! local time is taken to be UTC, and the only locale is "C".

use super::os_time::{self, DateTime};
use super::support::{os_error_text, push_fail_errno, register_qualified};
use crate::vm::{Args, LuaResult, Value, Vm};

/// Registers the library in `vm`.
pub fn open(vm: &mut Vm) {
    register_qualified(
        vm,
        "os",
        &[
            ("os.clock", clock),
            ("os.date", date),
            ("os.difftime", difftime),
            ("os.execute", execute),
            ("os.exit", exit),
            ("os.getenv", getenv),
            ("os.remove", remove),
            ("os.rename", rename),
            ("os.setlocale", setlocale),
            ("os.time", time),
            ("os.tmpname", tmpname),
        ],
    );
}

/// CPU time used by the process, in seconds: C's `clock()`, as `lua`
/// computes `os.clock` (a cheap system call; reading `/proc` instead cost
/// ~40 microseconds a call, which programs timing their loops feel).
#[cfg(unix)]
fn cpu_seconds() -> f64 {
    extern "C" {
        // clock_t is a C `long` on the Unix targets Rust supports.
        fn clock() -> std::os::raw::c_long;
    }
    /// POSIX (XSI) fixes CLOCKS_PER_SEC at one million.
    const CLOCKS_PER_SEC: f64 = 1_000_000.0;
    // SAFETY: `clock` takes no arguments, touches no memory of ours and is
    // thread-safe; it returns -1 when the time is unavailable.
    let ticks = unsafe { clock() };
    if ticks < 0 {
        return wall_seconds();
    }
    ticks as f64 / CLOCKS_PER_SEC
}

/// CPU time used by the process, in seconds (elapsed time where the C
/// library's `clock` is not used).
#[cfg(not(unix))]
fn cpu_seconds() -> f64 {
    wall_seconds()
}

/// Seconds since the first call (the fallback of [`cpu_seconds`]).
fn wall_seconds() -> f64 {
    thread_local! {
        static START: std::time::Instant = std::time::Instant::now();
    }
    START.with(|s| s.elapsed().as_secs_f64())
}

fn clock(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    vm.push(Value::Float(cpu_seconds()));
    Ok(1)
}

fn now() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// Stores the fields of `d` into table `t` (`setallfields`).
fn set_date_fields(vm: &mut Vm, t: Value, d: &DateTime) -> LuaResult<()> {
    let fields = [
        ("year", d.year),
        ("month", d.month),
        ("day", d.day),
        ("hour", d.hour),
        ("min", d.min),
        ("sec", d.sec),
        ("yday", d.yday),
        ("wday", d.wday + 1),
    ];
    for (name, v) in fields {
        let k = vm.new_str(name.as_bytes());
        vm.set_index(t, k, Value::Int(v))?;
    }
    let k = vm.new_str(b"isdst");
    vm.set_index(t, k, Value::Bool(false))
}

fn date(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let fmt = match vm.opt_str(args, 1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if vm.arg(args, 2).is_nil() {
        now()
    } else {
        vm.check_int(args, 2)?
    };
    let (utc, fmt) = match fmt.strip_prefix(b"!") {
        Some(rest) => (true, rest.to_vec()),
        None => (false, fmt),
    };
    let Some(d) = os_time::from_timestamp(t) else {
        return Err(vm.native_error("date result cannot be represented in this installation"));
    };
    if fmt == b"*t" {
        let table = vm.new_table(0, 9);
        set_date_fields(vm, Value::Table(table), &d)?;
        vm.push(Value::Table(table));
        return Ok(1);
    }
    match os_time::format(&fmt, &d, utc) {
        Ok(bytes) => {
            let s = vm.new_string(bytes);
            vm.push(s);
            Ok(1)
        }
        Err(rest) => {
            let msg = format!(
                "invalid conversion specifier '%{}'",
                String::from_utf8_lossy(&rest)
            );
            Err(vm.arg_error(1, &msg))
        }
    }
}

/// Reads an integer field of a date table (`getfield`): `default` < 0
/// means required; `delta` is what C's `struct tm` subtracts.
fn date_field(vm: &mut Vm, t: Value, key: &str, default: i64, delta: i64) -> LuaResult<i64> {
    let k = vm.new_str(key.as_bytes());
    let v = vm.index(t, k)?;
    match crate::number::value_to_int(&v) {
        Some(n) if matches!(v, Value::Int(_) | Value::Float(_) | Value::Str(_)) => {
            let fits = if n >= 0 {
                (n as u64) <= i32::MAX as u64 + delta as u64
            } else {
                i64::from(i32::MIN) + delta <= n
            };
            if !fits {
                return Err(vm.native_error(&format!("field '{key}' is out-of-bound")));
            }
            Ok(n)
        }
        _ if !v.is_nil() => Err(vm.native_error(&format!("field '{key}' is not an integer"))),
        _ if default < 0 => Err(vm.native_error(&format!("field '{key}' missing in date table"))),
        _ => Ok(default),
    }
}

fn time(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    if vm.arg(args, 1).is_nil() {
        vm.push(Value::Int(now()));
        return Ok(1);
    }
    let t = Value::Table(vm.check_table(args, 1)?);
    let year = date_field(vm, t, "year", -1, 1900)?;
    let month = date_field(vm, t, "month", -1, 1)?;
    let day = date_field(vm, t, "day", -1, 0)?;
    let hour = date_field(vm, t, "hour", 12, 0)?;
    let min = date_field(vm, t, "min", 0, 0)?;
    let sec = date_field(vm, t, "sec", 0, 0)?;
    let stamp = os_time::to_timestamp(year, month, day, hour, min, sec);
    let normal = stamp.and_then(os_time::from_timestamp);
    match (stamp, normal) {
        (Some(s), Some(d)) if s != -1 => {
            set_date_fields(vm, t, &d)?;
            vm.push(Value::Int(s));
            Ok(1)
        }
        _ => Err(vm.native_error("time result cannot be represented in this installation")),
    }
}

fn difftime(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let t1 = vm.check_int(args, 1)?;
    let t2 = vm.check_int(args, 2)?;
    vm.push(Value::Float(t1 as f64 - t2 as f64));
    Ok(1)
}

fn execute(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let cmd = vm.opt_str(args, 1)?;
    let Some(cmd) = cmd else {
        vm.push(Value::Bool(true));
        return Ok(1);
    };
    super::io::flush_stdout(vm);
    // named `sh`, as `system` runs it (the shell's messages start so)
    let mut command = std::process::Command::new("/bin/sh");
    std::os::unix::process::CommandExt::arg0(&mut command, "sh");
    let status = command.arg("-c").arg(cmd.to_str_lossy().as_ref()).status();
    match status {
        Ok(st) => {
            use std::os::unix::process::ExitStatusExt;
            let (what, code) = match (st.code(), st.signal()) {
                (Some(c), _) => ("exit", c),
                (None, Some(sig)) => ("signal", sig),
                _ => ("exit", 1),
            };
            vm.push(if what == "exit" && code == 0 {
                Value::Bool(true)
            } else {
                Value::Nil
            });
            let w = vm.new_str(what.as_bytes());
            vm.push(w);
            vm.push(Value::Int(i64::from(code)));
            Ok(3)
        }
        Err(e) => {
            let (text, errno) = os_error_text(&e);
            Ok(push_fail_errno(vm, &text, errno))
        }
    }
}

fn exit(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let code = match vm.arg(args, 1) {
        Value::Bool(b) => i32::from(!b),
        _ => vm.opt_int(args, 1, 0)? as i32,
    };
    if vm.arg(args, 2).truthy() {
        // `close`: run pending finalizers, as lua_close does
        vm.close_state();
    }
    super::io::flush_stdout(vm);
    std::process::exit(code)
}

fn getenv(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let r = match std::env::var_os(name.to_str_lossy().as_ref()) {
        Some(v) => {
            use std::os::unix::ffi::OsStrExt;
            vm.new_str(v.as_bytes())
        }
        None => Value::Nil,
    };
    vm.push(r);
    Ok(1)
}

/// Pushes `true`, or `nil, "NAME: error", errno` (`luaL_fileresult`;
/// an empty `name` leaves the prefix out).
pub(crate) fn file_result(vm: &mut Vm, r: std::io::Result<()>, name: &str) -> usize {
    match r {
        Ok(()) => {
            vm.push(Value::Bool(true));
            1
        }
        Err(e) => {
            let (text, errno) = os_error_text(&e);
            let msg = if name.is_empty() {
                text
            } else {
                format!("{name}: {text}")
            };
            push_fail_errno(vm, &msg, errno)
        }
    }
}

fn remove(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?.to_str_lossy().into_owned();
    super::io_file::flush_all();
    let r = match std::fs::symlink_metadata(&name) {
        Ok(m) if m.is_dir() => std::fs::remove_dir(&name),
        _ => std::fs::remove_file(&name),
    };
    Ok(file_result(vm, r, &name))
}

fn rename(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let from = vm.check_str(args, 1)?.to_str_lossy().into_owned();
    let to = vm.check_str(args, 2)?.to_str_lossy().into_owned();
    super::io_file::flush_all();
    let r = std::fs::rename(&from, &to);
    Ok(file_result(vm, r, ""))
}

fn setlocale(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    const CATEGORIES: [&str; 6] = ["all", "collate", "ctype", "monetary", "numeric", "time"];
    let locale = vm.opt_str(args, 1)?;
    let cat = match vm.opt_str(args, 2)? {
        Some(c) => c.to_str_lossy().into_owned(),
        None => "all".into(),
    };
    if !CATEGORIES.contains(&cat.as_str()) {
        return Err(vm.arg_error(2, &format!("invalid option '{cat}'")));
    }
    let r = match locale.as_ref().map(|s| s.as_bytes()) {
        None | Some(b"") | Some(b"C") | Some(b"POSIX") => vm.new_str(b"C"),
        Some(_) => Value::Nil,
    };
    vm.push(r);
    Ok(1)
}

fn tmpname(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    match super::io_file::create_temp_file() {
        Some((path, _file)) => {
            let s = vm.new_str(path.as_bytes());
            vm.push(s);
            Ok(1)
        }
        None => Err(vm.native_error("unable to generate a unique filename")),
    }
}
