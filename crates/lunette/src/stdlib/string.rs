//! The `string` library: registration, the string metatable, and the
//! simple byte-string functions. Pattern functions live in `strmatch`,
//! `string.format` in `strformat`, `pack`/`unpack` in `strpack`.

use super::{strformat, strmatch, strpack};
use crate::vm::function::NativeFn;
use crate::vm::value::LuaType;
use crate::vm::{Args, LuaResult, Value, Vm};

/// Largest string length a result may have.
pub(crate) const MAX_STRING_SIZE: usize = i32::MAX as usize;

/// A `luaL_error`-style error whose message holds arbitrary bytes (for
/// messages quoting bytes of a format string).
pub(crate) fn error_with_bytes(vm: &mut Vm, msg: &[u8]) -> crate::vm::LuaError {
    let mut text = vm.where_(1).into_bytes();
    text.extend_from_slice(msg);
    let v = vm.new_string(text);
    crate::vm::LuaError::new(v)
}

/// Whether `n` more values fit on the stack (`luaL_checkstack`).
pub(crate) fn stack_has_room(vm: &Vm, n: usize) -> bool {
    vm.stack.len().saturating_add(n) < crate::vm::call::MAX_STACK
}

/// Converts a relative initial position (negative counts from the end) to
/// a 1-based position clipped to `[1, inf)`.
pub(crate) fn start_pos(pos: i64, len: usize) -> usize {
    if pos > 0 {
        pos as usize
    } else if pos == 0 || pos < -(len as i64) {
        1
    } else {
        (len as i64 + pos + 1) as usize
    }
}

/// Converts a relative end position to a 1-based position clipped to
/// `[0, len]`.
pub(crate) fn end_pos(pos: i64, len: usize) -> usize {
    if pos > len as i64 {
        len
    } else if pos >= 0 {
        pos as usize
    } else if pos < -(len as i64) {
        0
    } else {
        (len as i64 + pos + 1) as usize
    }
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn str_len(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    vm.push(Value::Int(s.len() as i64));
    Ok(1)
}

fn str_sub(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let l = s.len();
    let i = vm.check_int(args, 2)?;
    let start = start_pos(i, l);
    let j = vm.opt_int(args, 3, -1)?;
    let end = end_pos(j, l);
    if start == 1 && end == l {
        vm.push(Value::Str(s));
    } else if start <= end {
        let v = vm.new_str(&s.as_bytes()[start - 1..end]);
        vm.push(v);
    } else {
        let v = vm.new_str(b"");
        vm.push(v);
    }
    Ok(1)
}

fn str_reverse(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    vm.charge(s.len() / 16)?;
    let mut b = s.as_bytes().to_vec();
    b.reverse();
    let v = vm.new_string(b);
    vm.push(v);
    Ok(1)
}

fn str_lower(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    vm.charge(s.len() / 16)?;
    let b = s.as_bytes().to_ascii_lowercase();
    let v = vm.new_string(b);
    vm.push(v);
    Ok(1)
}

fn str_upper(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    vm.charge(s.len() / 16)?;
    let b = s.as_bytes().to_ascii_uppercase();
    let v = vm.new_string(b);
    vm.push(v);
    Ok(1)
}

fn str_rep(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let n = vm.check_int(args, 2)?;
    let sep = vm.opt_str(args, 3)?;
    let sep_bytes: &[u8] = match &sep {
        Some(g) => g.as_bytes(),
        None => b"",
    };
    if n <= 0 || (s.is_empty() && sep_bytes.is_empty()) {
        let v = vm.new_str(b"");
        vm.push(v);
        return Ok(1);
    }
    let (l, lsep) = (s.len(), sep_bytes.len());
    let unit = l + lsep;
    if unit > MAX_STRING_SIZE / (n as usize) {
        return Err(vm.native_error("resulting string too large"));
    }
    let total = n as usize * l + (n as usize - 1) * lsep;
    // pays for the bytes before building them (vm/limits.rs)
    vm.charge(total / 16)?;
    let mut out = vm.try_buffer(total)?;
    // One copy of `s .. sep`, then doubling copies of what is built.
    out.extend_from_slice(s.as_bytes());
    out.extend_from_slice(sep_bytes);
    while out.len() < total {
        let chunk = out.len().min(total - out.len());
        out.extend_from_within(..chunk);
    }
    out.truncate(total);
    let v = vm.new_string(out);
    vm.push(v);
    Ok(1)
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn str_byte(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let l = s.len();
    let pi = vm.opt_int(args, 2, 1)?;
    let posi = start_pos(pi, l);
    let pj = vm.opt_int(args, 3, pi)?;
    let pose = end_pos(pj, l);
    if posi > pose {
        return Ok(0);
    }
    if pose - posi >= i32::MAX as usize || !stack_has_room(vm, pose - posi + 1) {
        return Err(vm.native_error("string slice too long"));
    }
    let bytes = &s.as_bytes()[posi - 1..pose];
    vm.stack.reserve(bytes.len());
    for &c in bytes {
        vm.push(Value::Int(c as i64));
    }
    Ok(bytes.len())
}

fn str_char(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let mut out = Vec::with_capacity(args.len);
    for i in 1..=args.len {
        let c = vm.check_int(args, i)?;
        if !(0..=255).contains(&c) {
            return Err(vm.arg_error(i, "value out of range"));
        }
        out.push(c as u8);
    }
    let v = vm.new_string(out);
    vm.push(v);
    Ok(1)
}

fn str_dump(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let strip = vm.arg(args, 2).truthy();
    match vm.arg(args, 1) {
        Value::LuaFn(cl) => {
            let bytes = crate::bytecode::dump::dump(&cl.proto.proto, strip);
            let v = vm.new_string(bytes);
            vm.push(v);
            Ok(1)
        }
        Value::Native(_) => Err(vm.native_error("unable to dump given function")),
        _ => Err(vm.type_arg_error(args, 1, "function")),
    }
}

/// The functions of the `string` table.
const FUNCS: &[(&str, NativeFn)] = &[
    ("byte", str_byte),
    ("char", str_char),
    ("dump", str_dump),
    ("find", strmatch::str_find),
    ("format", strformat::str_format),
    ("gmatch", strmatch::str_gmatch),
    ("gsub", strmatch::str_gsub),
    ("len", str_len),
    ("lower", str_lower),
    ("match", strmatch::str_match),
    ("rep", str_rep),
    ("reverse", str_reverse),
    ("sub", str_sub),
    ("upper", str_upper),
    ("pack", strpack::str_pack),
    ("packsize", strpack::str_packsize),
    ("unpack", strpack::str_unpack),
];

/// Registers the library in `vm` and installs the string metatable
/// (`__index = string`).
pub fn open(vm: &mut Vm) {
    let lib = vm.register_lib("string", FUNCS);
    let mt = vm.new_table(0, 1);
    let k = vm.new_str(b"__index");
    let _ = mt.raw_set(k, Value::Table(lib));
    crate::vm::arith::install_string_arith(vm, mt);
    vm.type_metas[LuaType::String as usize] = Some(mt);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        assert_eq!(start_pos(0, 5), 1);
        assert_eq!(start_pos(-2, 5), 4);
        assert_eq!(start_pos(-9, 5), 1);
        assert_eq!(end_pos(-1, 5), 5);
        assert_eq!(end_pos(9, 5), 5);
        assert_eq!(end_pos(-9, 5), 0);
    }
}
