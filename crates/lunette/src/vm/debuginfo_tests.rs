//! Naming of callees and registers from compiled code.

use super::*;
use crate::bytecode::OpCode;

fn compile(src: &str) -> std::rc::Rc<Proto> {
    match crate::compiler::compile_source(src.as_bytes(), b"=test") {
        Ok(p) => p,
        Err(e) => panic!("compile error: {}", e.message),
    }
}

/// Names of the callees of every CALL in the main function, in order.
fn call_names(src: &str) -> Vec<Option<(&'static str, String)>> {
    let p = compile(src);
    (0..p.code.len())
        .filter(|&pc| p.code[pc].opcode() == Some(OpCode::CALL))
        .map(|pc| call_site_name(&p, pc))
        .collect()
}

fn named(kind: &'static str, name: &str) -> Option<(&'static str, String)> {
    Some((kind, name.to_string()))
}

#[test]
fn callee_kinds() {
    assert_eq!(call_names("print(1)"), vec![named("global", "print")]);
    assert_eq!(
        call_names("local f = print; f(1)"),
        vec![named("local", "f")]
    );
    assert_eq!(
        call_names("table.insert(t, 1)"),
        vec![named("field", "insert")]
    );
    assert_eq!(call_names("s:rep(3)"), vec![named("method", "rep")]);
    assert_eq!(call_names("(\"x\"):rep(3)"), vec![named("method", "rep")]);
    assert_eq!(
        call_names("local t = {} t[1]()"),
        vec![named("field", "integer index")]
    );
    assert_eq!(
        call_names("local t = {} local k = 'z' t[k]()"),
        vec![named("field", "?")]
    );
    assert_eq!(
        call_names("local _ENV = {} ; x()"),
        vec![named("global", "x")]
    );
}

#[test]
fn upvalue_callee_in_nested_function() {
    let p = compile("local up = print; return function() up() end");
    let child = &p.protos[0];
    let pc = (0..child.code.len())
        .find(|&pc| child.code[pc].opcode() == Some(OpCode::CALL))
        .unwrap();
    assert_eq!(call_site_name(child, pc), named("upvalue", "up"));
}

#[test]
fn metamethod_and_iterator_sites() {
    let p = compile("local a, t = ... ; local b = a + 1; local c = t.x; for k in a do end");
    let mut kinds = Vec::new();
    for pc in 0..p.code.len() {
        if let Some(op) = p.code[pc].opcode() {
            if matches!(op, OpCode::MMBINI | OpCode::GETFIELD | OpCode::TFORCALL) {
                kinds.push(call_site_name(&p, pc));
            }
        }
    }
    assert_eq!(
        kinds,
        vec![
            named("metamethod", "add"),
            named("metamethod", "index"),
            named("for iterator", "for iterator"),
        ]
    );
}

#[test]
fn conditional_assignment_is_ambiguous() {
    // the register holding the callee is set on two paths: no name
    let names = call_names("local a = ... ; (a and print or error)(1)");
    assert_eq!(names, vec![None]);
}

#[test]
fn out_of_range_pc_is_none() {
    let p = compile("return");
    assert_eq!(call_site_name(&p, 1000), None);
    assert_eq!(register_name(&p, 1000, 200), None);
}
