//! Unit tests of the call machine with hand-assembled prototypes.

use super::value::Value;
use super::Vm;
use crate::bytecode::opcode::OFFSET_SC;
use crate::bytecode::{Constant, Instruction as I, OpCode as O, Proto, TagMethod, UpvalDesc};
use std::rc::Rc;

fn sc(x: i32) -> u32 {
    (x + OFFSET_SC) as u32
}

fn upv(in_stack: bool, index: u8) -> UpvalDesc {
    UpvalDesc {
        in_stack,
        index,
        kind: 0,
        name: None,
    }
}

fn proto(code: Vec<I>, nparams: u8, max_stack: u8) -> Proto {
    let n = code.len();
    Proto {
        source: Rc::from(&b"=test"[..]),
        num_params: nparams,
        max_stack,
        code,
        lines: (1..=n as u32).collect(),
        upvalues: vec![upv(true, 0)],
        ..Proto::default()
    }
}

/// Runs `p` in a fresh state (the values returned must not be heap
/// objects: the state is dropped).
fn run(p: Proto) -> Result<Vec<Value>, String> {
    let mut vm = Vm::new();
    crate::stdlib::base_call::open(&mut vm);
    run_in(&mut vm, p)
}

fn run_in(vm: &mut Vm, p: Proto) -> Result<Vec<Value>, String> {
    let msg = |e: super::LuaError| match e.value {
        Value::Str(s) => s.to_str_lossy().into_owned(),
        v => format!("{v:?}"),
    };
    let f = vm.load_proto(Rc::new(p), None).map_err(msg)?;
    vm.call_function(f, &[]).map_err(msg)
}

fn int(v: &[Value]) -> i64 {
    match v.first() {
        Some(Value::Int(i)) => *i,
        other => panic!("expected an integer, got {other:?}"),
    }
}

#[test]
fn for_loop_sums() {
    let p = proto(
        vec![
            I::asbx(O::LOADI, 0, 0),
            I::asbx(O::LOADI, 1, 1),
            I::asbx(O::LOADI, 2, 100),
            I::asbx(O::LOADI, 3, 1),
            I::abx(O::FORPREP, 1, 2),
            I::abc(O::ADD, 0, 0, 4, false),
            I::abc(O::MMBIN, 0, 4, TagMethod::Add as u32, false),
            I::abx(O::FORLOOP, 1, 3),
            I::abc(O::RETURN1, 0, 0, 0, false),
        ],
        0,
        5,
    );
    assert_eq!(int(&run(p).unwrap()), 5050);
}

#[test]
fn call_and_return() {
    let child = proto(
        vec![
            I::abc(O::ADDI, 1, 0, sc(1), false),
            I::abc(O::MMBINI, 0, sc(1), TagMethod::Add as u32, false),
            I::abc(O::RETURN1, 1, 0, 0, false),
        ],
        1,
        2,
    );
    let mut main = proto(
        vec![
            I::abx(O::CLOSURE, 0, 0),
            I::asbx(O::LOADI, 2, 20),
            I::abc(O::MOVE, 1, 0, 0, false),
            I::abc(O::CALL, 1, 2, 2, false),
            I::abc(O::RETURN1, 1, 0, 0, false),
        ],
        0,
        3,
    );
    main.protos.push(Rc::new(child));
    assert_eq!(int(&run(main).unwrap()), 21);
}

#[test]
fn closure_counter_shares_upvalue() {
    let mut child = proto(
        vec![
            I::abc(O::GETUPVAL, 0, 0, 0, false),
            I::abc(O::ADDI, 0, 0, sc(1), false),
            I::abc(O::MMBINI, 0, sc(1), TagMethod::Add as u32, false),
            I::abc(O::SETUPVAL, 0, 0, 0, false),
            I::abc(O::RETURN1, 0, 0, 0, false),
        ],
        0,
        2,
    );
    child.upvalues = vec![upv(true, 0)];
    let mut main = proto(
        vec![
            I::asbx(O::LOADI, 0, 0),
            I::abx(O::CLOSURE, 1, 0),
            I::abc(O::MOVE, 2, 1, 0, false),
            I::abc(O::CALL, 2, 1, 1, false),
            I::abc(O::MOVE, 2, 1, 0, false),
            I::abc(O::CALL, 2, 1, 1, false),
            I::abc(O::MOVE, 2, 1, 0, false),
            I::abc(O::CALL, 2, 1, 2, false),
            I::abc(O::RETURN, 0, 4, 0, true),
        ],
        0,
        3,
    );
    main.protos.push(Rc::new(child));
    let r = run(main).unwrap();
    assert_eq!(int(&r), 3);
    assert!(matches!(r[2], Value::Int(3)));
}

/// `local f; f = function(n) if n == 0 then return 42 end return f(n-1) end
/// return f(1000000)`
fn tail_recursion(n: i32, tail: bool) -> Proto {
    let call = if tail {
        I::abc(O::TAILCALL, 1, 2, 0, false)
    } else {
        I::abc(O::CALL, 1, 2, 0, false)
    };
    let mut child = proto(
        vec![
            I::abc(O::EQI, 0, sc(0), 0, false),
            I::sj_op(O::JMP, 2),
            I::asbx(O::LOADI, 1, 42),
            I::abc(O::RETURN1, 1, 0, 0, false),
            I::abc(O::GETUPVAL, 1, 0, 0, false),
            I::abc(O::ADDI, 2, 0, sc(-1), false),
            I::abc(O::MMBINI, 0, sc(-1), TagMethod::Add as u32, false),
            call,
            I::abc(O::RETURN, 1, 0, 0, false),
        ],
        1,
        3,
    );
    child.upvalues = vec![upv(true, 0)];
    let mut main = proto(
        vec![
            I::abc(O::LOADNIL, 0, 0, 0, false),
            I::abx(O::CLOSURE, 1, 0),
            I::abc(O::MOVE, 0, 1, 0, false),
            I::abc(O::MOVE, 1, 0, 0, false),
            I::abx(O::LOADK, 2, 0),
            I::abc(O::CALL, 1, 2, 2, false),
            I::abc(O::RETURN1, 1, 0, 0, false),
        ],
        0,
        3,
    );
    main.constants = vec![Constant::Int(n as i64)];
    main.protos.push(Rc::new(child));
    main
}

#[test]
fn tail_calls_use_constant_stack() {
    let mut vm = Vm::new();
    let r = run_in(&mut vm, tail_recursion(1_000_000, true)).unwrap();
    assert_eq!(int(&r), 42);
    assert!(vm.stack.len() < 100);
}

#[test]
fn deep_recursion_is_a_stack_overflow_error() {
    let mut vm = Vm::new();
    let e = run_in(&mut vm, tail_recursion(1_000_000, false)).unwrap_err();
    assert!(e.contains("stack overflow"), "{e}");
    // the state is usable afterwards
    assert!(vm.frames.is_empty());
    let r = run_in(&mut vm, tail_recursion(1000, false)).unwrap();
    assert_eq!(int(&r), 42);
}

/// A native that calls its first argument from Rust (a re-entry).
fn reenter(vm: &mut Vm, args: super::Args) -> super::LuaResult<usize> {
    let f = vm.arg(args, 1);
    let r = vm.call_function(f, &[])?;
    let n = r.len();
    vm.stack.extend_from_slice(&r);
    Ok(n)
}

/// `local function f() return pcall(reenter, f) end return f()` inside a
/// small native stack: must end with `C stack overflow` caught, not a
/// crash. (256 KB with optimised code; unoptimised debug builds use ~30 KB
/// of native stack per re-entry, so they get 8 MB.)
#[test]
fn nested_reentry_fits_a_small_native_stack() {
    let size = if cfg!(debug_assertions) {
        8 * 1024 * 1024
    } else {
        256 * 1024
    };
    let t = std::thread::Builder::new()
        .stack_size(size)
        .spawn(|| {
            let mut child = proto(
                vec![
                    I::abc(O::GETTABUP, 0, 1, 0, false),
                    I::abc(O::GETTABUP, 1, 1, 1, false),
                    I::abc(O::GETUPVAL, 2, 0, 0, false),
                    I::abc(O::CALL, 0, 3, 0, false),
                    I::abc(O::RETURN, 0, 0, 0, false),
                ],
                0,
                3,
            );
            child.upvalues = vec![upv(true, 0), upv(false, 0)];
            child.constants = vec![
                Constant::Str(Rc::from(&b"pcall"[..])),
                Constant::Str(Rc::from(&b"reenter"[..])),
            ];
            let mut main = proto(
                vec![
                    I::abc(O::LOADNIL, 0, 0, 0, false),
                    I::abx(O::CLOSURE, 1, 0),
                    I::abc(O::MOVE, 0, 1, 0, false),
                    I::abc(O::MOVE, 1, 0, 0, false),
                    I::abc(O::CALL, 1, 1, 0, false),
                    I::abc(O::RETURN, 1, 0, 0, false),
                ],
                0,
                2,
            );
            main.protos.push(Rc::new(child));
            let mut vm = Vm::new();
            crate::stdlib::base_call::open(&mut vm);
            let f = vm.new_native("reenter", reenter);
            vm.set_global("reenter", f);
            let r = run_in(&mut vm, main).unwrap();
            let last = r.last().copied();
            match last {
                Some(Value::Str(s)) => s.to_str_lossy().into_owned(),
                other => format!("{other:?}"),
            }
        })
        .unwrap();
    let msg = t.join().unwrap();
    assert!(msg.contains("C stack overflow"), "{msg}");
}

#[test]
fn calling_nil_is_an_error() {
    let p = proto(
        vec![
            I::abc(O::LOADNIL, 0, 0, 0, false),
            I::abc(O::CALL, 0, 1, 1, false),
            I::abc(O::RETURN0, 0, 0, 0, false),
        ],
        0,
        2,
    );
    let e = run(p).unwrap_err();
    assert!(e.contains("attempt to call a nil value"), "{e}");
    assert!(e.starts_with("test:2:"), "{e}");
}

/// `local function f() return pcall(f) end return f()`: protected calls
/// are frames, limited like Lua's (`C stack overflow`, no position).
#[test]
fn pcall_recursion_hits_the_c_stack_limit() {
    let mut child = proto(
        vec![
            I::abc(O::GETTABUP, 0, 1, 0, false),
            I::abc(O::GETUPVAL, 1, 0, 0, false),
            I::abc(O::TAILCALL, 0, 2, 0, false),
            I::abc(O::RETURN, 0, 0, 0, false),
        ],
        0,
        2,
    );
    child.upvalues = vec![upv(true, 0), upv(false, 0)];
    child.constants = vec![Constant::Str(Rc::from(&b"pcall"[..]))];
    let mut main = proto(
        vec![
            I::abc(O::LOADNIL, 0, 0, 0, false),
            I::abx(O::CLOSURE, 1, 0),
            I::abc(O::MOVE, 0, 1, 0, false),
            I::abc(O::MOVE, 1, 0, 0, false),
            I::abc(O::CALL, 1, 1, 0, false),
            I::abc(O::RETURN, 1, 0, 0, false),
        ],
        0,
        2,
    );
    main.protos.push(Rc::new(child));
    let mut vm = Vm::new();
    crate::stdlib::base_call::open(&mut vm);
    let r = run_in(&mut vm, main).unwrap();
    assert!(r.len() > 150 && r.len() < 210, "{}", r.len());
    match r.last() {
        Some(Value::Str(s)) => assert_eq!(s.as_bytes(), b"C stack overflow"),
        other => panic!("{other:?}"),
    }
    assert!(vm.frames.is_empty() && vm.n_protected == 0);
}
