//! `warn`: the warning system (`@on`/`@off` control messages, output to
//! stderr as `Lua warning: ...`). Warnings start off, as in the `lua` command.

use crate::vm::{Args, LuaResult, Value, Vm};
use std::io::Write;

/// Registry key holding whether warnings are on.
const WARN_KEY: &[u8] = b"_WARN_ON";

/// Registers `warn` in the globals.
pub fn open(vm: &mut Vm) {
    let f = vm.new_native("warn", warn);
    vm.set_global("warn", f);
}

/// Whether warnings are currently emitted.
pub fn warnings_on(vm: &mut Vm) -> bool {
    let k = vm.new_str(WARN_KEY);
    vm.registry.raw_get(k).truthy()
}

/// Applies a control message (`@on`, `@off`; other `@...` are ignored).
fn warning_control(vm: &mut Vm, ctl: &[u8]) {
    let k = vm.new_str(WARN_KEY);
    match ctl {
        b"on" => {
            let _ = vm.registry.raw_set(k, Value::Bool(true));
        }
        b"off" => {
            let _ = vm.registry.raw_set(k, Value::Bool(false));
        }
        _ => {}
    }
}

/// Emits a warning message (pieces already concatenated) when warnings are on.
pub fn emit_warning(vm: &mut Vm, msg: &[u8]) {
    if warnings_on(vm) {
        super::io::flush_stdout(vm);
        let mut e = std::io::stderr().lock();
        let _ = e.write_all(b"Lua warning: ");
        let _ = e.write_all(msg);
        let _ = e.write_all(b"\n");
        let _ = e.flush();
    }
}

fn warn(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let mut msg = Vec::new();
    for i in 1..=args.len.max(1) {
        let s = vm.check_str(args, i)?;
        msg.extend_from_slice(s.as_bytes());
    }
    // only a single-piece message can be a control message
    match msg.strip_prefix(b"@") {
        Some(ctl) if args.len == 1 => warning_control(vm, ctl),
        _ => emit_warning(vm, &msg),
    }
    Ok(0)
}
