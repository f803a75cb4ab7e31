//! The `math` library. Integer and float results follow Lua 5.4: `floor`
//! and `ceil` give integers when the result fits, `max`/`min` return the
//! winning argument unchanged, `fmod` keeps integers integral.

use super::math_random::Xoshiro;
use super::support::register_qualified;
use crate::number::Number;
use crate::vm::userdata::UserData;
use crate::vm::{Args, LuaResult, Value, Vm};
use std::cell::{Cell, RefCell};

/// Registers the library in `vm`.
pub fn open(vm: &mut Vm) {
    let t = register_qualified(
        vm,
        "math",
        &[
            ("math.abs", abs),
            ("math.ceil", ceil),
            ("math.floor", floor),
            ("math.fmod", fmod),
            ("math.modf", modf),
            ("math.sqrt", sqrt),
            ("math.sin", sin),
            ("math.cos", cos),
            ("math.tan", tan),
            ("math.asin", asin),
            ("math.acos", acos),
            ("math.atan", atan),
            ("math.exp", exp),
            ("math.log", log),
            ("math.deg", deg),
            ("math.rad", rad),
            ("math.max", max),
            ("math.min", min),
            ("math.tointeger", tointeger),
            ("math.type", type_),
            ("math.ult", ult),
        ],
    );
    let consts = [
        ("pi", Value::Float(std::f64::consts::PI)),
        ("huge", Value::Float(f64::INFINITY)),
        ("maxinteger", Value::Int(i64::MAX)),
        ("mininteger", Value::Int(i64::MIN)),
    ];
    for (name, v) in consts {
        let k = vm.new_str(name.as_bytes());
        let _ = t.raw_set(k, v);
    }
    let (s1, s2) = time_seed(vm);
    let state = vm.heap.alloc(UserData {
        data: RefCell::new(Box::new(Xoshiro::seeded(s1, s2))),
        metatable: Cell::new(None),
        user_values: RefCell::new(Vec::new()),
    });
    // random and randomseed share the generator as their upvalue
    for (name, f) in [
        ("math.random", random as crate::vm::function::NativeFn),
        ("math.randomseed", randomseed),
    ] {
        let v = vm.new_native_with_upvalues(name, f, vec![Value::UserData(state)]);
        let key = vm.new_str(&name.as_bytes()[5..]);
        let _ = t.raw_set(key, v);
    }
}

/// A seed from the clock and the state's address (`randomseed()`).
fn time_seed(vm: &Vm) -> (u64, u64) {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() ^ u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    (t, vm as *const Vm as u64)
}

/// Runs `f` on the VM's generator.
fn with_generator<R>(vm: &mut Vm, f: impl FnOnce(&mut Xoshiro) -> R) -> Option<R> {
    if let Value::UserData(u) = vm.current_native_upvalue(0) {
        let mut data = u.data.borrow_mut();
        if let Some(g) = data.downcast_mut::<Xoshiro>() {
            return Some(f(g));
        }
    }
    None
}

/// Pushes `f` as an integer when it has an exact integer value in range.
fn push_num_int(vm: &mut Vm, f: f64) {
    match crate::number::float_to_int_exact(f) {
        Some(i) => vm.push(Value::Int(i)),
        None => vm.push(Value::Float(f)),
    }
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn abs(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    match vm.arg(args, 1) {
        Value::Int(i) => vm.push(Value::Int(i.wrapping_abs())),
        _ => {
            let x = vm.check_num(args, 1)?;
            vm.push(Value::Float(x.abs()));
        }
    }
    Ok(1)
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn floor(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    match vm.arg(args, 1) {
        Value::Int(i) => vm.push(Value::Int(i)),
        _ => {
            let x = vm.check_num(args, 1)?;
            push_num_int(vm, x.floor());
        }
    }
    Ok(1)
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn ceil(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    match vm.arg(args, 1) {
        Value::Int(i) => vm.push(Value::Int(i)),
        _ => {
            let x = vm.check_num(args, 1)?;
            push_num_int(vm, x.ceil());
        }
    }
    Ok(1)
}

fn fmod(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    if let (Value::Int(a), Value::Int(b)) = (vm.arg(args, 1), vm.arg(args, 2)) {
        let r = match b {
            0 => return Err(vm.arg_error(2, "zero")),
            -1 => 0,
            _ => a % b,
        };
        vm.push(Value::Int(r));
    } else {
        let a = vm.check_num(args, 1)?;
        let b = vm.check_num(args, 2)?;
        vm.push(Value::Float(a % b));
    }
    Ok(1)
}

fn modf(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    if let Value::Int(i) = vm.arg(args, 1) {
        vm.push(Value::Int(i));
        vm.push(Value::Float(0.0));
        return Ok(2);
    }
    let x = vm.check_num(args, 1)?;
    let ip = if x < 0.0 { x.ceil() } else { x.floor() };
    push_num_int(vm, ip);
    vm.push(Value::Float(if x == ip { 0.0 } else { x - ip }));
    Ok(2)
}

/// Defines a one-argument float function.
macro_rules! float_fn {
    ($name:ident, $op:expr) => {
        pub(crate) fn $name(vm: &mut Vm, args: Args) -> LuaResult<usize> {
            let x = vm.check_num(args, 1)?;
            let op: fn(f64) -> f64 = $op;
            vm.push(Value::Float(op(x)));
            Ok(1)
        }
    };
}

float_fn!(sqrt, f64::sqrt);
float_fn!(sin, f64::sin);
float_fn!(cos, f64::cos);
float_fn!(tan, f64::tan);
float_fn!(asin, f64::asin);
float_fn!(acos, f64::acos);
float_fn!(exp, f64::exp);
float_fn!(deg, |x| x * (180.0 / std::f64::consts::PI));
float_fn!(rad, |x| x * (std::f64::consts::PI / 180.0));

fn atan(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let y = vm.check_num(args, 1)?;
    let x = if vm.arg(args, 2).is_nil() {
        1.0
    } else {
        vm.check_num(args, 2)?
    };
    vm.push(Value::Float(y.atan2(x)));
    Ok(1)
}

fn log(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let x = vm.check_num(args, 1)?;
    let r = if vm.arg(args, 2).is_nil() {
        x.ln()
    } else {
        let base = vm.check_num(args, 2)?;
        if base == 2.0 {
            x.log2()
        } else if base == 10.0 {
            x.log10()
        } else {
            x.ln() / base.ln()
        }
    };
    vm.push(Value::Float(r));
    Ok(1)
}

/// `math.max` (`want_max`) or `math.min`: the first argument that wins by `<`.
fn extreme(vm: &mut Vm, args: Args, want_max: bool) -> LuaResult<usize> {
    if args.len < 1 {
        return Err(vm.arg_error(1, "value expected"));
    }
    let mut best = 1;
    for i in 2..=args.len {
        let (cur, cand) = (vm.arg(args, best), vm.arg(args, i));
        let wins = match (cur, cand) {
            (Value::Int(a), Value::Int(b)) => {
                if want_max {
                    a < b
                } else {
                    b < a
                }
            }
            _ => {
                if want_max {
                    vm.less_than(cur, cand)?
                } else {
                    vm.less_than(cand, cur)?
                }
            }
        };
        if wins {
            best = i;
        }
    }
    let v = vm.arg(args, best);
    vm.push(v);
    Ok(1)
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn max(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    extreme(vm, args, true)
}

/// (Has a fast path: `vm/fastcall.rs`.)
pub(crate) fn min(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    extreme(vm, args, false)
}

fn tointeger(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.arg(args, 1);
    match crate::number::value_to_int(&v) {
        Some(i) => vm.push(Value::Int(i)),
        None => {
            vm.check_any(args, 1)?;
            vm.push(Value::Nil);
        }
    }
    Ok(1)
}

fn type_(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let v = vm.check_any(args, 1)?;
    let r = match v {
        Value::Int(_) => vm.new_str(b"integer"),
        Value::Float(_) => vm.new_str(b"float"),
        _ => Value::Nil,
    };
    vm.push(r);
    Ok(1)
}

fn ult(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let a = vm.check_int(args, 1)?;
    let b = vm.check_int(args, 2)?;
    vm.push(Value::Bool((a as u64) < (b as u64)));
    Ok(1)
}

fn random(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let bits = with_generator(vm, |g| g.next_u64()).unwrap_or(0);
    let (low, up) = match args.len {
        0 => {
            vm.push(Value::Float(Xoshiro::to_unit_float(bits)));
            return Ok(1);
        }
        1 => {
            let up = vm.check_int(args, 1)?;
            if up == 0 {
                vm.push(Value::Int(bits as i64));
                return Ok(1);
            }
            (1, up)
        }
        2 => (vm.check_int(args, 1)?, vm.check_int(args, 2)?),
        _ => return Err(vm.native_error("wrong number of arguments")),
    };
    if low > up {
        return Err(vm.arg_error(1, "interval is empty"));
    }
    let span = (up as u64).wrapping_sub(low as u64);
    let r = with_generator(vm, |g| g.project(bits, span)).unwrap_or(0);
    vm.push(Value::Int(r.wrapping_add(low as u64) as i64));
    Ok(1)
}

fn randomseed(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (n1, n2) = if args.len == 0 {
        time_seed(vm)
    } else {
        let n1 = match vm.check_number(args, 1)? {
            Number::Int(i) => i as u64,
            Number::Float(_) => vm.check_int(args, 1)? as u64,
        };
        (n1, vm.opt_int(args, 2, 0)? as u64)
    };
    with_generator(vm, |g| *g = Xoshiro::seeded(n1, n2));
    vm.push(Value::Int(n1 as i64));
    vm.push(Value::Int(n2 as i64));
    Ok(2)
}
