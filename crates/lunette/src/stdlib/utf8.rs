//! The `utf8` library (manual §6.5): encoding code points, decoding with
//! strict or lax validation, counting and locating characters.

use crate::vm::function::NativeFn;
use crate::vm::{Args, LuaResult, Value, Vm};

/// Largest valid Unicode code point.
const MAX_UNICODE: u32 = 0x10FFFF;
/// Largest value the (extended, lax) encoding accepts.
const MAX_UTF: u32 = 0x7FFF_FFFF;
/// Pattern matching exactly one UTF-8 byte sequence.
const CHAR_PATTERN: &[u8] = b"[\x00-\x7F\xC2-\xFD][\x80-\xBF]*";

/// Whether byte `c` is a continuation byte (`10xxxxxx`).
#[inline]
fn is_cont(c: u8) -> bool {
    c & 0xC0 == 0x80
}

/// Continuation test at offset `i` (past the end counts as not).
#[inline]
fn cont_at(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(|&c| is_cont(c))
}

/// Decodes the sequence starting at `s[i]`: the code point and the offset
/// after it, or `None` when invalid (strict also rejects surrogates and
/// values above U+10FFFF).
pub fn decode(s: &[u8], i: usize, strict: bool) -> Option<(u32, usize)> {
    const LIMITS: [u32; 6] = [u32::MAX, 0x80, 0x800, 0x10000, 0x20_0000, 0x400_0000];
    let mut c = *s.get(i)? as u32;
    let mut next = i + 1;
    let res = if c < 0x80 {
        c
    } else {
        let mut res: u32 = 0;
        let mut count = 0usize;
        while c & 0x40 != 0 {
            count += 1;
            let cc = s.get(i + count).copied().unwrap_or(0);
            if !is_cont(cc) {
                return None;
            }
            res = (res << 6) | (cc & 0x3F) as u32;
            c <<= 1;
        }
        if count > 5 {
            return None;
        }
        let res = res as u64 | (((c & 0x7F) as u64) << (count * 5));
        if res > MAX_UTF as u64 || (res as u32) < LIMITS[count] {
            return None;
        }
        next += count;
        res as u32
    };
    if strict && (res > MAX_UNICODE || (0xD800..=0xDFFF).contains(&res)) {
        return None;
    }
    Some((res, next))
}

/// Appends the (extended) UTF-8 encoding of `x` (`x <= 0x7FFFFFFF`).
pub fn encode(out: &mut Vec<u8>, mut x: u32) {
    if x < 0x80 {
        out.push(x as u8);
        return;
    }
    let mut buf = [0u8; 8];
    let mut n = buf.len();
    let mut first_max: u32 = 0x3f;
    loop {
        n -= 1;
        buf[n] = 0x80 | (x & 0x3f) as u8;
        x >>= 6;
        first_max >>= 1;
        if x <= first_max {
            break;
        }
    }
    n -= 1;
    buf[n] = ((!first_max << 1) | x) as u8;
    out.extend_from_slice(&buf[n..]);
}

/// A relative position (negative counts back from the end; 0 when before
/// the start).
fn rel_pos(pos: i64, len: usize) -> i64 {
    if pos >= 0 {
        pos
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len as i64 + pos + 1
    }
}

fn utf8_char(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let mut out = Vec::with_capacity(args.len * 2);
    for i in 1..=args.len {
        let code = vm.check_int(args, i)? as u64;
        if code > MAX_UTF as u64 {
            return Err(vm.arg_error(i, "value out of range"));
        }
        encode(&mut out, code as u32);
    }
    let v = vm.new_string(out);
    vm.push(v);
    Ok(1)
}

fn utf8_len(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let bytes = s.as_bytes();
    let len = bytes.len() as i64;
    let i = vm.opt_int(args, 2, 1)?;
    let mut posi = rel_pos(i, bytes.len());
    let j = vm.opt_int(args, 3, -1)?;
    let posj = rel_pos(j, bytes.len()) - 1;
    let lax = vm.arg(args, 4).truthy();
    if !(1 <= posi && posi - 1 <= len) {
        return Err(vm.arg_error(2, "initial position out of bounds"));
    }
    posi -= 1;
    if posj >= len {
        return Err(vm.arg_error(3, "final position out of bounds"));
    }
    vm.charge((posj - posi).max(0) as usize / 4)?;
    let mut n: i64 = 0;
    while posi <= posj {
        match decode(bytes, posi as usize, !lax) {
            Some((_, next)) => {
                posi = next as i64;
                n += 1;
            }
            None => {
                vm.push(Value::Nil);
                vm.push(Value::Int(posi + 1));
                return Ok(2);
            }
        }
    }
    vm.push(Value::Int(n));
    Ok(1)
}

fn utf8_codepoint(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let bytes = s.as_bytes();
    let i = vm.opt_int(args, 2, 1)?;
    let posi = rel_pos(i, bytes.len());
    let j = vm.opt_int(args, 3, posi)?;
    let pose = rel_pos(j, bytes.len());
    let lax = vm.arg(args, 4).truthy();
    if posi < 1 {
        return Err(vm.arg_error(2, "out of bounds"));
    }
    if pose > bytes.len() as i64 {
        return Err(vm.arg_error(3, "out of bounds"));
    }
    if posi > pose {
        return Ok(0);
    }
    if pose - posi >= i32::MAX as i64
        || !super::string::stack_has_room(vm, (pose - posi) as usize + 1)
    {
        return Err(vm.native_error("string slice too long"));
    }
    let end = pose as usize;
    vm.charge(end / 4)?;
    let mut at = posi as usize - 1;
    let mut n = 0;
    while at < end {
        match decode(bytes, at, !lax) {
            Some((code, next)) => {
                vm.push(Value::Int(code as i64));
                n += 1;
                at = next;
            }
            None => return Err(vm.native_error("invalid UTF-8 code")),
        }
    }
    Ok(n)
}

fn utf8_offset(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let b = s.as_bytes();
    let len = b.len() as i64;
    let mut n = vm.check_int(args, 2)?;
    let default = if n >= 0 { 1 } else { len + 1 };
    let i = vm.opt_int(args, 3, default)?;
    let mut posi = rel_pos(i, b.len());
    if !(1 <= posi && posi - 1 <= len) {
        return Err(vm.arg_error(3, "position out of bounds"));
    }
    posi -= 1;
    if n == 0 {
        while posi > 0 && cont_at(b, posi as usize) {
            posi -= 1;
        }
    } else {
        if cont_at(b, posi as usize) {
            return Err(vm.native_error("initial position is a continuation byte"));
        }
        if n < 0 {
            while n < 0 && posi > 0 {
                loop {
                    posi -= 1;
                    if !(posi > 0 && cont_at(b, posi as usize)) {
                        break;
                    }
                }
                n += 1;
            }
        } else {
            n -= 1;
            while n > 0 && posi < len {
                loop {
                    posi += 1;
                    if !cont_at(b, posi as usize) {
                        break;
                    }
                }
                n -= 1;
            }
        }
    }
    if n == 0 {
        vm.push(Value::Int(posi + 1));
    } else {
        vm.push(Value::Nil);
    }
    Ok(1)
}

fn codes_step(vm: &mut Vm, args: Args, strict: bool) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let b = s.as_bytes();
    let mut n = match crate::number::value_to_int(&vm.arg(args, 2)) {
        Some(i) => i as u64,
        None => 0,
    };
    let len = b.len() as u64;
    if n < len {
        while cont_at(b, n as usize) {
            n += 1;
        }
    }
    if n >= len {
        return Ok(0);
    }
    match decode(b, n as usize, strict) {
        Some((code, _)) => {
            vm.push(Value::Int(n as i64 + 1));
            vm.push(Value::Int(code as i64));
            Ok(2)
        }
        None => Err(vm.native_error("invalid UTF-8 code")),
    }
}

fn codes_step_strict(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    codes_step(vm, args, true)
}

fn codes_step_lax(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    codes_step(vm, args, false)
}

fn utf8_codes(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let lax = vm.arg(args, 2).truthy();
    let s = vm.check_str(args, 1)?;
    let f = if lax {
        vm.new_native("codes_lax", codes_step_lax)
    } else {
        vm.new_native("codes", codes_step_strict)
    };
    vm.push(f);
    vm.push(Value::Str(s));
    vm.push(Value::Int(0));
    Ok(3)
}

/// The functions of the `utf8` table.
const FUNCS: &[(&str, NativeFn)] = &[
    ("offset", utf8_offset),
    ("codepoint", utf8_codepoint),
    ("char", utf8_char),
    ("len", utf8_len),
    ("codes", utf8_codes),
];

/// Registers the library in `vm`.
pub fn open(vm: &mut Vm) {
    let lib = vm.register_lib("utf8", FUNCS);
    let k = vm.new_str(b"charpattern");
    let v = vm.new_str(CHAR_PATTERN);
    let _ = lib.raw_set(k, v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for &c in &[
            0u32,
            0x7f,
            0x80,
            0x7ff,
            0x800,
            0xffff,
            0x10000,
            0x10ffff,
            0x7fff_ffff,
        ] {
            let mut out = Vec::new();
            encode(&mut out, c);
            assert_eq!(decode(&out, 0, false), Some((c, out.len())), "{c:x}");
        }
        assert_eq!(decode(b"\xed\xa0\x80", 0, true), None);
        assert!(decode(b"\xed\xa0\x80", 0, false).is_some());
        assert_eq!(decode(b"\xc0\x80", 0, false), None);
        assert_eq!(decode(b"\x80", 0, false), None);
        assert_eq!(decode(b"\xe4\xb8", 0, false), None);
    }
}
