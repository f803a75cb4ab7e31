//! Deeply nested source compiles to Lua's errors on small native stacks:
//! the parser and compiler bound their recursion, so neither an 8 MB
//! thread (a process's main thread) nor a 256 KB thread overflows.

use lunette::Vm;

const N: usize = 200_000;

/// (source, expected error text; `None`: compiles).
fn cases() -> Vec<(String, Option<&'static str>)> {
    let r = |s: &str, n: usize| s.repeat(n);
    vec![
        (
            format!("return {}1{}", r("(", N), r(")", N)),
            Some("C stack overflow"),
        ),
        (
            format!("return {}{}", r("{", N), r("}", N)),
            Some("C stack overflow"),
        ),
        (
            format!("return {}1{}", r("function() return ", N), r(" end", N)),
            Some("C stack overflow"),
        ),
        (
            format!("return 'x'{}", r(" .. 'x'", N)),
            Some("C stack overflow"),
        ),
        (
            format!("return 2{}", r(" ^ 2", N)),
            Some("C stack overflow"),
        ),
        (format!("return {}1", r("- ", N)), Some("C stack overflow")),
        (
            format!("return {}1", r("not ", N)),
            Some("C stack overflow"),
        ),
        (
            format!("{}{}", r("do ", N), r("end ", N)),
            Some("C stack overflow"),
        ),
        (
            format!("{}{}", r("while x do ", N), r("end ", N)),
            Some("C stack overflow"),
        ),
        (
            format!("{}{}", r("if x then ", N), r("end ", N)),
            Some("C stack overflow"),
        ),
        (
            format!("{}{}", r("repeat ", N), r("until x ", N)),
            Some("C stack overflow"),
        ),
        (format!("x = {}", r("{", N)), Some("C stack overflow")),
        (format!("{}a = 1", r("a,", 300)), Some("C stack overflow")),
        (
            format!("{}{}", r("for i=1,2 do ", N), r("end ", N)),
            Some("too many local variables"),
        ),
        (
            format!("f({}1)", r("1,", 300)),
            Some("function or expression needs too many registers"),
        ),
        (format!("return a{}", r(".b", N)), None),
        (format!("return a{}", r("[1]", N)), None),
        (format!("return f{}", r("()", N)), None),
        (format!("return a{}", r(":b()", N)), None),
        (format!("return 1{}", r(" + 1", N)), None),
        (format!("return {{{}}}", r("1,", N)), None),
    ]
}

fn check_all() {
    let mut vm = Vm::new();
    for (src, want) in cases() {
        let got = lunette::load_text(&mut vm, src.as_bytes(), b"=deep");
        match (got, want) {
            (Ok(_), None) => {}
            (Err(e), Some(text)) => {
                let msg = e
                    .value
                    .as_str()
                    .map(|m| String::from_utf8_lossy(m).into_owned());
                let msg = msg.unwrap_or_default();
                assert!(msg.contains(text), "{}...: {msg}", &src[..30]);
            }
            (Ok(_), Some(text)) => panic!("{}... compiled; expected {text}", &src[..30]),
            (Err(e), None) => panic!("{}... failed: {:?}", &src[..30], e.value.as_str()),
        }
    }
}

fn on_thread(stack: usize) {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(check_all)
        .expect("thread")
        .join()
        .expect("no panic");
}

#[test]
fn deep_nesting_on_an_8mb_thread() {
    on_thread(8 << 20);
}

#[test]
fn deep_nesting_on_a_256kb_thread() {
    if cfg!(debug_assertions) {
        // unoptimised frames are several times larger: the guarantee is
        // for release builds (CI tests in release)
        return;
    }
    on_thread(256 << 10);
}
