//! Writing numbers as Lua prints them.

/// Formats a float as Lua's `%.14g` plus the `.0` rule (`1.0`, `1e+100`,
/// `inf`, `-nan`...). PLACEHOLDER until the exact formatter lands.
pub fn fmt_float(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    if f == f.floor() && f.abs() < 1e15 {
        return format!("{f:.1}");
    }
    format!("{f}")
}
