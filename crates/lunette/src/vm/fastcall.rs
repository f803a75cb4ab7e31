//! Builtins the interpreter runs without a call ("fast calls", as Luau's
//! fastcall path): when `CALL` finds one of these natives with a fixed
//! argument count and no hook watching calls, it computes the result
//! from the argument registers directly: no frame, no stack resizing, no
//! result move.
//!
//! A fast path only answers the common cases, and answers them exactly as
//! the builtin would (same value, same subtype); for anything else
//! (strings to convert, missing or extra arguments it does not expect, an
//! error to raise, zero results) it returns `None` and the builtin is
//! called as usual, so messages and corner cases stay the builtin's.

use super::function::NativeFn;
use super::value::Value;
use crate::number::float_to_int_exact;

/// A fast path: the result for `args`, or `None` to call the builtin.
/// With `first_only` false the builtin must return exactly that one value;
/// with `first_only` true (the call keeps one result) it is the builtin's
/// first result. Must not allocate, run Lua code or fail.
pub type FastFn = fn(&[Value], bool) -> Option<Value>;

/// The fast path of builtin `f`, if it has one (looked up once, when the
/// native closure is made).
pub(crate) fn fast_path_for(f: NativeFn) -> Option<FastFn> {
    use crate::stdlib::{base, math, string};
    let table: [(NativeFn, FastFn); 12] = [
        (math::floor, floor),
        (math::ceil, ceil),
        (math::abs, abs),
        (math::sqrt, sqrt),
        (math::max, max),
        (math::min, min),
        (string::str_byte, byte),
        (string::str_len, len),
        (base::rawget, rawget),
        (base::rawequal, rawequal),
        (base::rawlen, rawlen),
        (base::select, select),
    ];
    table
        .iter()
        .find(|(g, _)| std::ptr::fn_addr_eq(*g, f))
        .map(|(_, fast)| *fast)
}

/// A float result that is an integer when it has an exact integer value
/// (`math.floor`/`math.ceil`).
fn num_int(f: f64) -> Value {
    match float_to_int_exact(f) {
        Some(i) => Value::Int(i),
        None => Value::Float(f),
    }
}

fn floor(args: &[Value], _first_only: bool) -> Option<Value> {
    match args {
        [Value::Int(i)] => Some(Value::Int(*i)),
        [Value::Float(f)] => Some(num_int(f.floor())),
        _ => None,
    }
}

fn ceil(args: &[Value], _first_only: bool) -> Option<Value> {
    match args {
        [Value::Int(i)] => Some(Value::Int(*i)),
        [Value::Float(f)] => Some(num_int(f.ceil())),
        _ => None,
    }
}

fn abs(args: &[Value], _first_only: bool) -> Option<Value> {
    match args {
        [Value::Int(i)] => Some(Value::Int(i.wrapping_abs())),
        [Value::Float(f)] => Some(Value::Float(f.abs())),
        _ => None,
    }
}

fn sqrt(args: &[Value], _first_only: bool) -> Option<Value> {
    match args {
        [Value::Int(i)] => Some(Value::Float((*i as f64).sqrt())),
        [Value::Float(f)] => Some(Value::Float(f.sqrt())),
        _ => None,
    }
}

/// `math.max`/`math.min` of two numbers of one subtype: the first
/// argument unless the second wins the strict comparison (as Lua's loop
/// does, so NaN and equal values keep the first).
fn extreme(args: &[Value], want_max: bool) -> Option<Value> {
    let second_wins = match args {
        [Value::Int(a), Value::Int(b)] => {
            if want_max {
                a < b
            } else {
                b < a
            }
        }
        [Value::Float(a), Value::Float(b)] => {
            if want_max {
                a < b
            } else {
                b < a
            }
        }
        _ => return None,
    };
    Some(if second_wins { args[1] } else { args[0] })
}

fn max(args: &[Value], _first_only: bool) -> Option<Value> {
    extreme(args, true)
}

fn min(args: &[Value], _first_only: bool) -> Option<Value> {
    extreme(args, false)
}

/// `string.byte(s)` and `string.byte(s, i)` for a byte inside the string.
fn byte(args: &[Value], _first_only: bool) -> Option<Value> {
    let (s, i) = match args {
        [Value::Str(s)] => (s, 1),
        [Value::Str(s), Value::Int(i)] => (s, *i),
        _ => return None,
    };
    let bytes = s.as_bytes();
    let len = bytes.len() as i64;
    let pos = if i < 0 { len + i + 1 } else { i };
    if pos >= 1 && pos <= len {
        Some(Value::Int(bytes[(pos - 1) as usize] as i64))
    } else {
        None
    }
}

fn len(args: &[Value], _first_only: bool) -> Option<Value> {
    match args {
        [Value::Str(s)] => Some(Value::Int(s.len() as i64)),
        _ => None,
    }
}

fn rawget(args: &[Value], _first_only: bool) -> Option<Value> {
    match args {
        [Value::Table(t), k] => Some(t.raw_get(*k)),
        _ => None,
    }
}

fn rawequal(args: &[Value], _first_only: bool) -> Option<Value> {
    match args {
        [a, b] => Some(Value::Bool(a.raw_eq(b))),
        _ => None,
    }
}

fn rawlen(args: &[Value], _first_only: bool) -> Option<Value> {
    match args {
        [Value::Table(t)] => Some(Value::Int(t.len())),
        [Value::Str(s)] => Some(Value::Int(s.len() as i64)),
        _ => None,
    }
}

/// `select('#', ...)`, and `select(n, ...)` for `n` inside the arguments
/// when only its first result is kept or it is the last argument.
fn select(args: &[Value], first_only: bool) -> Option<Value> {
    let (sel, rest) = args.split_first()?;
    match sel {
        Value::Str(s) if s.as_bytes().first() == Some(&b'#') => Some(Value::Int(rest.len() as i64)),
        Value::Int(n) if *n >= 1 && (*n as u64) <= rest.len() as u64 => {
            let i = *n as usize;
            if first_only || i == rest.len() {
                Some(rest[i - 1])
            } else {
                None
            }
        }
        _ => None,
    }
}
