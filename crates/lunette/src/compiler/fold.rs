//! Constant folding of numeric operators, with Lua's safety rules: never
//! fold an operation that would raise (division/modulo by zero, bitwise
//! ops on non-integral floats), never produce NaN or a float zero (so
//! `-0.0` can never appear as a folded constant).

use super::expr::{ExpDesc, ExpKind};
use crate::bytecode::TagMethod;
use crate::number::{arith, to_int_strict, Number};

/// The folded value of `op` over two numerals, if folding is safe.
pub(super) fn fold_binary(op: TagMethod, a: Number, b: Number) -> Option<Number> {
    let bitwise = matches!(
        op,
        TagMethod::BAnd | TagMethod::BOr | TagMethod::BXor | TagMethod::Shl | TagMethod::Shr
    );
    if bitwise && (to_int_strict(a).is_none() || to_int_strict(b).is_none()) {
        return None;
    }
    if matches!(op, TagMethod::Div | TagMethod::IDiv | TagMethod::Mod) && b.as_f64() == 0.0 {
        return None;
    }
    let r = arith(op, a, b).ok()?;
    accept(r)
}

/// The folded value of unary minus or bitwise not over a numeral.
pub(super) fn fold_unary(op: TagMethod, a: Number) -> Option<Number> {
    let r = match op {
        TagMethod::Unm => match a {
            Number::Int(i) => Number::Int(i.wrapping_neg()),
            Number::Float(f) => Number::Float(-f),
        },
        TagMethod::BNot => Number::Int(!to_int_strict(a)?),
        _ => return None,
    };
    accept(r)
}

/// Rejects NaN and float zeros.
fn accept(r: Number) -> Option<Number> {
    match r {
        Number::Float(f) if f.is_nan() || f == 0.0 => None,
        _ => Some(r),
    }
}

/// Folds `e1 op e2` into `e1` when both are numerals; returns whether it did.
pub(super) fn const_folding(op: TagMethod, e1: &mut ExpDesc, e2: &ExpDesc) -> bool {
    let (a, b) = match (e1.numeral(), e2.numeral()) {
        (Some(a), Some(b)) => (a, b),
        _ => return false,
    };
    match fold_binary(op, a, b) {
        Some(r) => {
            set_number(e1, r);
            true
        }
        None => false,
    }
}

/// Folds a unary operator into `e` when it is a numeral.
pub(super) fn const_folding_unary(op: TagMethod, e: &mut ExpDesc) -> bool {
    match e.numeral().and_then(|a| fold_unary(op, a)) {
        Some(r) => {
            set_number(e, r);
            true
        }
        None => false,
    }
}

fn set_number(e: &mut ExpDesc, r: Number) {
    e.k = match r {
        Number::Int(i) => ExpKind::KInt(i),
        Number::Float(f) => ExpKind::KFlt(f),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_rules() {
        use Number::{Float as F, Int as I};
        assert_eq!(fold_binary(TagMethod::Add, I(1), I(2)), Some(I(3)));
        assert_eq!(fold_binary(TagMethod::IDiv, I(1), I(0)), None);
        assert_eq!(fold_binary(TagMethod::Mod, I(1), I(0)), None);
        assert_eq!(fold_binary(TagMethod::Div, F(1.0), F(0.0)), None);
        assert_eq!(fold_binary(TagMethod::Div, I(1), I(2)), Some(F(0.5)));
        assert_eq!(fold_binary(TagMethod::Sub, F(1.0), F(1.0)), None);
        assert_eq!(fold_binary(TagMethod::BAnd, F(1.5), I(1)), None);
        assert_eq!(fold_binary(TagMethod::BAnd, F(3.0), I(1)), Some(I(1)));
        assert_eq!(fold_unary(TagMethod::Unm, F(0.0)), None);
        assert_eq!(fold_unary(TagMethod::Unm, I(i64::MIN)), Some(I(i64::MIN)));
        assert_eq!(fold_unary(TagMethod::BNot, I(0)), Some(I(-1)));
    }
}
