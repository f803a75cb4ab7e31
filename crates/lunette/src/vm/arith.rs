//! Arithmetic and bitwise operators on any values: the number rules of
//! `crate::number`, then metamethods (first operand's, then second's).
//!
//! Strings in arithmetic: as in Lua 5.4 the VM itself never converts them;
//! the string metatable's `__add`, `__sub`, ... (installed by
//! `install_string_arith`, which the string library calls) convert both
//! operands, else try the second operand's metamethod, else raise `attempt
//! to add a 'string' with a 'number'`. Removing one of those fields from the
//! string metatable disables the coercion for that operator, exactly as in
//! Lua. Bitwise operators have no such handlers (the test suite's
//! `bwcoercion.lua` installs its own).

use super::error::{LuaError, LuaResult};
use super::function::NativeFn;
use super::native::Args;
use super::state::Vm;
use super::table::Table;
use super::value::Value;
use crate::bytecode::TagMethod;
use crate::gc::Gc;
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
        let mut f = self.metamethod(a, op);
        if f.is_nil() {
            f = self.metamethod(b, op);
        }
        if f.is_nil() {
            return Err(self.arith_type_error(op, a, b));
        }
        self.call_meta1(f, &[a, b])
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

/// The string library's handler for arithmetic event `op` (a native
/// function's body): both arguments converted to numbers (numerals in
/// strings included), else the second argument's metamethod, else an error.
/// Errors of the operation itself (`n//0`) carry no position, as they are
/// raised inside a native function.
fn string_arith(vm: &mut Vm, args: Args, op: TagMethod) -> LuaResult<usize> {
    let a = vm.arg(args, 1);
    let b = vm.arg(args, 2);
    let coerce = |v: &Value| match v {
        Value::Str(s) => number::str_to_number(s.as_bytes()),
        other => as_number(*other),
    };
    if let (Some(x), Some(y)) = (coerce(&a), coerce(&b)) {
        return match arith_numbers(op, x, y) {
            Ok(n) => {
                vm.push(n.to_value());
                Ok(1)
            }
            Err(e) => Err(vm.error_at_level(e.message(), 0)),
        };
    }
    if !matches!(b, Value::Str(_)) {
        if let Some(mt) = vm.get_metatable(b) {
            let f = mt.raw_get_bytes(op.name().as_bytes());
            if !f.is_nil() {
                let r = vm.call_meta1(f, &[a, b])?;
                vm.push(r);
                return Ok(1);
            }
        }
    }
    let msg = format!(
        "attempt to {} a '{}' with a '{}'",
        &op.name()[2..],
        a.type_name(),
        b.type_name()
    );
    Err(vm.native_error(&msg))
}

fn str_add(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    string_arith(vm, args, TagMethod::Add)
}
fn str_sub(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    string_arith(vm, args, TagMethod::Sub)
}
fn str_mul(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    string_arith(vm, args, TagMethod::Mul)
}
fn str_mod(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    string_arith(vm, args, TagMethod::Mod)
}
fn str_pow(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    string_arith(vm, args, TagMethod::Pow)
}
fn str_div(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    string_arith(vm, args, TagMethod::Div)
}
fn str_idiv(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    string_arith(vm, args, TagMethod::IDiv)
}
fn str_unm(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    string_arith(vm, args, TagMethod::Unm)
}

/// Installs the string arithmetic metamethods (`__add`, `__sub`, `__mul`,
/// `__mod`, `__pow`, `__div`, `__idiv`, `__unm`) in the string metatable
/// `mt`, as Lua 5.4's string library does.
pub fn install_string_arith(vm: &mut Vm, mt: Gc<Table>) {
    let handlers: [(&'static str, NativeFn); 8] = [
        ("__add", str_add),
        ("__sub", str_sub),
        ("__mul", str_mul),
        ("__mod", str_mod),
        ("__pow", str_pow),
        ("__div", str_div),
        ("__idiv", str_idiv),
        ("__unm", str_unm),
    ];
    for (name, f) in handlers {
        let k = vm.new_str(name.as_bytes());
        let v = vm.new_native(&name[2..], f);
        let _ = mt.raw_set(k, v);
    }
}
