//! Reading from file handles with `read`'s formats (`"n"`, `"l"`, `"L"`,
//! `"a"`, counts), shared by `io.read`, `file:read` and `lines` iterators.

use super::io_file::{FileRef, LuaFile};
use super::support::{os_error_text, push_all, push_fail_errno};
use crate::vm::{Args, LuaResult, Value, Vm};

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Reads a numeral the way `l_getn` does (at most 200 characters, then
/// converted); `None` when it is not a number.
fn read_number(f: &mut LuaFile) -> std::io::Result<Option<Value>> {
    const MAX_LEN: usize = 200;
    let mut buf: Vec<u8> = Vec::new();
    while let Some(c) = f.peek()? {
        if !is_c_space(c) {
            break;
        }
        f.advance();
    }
    fn accept(f: &mut LuaFile, buf: &mut Vec<u8>, set: &[u8]) -> std::io::Result<bool> {
        match f.peek()? {
            Some(c) if set.contains(&c) && buf.len() < MAX_LEN => {
                buf.push(c);
                f.advance();
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn digits(f: &mut LuaFile, buf: &mut Vec<u8>, hex: bool) -> std::io::Result<usize> {
        let mut n = 0;
        while let Some(c) = f.peek()? {
            let ok = if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            };
            if !ok || buf.len() >= MAX_LEN {
                break;
            }
            buf.push(c);
            f.advance();
            n += 1;
        }
        Ok(n)
    }
    accept(f, &mut buf, b"-+")?;
    let mut count = 0;
    let mut hex = false;
    if accept(f, &mut buf, b"0")? {
        if accept(f, &mut buf, b"xX")? {
            hex = true;
        } else {
            count = 1;
        }
    }
    count += digits(f, &mut buf, hex)?;
    if accept(f, &mut buf, b".")? {
        count += digits(f, &mut buf, hex)?;
    }
    if count > 0 && accept(f, &mut buf, if hex { b"pP" } else { b"eE" })? {
        accept(f, &mut buf, b"-+")?;
        digits(f, &mut buf, false)?;
    }
    if buf.len() >= MAX_LEN {
        return Ok(None);
    }
    Ok(crate::number::str_to_number(&buf).map(|n| n.to_value()))
}

/// Reads with `formats` (`g_read`); `first_arg` numbers the first format
/// in argument errors.
pub(crate) fn read_formats(
    vm: &mut Vm,
    f: &FileRef,
    formats: &[Value],
    first_arg: usize,
    args: Option<Args>,
) -> LuaResult<usize> {
    let line_fmt = [Value::Nil];
    let formats: &[Value] = if formats.is_empty() {
        &line_fmt
    } else {
        formats
    };
    let mut results = Vec::new();
    for (k, fmt) in formats.iter().enumerate() {
        enum Op {
            Count(u64),
            Number,
            Line(bool),
            All,
        }
        let op = match fmt {
            Value::Nil => Op::Line(false),
            Value::Int(_) | Value::Float(_) => match crate::number::value_to_int(fmt) {
                Some(n) => Op::Count(n as u64),
                None => {
                    return Err(vm.arg_error(first_arg + k, "number has no integer representation"))
                }
            },
            Value::Str(s) => {
                let b = s.as_bytes();
                let b = b.strip_prefix(b"*").unwrap_or(b);
                match b.first() {
                    Some(b'n') => Op::Number,
                    Some(b'l') => Op::Line(false),
                    Some(b'L') => Op::Line(true),
                    Some(b'a') => Op::All,
                    _ => return Err(vm.arg_error(first_arg + k, "invalid format")),
                }
            }
            _ => {
                return Err(match args {
                    Some(a) => vm.type_arg_error(a, first_arg + k, "string"),
                    None => vm.arg_error(first_arg + k, "invalid format"),
                })
            }
        };
        let r = {
            let mut file = f.borrow_mut();
            match op {
                Op::Count(n) => file.read_bytes(n).map(|o| o.map(Ok)),
                Op::Number => read_number(&mut file).map(|o| o.map(Err)),
                Op::Line(keep) => file.read_line(keep).map(|o| o.map(Ok)),
                Op::All => file.read_all().map(|b| Some(Ok(b))),
            }
        };
        match r {
            Ok(Some(Ok(bytes))) => {
                vm.check_alloc(bytes.len())?;
                let s = vm.new_string(bytes);
                results.push(s);
            }
            Ok(Some(Err(number))) => results.push(number),
            Ok(None) => {
                results.push(Value::Nil);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::OutOfMemory => {
                return Err(vm.memory_error());
            }
            Err(e) => {
                let (text, errno) = os_error_text(&e);
                return Ok(push_fail_errno(vm, &text, errno));
            }
        }
    }
    Ok(push_all(vm, &results))
}
