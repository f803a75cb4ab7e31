//! Operator semantics and error messages, checked by running Lua snippets
//! (expected texts taken from the reference lua5.4).

use crate::vm::{Value, Vm};

/// Runs `src` with the standard libraries; returns the error message, or
/// the first result converted with `tostring` when it succeeds.
fn run(src: &str) -> String {
    let mut vm = Vm::new();
    crate::stdlib::open_libs(&mut vm);
    let f = match crate::load_text(&mut vm, src.as_bytes(), b"=t") {
        Ok(f) => f,
        Err(e) => return format!("load: {}", text(&mut vm, e.value)),
    };
    match vm.call_function(f, &[]) {
        Ok(r) => {
            let v = r.first().copied().unwrap_or(Value::Nil);
            text(&mut vm, v)
        }
        Err(e) => text(&mut vm, e.value),
    }
}

fn text(vm: &mut Vm, v: Value) -> String {
    match vm.tostring(v) {
        Ok(Value::Str(s)) => s.to_str_lossy().into_owned(),
        _ => "<?>".to_string(),
    }
}

#[test]
fn error_messages_name_variables() {
    let cases = [
        (
            "local x; return x + 1",
            "t:1: attempt to perform arithmetic on a nil value (local 'x')",
        ),
        (
            "local x; return 1 + x",
            "t:1: attempt to perform arithmetic on a nil value (local 'x')",
        ),
        (
            "return y.z",
            "t:1: attempt to index a nil value (global 'y')",
        ),
        (
            "local t = {} t.x.y = 1",
            "t:1: attempt to index a nil value (field 'x')",
        ),
        ("local u; return function() return u.y end", "function"),
        (
            "local b = true; return -b",
            "t:1: attempt to perform arithmetic on a boolean value (local 'b')",
        ),
        (
            "local b = true; return ~b",
            "t:1: attempt to perform bitwise operation on a boolean value (local 'b')",
        ),
        (
            "return \"3\" | 1",
            "t:1: attempt to perform bitwise operation on a string value (constant '3')",
        ),
        (
            "local x = 1.5; return x | 1",
            "t:1: number (local 'x') has no integer representation",
        ),
        (
            "local a; return a .. 'x'",
            "t:1: attempt to concatenate a nil value (local 'a')",
        ),
        (
            "local a = {}; return 'x' .. a",
            "t:1: attempt to concatenate a table value (local 'a')",
        ),
        (
            "return #true",
            "t:1: attempt to get length of a boolean value",
        ),
        (
            "local t = {} t:m()",
            "t:1: attempt to call a nil value (method 'm')",
        ),
        ("g()", "t:1: attempt to call a nil value (global 'g')"),
        (
            "for x in nil do end",
            "t:1: attempt to call a nil value (for iterator 'for iterator')",
        ),
        ("local t = {}; t[nil] = 1", "t:1: table index is nil"),
        ("local t = {}; t[0/0] = 1", "t:1: table index is NaN"),
    ];
    for (src, want) in cases {
        let got = run(src);
        if want == "function" {
            assert!(got.starts_with("function: 0x"), "{src}: {got}");
        } else {
            assert_eq!(got, want, "{src}");
        }
    }
}

#[test]
fn arithmetic_and_comparison_rules() {
    let cases = [
        ("return 1 // 0", "t:1: attempt to divide by zero"),
        ("return 1 % 0", "t:1: attempt to perform 'n%0'"),
        (
            "local x = 'a' return x + 1",
            "t:1: attempt to add a 'string' with a 'number'",
        ),
        (
            "return -'a'",
            "t:1: attempt to unm a 'string' with a 'string'",
        ),
        ("return '10' + 1", "11"),
        ("return '10' % 0", "attempt to perform 'n%0'"),
        ("return '0x10' * '2'", "32"),
        ("return '2' ^ 2", "4.0"),
        ("return 1 < nil", "t:1: attempt to compare number with nil"),
        ("return {} < {}", "t:1: attempt to compare two table values"),
        (
            "return 'a' < 1",
            "t:1: attempt to compare string with number",
        ),
        ("return math.maxinteger < 2^63", "true"),
        ("return math.maxinteger + 0.0 == 2^63", "true"),
        ("return 'a\\0b' < 'a\\0c'", "true"),
        ("return math.mininteger // -1", "-9223372036854775808"),
        ("return -5 % math.huge", "inf"),
        ("return 2^63", "9.2233720368548e+18"),
        ("return 1e15", "1e+15"),
        ("return -0.0", "-0.0"),
    ];
    for (src, want) in cases {
        assert_eq!(run(src), want, "{src}");
    }
}

#[test]
fn metamethods() {
    let cases = [
        (
            "local mt = {__index = function(t, k) return k .. '!' end} \
             return setmetatable({}, mt).hi",
            "hi!",
        ),
        (
            "local log = {} local t = setmetatable({}, {__newindex = log}) \
             t.a = 1 return rawget(t, 'a') == nil and log.a",
            "1",
        ),
        (
            "local t = setmetatable({}, {}) t.__index = t setmetatable(t, t) return t.x",
            "t:1: '__index' chain too long; possible loop",
        ),
        (
            "local A = setmetatable({}, {__add = function(a, b) return 'added' end}) return 1 + A",
            "added",
        ),
        (
            "local t = setmetatable({}, {__lt = function() return true end}) return t <= t",
            "false",
        ),
        (
            "local mt = {__eq = function() return 1 end} \
             return setmetatable({}, mt) == setmetatable({}, {})",
            "true",
        ),
        (
            "local t = setmetatable({}, {__concat = function(a, b) return 'C' end}) \
             return 'a' .. 'b' .. t",
            "aC",
        ),
        (
            "return #setmetatable({}, {__len = function() return 42 end})",
            "42",
        ),
        (
            "return tostring(setmetatable({}, {__tostring = function() return {} end}))",
            "t:1: '__tostring' must return a string",
        ),
        (
            "return (tostring(setmetatable({}, {__name = 'My'})):gsub('0x%x+', 'P'))",
            "My: P",
        ),
        (
            "return setmetatable({}, {__name = 'My'}) < 1",
            "t:1: attempt to compare My with number",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(run(src), want, "{src}");
    }
}
