//! Inline fast paths of the interpreter: arithmetic on numbers and
//! comparisons of numbers and strings. `None` means "take the slow path"
//! (metamethods, coercions, errors).

use super::string::LuaStr;
use super::value::Value;
use crate::bytecode::TagMethod;
use crate::gc::Gc;
use crate::number::{float_to_int_exact, int_floor_div, int_mod, shift_left};

/// Float modulo with Lua's sign rule.
#[inline(always)]
fn float_mod(a: f64, b: f64) -> f64 {
    let m = a % b;
    if m != 0.0 && (m < 0.0) != (b < 0.0) {
        m + b
    } else {
        m
    }
}

/// String equality: short strings are interned, so they are equal only
/// when they are the same object (see `LuaStr::same`).
#[inline(always)]
pub fn str_eq(a: Gc<LuaStr>, b: Gc<LuaStr>) -> bool {
    LuaStr::same(a, b)
}

/// `a op b` for two numbers, when no metamethod or error is involved.
#[inline(always)]
pub fn arith_fast(op: TagMethod, a: &Value, b: &Value) -> Option<Value> {
    match (*a, *b) {
        (Value::Int(x), Value::Int(y)) => Some(match op {
            TagMethod::Add => Value::Int(x.wrapping_add(y)),
            TagMethod::Sub => Value::Int(x.wrapping_sub(y)),
            TagMethod::Mul => Value::Int(x.wrapping_mul(y)),
            TagMethod::Div => Value::Float(x as f64 / y as f64),
            TagMethod::Pow => Value::Float((x as f64).powf(y as f64)),
            TagMethod::Mod => {
                if y == 0 {
                    return None;
                }
                Value::Int(int_mod(x, y))
            }
            TagMethod::IDiv => {
                if y == 0 {
                    return None;
                }
                Value::Int(int_floor_div(x, y))
            }
            _ => return bitwise(op, x, y),
        }),
        (Value::Float(x), Value::Float(y)) => float_arith(op, x, y),
        (Value::Int(x), Value::Float(y)) => float_arith(op, x as f64, y),
        (Value::Float(x), Value::Int(y)) => float_arith(op, x, y as f64),
        _ => None,
    }
}

/// `*dst = a op b` for two numbers, when no metamethod or error is
/// involved; `false` (and `dst` untouched) otherwise. Each arm stores its
/// own result, so a float result goes to memory straight from the
/// register it was computed in (see `Value::store_float`).
#[inline(always)]
pub fn arith_store(op: TagMethod, a: Value, b: Value, dst: &mut Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => match op {
            TagMethod::Add => Value::store_int(dst, x.wrapping_add(y)),
            TagMethod::Sub => Value::store_int(dst, x.wrapping_sub(y)),
            TagMethod::Mul => Value::store_int(dst, x.wrapping_mul(y)),
            TagMethod::Div => Value::store_float(dst, x as f64 / y as f64),
            _ => match arith_fast(op, &a, &b) {
                Some(v) => Value::store(dst, v),
                None => return false,
            },
        },
        (Value::Float(x), Value::Float(y)) => return float_store(op, x, y, dst),
        (Value::Int(x), Value::Float(y)) => return float_store(op, x as f64, y, dst),
        (Value::Float(x), Value::Int(y)) => return float_store(op, x, y as f64, dst),
        _ => return false,
    }
    true
}

#[inline(always)]
fn float_store(op: TagMethod, x: f64, y: f64, dst: &mut Value) -> bool {
    match op {
        TagMethod::Add => Value::store_float(dst, x + y),
        TagMethod::Sub => Value::store_float(dst, x - y),
        TagMethod::Mul => Value::store_float(dst, x * y),
        TagMethod::Div => Value::store_float(dst, x / y),
        _ => match float_arith(op, x, y) {
            Some(v) => Value::store(dst, v),
            None => return false,
        },
    }
    true
}

#[inline(always)]
fn float_arith(op: TagMethod, x: f64, y: f64) -> Option<Value> {
    Some(Value::Float(match op {
        TagMethod::Add => x + y,
        TagMethod::Sub => x - y,
        TagMethod::Mul => x * y,
        TagMethod::Div => x / y,
        TagMethod::Pow => x.powf(y),
        TagMethod::Mod => float_mod(x, y),
        TagMethod::IDiv => (x / y).floor(),
        _ => {
            let a = float_to_int_exact(x)?;
            let b = float_to_int_exact(y)?;
            return bitwise(op, a, b);
        }
    }))
}

#[inline(always)]
fn bitwise(op: TagMethod, x: i64, y: i64) -> Option<Value> {
    Some(Value::Int(match op {
        TagMethod::BAnd => x & y,
        TagMethod::BOr => x | y,
        TagMethod::BXor => x ^ y,
        TagMethod::Shl => shift_left(x, y),
        TagMethod::Shr => shift_left(x, y.wrapping_neg()),
        _ => return None,
    }))
}

/// 2^63 as a float: the first float above every integer.
const TWO63: f64 = 9_223_372_036_854_775_808.0;

/// `i < f` for an integer and a float, exactly.
#[inline]
pub fn lt_int_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        false
    } else if f >= TWO63 {
        true
    } else if f > -TWO63 {
        i < f.ceil() as i64
    } else {
        false
    }
}

/// `i <= f` exactly.
#[inline]
pub fn le_int_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        false
    } else if f >= TWO63 {
        true
    } else if f >= -TWO63 {
        i <= f.floor() as i64
    } else {
        false
    }
}

/// `f < i` exactly.
#[inline]
pub fn lt_float_int(f: f64, i: i64) -> bool {
    if f.is_nan() || f >= TWO63 {
        false
    } else if f >= -TWO63 {
        (f.floor() as i64) < i
    } else {
        true
    }
}

/// `f <= i` exactly.
#[inline]
pub fn le_float_int(f: f64, i: i64) -> bool {
    if f.is_nan() || f >= TWO63 {
        false
    } else if f > -TWO63 {
        (f.ceil() as i64) <= i
    } else {
        true
    }
}

/// `a < b` for numbers and strings; `None` otherwise.
#[inline(always)]
pub fn less_than_fast(a: &Value, b: &Value) -> Option<bool> {
    Some(match (*a, *b) {
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::Int(x), Value::Float(y)) => lt_int_float(x, y),
        (Value::Float(x), Value::Int(y)) => lt_float_int(x, y),
        (Value::Str(x), Value::Str(y)) => x.as_bytes() < y.as_bytes(),
        _ => return None,
    })
}

/// `a <= b` for numbers and strings; `None` otherwise.
#[inline(always)]
pub fn less_equal_fast(a: &Value, b: &Value) -> Option<bool> {
    Some(match (*a, *b) {
        (Value::Int(x), Value::Int(y)) => x <= y,
        (Value::Float(x), Value::Float(y)) => x <= y,
        (Value::Int(x), Value::Float(y)) => le_int_float(x, y),
        (Value::Float(x), Value::Int(y)) => le_float_int(x, y),
        (Value::Str(x), Value::Str(y)) => x.as_bytes() <= y.as_bytes(),
        _ => return None,
    })
}

/// Equality without metamethods when the answer cannot involve `__eq`.
#[inline(always)]
pub fn equals_fast(a: &Value, b: &Value) -> Option<bool> {
    match (*a, *b) {
        (Value::Str(x), Value::Str(y)) => Some(str_eq(x, y)),
        (Value::Table(x), Value::Table(y)) if x != y => None,
        (Value::UserData(x), Value::UserData(y)) if x != y => None,
        _ => Some(a.raw_eq(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_comparisons_are_exact() {
        assert!(lt_int_float(1, 1.5));
        assert!(!lt_int_float(2, 1.5));
        assert!(le_int_float(1, 1.0));
        assert!(lt_float_int(1.5, 2));
        assert!(le_float_int(2.0, 2));
        assert!(!lt_int_float(i64::MAX, TWO63 - 2048.0));
        assert!(lt_int_float(i64::MAX, TWO63));
        assert!(!lt_int_float(0, f64::NAN));
    }
}
