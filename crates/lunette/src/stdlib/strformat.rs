//! `string.format`: walks the format string, validates each conversion
//! specification the way Lua 5.4 does, and renders items with `cformat`.

use super::cformat::{format_float, format_int, format_str, Spec};
use crate::vm::{Args, LuaError, LuaResult, Value, Vm};

/// Characters a specification may span before its conversion letter.
const SPEC_CHARS: &[u8] = b"-+#0 123456789.";
/// Longest accepted specification (flags, width, precision, letter).
const MAX_SPEC_LEN: usize = 22;
/// Longest string Lua would intern (for `%p` identity).
const SHORT_STRING_MAX: usize = 40;
/// Flags accepted by float conversions.
const FLAGS_FLOAT: &[u8] = b"-+#0 ";
/// Flags accepted by `o`, `x`, `X`.
const FLAGS_HEX: &[u8] = b"-#0";
/// Flags accepted by `d`, `i`.
const FLAGS_INT: &[u8] = b"-+0 ";
/// Flags accepted by `u`.
const FLAGS_UNSIGNED: &[u8] = b"-0";
/// Flags accepted by `c`, `p`, `s`.
const FLAGS_CHAR: &[u8] = b"-";

/// Whether `body` (the specification between `%` and the letter) uses only
/// `flags`, a width of at most 2 digits and (if allowed) a precision of at
/// most 2 digits.
fn spec_is_valid(body: &[u8], flags: &[u8], precision_ok: bool) -> bool {
    let mut j = 0;
    while j < body.len() && flags.contains(&body[j]) {
        j += 1;
    }
    let skip2 = |j: &mut usize| {
        for _ in 0..2 {
            if body.get(*j).is_some_and(|c| c.is_ascii_digit()) {
                *j += 1;
            }
        }
    };
    if body.get(j) != Some(&b'0') {
        skip2(&mut j);
        if body.get(j) == Some(&b'.') && precision_ok {
            j += 1;
            skip2(&mut j);
        }
    }
    j == body.len()
}

/// Bytes `str_format` makes room for before one conversion (besides the
/// string of a `%s` or `%q`).
const CONVERSION_ROOM: usize = 512;

/// An upper bound of the length of `s` quoted by `quote_string`.
fn quoted_len(s: &[u8]) -> usize {
    let escapes: usize = s
        .iter()
        .map(|&c| match c {
            b'"' | b'\\' | b'\n' => 1,
            0..=31 | 127 => 3,
            _ => 0,
        })
        .sum();
    s.len().saturating_add(escapes).saturating_add(2)
}

/// Appends `s` quoted as a Lua string literal that reads back the same.
pub fn quote_string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for (k, &c) in s.iter().enumerate() {
        match c {
            b'"' | b'\\' | b'\n' => {
                out.push(b'\\');
                out.push(c);
            }
            0..=31 | 127 => {
                let next_is_digit = s.get(k + 1).is_some_and(|d| d.is_ascii_digit());
                if next_is_digit {
                    out.extend_from_slice(format!("\\{c:03}").as_bytes());
                } else {
                    out.extend_from_slice(format!("\\{c}").as_bytes());
                }
            }
            _ => out.push(c),
        }
    }
    out.push(b'"');
}

/// Appends a number as `%q` writes it (readable back exactly).
pub fn quote_number(out: &mut Vec<u8>, v: Value) {
    match v {
        Value::Int(i64::MIN) => out.extend_from_slice(b"0x8000000000000000"),
        Value::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Float(f) if f == f64::INFINITY => out.extend_from_slice(b"1e9999"),
        Value::Float(f) if f == f64::NEG_INFINITY => out.extend_from_slice(b"-1e9999"),
        Value::Float(f) if f.is_nan() => out.extend_from_slice(b"(0/0)"),
        Value::Float(f) => format_float(out, &Spec::default(), b'a', f),
        _ => {}
    }
}

fn bad_spec(vm: &mut Vm, form: &[u8]) -> LuaError {
    let mut msg = b"invalid conversion specification: '".to_vec();
    msg.extend_from_slice(form);
    msg.push(b'\'');
    super::string::error_with_bytes(vm, &msg)
}

/// `string.format(fmt, ...)`.
pub fn str_format(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let fmt_handle = vm.check_str(args, 1)?;
    let fmt = fmt_handle.as_bytes();
    // built in the heap's reusable buffer (a `__tostring` using it
    // meanwhile gets a fresh one)
    let mut out = vm.heap.take_scratch();
    vm.try_grow(&mut out, fmt.len() + 16)?;
    let mut arg = 1;
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            let end = fmt[i..]
                .iter()
                .position(|&c| c == b'%')
                .map_or(fmt.len(), |o| i + o);
            vm.try_extend(&mut out, &fmt[i..end])?;
            i = end;
            continue;
        }
        i += 1;
        if fmt.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        arg += 1;
        if arg > args.len {
            return Err(vm.arg_error(arg, "no value"));
        }
        let span = fmt[i..]
            .iter()
            .take_while(|c| SPEC_CHARS.contains(c))
            .count();
        if span + 1 >= MAX_SPEC_LEN {
            return Err(vm.native_error("invalid format (too long)"));
        }
        let body = &fmt[i..i + span];
        let conv = fmt.get(i + span).copied().unwrap_or(0);
        let form = || {
            let mut form = Vec::with_capacity(span + 2);
            form.push(b'%');
            form.extend_from_slice(body);
            if conv != 0 {
                form.push(conv);
            }
            form
        };
        i = (i + span + 1).min(fmt.len());
        let spec = Spec::parse(body);
        // room for any conversion but a string's (widths and precisions
        // have two digits: a number takes at most ~420 bytes); `%s` and
        // `%q` of a string make room for it below
        vm.try_grow(&mut out, CONVERSION_ROOM)?;
        match conv {
            b'c' => {
                if !spec_is_valid(body, FLAGS_CHAR, false) {
                    return Err(bad_spec(vm, &form()));
                }
                let n = vm.check_int(args, arg)?;
                format_str(&mut out, &spec, &[n as u8]);
            }
            b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => {
                let n = vm.check_int(args, arg)?;
                let flags = match conv {
                    b'd' | b'i' => FLAGS_INT,
                    b'u' => FLAGS_UNSIGNED,
                    _ => FLAGS_HEX,
                };
                if !spec_is_valid(body, flags, true) {
                    return Err(bad_spec(vm, &form()));
                }
                format_int(&mut out, &spec, conv, n);
            }
            b'a' | b'A' => {
                if !spec_is_valid(body, FLAGS_FLOAT, true) {
                    return Err(bad_spec(vm, &form()));
                }
                let x = vm.check_num(args, arg)?;
                format_float(&mut out, &spec, conv, x);
            }
            b'f' | b'e' | b'E' | b'g' | b'G' => {
                let x = vm.check_num(args, arg)?;
                if !spec_is_valid(body, FLAGS_FLOAT, true) {
                    return Err(bad_spec(vm, &form()));
                }
                format_float(&mut out, &spec, conv, x);
            }
            b'p' => {
                if !spec_is_valid(body, FLAGS_CHAR, false) {
                    return Err(bad_spec(vm, &form()));
                }
                let addr = match vm.arg(args, arg) {
                    // Strings are not interned: equal short strings get
                    // one identity derived from their contents, as they
                    // would share one object in an interning Lua.
                    Value::Str(s) if s.len() <= SHORT_STRING_MAX => {
                        (s.hash() as usize & 0x0000_7fff_ffff_fff0) | 0x10
                    }
                    v => v.addr(),
                };
                if addr == 0 {
                    format_str(&mut out, &spec, b"(null)");
                } else {
                    format_str(&mut out, &spec, format!("{addr:#x}").as_bytes());
                }
            }
            b'q' => {
                if span != 0 {
                    return Err(vm.native_error("specifier '%q' cannot have modifiers"));
                }
                match vm.arg(args, arg) {
                    Value::Str(s) => {
                        vm.try_grow(&mut out, quoted_len(s.as_bytes()))?;
                        quote_string(&mut out, s.as_bytes());
                    }
                    v @ (Value::Int(_) | Value::Float(_)) => quote_number(&mut out, v),
                    Value::Nil => out.extend_from_slice(b"nil"),
                    Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
                    _ => return Err(vm.arg_error(arg, "value has no literal form")),
                }
            }
            b's' => {
                let v = vm.arg(args, arg);
                let sv = vm.tostring(v)?;
                let Value::Str(s) = sv else {
                    return Err(vm.native_error("'__tostring' must return a string"));
                };
                let bytes = s.as_bytes();
                vm.try_grow(&mut out, bytes.len())?;
                if span == 0 {
                    out.extend_from_slice(bytes);
                } else {
                    if bytes.contains(&0) {
                        return Err(vm.arg_error(arg, "string contains zeros"));
                    }
                    if !spec_is_valid(body, FLAGS_CHAR, true) {
                        return Err(bad_spec(vm, &form()));
                    }
                    if spec.precision.is_none() && bytes.len() >= 100 {
                        out.extend_from_slice(bytes);
                    } else {
                        format_str(&mut out, &spec, bytes);
                    }
                }
            }
            _ => {
                let mut msg = b"invalid conversion '".to_vec();
                msg.extend_from_slice(&form());
                msg.extend_from_slice(b"' to 'format'");
                return Err(super::string::error_with_bytes(vm, &msg));
            }
        }
    }
    let v = vm.new_string_scratch(out);
    vm.push(v);
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let mut out = Vec::new();
        quote_string(&mut out, b"a\0b\x001\r\n\"\\\x7f\x80");
        assert_eq!(out, b"\"a\\0b\\0001\\13\\\n\\\"\\\\\\127\x80\"".to_vec());
        let mut out = Vec::new();
        quote_number(&mut out, Value::Float(0.1));
        assert_eq!(out, b"0x1.999999999999ap-4".to_vec());
    }

    #[test]
    fn spec_validation() {
        assert!(spec_is_valid(b"-+ #0", FLAGS_FLOAT, true));
        assert!(spec_is_valid(b"012.3", FLAGS_FLOAT, true));
        assert!(!spec_is_valid(b"100", FLAGS_INT, true));
        assert!(!spec_is_valid(b"#", FLAGS_INT, true));
        assert!(!spec_is_valid(b"5.1", FLAGS_CHAR, false));
        assert!(!spec_is_valid(b"05", FLAGS_CHAR, true));
    }
}
