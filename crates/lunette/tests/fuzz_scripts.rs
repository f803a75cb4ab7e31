//! Deterministic fuzz of the whole pipeline (source -> tokens -> AST ->
//! bytecode -> verifier -> interpreter): token-level and byte-level
//! mutations of every `tests/lua/` script, plus generated programs, run
//! under an instruction budget and a memory ceiling. Each case must end in
//! a result or a Lua error: a panic fails the test with the input. A native
//! stack overflow or an abort cannot be caught in-process, so the case being
//! run is written to `target/fuzz-current-case.lua` first: after a crash,
//! that file is the input.
//!
//! `LUNETTE_FUZZ_CASES=n` changes the number of cases (default below),
//! `LUNETTE_FUZZ_SEED=n` the seed.

use lunette::{RawValue as Value, Vm};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Cases run by default (about a minute on a loaded 2-core machine).
const DEFAULT_CASES: usize = 12_000;
/// Instruction budget of one case.
const BUDGET: u64 = 100_000;
/// Memory ceiling of one case.
const MEMORY: usize = 32 << 20;

/// xorshift64*: deterministic pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scripts() -> Vec<Vec<u8>> {
    let dir = repo_root().join("tests/lua");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/lua")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "lua"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read(p).expect("script"))
        .collect()
}

/// Splits source into rough tokens (names, numbers, strings, symbols,
/// spaces); concatenating them gives the source back.
fn tokens(src: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        let start = i;
        i += 1;
        if c.is_ascii_alphanumeric() || c == b'_' {
            while i < src.len() && (src[i].is_ascii_alphanumeric() || src[i] == b'_') {
                i += 1;
            }
        } else if c == b'"' || c == b'\'' {
            while i < src.len() && src[i] != c && src[i] != b'\n' {
                i += if src[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(src.len());
        } else if c.is_ascii_whitespace() {
            while i < src.len() && src[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        out.push(&src[start..i.min(src.len())]);
    }
    out
}

/// Tokens worth inserting: keywords, operators, odd numbers and strings.
const INTERESTING: &[&str] = &[
    " end ",
    " do ",
    " function ",
    " return ",
    " local ",
    " then ",
    " else ",
    " until ",
    " goto ",
    "::x::",
    " break ",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "[[",
    "]]",
    "..",
    "...",
    " // ",
    " % ",
    " ^ ",
    " << ",
    " >> ",
    " ~ ",
    " # ",
    " not ",
    " and ",
    " or ",
    "=",
    "==",
    ",",
    ";",
    ":",
    ".",
    "0",
    "-1",
    "0/0",
    "1e308",
    "-1e308",
    "math.huge",
    "math.mininteger",
    "9223372036854775807",
    "0x7fffffffffffffff",
    "2^53",
    "0.5",
    "''",
    "'\\0'",
    "nil",
    "true",
    "{}",
    "setmetatable({}, {__index = function(t, k) return t end})",
    "coroutine.wrap(print)",
    "string.rep('x', 1 << 20)",
    "pcall",
    "error",
    "select('#')",
    "<close>",
    "<const>",
    " while true do end ",
    " for i = 1, math.maxinteger do end ",
    "collectgarbage()",
];

fn mutate_tokens(rng: &mut Rng, src: &[u8], pool: &[Vec<u8>]) -> Vec<u8> {
    let toks = tokens(src);
    if toks.is_empty() {
        return src.to_vec();
    }
    let mut t: Vec<Vec<u8>> = toks.iter().map(|t| t.to_vec()).collect();
    for _ in 0..1 + rng.below(5) {
        let i = rng.below(t.len());
        match rng.below(6) {
            0 => {
                t.remove(i);
                if t.is_empty() {
                    break;
                }
            }
            1 => {
                let d = t[i].clone();
                t.insert(i, d);
            }
            2 => t[i] = rng.pick(INTERESTING).as_bytes().to_vec(),
            3 => t.insert(i, rng.pick(INTERESTING).as_bytes().to_vec()),
            4 => {
                let other: &Vec<u8> = rng.pick(pool);
                let other = tokens(other);
                if !other.is_empty() {
                    t[i] = rng.pick(&other).to_vec();
                }
            }
            _ => {
                let j = rng.below(t.len());
                t.swap(i, j);
            }
        }
    }
    t.concat()
}

fn mutate_bytes(rng: &mut Rng, src: &[u8], pool: &[Vec<u8>]) -> Vec<u8> {
    let mut d = src.to_vec();
    for _ in 0..1 + rng.below(4) {
        if d.is_empty() {
            d.push(b'x');
        }
        let i = rng.below(d.len());
        match rng.below(6) {
            0 => d[i] ^= 1 << rng.below(8),
            1 => d[i] = rng.next() as u8,
            2 => {
                let n = rng.below(64).min(d.len() - i);
                d.drain(i..i + n);
            }
            3 => {
                let n = rng.below(64).min(d.len() - i);
                let piece = d[i..i + n].to_vec();
                d.splice(i..i, piece);
            }
            4 => {
                let other: &Vec<u8> = rng.pick(pool);
                let from = rng.below(other.len());
                let n = rng.below(256).min(other.len() - from);
                d.splice(i..i, other[from..from + n].iter().copied());
            }
            _ => d.truncate(i),
        }
    }
    d
}

/// A random program built from a small grammar: nested expressions,
/// loops, closures, metatables, protected calls and coroutines.
fn generate(rng: &mut Rng) -> Vec<u8> {
    let mut s =
        String::from("local a, b, c = 1, 'two', {3}\nlocal function f(...) return ... end\n");
    for _ in 0..1 + rng.below(12) {
        stmt(rng, &mut s, 0);
        s.push('\n');
    }
    s.into_bytes()
}

fn stmt(rng: &mut Rng, s: &mut String, depth: usize) {
    if depth > 4 {
        s.push_str("a = ");
        expr(rng, s, depth);
        return;
    }
    match rng.below(11) {
        0 => {
            s.push_str("for i = ");
            expr(rng, s, depth + 1);
            s.push_str(", ");
            expr(rng, s, depth + 1);
            s.push_str(" do ");
            stmt(rng, s, depth + 1);
            s.push_str(" end");
        }
        1 => {
            s.push_str("if ");
            expr(rng, s, depth + 1);
            s.push_str(" then ");
            stmt(rng, s, depth + 1);
            s.push_str(" else ");
            stmt(rng, s, depth + 1);
            s.push_str(" end");
        }
        2 => {
            s.push_str("local g = function(x, ...) ");
            stmt(rng, s, depth + 1);
            s.push_str(" return x end a = pcall(g, ");
            expr(rng, s, depth + 1);
            s.push(')');
        }
        3 => {
            s.push_str("setmetatable(c, {__index = function(t, k) return ");
            expr(rng, s, depth + 1);
            s.push_str(" end, __add = function(x, y) return ");
            expr(rng, s, depth + 1);
            s.push_str(" end, __close = f, __gc = f, __tostring = function() return 'c' end})");
        }
        4 => {
            s.push_str("a = coroutine.wrap(function(x) coroutine.yield(");
            expr(rng, s, depth + 1);
            s.push_str(") ");
            stmt(rng, s, depth + 1);
            s.push_str(" end)(1)");
        }
        5 => {
            s.push_str("c[");
            expr(rng, s, depth + 1);
            s.push_str("] = ");
            expr(rng, s, depth + 1);
        }
        6 => {
            s.push_str("do local z <close> = nil; b = tostring(");
            expr(rng, s, depth + 1);
            s.push_str(") end");
        }
        7 => {
            s.push_str("while ");
            expr(rng, s, depth + 1);
            s.push_str(" do ");
            stmt(rng, s, depth + 1);
            s.push_str(" break end");
        }
        8 => {
            s.push_str("a = select('#', f(");
            expr(rng, s, depth + 1);
            s.push_str(", ");
            expr(rng, s, depth + 1);
            s.push_str("))");
        }
        9 => {
            s.push_str("b = string.format('%d %s %q', #b, ");
            expr(rng, s, depth + 1);
            s.push_str(", b)");
        }
        _ => {
            s.push_str("a = ");
            expr(rng, s, depth + 1);
        }
    }
}

fn expr(rng: &mut Rng, s: &mut String, depth: usize) {
    const LEAVES: &[&str] = &[
        "a",
        "b",
        "c",
        "1",
        "0",
        "-1",
        "2.5",
        "0/0",
        "1e308",
        "math.mininteger",
        "'x'",
        "nil",
        "true",
        "#c",
        "c[1]",
        "...",
        "f",
        "{}",
        "b:upper()",
        "string.rep(b, 3)",
    ];
    const BINOPS: &[&str] = &[
        "+", "-", "*", "/", "//", "%", "^", "..", "==", "<", "<=", "and", "or", "&", "|", "~",
        "<<", ">>",
    ];
    if depth > 6 || rng.below(3) == 0 {
        let leaf = LEAVES[rng.below(LEAVES.len())];
        s.push_str(leaf);
        return;
    }
    match rng.below(5) {
        0 => {
            s.push('(');
            expr(rng, s, depth + 1);
            s.push(' ');
            let op = BINOPS[rng.below(BINOPS.len())];
            s.push_str(op);
            s.push(' ');
            expr(rng, s, depth + 1);
            s.push(')');
        }
        1 => {
            let op = ["-", "not ", "#", "~"][rng.below(4)];
            s.push_str(op);
            expr(rng, s, depth + 1);
        }
        2 => {
            s.push_str("f(");
            expr(rng, s, depth + 1);
            s.push(')');
        }
        3 => {
            s.push('{');
            expr(rng, s, depth + 1);
            s.push_str(", x = ");
            expr(rng, s, depth + 1);
            s.push('}');
        }
        _ => {
            s.push_str("(function(...) return ");
            expr(rng, s, depth + 1);
            s.push_str(" end)(");
            expr(rng, s, depth + 1);
            s.push(')');
        }
    }
}

/// Libraries that reach outside the process (files, commands, exit) or
/// print are removed; everything else stays.
const SANDBOX: &str = "os.exit, os.execute, os.remove, os.rename, os.tmpname, os.getenv = nil \
    io, print, dofile, loadfile, require, package = nil \
    debug.sethook, debug.debug = nil";

/// Runs one case under the limits. Returns whether it ended in an error.
fn run_case(src: &[u8]) -> bool {
    let mut vm = Vm::new();
    lunette::stdlib::open_libs(&mut vm);
    if let Ok(f) = lunette::load_text(&mut vm, SANDBOX.as_bytes(), b"=sandbox") {
        vm.pcall_function(f, &[]).expect("sandbox set-up runs");
    }
    vm.set_memory_limit(Some(vm.memory_in_use() + MEMORY));
    vm.set_instruction_limit(Some(BUDGET));
    vm.begin_host_run();
    match lunette::load_text(&mut vm, src, b"=fuzz") {
        Ok(f) => vm.pcall_function(f, &[Value::Nil]).is_err(),
        Err(_) => true,
    }
}

#[test]
fn mutated_and_generated_programs_never_crash() {
    // a thread with an 8 MB stack, like a process's main thread (the test
    // harness's threads have 2 MB; unoptimised builds need more)
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(fuzz_run)
        .expect("thread")
        .join()
        .expect("fuzz run");
}

fn fuzz_run() {
    let cases: usize = std::env::var("LUNETTE_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seed: u64 = std::env::var("LUNETTE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_1e55_f00d_cafe);
    let pool = scripts();
    assert!(pool.len() > 10, "tests/lua scripts found");
    let current = repo_root().join("target/fuzz-current-case.lua");
    let mut rng = Rng(seed | 1);
    let start = Instant::now();
    let (mut errors, mut kinds) = (0usize, [0usize; 3]);
    for case in 0..cases {
        let kind = case % 3;
        let input = match kind {
            0 => {
                let base = rng.pick(&pool).clone();
                mutate_tokens(&mut rng, &base, &pool)
            }
            1 => {
                let base = rng.pick(&pool).clone();
                mutate_bytes(&mut rng, &base, &pool)
            }
            _ => generate(&mut rng),
        };
        kinds[kind] += 1;
        let _ = std::fs::write(&current, &input);
        match catch_unwind(AssertUnwindSafe(|| run_case(&input))) {
            Ok(err) => errors += usize::from(err),
            Err(_) => panic!(
                "case {case} (seed {seed}) panicked; input:\n{}",
                String::from_utf8_lossy(&input)
            ),
        }
    }
    let _ = std::fs::remove_file(&current);
    println!(
        "fuzz: {cases} cases ({} token-mutated, {} byte-mutated, {} generated), \
         {errors} ended in a Lua error, none crashed, {:.1} s",
        kinds[0],
        kinds[1],
        kinds[2],
        start.elapsed().as_secs_f64()
    );
}
