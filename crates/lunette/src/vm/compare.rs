//! Ordering operators (`<`, `<=`) on any values: numbers compared exactly
//! across subtypes, strings bytewise, then `__lt` / `__le` (Lua 5.4 has no
//! `__le` fallback in the manual, but the reference `lua5.4` binary is
//! built with the 5.3 compatibility that tries `not (b < a)`; we match it).

use super::error::{LuaError, LuaResult};
use super::state::Vm;
use super::value::Value;
use crate::bytecode::TagMethod;
use crate::number;

/// `a < b` for two numbers, exact across integer/float; `None` when either
/// value is not a number.
#[inline]
pub fn num_lt(a: Value, b: Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::Int(x), Value::Float(y)) => number::lt_int_float(x, y),
        (Value::Float(x), Value::Int(y)) => number::lt_float_int(x, y),
        _ => return None,
    })
}

/// `a <= b` for two numbers, exact across integer/float; `None` when either
/// value is not a number.
#[inline]
pub fn num_le(a: Value, b: Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x <= y,
        (Value::Float(x), Value::Float(y)) => x <= y,
        (Value::Int(x), Value::Float(y)) => number::le_int_float(x, y),
        (Value::Float(x), Value::Int(y)) => number::le_float_int(x, y),
        _ => return None,
    })
}

impl Vm {
    /// `a < b` with `__lt`.
    pub fn less_than(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        if let Some(r) = num_lt(a, b) {
            return Ok(r);
        }
        if let (Value::Str(x), Value::Str(y)) = (a, b) {
            return Ok(x.as_bytes() < y.as_bytes());
        }
        self.order_metamethod(a, b, TagMethod::Lt)
    }

    /// `a <= b` with `__le`.
    pub fn less_equal(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        if let Some(r) = num_le(a, b) {
            return Ok(r);
        }
        if let (Value::Str(x), Value::Str(y)) = (a, b) {
            return Ok(x.as_bytes() <= y.as_bytes());
        }
        self.order_metamethod(a, b, TagMethod::Le)
    }

    /// Calls `__lt`/`__le` (first operand's, then second's) or raises the
    /// comparison error.
    fn order_metamethod(&mut self, a: Value, b: Value, tm: TagMethod) -> LuaResult<bool> {
        let mut f = self.metamethod(a, tm);
        if f.is_nil() {
            f = self.metamethod(b, tm);
        }
        if f.is_nil() && tm == TagMethod::Le {
            // as the reference lua5.4 build does (LUA_COMPAT_LT_LE):
            // `a <= b` is `not (b < a)` when no `__le` exists
            let mut lt = self.metamethod(b, TagMethod::Lt);
            if lt.is_nil() {
                lt = self.metamethod(a, TagMethod::Lt);
            }
            if !lt.is_nil() {
                return Ok(!self.call_meta1(lt, &[b, a])?.truthy());
            }
        }
        if f.is_nil() {
            return Err(self.order_error(a, b));
        }
        Ok(self.call_meta1(f, &[a, b])?.truthy())
    }

    /// `attempt to compare two T values` / `attempt to compare T1 with T2`.
    pub fn order_error(&mut self, a: Value, b: Value) -> LuaError {
        let t1 = self.type_name_meta(a);
        let t2 = self.type_name_meta(b);
        let msg = if t1 == t2 {
            format!("attempt to compare two {t1} values")
        } else {
            format!("attempt to compare {t1} with {t2}")
        };
        self.error_at_level(&msg, 0)
    }
}
