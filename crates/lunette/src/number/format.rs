//! Writing numbers as Lua prints them, plus C-compatible `%e`, `%f` and
//! `%g` conversions for `string.format`.
//!
//! Rust's `{:.N}` and `{:.Ne}` formatting is exact (correctly rounded from
//! the binary value, ties to even), like glibc's `printf`, so the helpers
//! below only rearrange its output into C's shapes: `e+XX` exponents with
//! at least two digits, `%g`'s choice between fixed and exponent form and
//! its removal of trailing zeros, `inf`/`nan` spellings with their sign.

/// The spelling of an infinity or NaN as C's `printf` writes it (`inf`,
/// `-inf`, `nan`, `-nan`; upper case with `upper`), or `None` for a finite
/// number.
pub fn fmt_non_finite(f: f64, upper: bool) -> Option<String> {
    let body = if f.is_nan() {
        "nan"
    } else if f.is_infinite() {
        "inf"
    } else {
        return None;
    };
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let s = format!("{sign}{body}");
    Some(if upper { s.to_uppercase() } else { s })
}

/// C's `%.{prec}e`: one digit, `prec` decimals, exponent with sign and at
/// least two digits (`1.500000e+00`). Non-finite values as `fmt_non_finite`.
pub fn fmt_e(f: f64, prec: usize, upper: bool) -> String {
    if let Some(s) = fmt_non_finite(f, upper) {
        return s;
    }
    let (mantissa, exp) = split_exp(f.abs(), prec);
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let e = if upper { 'E' } else { 'e' };
    let esign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{mantissa}{e}{esign}{:02}", exp.unsigned_abs())
}

/// Rust's `{:.prec e}` of a non-negative finite `f`, split into the
/// mantissa text and the decimal exponent.
fn split_exp(f: f64, prec: usize) -> (String, i32) {
    let s = format!("{f:.prec$e}");
    match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse().unwrap_or(0)),
        None => (s, 0),
    }
}

/// C's `%.{prec}f` (`-0.0` keeps its sign). Non-finite values as
/// `fmt_non_finite`.
pub fn fmt_f(f: f64, prec: usize) -> String {
    if let Some(s) = fmt_non_finite(f, false) {
        return s;
    }
    let s = format!("{:.prec$}", f.abs());
    if f.is_sign_negative() {
        format!("-{s}")
    } else {
        s
    }
}

/// C's `%.{prec}g` (`alt` is the `#` flag: keep trailing zeros and the
/// point; `upper` is `%G`). A precision of 0 counts as 1.
pub fn fmt_g(f: f64, prec: usize, alt: bool, upper: bool) -> String {
    if let Some(s) = fmt_non_finite(f, upper) {
        return s;
    }
    let p = prec.max(1);
    let x = if f == 0.0 {
        0
    } else {
        split_exp(f.abs(), p - 1).1
    };
    let (mut body, exp_part) = if x < -4 || x >= p as i32 {
        let s = fmt_e(f, p - 1, upper);
        let cut = s.find(['e', 'E']).unwrap_or(s.len());
        (s[..cut].to_string(), s[cut..].to_string())
    } else {
        (fmt_f(f, (p as i32 - 1 - x).max(0) as usize), String::new())
    };
    if alt {
        if !body.contains('.') {
            body.push('.');
        }
    } else if body.contains('.') {
        let trimmed = body.trim_end_matches('0').trim_end_matches('.').len();
        body.truncate(trimmed);
    }
    body + &exp_part
}

/// Formats a float as Lua's `tostring` does: `%.14g`, then `.0` appended
/// when the result looks like an integer (`1.0`, `1e+100`, `inf`, `-nan`,
/// `-0.0`).
pub fn fmt_float(f: f64) -> String {
    let mut s = fmt_g(f, 14, false, false);
    if s.bytes().all(|c| c == b'-' || c.is_ascii_digit()) {
        s.push_str(".0");
    }
    s
}

/// Room for the decimal text of any `i64` (`-9223372036854775808`).
pub const INT_TEXT_MAX: usize = 20;

/// The decimal text of `i` (as Lua's `%d`), written at the end of `buf`
/// without allocating; returns the written bytes.
pub fn int_text(i: i64, buf: &mut [u8; INT_TEXT_MAX]) -> &[u8] {
    let mut n = i.unsigned_abs();
    let mut at = INT_TEXT_MAX;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_text_matches_display() {
        let mut buf = [0u8; INT_TEXT_MAX];
        for i in [
            0,
            1,
            -1,
            9,
            10,
            -10,
            12345,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ] {
            assert_eq!(int_text(i, &mut buf), i.to_string().as_bytes());
        }
    }

    #[test]
    fn tostring_floats_match_lua() {
        let cases: &[(f64, &str)] = &[
            (0.1, "0.1"),
            (1e100, "1e+100"),
            (2f64.powi(63), "9.2233720368548e+18"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (100.0, "100.0"),
            (1e15, "1e+15"),
            (1e14, "1e+14"),
            (123456789012345.0, "1.2345678901234e+14"),
            (12345678901234567.0, "1.2345678901235e+16"),
            (2f64.powi(53), "9.007199254741e+15"),
            (std::f64::consts::PI, "3.1415926535898"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (-1.5, "-1.5"),
            (1e300 * 10.0, "1e+301"),
            (5e-324, "4.9406564584125e-324"),
            (12345678901234.0, "12345678901234.0"),
        ];
        for (f, want) in cases {
            assert_eq!(fmt_float(*f), *want, "formatting {f:e}");
        }
        assert_eq!(fmt_float(f64::NAN.copysign(-1.0)), "-nan");
        assert_eq!(fmt_float(f64::NAN.copysign(1.0)), "nan");
    }

    #[test]
    fn printf_shapes() {
        assert_eq!(fmt_e(1.5, 6, false), "1.500000e+00");
        assert_eq!(fmt_e(-0.0, 2, true), "-0.00E+00");
        assert_eq!(fmt_e(1e-310, 3, false), "1.000e-310");
        assert_eq!(fmt_f(2.5, 0), "2");
        assert_eq!(fmt_f(-0.0, 1), "-0.0");
        assert_eq!(fmt_g(100000.0, 6, false, false), "100000");
        assert_eq!(fmt_g(1000000.0, 6, false, false), "1e+06");
        assert_eq!(fmt_g(0.5, 0, false, false), "0.5");
        assert_eq!(fmt_g(1.0, 6, true, false), "1.00000");
        assert_eq!(fmt_g(9.9999999, 3, false, true), "10");
        assert_eq!(fmt_g(f64::INFINITY, 3, false, true), "INF");
    }
}
