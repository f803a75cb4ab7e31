//! C `printf` conversions as glibc renders them, as pure functions writing
//! into a byte buffer: integers (`d i u o x X`), floats (`e E f F g G a A`),
//! characters and strings with flags `-+ #0`, width and precision.
//! Used by `string.format`; the float digits come from Rust's exact
//! (correctly rounded) formatting, rearranged into C's layout.

/// A parsed conversion specification (without the conversion letter).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    /// `-`: left-justify.
    pub minus: bool,
    /// `+`: always print a sign.
    pub plus: bool,
    /// ` `: space before positive numbers.
    pub space: bool,
    /// `#`: alternate form.
    pub hash: bool,
    /// `0`: pad with zeros.
    pub zero: bool,
    /// Minimum field width.
    pub width: usize,
    /// Precision, when given.
    pub precision: Option<usize>,
}

impl Spec {
    /// Parses flags, width and precision (`form` excludes `%` and the
    /// conversion letter; it was validated by the caller).
    pub fn parse(form: &[u8]) -> Spec {
        let mut spec = Spec::default();
        let mut i = 0;
        while let Some(&c) = form.get(i) {
            match c {
                b'-' => spec.minus = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.hash = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        while let Some(&c) = form.get(i).filter(|c| c.is_ascii_digit()) {
            spec.width = spec.width * 10 + (c - b'0') as usize;
            i += 1;
        }
        if form.get(i) == Some(&b'.') {
            i += 1;
            let mut p = 0;
            while let Some(&c) = form.get(i).filter(|c| c.is_ascii_digit()) {
                p = p * 10 + (c - b'0') as usize;
                i += 1;
            }
            spec.precision = Some(p);
        }
        spec
    }
}

/// Writes `prefix` (sign, `0x`) and `body` padded to the spec's width.
fn pad(out: &mut Vec<u8>, spec: &Spec, prefix: &[u8], body: &[u8], zero_ok: bool) {
    let len = prefix.len() + body.len();
    let fill = spec.width.saturating_sub(len);
    if spec.minus {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if spec.zero && zero_ok {
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

fn sign_prefix(negative: bool, spec: &Spec) -> &'static [u8] {
    if negative {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    }
}

/// Writes `n` with integer conversion `conv` (`d i u o x X`); `u o x X`
/// treat `n` as its unsigned 64-bit two's complement.
pub fn format_int(out: &mut Vec<u8>, spec: &Spec, conv: u8, n: i64) {
    let signed = matches!(conv, b'd' | b'i');
    let (negative, mag) = if signed {
        (n < 0, n.unsigned_abs())
    } else {
        (false, n as u64)
    };
    let (base, letters): (u64, &[u8; 16]) = match conv {
        b'o' => (8, b"0123456789abcdef"),
        b'x' => (16, b"0123456789abcdef"),
        b'X' => (16, b"0123456789ABCDEF"),
        _ => (10, b"0123456789abcdef"),
    };
    let mut buf = [0u8; 24];
    let mut at = buf.len();
    let mut m = mag;
    loop {
        at -= 1;
        buf[at] = letters[(m % base) as usize];
        m /= base;
        if m == 0 {
            break;
        }
    }
    if *spec == Spec::default() {
        if negative {
            out.push(b'-');
        }
        out.extend_from_slice(&buf[at..]);
        return;
    }
    let mut digits: Vec<u8> = buf[at..].to_vec();
    if spec.precision == Some(0) && mag == 0 {
        digits.clear();
    }
    if let Some(p) = spec.precision {
        if p > digits.len() {
            let mut z = vec![b'0'; p - digits.len()];
            z.extend_from_slice(&digits);
            digits = z;
        }
    }
    let mut prefix: &[u8] = if signed {
        sign_prefix(negative, spec)
    } else {
        b""
    };
    if spec.hash {
        match conv {
            b'o' if digits.first() != Some(&b'0') => digits.insert(0, b'0'),
            b'x' if mag != 0 => prefix = b"0x",
            b'X' if mag != 0 => prefix = b"0X",
            _ => {}
        }
    }
    pad(out, spec, prefix, &digits, spec.precision.is_none());
}

/// The exact decimal expansion of a positive finite `v` whose binary
/// fraction is short: `v = D * 10^-scale` with `D` returned as digits.
/// `None` when `D` would not fit in 128 bits.
fn exact_decimal(v: f64) -> Option<(Vec<u8>, i32)> {
    let bits = v.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    if exp_bits == 0 || exp_bits == 0x7ff {
        return None;
    }
    let mut m = frac | (1u64 << 52);
    let mut e = exp_bits - 1075;
    let tz = m.trailing_zeros();
    m >>= tz;
    e += tz as i32;
    let d: u128 = if e >= 0 {
        let used = 64 - m.leading_zeros() as i32;
        if used + e > 127 {
            return None;
        }
        (m as u128) << e
    } else {
        if -e > 27 {
            return None;
        }
        (m as u128) * 5u128.pow((-e) as u32)
    };
    let scale = if e >= 0 { 0 } else { -e };
    Some((d.to_string().into_bytes(), scale))
}

/// Rounds significant digits `d` (first digit's exponent `x`) to `n`
/// digits, half to even like glibc. A carry out of the first digit raises
/// `x`; `fixed` keeps the extra digit (the fraction length stays), else
/// the digit count stays `n`.
fn round_digits(mut d: Vec<u8>, mut x: i32, n: usize, fixed: bool) -> (Vec<u8>, i32) {
    if d.len() <= n {
        d.resize(n, b'0');
        return (d, x);
    }
    let r = d[n];
    let rest_nonzero = d[n + 1..].iter().any(|&c| c != b'0');
    let last_odd = n > 0 && (d[n - 1] - b'0') % 2 == 1;
    let round_up = r > b'5' || (r == b'5' && (rest_nonzero || last_odd));
    d.truncate(n);
    if round_up {
        let mut i = n;
        loop {
            if i == 0 {
                d.insert(0, b'1');
                if !fixed {
                    d.pop();
                }
                x += 1;
                break;
            }
            i -= 1;
            if d[i] == b'9' {
                d[i] = b'0';
            } else {
                d[i] += 1;
                break;
            }
        }
    }
    (d, x)
}

/// `n` significant digits of `v` (and the exponent of the first) computed
/// exactly with integers when `v`'s expansion is short.
fn exact_short_digits(v: f64, n: usize) -> Option<(Vec<u8>, i32)> {
    if v == 0.0 {
        return Some((vec![b'0'; n], 0));
    }
    let (d, scale) = exact_decimal(v)?;
    let x = d.len() as i32 - 1 - scale;
    Some(round_digits(d, x, n, false))
}

/// `%.{prec}f` body of a non-negative finite `v` computed exactly with
/// integers when `v`'s expansion is short and not below the precision.
fn exact_fixed(v: f64, prec: usize, hash: bool) -> Option<Vec<u8>> {
    let (d, x) = if v == 0.0 {
        (vec![b'0'], 0)
    } else {
        let (d, scale) = exact_decimal(v)?;
        let x = d.len() as i32 - 1 - scale;
        (d, x)
    };
    let n = x as i64 + 1 + prec as i64;
    if n <= 0 || n > 400 {
        return None;
    }
    let (d, x) = round_digits(d, x, n as usize, true);
    if x < 0 {
        let mut b = b"0.".to_vec();
        b.resize(b.len() + (-x - 1) as usize, b'0');
        b.extend_from_slice(&d);
        return Some(b);
    }
    Some(fixed_layout(&d, x, hash))
}

/// The `prec + 1` significant decimal digits of a non-negative finite `v`
/// (correctly rounded) and the decimal exponent of the first one.
fn exp_digits(v: f64, prec: usize) -> (Vec<u8>, i32) {
    if let Some(r) = exact_short_digits(v, prec + 1) {
        return r;
    }
    let s = format!("{v:.prec$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits = mant.bytes().filter(|c| c.is_ascii_digit()).collect();
    (digits, exp.parse().unwrap_or(0))
}

/// `%e` layout of digits `d` (first before the point) and exponent `exp`.
fn exp_layout(d: &[u8], exp: i32, upper: bool, hash: bool) -> Vec<u8> {
    let mut b = Vec::with_capacity(d.len() + 6);
    b.extend_from_slice(&d[..1.min(d.len())]);
    if d.len() > 1 || hash {
        b.push(b'.');
    }
    b.extend_from_slice(d.get(1..).unwrap_or(&[]));
    b.push(if upper { b'E' } else { b'e' });
    b.push(if exp < 0 { b'-' } else { b'+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        b.push(b'0');
    }
    b.extend_from_slice(e.to_string().as_bytes());
    b
}

/// `%e` body of a non-negative finite `v`.
fn exp_body(v: f64, prec: usize, upper: bool, hash: bool) -> Vec<u8> {
    let (d, exp) = exp_digits(v, prec);
    exp_layout(&d, exp, upper, hash)
}

/// Fixed-point layout of significant digits `d` whose first digit has
/// decimal exponent `x` (`-4 <= x < d.len()`).
fn fixed_layout(d: &[u8], x: i32, hash: bool) -> Vec<u8> {
    let mut b = Vec::with_capacity(d.len() + 6);
    if x >= 0 {
        let int_len = (x as usize + 1).min(d.len());
        b.extend_from_slice(&d[..int_len]);
        if int_len < d.len() || hash {
            b.push(b'.');
        }
        b.extend_from_slice(&d[int_len..]);
    } else {
        b.extend_from_slice(b"0.");
        b.resize(b.len() + (-x - 1) as usize, b'0');
        b.extend_from_slice(d);
    }
    b
}

/// Removes trailing zeros of the fraction (and a bare point) before any
/// exponent, as `%g` does without `#`.
fn strip_fraction_zeros(b: &mut Vec<u8>) {
    if !b.contains(&b'.') {
        return;
    }
    let exp_at = b
        .iter()
        .position(|&c| c == b'e' || c == b'E')
        .unwrap_or(b.len());
    let mut end = exp_at;
    while end > 0 && b[end - 1] == b'0' {
        end -= 1;
    }
    if end > 0 && b[end - 1] == b'.' {
        end -= 1;
    }
    b.drain(end..exp_at);
}

/// The decimal exponent of `v` before any rounding (`floor(log10(v))`).
fn unrounded_exponent(v: f64) -> i32 {
    let s = format!("{v:e}");
    s.split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0)
}

/// `%g` body of a non-negative finite `v` with precision `p`.
fn general_body(v: f64, p: Option<usize>, upper: bool, hash: bool) -> Vec<u8> {
    let p = match p {
        None => 6,
        Some(0) => 1,
        Some(p) => p,
    };
    let (digits, x) = exp_digits(v, p - 1);
    let mut b = if x < p as i32 && x >= -4 {
        fixed_layout(&digits, x, hash)
    } else if hash && unrounded_exponent(v) == p as i32 - 1 {
        // glibc: when rounding carries a fixed-notation candidate into
        // exponent notation, the `#` form keeps no fraction digits.
        exp_body(v, 0, upper, hash)
    } else {
        exp_layout(&digits, x, upper, hash)
    };
    if !hash {
        strip_fraction_zeros(&mut b);
    }
    b
}

/// `%a` body (after `0x`) of a non-negative finite `v`, as glibc writes it.
fn hex_body(v: f64, prec: Option<usize>, hash: bool) -> Vec<u8> {
    let bits = v.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    let mant = bits & ((1u64 << 52) - 1);
    let (lead, exp) = if v == 0.0 {
        (0u64, 0)
    } else if exp_bits == 0 {
        (0u64, -1022)
    } else {
        (1u64, exp_bits - 1023)
    };
    let full = (lead << 52) | mant;
    let (lead, digits) = match prec {
        None => {
            let mut d = format!("{mant:013x}").into_bytes();
            while d.last() == Some(&b'0') {
                d.pop();
            }
            (lead, d)
        }
        Some(p) if p < 13 => {
            let shift = (13 - p) * 4;
            let mut kept = full >> shift;
            let rem = full & ((1u64 << shift) - 1);
            let half = 1u64 << (shift - 1);
            if rem > half || (rem == half && kept & 1 == 1) {
                kept += 1;
            }
            let frac = kept & ((1u64 << (p * 4)) - 1);
            let d = if p == 0 {
                Vec::new()
            } else {
                format!("{frac:0p$x}").into_bytes()
            };
            (kept >> (p * 4), d)
        }
        Some(p) => {
            let mut d = format!("{mant:013x}").into_bytes();
            d.resize(p, b'0');
            (lead, d)
        }
    };
    let mut b = lead.to_string().into_bytes();
    if !digits.is_empty() || hash {
        b.push(b'.');
    }
    b.extend_from_slice(&digits);
    b.push(b'p');
    if exp >= 0 {
        b.push(b'+');
    }
    b.extend_from_slice(exp.to_string().as_bytes());
    b
}

/// Writes `v` with float conversion `conv` (`e E f F g G a A`).
pub fn format_float(out: &mut Vec<u8>, spec: &Spec, conv: u8, v: f64) {
    let upper = conv.is_ascii_uppercase();
    let prefix_sign = sign_prefix(v.is_sign_negative(), spec);
    let a = v.abs();
    if !a.is_finite() {
        let body: &[u8] = match (a.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        pad(out, spec, prefix_sign, body, false);
        return;
    }
    match conv.to_ascii_lowercase() {
        b'f' => {
            let prec = spec.precision.unwrap_or(6);
            let b = match exact_fixed(a, prec, spec.hash) {
                Some(b) => b,
                None => {
                    let mut b = format!("{a:.prec$}").into_bytes();
                    if spec.hash && prec == 0 {
                        b.push(b'.');
                    }
                    b
                }
            };
            pad(out, spec, prefix_sign, &b, true);
        }
        b'e' => {
            let b = exp_body(a, spec.precision.unwrap_or(6), upper, spec.hash);
            pad(out, spec, prefix_sign, &b, true);
        }
        b'g' => {
            let b = general_body(a, spec.precision, upper, spec.hash);
            pad(out, spec, prefix_sign, &b, true);
        }
        _ => {
            let mut b = hex_body(a, spec.precision, spec.hash);
            let mut prefix = prefix_sign.to_vec();
            prefix.extend_from_slice(b"0x");
            if upper {
                b.make_ascii_uppercase();
                prefix.make_ascii_uppercase();
            }
            pad(out, spec, &prefix, &b, true);
        }
    }
}

/// Writes `s` with `%s` rules (precision truncates, width pads with spaces).
pub fn format_str(out: &mut Vec<u8>, spec: &Spec, s: &[u8]) {
    let s = match spec.precision {
        Some(p) if p < s.len() => &s[..p],
        _ => s,
    };
    pad(out, spec, b"", s, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(form: &str, v: f64) -> String {
        let b = form.as_bytes();
        let conv = b[b.len() - 1];
        let spec = Spec::parse(&b[1..b.len() - 1]);
        let mut out = Vec::new();
        format_float(&mut out, &spec, conv, v);
        String::from_utf8(out).unwrap()
    }

    fn i(form: &str, v: i64) -> String {
        let b = form.as_bytes();
        let conv = b[b.len() - 1];
        let spec = Spec::parse(&b[1..b.len() - 1]);
        let mut out = Vec::new();
        format_int(&mut out, &spec, conv, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn floats_match_lua() {
        let cases: &[(&str, f64, &str)] = &[
            ("%.0a", 1.5, "0x2p+0"),
            ("%.0a", 2.5, "0x1p+1"),
            ("%.1a", 1.96875, "0x2.0p+0"),
            ("%a", 0.1, "0x1.999999999999ap-4"),
            ("%a", 5e-324, "0x0.0000000000001p-1022"),
            ("%a", 0.0, "0x0p+0"),
            ("%a", -0.0, "-0x0p+0"),
            ("%A", 255.5, "0X1.FFP+7"),
            ("%#a", 1.0, "0x1.p+0"),
            ("%20a", 1.0, "              0x1p+0"),
            ("%-20a", 1.0, "0x1p+0              "),
            ("%020a", -1.0, "-0x00000000000001p+0"),
            ("%.3a", 1e300, "0x1.7e4p+996"),
            ("%a", f64::INFINITY, "inf"),
            ("%5.2f", 3.25159, " 3.25"),
            ("%g", 1e20, "1e+20"),
            ("%g", 100000.0, "100000"),
            ("%g", 1000000.0, "1e+06"),
            ("%g", 0.0001, "0.0001"),
            ("%g", 0.00001, "1e-05"),
            ("%#g", 1.0, "1.00000"),
            ("%#.0g", 1.0, "1."),
            ("%.0e", 12345.0, "1e+04"),
            ("%#.0e", 2.0, "2.e+00"),
            ("%#.0f", 2.0, "2."),
            ("%.3g", 0.0, "0"),
            ("%g", -0.0, "-0"),
            ("%+.3e", 0.0, "+0.000e+00"),
            ("% f", 1.0, " 1.000000"),
            ("%010.2f", -3.5, "-000003.50"),
            ("%-10.2f", -3.5, "-3.50     "),
            ("%e", 1e-310, "1.000000e-310"),
            ("%.20f", 0.1, "0.10000000000000000555"),
            ("%G", 1e-20, "1E-20"),
            ("%E", f64::INFINITY, "INF"),
            ("%010f", f64::NEG_INFINITY, "      -inf"),
            ("%.14g", 0.1, "0.1"),
            ("%#g", 999999.5, "1.e+06"),
            ("%.2f", 0.125, "0.12"),
            ("%.1f", 0.9375, "0.9"),
            ("%.0f", 2.5, "2"),
            ("%.0f", 3.5, "4"),
            ("%.3e", 1234.5, "1.234e+03"),
            ("%.3e", 1235.5, "1.236e+03"),
            ("%g", 1234565.0, "1.23456e+06"),
            ("%.1f", 999.96875, "1000.0"),
            ("%.2e", 9.995, "9.99e+00"),
            (
                "%.20g",
                1180591620717411303424.0,
                "1.1805916207174113034e+21",
            ),
            ("%#.3g", 99999.7, "1.00e+05"),
            ("%#.3g", 999.96, "1.e+03"),
            ("%.14g", 1e15, "1e+15"),
            ("%.14g", 123456789012345678.0, "1.2345678901235e+17"),
            ("%.17g", 0.1, "0.10000000000000001"),
            ("%g", 123456789.0, "1.23457e+08"),
            ("%.50g", 2f64.powi(-30), "9.31322574615478515625e-10"),
        ];
        for (form, v, want) in cases {
            assert_eq!(f(form, *v), *want, "{form} {v}");
        }
    }

    #[test]
    fn ints_match_lua() {
        let cases: &[(&str, i64, &str)] = &[
            ("%x", -1, "ffffffffffffffff"),
            ("%5.3d", -7, " -007"),
            ("%-+5d", 7, "+7   "),
            ("% d", 7, " 7"),
            ("%05d", -7, "-0007"),
            ("%#o", 8, "010"),
            ("%#o", 0, "0"),
            ("%#x", 0, "0"),
            ("%#X", 255, "0XFF"),
            ("%.0d", 0, ""),
            ("%#.0o", 0, "0"),
            ("%u", -1, "18446744073709551615"),
            ("%.3x", 10, "00a"),
            ("%#5x", 10, "  0xa"),
            ("%#05x", 10, "0x00a"),
        ];
        for (form, v, want) in cases {
            assert_eq!(i(form, *v), *want, "{form} {v}");
        }
    }
}
