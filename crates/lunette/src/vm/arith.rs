//! Arithmetic and bitwise operators on any values: the number rules of
//! `crate::number`, then metamethods (first operand's, then second's).
//!
//! Strings in arithmetic: Lua 5.4 coerces them through the string
//! metatable's `__add`, `__sub`, ... (installed by the string library).
//! When the string metatable has no such field, the VM behaves as if the
//! library's handler were there: both operands converted to numbers, else
//! the second operand's metamethod, else `attempt to add a 'string' with a
//! 'number'`. Bitwise operators never coerce strings (unless a metatable
//! says so, as the test suite's `bwcoercion.lua` does).

use super::error::{LuaError, LuaResult};
use super::state::Vm;
use super::value::Value;
use crate::bytecode::TagMethod;
use crate::number::{self, ArithError, Number};

/// The number of a number value (no string coercion).
#[inline]
fn as_number(v: Value) -> Option<Number> {
    match v {
        Value::Int(i) => Some(Number::Int(i)),
        Value::Float(f) => Some(Number::Float(f)),
        _ => None,
    }
}

/// Whether `op` is a bitwise operator.
fn is_bitwise(op: TagMethod) -> bool {
    matches!(
        op,
        TagMethod::BAnd
            | TagMethod::BOr
            | TagMethod::BXor
            | TagMethod::Shl
            | TagMethod::Shr
            | TagMethod::BNot
    )
}

/// Applies `op` to two numbers, unary operators included.
pub fn arith_numbers(op: TagMethod, a: Number, b: Number) -> Result<Number, ArithError> {
    match op {
        TagMethod::Unm => Ok(match a {
            Number::Int(i) => Number::Int(i.wrapping_neg()),
            Number::Float(f) => Number::Float(-f),
        }),
        TagMethod::BNot => match number::to_int_strict(a) {
            Some(i) => Ok(Number::Int(!i)),
            None => Err(ArithError::NoIntRep),
        },
        _ => number::arith(op, a, b),
    }
}

/// What handles an arithmetic event after the number fast path failed.
enum Handler {
    /// A metamethod to call.
    Call(Value),
    /// The string library's coercing handler (emulated).
    StringArith,
    /// Nothing: an error.
    Missing,
}

impl Vm {
    /// Binary arithmetic/bitwise `op` (`TagMethod::Add..=Shr`), or unary
    /// (`Unm`, `BNot`; `b` is then a copy of `a`), with string coercion and
    /// metamethods.
    pub fn arith(&mut self, op: TagMethod, a: Value, b: Value) -> LuaResult<Value> {
        if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
            return match arith_numbers(op, x, y) {
                Ok(n) => Ok(n.to_value()),
                Err(e) => Err(self.arith_number_error(e, a)),
            };
        }
        let mut h = self.arith_handler(a, op);
        if let Handler::Missing = h {
            h = self.arith_handler(b, op);
        }
        match h {
            Handler::Call(f) => self.call_meta1(f, &[a, b]),
            Handler::StringArith => self.string_arith(op, a, b),
            Handler::Missing => Err(self.arith_type_error(op, a, b)),
        }
    }

    /// The handler value `v` offers for `op`.
    fn arith_handler(&mut self, v: Value, op: TagMethod) -> Handler {
        let tm = self.metamethod(v, op);
        if !tm.is_nil() {
            return Handler::Call(tm);
        }
        if matches!(v, Value::Str(_)) && !is_bitwise(op) {
            return Handler::StringArith;
        }
        Handler::Missing
    }

    /// The string library's arithmetic handler: coerce both operands, else
    /// try the second operand's metamethod, else raise its error.
    fn string_arith(&mut self, op: TagMethod, a: Value, b: Value) -> LuaResult<Value> {
        let coerce = |v: &Value| match v {
            Value::Str(s) => number::str_to_number(s.as_bytes()),
            other => as_number(*other),
        };
        if let (Some(x), Some(y)) = (coerce(&a), coerce(&b)) {
            return match arith_numbers(op, x, y) {
                Ok(n) => Ok(n.to_value()),
                // raised inside the (native) string handler: no position
                Err(e) => {
                    let msg = self.new_str(e.message().as_bytes());
                    Err(LuaError::new(msg))
                }
            };
        }
        if !matches!(b, Value::Str(_)) {
            if let Some(mt) = self.get_metatable(b) {
                let tm = mt.raw_get_bytes(op.name().as_bytes());
                if !tm.is_nil() {
                    return self.call_meta1(tm, &[a, b]);
                }
            }
        }
        let name = &op.name()[2..];
        let msg = format!(
            "attempt to {name} a '{}' with a '{}'",
            a.type_name(),
            b.type_name()
        );
        Err(self.error_at_level(&msg, 0))
    }

    /// The error of a number operation (`n//0`, `n%%0`, no integer rep).
    fn arith_number_error(&mut self, e: ArithError, a: Value) -> LuaError {
        match e {
            ArithError::NoIntRep => self.no_int_rep_error(a),
            other => self.error_at_level(other.message(), 0),
        }
    }

    /// `number has no integer representation`, naming the operand at fault.
    fn no_int_rep_error(&mut self, a: Value) -> LuaError {
        let a_ok = as_number(a).and_then(number::to_int_strict).is_some();
        let operand = if a_ok { 1 } else { 0 };
        let info = self.varinfo(Some(operand));
        self.error_at_level(&format!("number{info} has no integer representation"), 0)
    }

    /// The error when no metamethod handles `op` on `a`, `b`.
    fn arith_type_error(&mut self, op: TagMethod, a: Value, b: Value) -> LuaError {
        let a_is_num = as_number(a).is_some();
        if is_bitwise(op) {
            if a_is_num && as_number(b).is_some() {
                return self.no_int_rep_error(a);
            }
            let (bad, operand) = if a_is_num { (b, 1) } else { (a, 0) };
            return self.type_error(bad, "perform bitwise operation on", Some(operand));
        }
        let (bad, operand) = if a_is_num { (b, 1) } else { (a, 0) };
        self.type_error(bad, "perform arithmetic on", Some(operand))
    }
}
