//! Reading numerals: the lexer's numbers and string->number coercion.

use super::Number;

/// Converts a numeral string (Lua syntax, surrounding whitespace allowed)
/// into a number, as `tonumber` and the coercions do. PLACEHOLDER: decimal
/// only; the full reader (hex, hex floats, overflow rules) replaces it.
pub fn str_to_number(s: &[u8]) -> Option<Number> {
    let t = std::str::from_utf8(s).ok()?.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Some(Number::Int(i));
    }
    t.parse::<f64>().ok().map(Number::Float)
}
