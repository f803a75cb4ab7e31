//! Edge cases of the number rules, checked against lua5.4.

use super::*;
use crate::bytecode::TagMethod as T;

fn i(x: i64) -> Number {
    Number::Int(x)
}
fn f(x: f64) -> Number {
    Number::Float(x)
}

#[test]
fn integer_division_and_modulo_edges() {
    assert_eq!(arith(T::IDiv, i(i64::MIN), i(-1)), Ok(i(i64::MIN)));
    assert_eq!(arith(T::Mod, i(i64::MIN), i(-1)), Ok(i(0)));
    assert_eq!(arith(T::IDiv, i(7), i(-2)), Ok(i(-4)));
    assert_eq!(arith(T::Mod, i(7), i(-2)), Ok(i(-1)));
    assert_eq!(arith(T::Mod, i(-7), i(2)), Ok(i(1)));
    assert_eq!(arith(T::IDiv, i(1), i(0)), Err(ArithError::DivByZero));
    assert_eq!(arith(T::Mod, i(1), i(0)), Err(ArithError::ModByZero));
    assert_eq!(ArithError::ModByZero.message(), "attempt to perform 'n%0'");
    assert_eq!(ArithError::DivByZero.message(), "attempt to divide by zero");
}

#[test]
fn float_modulo_with_infinities() {
    assert_eq!(arith(T::Mod, f(5.0), f(f64::INFINITY)), Ok(f(5.0)));
    assert_eq!(
        arith(T::Mod, f(-5.0), f(f64::INFINITY)),
        Ok(f(f64::INFINITY))
    );
    assert_eq!(
        arith(T::Mod, f(5.0), f(f64::NEG_INFINITY)),
        Ok(f(f64::NEG_INFINITY))
    );
    assert_eq!(arith(T::Mod, i(5), f(-3.0)), Ok(f(-1.0)));
    assert_eq!(arith(T::IDiv, f(1.0), i(0)), Ok(f(f64::INFINITY)));
    match arith(T::Mod, i(1), f(0.0)) {
        Ok(Number::Float(x)) => assert!(x.is_nan()),
        other => panic!("{other:?}"),
    }
    assert_eq!(arith(T::Pow, i(2), i(2)), Ok(f(4.0)));
    assert_eq!(arith(T::Div, i(1), i(2)), Ok(f(0.5)));
}

#[test]
fn shifts_and_bitwise() {
    assert_eq!(arith(T::Shl, i(1), i(64)), Ok(i(0)));
    assert_eq!(arith(T::Shl, i(1), i(63)), Ok(i(i64::MIN)));
    assert_eq!(arith(T::Shr, i(-1), i(1)), Ok(i(i64::MAX)));
    assert_eq!(arith(T::Shl, i(1), i(-1)), Ok(i(0)));
    assert_eq!(arith(T::Shr, i(3), i(-1)), Ok(i(6)));
    assert_eq!(arith(T::Shr, i(3), i(i64::MIN)), Ok(i(0)));
    assert_eq!(arith(T::BAnd, f(3.0), i(1)), Ok(i(1)));
    assert_eq!(arith(T::BOr, f(1.5), i(1)), Err(ArithError::NoIntRep));
    assert_eq!(
        arith(T::BOr, f(2f64.powi(63)), i(1)),
        Err(ArithError::NoIntRep)
    );
}

#[test]
fn exact_int_float_comparisons() {
    let two63 = 2f64.powi(63);
    assert!(lt_int_float(i64::MAX, two63));
    assert!(!le_float_int(two63, i64::MAX));
    assert!(le_int_float(i64::MIN, -two63));
    assert!(!lt_int_float(i64::MIN, -two63));
    assert!(le_float_int(-two63, i64::MIN));
    assert!(lt_float_int(-two63 * 2.0, i64::MIN));
    assert!(lt_int_float(1, 1.5));
    assert!(!lt_int_float(2, 1.5));
    assert!(lt_float_int(1.5, 2));
    assert!(le_int_float(1, 1.0));
    assert!(!lt_int_float(1, f64::NAN));
    assert!(!le_float_int(f64::NAN, 1));
    // 2^53 + 1 is not a float: compare exactly
    let big = (1i64 << 53) + 1;
    assert!(lt_float_int((1i64 << 53) as f64, big));
    assert!(!le_int_float(big, (1i64 << 53) as f64));
    assert!(!int_eq_float(big, (1i64 << 53) as f64));
}

#[test]
fn float_to_int_conversions() {
    assert_eq!(float_to_int_floor(-0.5), Some(-1));
    assert_eq!(float_to_int_ceil(-0.5), Some(0));
    assert_eq!(float_to_int_floor(2f64.powi(63)), None);
    assert_eq!(float_to_int_ceil(-(2f64.powi(63))), Some(i64::MIN));
    assert_eq!(float_to_int_floor(f64::NAN), None);
    assert_eq!(float_to_int_exact(-0.0), Some(0));
    assert_eq!(float_to_int_exact(0.5), None);
}
