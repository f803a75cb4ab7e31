//! Deterministic fuzz of the binary-chunk loader, verifier and interpreter:
//! real dumped chunks are mutated (bit flips, byte overwrites, truncations,
//! splices) and each result must load-and-fail with an error, or load and
//! then run to a result, a Lua error, or the instruction budget (a count
//! hook that raises an error). Nothing may panic.

use lunette::vm::hook::{Hook, MASK_COUNT};
use lunette::vm::{Args, LuaError, LuaResult, Value, Vm};
use std::rc::Rc;

/// Source programs whose chunks are mutated (they exercise most opcodes).
const SOURCES: &[&str] = &[
    "local t = {} for i = 1, 10 do t[i] = i * 2 end return #t",
    "local function f(n) if n < 2 then return n end return f(n-1) + f(n-2) end return f(10)",
    "local s = '' for k, v in pairs({a=1, b=2}) do s = s .. k .. v end return s",
    "local a, b = 1.5, 2 return a // b, a % b, a ^ b, -a, ~3, 3 & 5 | 6 ~ 1 << 2 >> 1",
    "local t = setmetatable({}, {__index = function(_, k) return k end}) return t.x, t[1]",
    "local function v(...) return select('#', ...), ... end return v(1, nil, 3)",
    "local x <const> = 5 local c = 0 goto skip c = 1 ::skip:: return x + c",
    "local co = coroutine.wrap(function(a) local b = coroutine.yield(a) return b end) co(1) return co(2)",
    "do local c <close> = setmetatable({}, {__close = function() end}) end return 'ok'",
    "local r = {} for w in string.gmatch('a b c', '%a') do r[#r+1] = w end return table.concat(r)",
];

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
}

fn mutate(rng: &mut Rng, chunks: &[Vec<u8>], data: &[u8]) -> Vec<u8> {
    let mut d = data.to_vec();
    for _ in 0..1 + rng.below(4) {
        if d.is_empty() {
            break;
        }
        match rng.below(5) {
            0 => {
                let i = rng.below(d.len());
                d[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(d.len());
                d[i] = rng.next() as u8;
            }
            2 => {
                let n = rng.below(d.len());
                d.truncate(n.max(1));
            }
            3 => {
                let other = &chunks[rng.below(chunks.len())];
                let at = rng.below(d.len());
                let from = rng.below(other.len());
                let len = rng.below(64).min(other.len() - from);
                d.splice(
                    at..(at + len).min(d.len()),
                    other[from..from + len].iter().copied(),
                );
            }
            _ => {
                // small integers in operand-sized fields are the interesting values
                let i = rng.below(d.len());
                d[i] = [0u8, 1, 2, 0x7f, 0x80, 0xff][rng.below(6)];
            }
        }
    }
    d
}

fn budget_exceeded(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    let v = vm.new_str(b"instruction budget exceeded");
    Err(LuaError::new(v))
}

fn run_one(bytes: &[u8]) {
    let Ok(proto) = lunette::bytecode::dump::undump(bytes, b"=fuzz") else {
        return;
    };
    let mut vm = Vm::new();
    lunette::stdlib::open_libs(&mut vm);
    let Ok(f) = vm.load_proto(Rc::new(proto), None) else {
        return;
    };
    let hook = vm.new_native("budget", budget_exceeded);
    let main = vm.current_thread;
    vm.set_hook(
        main,
        Some(Hook {
            func: hook,
            mask: MASK_COUNT,
            count: 20_000,
        }),
    );
    let _ = vm.pcall_function(f, &[Value::Nil]);
}

#[test]
fn mutated_chunks_never_panic() {
    let cases: usize = std::env::var("LUNETTE_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let mut vm = Vm::new();
    lunette::stdlib::open_libs(&mut vm);
    let chunks: Vec<Vec<u8>> = SOURCES
        .iter()
        .map(|s| {
            let p = lunette::compiler::compile_source(s.as_bytes(), b"=src").expect("compiles");
            lunette::bytecode::dump::dump(&p, false)
        })
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..cases {
        let base = &chunks[case % chunks.len()];
        let bytes = mutate(&mut rng, &chunks, base);
        let result = std::panic::catch_unwind(|| run_one(&bytes));
        if result.is_err() {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            panic!("case {case} panicked; chunk bytes: {hex}");
        }
    }
}
