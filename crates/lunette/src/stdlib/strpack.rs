//! `string.pack`, `string.unpack` and `string.packsize`: binary
//! serialization driven by a format string (manual §6.4.2). The option
//! reader and the integer codecs are pure; the natives read arguments and
//! build the result in one buffer.

use super::string::{start_pos, MAX_STRING_SIZE};
use crate::vm::{Args, LuaError, LuaResult, Value, Vm};

/// Largest integer size in bytes.
const MAX_INT_SIZE: usize = 16;
/// Size of a Lua integer.
const LUA_INT_SIZE: usize = 8;
/// Default maximum alignment (`!` without a size).
const NATIVE_ALIGN: usize = 8;

/// Kinds of format options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    Uint,
    Float,
    Double,
    Char,
    Str,
    Zstr,
    Padding,
    PadAlign,
    Nop,
}

/// Errors of the option reader: a plain error (bytes: it may quote a
/// format byte) or an argument error.
#[derive(Debug, PartialEq, Eq)]
enum FmtError {
    Msg(Vec<u8>),
    Arg(usize, String),
}

/// Format-wide state: endianness and maximum alignment.
struct Header {
    little: bool,
    max_align: usize,
}

/// Cursor over a format string (which ends at its first zero byte).
struct Format<'a> {
    fmt: &'a [u8],
    pos: usize,
}

impl<'a> Format<'a> {
    fn new(fmt: &'a [u8]) -> Format<'a> {
        let end = fmt.iter().position(|&c| c == 0).unwrap_or(fmt.len());
        Format {
            fmt: &fmt[..end],
            pos: 0,
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.fmt.len()
    }

    fn peek_digit(&self) -> Option<usize> {
        self.fmt
            .get(self.pos)
            .filter(|c| c.is_ascii_digit())
            .map(|c| (c - b'0') as usize)
    }

    /// A decimal number, or `default` when none follows.
    fn number(&mut self, default: i64) -> i64 {
        if self.peek_digit().is_none() {
            return default;
        }
        let mut a: i64 = 0;
        while let Some(d) = self.peek_digit() {
            a = a * 10 + d as i64;
            self.pos += 1;
            if a > (MAX_STRING_SIZE as i64 - 9) / 10 {
                break;
            }
        }
        a
    }

    /// An integer size in `[1, 16]`.
    fn size_limit(&mut self, default: usize) -> Result<usize, FmtError> {
        let sz = self.number(default as i64);
        if sz > MAX_INT_SIZE as i64 || sz <= 0 {
            return Err(FmtError::Msg(
                format!("integral size ({sz}) out of limits [1,{MAX_INT_SIZE}]").into_bytes(),
            ));
        }
        Ok(sz as usize)
    }

    /// Reads one option: its kind and size.
    fn option(&mut self, h: &mut Header) -> Result<(Kind, usize), FmtError> {
        let opt = self.fmt[self.pos];
        self.pos += 1;
        Ok(match opt {
            b'b' => (Kind::Int, 1),
            b'B' => (Kind::Uint, 1),
            b'h' => (Kind::Int, 2),
            b'H' => (Kind::Uint, 2),
            b'l' | b'j' => (Kind::Int, 8),
            b'L' | b'J' | b'T' => (Kind::Uint, 8),
            b'f' => (Kind::Float, 4),
            b'n' | b'd' => (Kind::Double, 8),
            b'i' => (Kind::Int, self.size_limit(4)?),
            b'I' => (Kind::Uint, self.size_limit(4)?),
            b's' => (Kind::Str, self.size_limit(8)?),
            b'c' => {
                let n = self.number(-1);
                if n == -1 {
                    return Err(FmtError::Msg(
                        b"missing size for format option 'c'".to_vec(),
                    ));
                }
                (Kind::Char, n as usize)
            }
            b'z' => (Kind::Zstr, 0),
            b'x' => (Kind::Padding, 1),
            b'X' => (Kind::PadAlign, 0),
            b' ' => (Kind::Nop, 0),
            b'<' | b'=' => {
                h.little = true;
                (Kind::Nop, 0)
            }
            b'>' => {
                h.little = false;
                (Kind::Nop, 0)
            }
            b'!' => {
                h.max_align = self.size_limit(NATIVE_ALIGN)?;
                (Kind::Nop, 0)
            }
            other => {
                let mut m = b"invalid format option '".to_vec();
                m.push(other);
                m.push(b'\'');
                return Err(FmtError::Msg(m));
            }
        })
    }

    /// Reads one option plus the padding needed to align it at `total`.
    fn details(&mut self, h: &mut Header, total: usize) -> Result<(Kind, usize, usize), FmtError> {
        let (kind, size) = self.option(h)?;
        let mut align = size;
        if kind == Kind::PadAlign {
            let bad = || FmtError::Arg(1, "invalid next option for option 'X'".to_string());
            if self.at_end() {
                return Err(bad());
            }
            let (next, next_size) = self.option(h)?;
            align = next_size;
            if next == Kind::Char || align == 0 {
                return Err(bad());
            }
        }
        if align <= 1 || kind == Kind::Char {
            return Ok((kind, size, 0));
        }
        if align > h.max_align {
            align = h.max_align;
        }
        if !align.is_power_of_two() {
            return Err(FmtError::Arg(
                1,
                "format asks for alignment not power of 2".to_string(),
            ));
        }
        let pad = (align - (total & (align - 1))) & (align - 1);
        Ok((kind, size, pad))
    }
}

fn raise(vm: &mut Vm, e: FmtError) -> LuaError {
    match e {
        FmtError::Msg(m) => super::string::error_with_bytes(vm, &m),
        FmtError::Arg(i, m) => vm.arg_error(i, &m),
    }
}

/// Appends `n` as a `size`-byte integer; bytes beyond 8 repeat the sign.
fn pack_int(out: &mut Vec<u8>, n: u64, little: bool, size: usize, negative: bool) {
    let start = out.len();
    for i in 0..size {
        let b = if i < LUA_INT_SIZE {
            (n >> (8 * i)) as u8
        } else if negative {
            0xff
        } else {
            0
        };
        out.push(b);
    }
    if !little {
        out[start..].reverse();
    }
}

/// Reads a `size`-byte integer; `Err` carries Lua's overflow message.
fn unpack_int(bytes: &[u8], little: bool, size: usize, signed: bool) -> Result<i64, String> {
    let byte = |i: usize| bytes[if little { i } else { size - 1 - i }];
    let limit = size.min(LUA_INT_SIZE);
    let mut res: u64 = 0;
    for i in (0..limit).rev() {
        res = (res << 8) | byte(i) as u64;
    }
    if size < LUA_INT_SIZE {
        if signed {
            let mask = 1u64 << (size * 8 - 1);
            res = (res ^ mask).wrapping_sub(mask);
        }
    } else if size > LUA_INT_SIZE {
        let fill = if !signed || (res as i64) >= 0 {
            0
        } else {
            0xff
        };
        for i in limit..size {
            if byte(i) != fill {
                return Err(format!("{size}-byte integer does not fit into Lua Integer"));
            }
        }
    }
    Ok(res as i64)
}

/// `string.pack(fmt, v1, ...)`.
pub fn str_pack(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let fmt_s = vm.check_str(args, 1)?;
    let mut fmt = Format::new(fmt_s.as_bytes());
    let mut h = Header {
        little: true,
        max_align: 1,
    };
    let mut out: Vec<u8> = Vec::new();
    let mut arg = 1;
    let mut total = 0usize;
    while !fmt.at_end() {
        let (kind, size, pad) = fmt.details(&mut h, total).map_err(|e| raise(vm, e))?;
        total += pad + size;
        out.resize(out.len() + pad, 0);
        arg += 1;
        if arg > args.len {
            // Lua sees a nil marker just above the arguments.
            let expected = match kind {
                Kind::Int | Kind::Uint | Kind::Float | Kind::Double => Some("number"),
                Kind::Char | Kind::Str | Kind::Zstr => Some("string"),
                _ => None,
            };
            if let Some(e) = expected {
                return Err(vm.arg_error(arg, &format!("{e} expected, got nil")));
            }
        }
        match kind {
            Kind::Int => {
                let n = vm.check_int(args, arg)?;
                if size < LUA_INT_SIZE {
                    let lim = 1i64 << (size * 8 - 1);
                    if !(-lim..lim).contains(&n) {
                        return Err(vm.arg_error(arg, "integer overflow"));
                    }
                }
                pack_int(&mut out, n as u64, h.little, size, n < 0);
            }
            Kind::Uint => {
                let n = vm.check_int(args, arg)?;
                if size < LUA_INT_SIZE && (n as u64) >= (1u64 << (size * 8)) {
                    return Err(vm.arg_error(arg, "unsigned overflow"));
                }
                pack_int(&mut out, n as u64, h.little, size, false);
            }
            Kind::Float => {
                let f = vm.check_num(args, arg)? as f32;
                let b = if h.little {
                    f.to_le_bytes()
                } else {
                    f.to_be_bytes()
                };
                out.extend_from_slice(&b);
            }
            Kind::Double => {
                let f = vm.check_num(args, arg)?;
                let b = if h.little {
                    f.to_le_bytes()
                } else {
                    f.to_be_bytes()
                };
                out.extend_from_slice(&b);
            }
            Kind::Char => {
                let s = vm.check_str(args, arg)?;
                if s.len() > size {
                    return Err(vm.arg_error(arg, "string longer than given size"));
                }
                // the size is the script's: the buffer may not grow
                vm.try_grow(&mut out, size)?;
                out.extend_from_slice(s.as_bytes());
                out.resize(out.len() + (size - s.len()), 0);
            }
            Kind::Str => {
                let s = vm.check_str(args, arg)?;
                let len = s.len();
                if size < 8 && (len as u64) >= (1u64 << (size * 8)) {
                    return Err(vm.arg_error(arg, "string length does not fit in given size"));
                }
                vm.try_grow(&mut out, len.saturating_add(size))?;
                pack_int(&mut out, len as u64, h.little, size, false);
                out.extend_from_slice(s.as_bytes());
                total += len;
            }
            Kind::Zstr => {
                let s = vm.check_str(args, arg)?;
                if s.as_bytes().contains(&0) {
                    return Err(vm.arg_error(arg, "string contains zeros"));
                }
                vm.try_grow(&mut out, s.len().saturating_add(1))?;
                out.extend_from_slice(s.as_bytes());
                out.push(0);
                total += s.len() + 1;
            }
            Kind::Padding => {
                out.push(0);
                arg -= 1;
            }
            Kind::PadAlign | Kind::Nop => arg -= 1,
        }
    }
    let v = vm.new_string(out);
    vm.push(v);
    Ok(1)
}

/// `string.packsize(fmt)`.
pub fn str_packsize(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let fmt_s = vm.check_str(args, 1)?;
    let mut fmt = Format::new(fmt_s.as_bytes());
    let mut h = Header {
        little: true,
        max_align: 1,
    };
    let mut total = 0usize;
    while !fmt.at_end() {
        let (kind, size, pad) = fmt.details(&mut h, total).map_err(|e| raise(vm, e))?;
        if matches!(kind, Kind::Str | Kind::Zstr) {
            return Err(vm.arg_error(1, "variable-length format"));
        }
        let size = size + pad;
        if total > MAX_STRING_SIZE - size.min(MAX_STRING_SIZE) || size > MAX_STRING_SIZE {
            return Err(vm.arg_error(1, "format result too large"));
        }
        total += size;
    }
    vm.push(Value::Int(total as i64));
    Ok(1)
}

/// `string.unpack(fmt, s [, pos])`.
pub fn str_unpack(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let fmt_s = vm.check_str(args, 1)?;
    let data_s = vm.check_str(args, 2)?;
    let data = data_s.as_bytes();
    let ld = data.len();
    let init = vm.opt_int(args, 3, 1)?;
    let mut pos = start_pos(init, ld) - 1;
    if pos > ld {
        return Err(vm.arg_error(3, "initial position out of string"));
    }
    let mut fmt = Format::new(fmt_s.as_bytes());
    let mut h = Header {
        little: true,
        max_align: 1,
    };
    let mut n = 0;
    while !fmt.at_end() {
        let (kind, size, pad) = fmt.details(&mut h, pos).map_err(|e| raise(vm, e))?;
        if pad.saturating_add(size) > ld - pos {
            return Err(vm.arg_error(2, "data string too short"));
        }
        pos += pad;
        if !super::string::stack_has_room(vm, 2) {
            return Err(vm.native_error("stack overflow (too many results)"));
        }
        n += 1;
        let v = match kind {
            Kind::Int | Kind::Uint => {
                let r = unpack_int(&data[pos..pos + size], h.little, size, kind == Kind::Int)
                    .map_err(|m| vm.native_error(&m))?;
                Value::Int(r)
            }
            Kind::Float => {
                let mut b = [0u8; 4];
                b.copy_from_slice(&data[pos..pos + 4]);
                let f = if h.little {
                    f32::from_le_bytes(b)
                } else {
                    f32::from_be_bytes(b)
                };
                Value::Float(f as f64)
            }
            Kind::Double => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[pos..pos + 8]);
                let f = if h.little {
                    f64::from_le_bytes(b)
                } else {
                    f64::from_be_bytes(b)
                };
                Value::Float(f)
            }
            Kind::Char => vm.new_str(&data[pos..pos + size]),
            Kind::Str => {
                let len = unpack_int(&data[pos..pos + size], h.little, size, false)
                    .map_err(|m| vm.native_error(&m))? as u64;
                if len > (ld - pos - size) as u64 {
                    return Err(vm.arg_error(2, "data string too short"));
                }
                let len = len as usize;
                let v = vm.new_str(&data[pos + size..pos + size + len]);
                pos += len;
                v
            }
            Kind::Zstr => {
                let len = data[pos..].iter().position(|&c| c == 0).unwrap_or(ld - pos);
                if pos + len >= ld {
                    return Err(vm.arg_error(2, "unfinished string for format 'z'"));
                }
                let v = vm.new_str(&data[pos..pos + len]);
                pos += len + 1;
                v
            }
            Kind::Padding | Kind::PadAlign | Kind::Nop => {
                n -= 1;
                pos += size;
                continue;
            }
        };
        vm.push(v);
        pos += size;
    }
    vm.push(Value::Int(pos as i64 + 1));
    Ok(n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_codec() {
        let mut out = Vec::new();
        pack_int(&mut out, (-2i64) as u64, false, 16, true);
        assert_eq!(out[0], 0xff);
        assert_eq!(out[15], 0xfe);
        assert_eq!(unpack_int(&out, false, 16, true), Ok(-2));
        assert!(unpack_int(&out, false, 16, false).is_err());
        assert_eq!(unpack_int(&[0xff, 0x7f], true, 2, true), Ok(0x7fff));
        assert_eq!(unpack_int(&[0x00, 0x80], true, 2, true), Ok(-32768));
    }

    #[test]
    fn options() {
        let mut h = Header {
            little: true,
            max_align: 1,
        };
        let mut f = Format::new(b"!4 i2 Xi8");
        assert_eq!(f.details(&mut h, 0), Ok((Kind::Nop, 0, 0)));
        assert_eq!(f.details(&mut h, 0), Ok((Kind::Nop, 0, 0)));
        assert_eq!(f.details(&mut h, 1), Ok((Kind::Int, 2, 1)));
        assert_eq!(f.details(&mut h, 0), Ok((Kind::Nop, 0, 0)));
        assert_eq!(f.details(&mut h, 3), Ok((Kind::PadAlign, 0, 1)));
        assert_eq!(
            Format::new(b"i17").details(&mut h, 0),
            Err(FmtError::Msg(
                "integral size (17) out of limits [1,16]".into()
            ))
        );
    }
}
