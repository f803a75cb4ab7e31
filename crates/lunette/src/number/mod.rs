//! Number rules shared by the compiler (constant folding, literals) and the
//! VM: conversions between integers, floats and strings, and arithmetic
//! with Lua 5.4 semantics. Written once, used by both.

use crate::bytecode::TagMethod;
use crate::vm::value::Value;

mod format;
mod parse;

pub use format::{fmt_e, fmt_f, fmt_float, fmt_g, fmt_non_finite, int_text, INT_TEXT_MAX};
pub use parse::str_to_number;

/// A Lua number with its subtype.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// Integer subtype.
    Int(i64),
    /// Float subtype.
    Float(f64),
}

impl Number {
    /// The number as a float.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
    /// The number as a value.
    pub fn to_value(self) -> Value {
        match self {
            Number::Int(i) => Value::Int(i),
            Number::Float(f) => Value::Float(f),
        }
    }
}

/// Why an arithmetic operation raised an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithError {
    /// Integer `//` by zero: `attempt to divide by zero`.
    DivByZero,
    /// Integer `%` by zero: `attempt to perform 'n%%0'` (printed `'n%0'`).
    ModByZero,
    /// A bitwise operand is a float without an integer value:
    /// `number has no integer representation`.
    NoIntRep,
}

impl ArithError {
    /// Lua's message for the error.
    pub fn message(self) -> &'static str {
        match self {
            ArithError::DivByZero => "attempt to divide by zero",
            ArithError::ModByZero => "attempt to perform 'n%0'",
            ArithError::NoIntRep => "number has no integer representation",
        }
    }
}

/// Whether integer `i` equals float `f` exactly.
pub fn int_eq_float(i: i64, f: f64) -> bool {
    match float_to_int_exact(f) {
        Some(j) => i == j,
        None => false,
    }
}

/// `f` as an integer when it has an exact integer value in range.
pub fn float_to_int_exact(f: f64) -> Option<i64> {
    if f.floor() == f && (-9223372036854775808.0..9223372036854775808.0).contains(&f) {
        Some(f as i64)
    } else {
        None
    }
}

/// A value as a number: numbers, and strings that convert (coercion rules).
pub fn value_to_number(v: &Value) -> Option<Number> {
    match v {
        Value::Int(i) => Some(Number::Int(*i)),
        Value::Float(f) => Some(Number::Float(*f)),
        Value::Str(s) => str_to_number(s.as_bytes()),
        _ => None,
    }
}

/// A value as an integer: integers, integral floats, strings converting to those.
pub fn value_to_int(v: &Value) -> Option<i64> {
    match value_to_number(v)? {
        Number::Int(i) => Some(i),
        Number::Float(f) => float_to_int_exact(f),
    }
}

/// Applies a binary arithmetic or bitwise operator (`op` is one of
/// `TagMethod::Add ..= TagMethod::Shr`) to two numbers with Lua 5.4 rules.
pub fn arith(op: TagMethod, a: Number, b: Number) -> Result<Number, ArithError> {
    use Number::{Float as F, Int as I};
    let ff = |x: f64, y: f64| -> f64 {
        match op {
            TagMethod::Add => x + y,
            TagMethod::Sub => x - y,
            TagMethod::Mul => x * y,
            TagMethod::Div => x / y,
            TagMethod::Pow => x.powf(y),
            TagMethod::IDiv => (x / y).floor(),
            _ => {
                // Mod
                let m = x % y;
                if m != 0.0 && (m < 0.0) != (y < 0.0) {
                    m + y
                } else {
                    m
                }
            }
        }
    };
    match op {
        TagMethod::BAnd | TagMethod::BOr | TagMethod::BXor | TagMethod::Shl | TagMethod::Shr => {
            let x = to_int_strict(a).ok_or(ArithError::NoIntRep)?;
            let y = to_int_strict(b).ok_or(ArithError::NoIntRep)?;
            Ok(I(match op {
                TagMethod::BAnd => x & y,
                TagMethod::BOr => x | y,
                TagMethod::BXor => x ^ y,
                TagMethod::Shl => shift_left(x, y),
                _ => shift_left(x, y.wrapping_neg()),
            }))
        }
        TagMethod::Div | TagMethod::Pow => Ok(F(ff(a.as_f64(), b.as_f64()))),
        _ => match (a, b) {
            (I(x), I(y)) => Ok(I(match op {
                TagMethod::Add => x.wrapping_add(y),
                TagMethod::Sub => x.wrapping_sub(y),
                TagMethod::Mul => x.wrapping_mul(y),
                TagMethod::IDiv => {
                    if y == 0 {
                        return Err(ArithError::DivByZero);
                    }
                    int_floor_div(x, y)
                }
                _ => {
                    if y == 0 {
                        return Err(ArithError::ModByZero);
                    }
                    int_mod(x, y)
                }
            })),
            _ => Ok(F(ff(a.as_f64(), b.as_f64()))),
        },
    }
}

/// Integer floor division (`y != 0`), wrapping for `mininteger // -1`.
pub fn int_floor_div(x: i64, y: i64) -> i64 {
    if y == -1 {
        return x.wrapping_neg();
    }
    let q = x / y;
    if (x % y != 0) && ((x < 0) != (y < 0)) {
        q - 1
    } else {
        q
    }
}

/// Integer modulo with the sign of the divisor (`y != 0`).
pub fn int_mod(x: i64, y: i64) -> i64 {
    if y == -1 {
        return 0;
    }
    let m = x % y;
    if m != 0 && ((m < 0) != (y < 0)) {
        m + y
    } else {
        m
    }
}

/// Logical shift left by `n` (negative shifts right); shifts of 64 or more give 0.
pub fn shift_left(x: i64, n: i64) -> i64 {
    if n <= -64 || n >= 64 {
        0
    } else if n >= 0 {
        ((x as u64) << n) as i64
    } else {
        ((x as u64) >> (-n)) as i64
    }
}

/// A number as an integer for bitwise operations (floats must be integral).
pub fn to_int_strict(n: Number) -> Option<i64> {
    match n {
        Number::Int(i) => Some(i),
        Number::Float(f) => float_to_int_exact(f),
    }
}

/// 2^63 as a float (the first float above every `i64`).
const TWO_63: f64 = 9223372036854775808.0;

/// `floor(f)` as an integer when it fits (`None` for NaN and out of range).
pub fn float_to_int_floor(f: f64) -> Option<i64> {
    let g = f.floor();
    if (-TWO_63..TWO_63).contains(&g) {
        Some(g as i64)
    } else {
        None
    }
}

/// `ceil(f)` as an integer when it fits (`None` for NaN and out of range).
pub fn float_to_int_ceil(f: f64) -> Option<i64> {
    let g = f.ceil();
    if (-TWO_63..TWO_63).contains(&g) {
        Some(g as i64)
    } else {
        None
    }
}

/// `i < f`, exact (no rounding of `i`); false when `f` is NaN.
pub fn lt_int_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        false
    } else if f >= TWO_63 {
        true
    } else if f > -TWO_63 {
        // i < f  <=>  i < ceil(f), and ceil(f) fits
        i < f.ceil() as i64
    } else {
        false
    }
}

/// `i <= f`, exact; false when `f` is NaN.
pub fn le_int_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        false
    } else if f >= TWO_63 {
        true
    } else if f >= -TWO_63 {
        // i <= f  <=>  i <= floor(f)
        i <= f.floor() as i64
    } else {
        false
    }
}

/// `f < i`, exact; false when `f` is NaN.
pub fn lt_float_int(f: f64, i: i64) -> bool {
    if f.is_nan() || f >= TWO_63 {
        false
    } else if f >= -TWO_63 {
        // f < i  <=>  floor(f) < i
        (f.floor() as i64) < i
    } else {
        true
    }
}

/// `f <= i`, exact; false when `f` is NaN.
pub fn le_float_int(f: f64, i: i64) -> bool {
    if f.is_nan() || f >= TWO_63 {
        false
    } else if f > -TWO_63 {
        // f <= i  <=>  ceil(f) <= i
        (f.ceil() as i64) <= i
    } else {
        true
    }
}

#[cfg(test)]
#[path = "arith_tests.rs"]
mod tests;
