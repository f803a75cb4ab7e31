//! Reading numerals: the lexer's numbers and string->number coercion.
//!
//! Rules (those of Lua 5.4's string conversion): optional leading and
//! trailing whitespace, an optional sign, then a decimal or hexadecimal
//! numeral. Integers come first: a decimal integer that does not fit in 64
//! bits is read as a float instead, while a hexadecimal integer wraps around
//! modulo 2^64. Floats are decimal (`1.5e3`, `.5`, `5.`) or hexadecimal with
//! an optional binary exponent (`0xA.8p1`). The words `inf` and `nan` are
//! never numerals. All float conversions are correctly rounded.

use super::Number;

/// Whether `c` is whitespace for numeral purposes (C's `isspace`).
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Value of a hexadecimal digit.
fn hex_value(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// Strips leading and trailing whitespace.
fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&c| !is_space(c)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|&c| !is_space(c))
        .map_or(start, |p| p + 1);
    &s[start..end.max(start)]
}

/// Splits an optional sign off the front: (negative, rest).
fn split_sign(s: &[u8]) -> (bool, &[u8]) {
    match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// The hexadecimal body after `0x`/`0X`, if `s` starts with it.
fn hex_body(s: &[u8]) -> Option<&[u8]> {
    if s.len() >= 2 && s[0] == b'0' && (s[1] == b'x' || s[1] == b'X') {
        Some(&s[2..])
    } else {
        None
    }
}

/// Converts a numeral string (Lua syntax, surrounding whitespace allowed)
/// into a number, as `tonumber`, the coercions and the lexer do.
pub fn str_to_number(s: &[u8]) -> Option<Number> {
    let body = trim(s);
    let (neg, digits) = split_sign(body);
    if let Some(i) = read_integer(digits, neg) {
        return Some(Number::Int(i));
    }
    let magnitude = match hex_body(digits) {
        Some(hex) => read_hex_float(hex)?,
        None => read_decimal_float(digits)?,
    };
    Some(Number::Float(if neg { -magnitude } else { magnitude }))
}

/// An integer numeral (without sign): decimal (None on overflow) or
/// hexadecimal (wrapping).
fn read_integer(s: &[u8], neg: bool) -> Option<i64> {
    if let Some(hex) = hex_body(s) {
        if hex.is_empty() {
            return None;
        }
        let mut acc: u64 = 0;
        for &c in hex {
            acc = acc.wrapping_mul(16).wrapping_add(u64::from(hex_value(c)?));
        }
        let v = acc as i64;
        return Some(if neg { v.wrapping_neg() } else { v });
    }
    if s.is_empty() {
        return None;
    }
    // Accumulate the magnitude as u64; the limit depends on the sign.
    let limit: u64 = if neg { 1u64 << 63 } else { (1u64 << 63) - 1 };
    let mut acc: u64 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        acc = acc.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
        if acc > limit {
            return None;
        }
    }
    Some(if neg {
        (acc as i64).wrapping_neg()
    } else {
        acc as i64
    })
}

/// A decimal float numeral (without sign): `digits [. digits] [e [sign] digits]`
/// with at least one mantissa digit.
fn read_decimal_float(s: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut mantissa_digits = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return None;
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        i += 1;
        if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != s.len() {
        return None;
    }
    // The text is now plain ASCII in a form Rust's parser accepts.
    std::str::from_utf8(s).ok()?.parse::<f64>().ok()
}

/// A hexadecimal float body (after `0x`, without sign):
/// `hexdigits [. hexdigits] [p [sign] decdigits]`, correctly rounded.
fn read_hex_float(s: &[u8]) -> Option<f64> {
    // Up to 15 significant hex digits (60 bits) are kept exactly; further
    // nonzero digits only matter as a "sticky" rounding bit.
    let mut mantissa: u64 = 0;
    let mut kept = 0u32;
    let mut sticky = false;
    let mut exp: i64 = 0; // binary exponent adjustment
    let mut any_digit = false;
    let mut seen_dot = false;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
        } else if let Some(d) = hex_value(c) {
            any_digit = true;
            if mantissa == 0 && d == 0 {
                // leading zero: only shifts the point
                if seen_dot {
                    exp -= 4;
                }
            } else if kept < 15 {
                mantissa = mantissa * 16 + u64::from(d);
                kept += 1;
                if seen_dot {
                    exp -= 4;
                }
            } else {
                if d != 0 {
                    sticky = true;
                }
                if !seen_dot {
                    exp += 4;
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    if i < s.len() && (s[i] == b'p' || s[i] == b'P') {
        i += 1;
        let mut exp_neg = false;
        if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
            exp_neg = s[i] == b'-';
            i += 1;
        }
        let start = i;
        let mut e: i64 = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            e = (e * 10 + i64::from(s[i] - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp += if exp_neg { -e } else { e };
    }
    if i != s.len() {
        return None;
    }
    if mantissa == 0 {
        return Some(0.0);
    }
    Some(scale_to_f64(mantissa, exp, sticky))
}

/// The correctly rounded (nearest, ties to even) value of
/// `mantissa * 2^exp`, where `sticky` says some nonzero bits below
/// `mantissa` were dropped. `mantissa` is nonzero and below 2^60.
fn scale_to_f64(mantissa: u64, exp: i64, sticky: bool) -> f64 {
    // Normalise so the top bit is bit 63; the sticky bit goes in bit 0
    // (there are at least 4 free low bits after the shift).
    let lz = mantissa.leading_zeros();
    let m = (mantissa << lz) | u64::from(sticky);
    let e = exp - i64::from(lz); // value = m * 2^e
    let top = e + 63; // exponent of the leading bit
    if top > 1023 {
        return f64::INFINITY;
    }
    // Bits of `m` to drop: 11 for a normal result, more for subnormals.
    let shift: i64 = if top >= -1022 { 11 } else { 11 + (-1022 - top) };
    if shift > 64 {
        return 0.0;
    }
    let wide = u128::from(m);
    let kept = wide >> shift;
    let rem = wide & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    let mut kept = kept as u64;
    if rem > half || (rem == half && kept & 1 == 1) {
        kept += 1;
    }
    if top >= -1022 {
        // normal: kept has 53 bits (or 54 after rounding up)
        let mut top = top;
        if kept == 1u64 << 53 {
            kept >>= 1;
            top += 1;
            if top > 1023 {
                return f64::INFINITY;
            }
        }
        let bits = (((top + 1023) as u64) << 52) | (kept & ((1u64 << 52) - 1));
        f64::from_bits(bits)
    } else {
        // subnormal (rounding may carry into the smallest normal, which
        // the encoding handles by itself)
        f64::from_bits(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<Number> {
        str_to_number(s.as_bytes())
    }

    #[test]
    fn integers() {
        assert_eq!(num("10"), Some(Number::Int(10)));
        assert_eq!(num("  -10  "), Some(Number::Int(-10)));
        assert_eq!(num("+7"), Some(Number::Int(7)));
        assert_eq!(num("9223372036854775807"), Some(Number::Int(i64::MAX)));
        assert_eq!(num("-9223372036854775808"), Some(Number::Int(i64::MIN)));
        assert_eq!(
            num("9223372036854775808"),
            Some(Number::Float(9223372036854775808.0))
        );
        assert_eq!(num("0xff"), Some(Number::Int(255)));
        assert_eq!(num("0xffffffffffffffff"), Some(Number::Int(-1)));
        assert_eq!(num("0x10000000000000000"), Some(Number::Int(0)));
        assert_eq!(num("-0x1"), Some(Number::Int(-1)));
    }

    #[test]
    fn floats() {
        assert_eq!(num("1.5"), Some(Number::Float(1.5)));
        assert_eq!(num(".5"), Some(Number::Float(0.5)));
        assert_eq!(num("5."), Some(Number::Float(5.0)));
        assert_eq!(num("1e2"), Some(Number::Float(100.0)));
        assert_eq!(num("1E+2"), Some(Number::Float(100.0)));
        assert_eq!(num("1e-2"), Some(Number::Float(0.01)));
        assert_eq!(num("1e400"), Some(Number::Float(f64::INFINITY)));
        assert_eq!(
            num("1.5e1000000000000000000000"),
            Some(Number::Float(f64::INFINITY))
        );
        assert_eq!(num("1e-1000000000000000000000"), Some(Number::Float(0.0)));
        assert_eq!(num("0xA.8p1"), Some(Number::Float(21.0)));
        assert_eq!(num("0x.1p4"), Some(Number::Float(1.0)));
        assert_eq!(num("0x1p-1074"), Some(Number::Float(5e-324)));
        assert_eq!(num("0x1p-1075"), Some(Number::Float(0.0)));
        assert_eq!(num("0x1.8p-1074"), Some(Number::Float(1e-323)));
        assert_eq!(num("0x1p1024"), Some(Number::Float(f64::INFINITY)));
        assert_eq!(num("0x1.fffffffffffffp1023"), Some(Number::Float(f64::MAX)));
        assert_eq!(
            num("0x123456789abcdef0123p0"),
            Some(Number::Float(5.373003642731685e21))
        );
        assert_eq!(num("0x.0p0"), Some(Number::Float(0.0)));
        assert_eq!(num("-0x1p1"), Some(Number::Float(-2.0)));
        assert_eq!(num("0x1P+4"), Some(Number::Float(16.0)));
    }

    #[test]
    fn rejects() {
        for s in [
            "", " ", "inf", "nan", "-inf", "1e", "1e+", "0x", "0xp1", "0x1p", ".", "1..2", "- 1",
            "1 2", "0x1.2.3", "1.2.3", "abc", "1a", "0x1g", "\u{0}1",
        ] {
            assert_eq!(num(s), None, "{s:?}");
        }
    }
}

#[cfg(test)]
mod differential {
    use super::*;

    /// Differential test against lua5.4's `tonumber`: `/tmp/syn/num_cases.bin`
    /// holds records (u32 length + string, kind byte `i`/`f`/`n`, i64 bits).
    #[test]
    #[ignore = "needs /tmp/syn/num_cases.bin produced with lua5.4"]
    fn tonumber_matches_lua() {
        let Ok(data) = std::fs::read("/tmp/syn/num_cases.bin") else {
            return;
        };
        let mut pos = 0;
        let mut failures = Vec::new();
        while pos + 4 <= data.len() {
            let len = u32::from_le_bytes([data[pos], data[pos + 1], data[pos + 2], data[pos + 3]])
                as usize;
            let s = &data[pos + 4..pos + 4 + len];
            let kind = data[pos + 4 + len];
            let mut b = [0u8; 8];
            b.copy_from_slice(&data[pos + 5 + len..pos + 13 + len]);
            let bits = i64::from_le_bytes(b);
            pos += 13 + len;
            let want = match kind {
                b'i' => Some(Number::Int(bits)),
                b'f' => Some(Number::Float(f64::from_bits(bits as u64))),
                _ => None,
            };
            let got = str_to_number(s);
            let same = match (got, want) {
                (Some(Number::Float(a)), Some(Number::Float(b))) => a.to_bits() == b.to_bits(),
                (a, b) => a == b,
            };
            if !same {
                failures.push(format!(
                    "{:?}: got {got:?}, want {want:?}",
                    String::from_utf8_lossy(s)
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{}",
            failures[..failures.len().min(30)].join("\n")
        );
    }
}
