//! `lunette --trace` and `lunette --stats`: the trace lists every executed
//! instruction with the registers it wrote, its filters select functions
//! or lines, and the statistics agree with the trace.

mod common;

use std::collections::HashMap;
use std::process::Output;

use common::observe_programs as programs;

fn lunette(args: &[&str]) -> Output {
    common::lunette_in(&programs(), args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The instruction lines of a trace (not the `(return)` result lines).
fn instructions(trace: &str) -> Vec<Vec<String>> {
    trace
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect::<Vec<_>>())
        .filter(|f| f.len() >= 4 && f[3] != "(return)")
        .collect()
}

#[test]
fn trace_lists_instructions_and_written_registers() {
    let out = lunette(&["--trace", "fib.lua"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "8\n", "program output unchanged");
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "main\t1\t[1]\tVARARGPREP\t0");
    assert!(lines[1].starts_with("main\t2\t[5]\tCLOSURE  \t0 0\t; 0x"));
    assert!(lines[1].contains("\t=> R0=function: 0x"), "{}", lines[1]);
    assert!(lines.contains(&"main\t5\t[6]\tLOADI    \t3 6\t=> R3=6"));
    // the callee's first instructions, named by the call site
    assert!(lines.contains(&"fib\t1\t[3]\tLTI      \t0 2 0"));
    assert!(lines.contains(&"fib\t5\t[4]\tADDI     \t2 0 -1\t=> R2=5"));
    // a call's result is reported when it returns to the caller
    assert!(lines.contains(&"fib\t7\t[4]\t(return)\t=> R1=1"), "{err}");
    assert!(lines.contains(&"main\t6\t[6]\t(return)\t=> R2=8"), "{err}");
    // every line is a listing line of `lunettec -l`, prefixed by a function
    for l in &lines {
        let f: Vec<&str> = l.split('\t').collect();
        assert!(f.len() >= 4, "{l}");
        assert!(f[1].parse::<u32>().is_ok() && f[2].starts_with('['), "{l}");
    }
}

#[test]
fn trace_filters_by_function_and_by_lines() {
    let all = text(&lunette(&["--trace", "fib.lua"]).stderr);
    let out = lunette(&["--trace=fib", "fib.lua"]);
    assert_eq!(text(&out.stdout), "8\n");
    let fib = text(&out.stderr);
    let n_fib = instructions(&all).iter().filter(|f| f[0] == "fib").count();
    assert!(n_fib > 100);
    assert_eq!(instructions(&fib).len(), n_fib);
    assert!(fib.lines().all(|l| l.starts_with("fib\t")), "{fib}");

    let out = lunette(&["--trace=4-4", "fib.lua"]);
    let l4 = text(&out.stderr);
    assert!(!l4.is_empty());
    assert!(
        l4.lines().all(|l| l.split('\t').nth(2) == Some("[4]")),
        "{l4}"
    );
    let out = lunette(&["--trace=2-3", "fib.lua"]);
    let l23 = text(&out.stderr);
    let ok = |l: &str| matches!(l.split('\t').nth(2), Some("[2]" | "[3]"));
    assert!(!l23.is_empty() && l23.lines().all(ok), "{l23}");

    let out = lunette(&["--trace=nosuchfunction", "fib.lua"]);
    assert!(out.stderr.is_empty());
    assert_eq!(text(&out.stdout), "8\n");
}

#[test]
fn trace_follows_coroutines_metamethods_and_errors() {
    let gen = text(&lunette(&["--trace", "generator.lua"]).stderr);
    // values yielded by the coroutine arrive in the loop's registers
    for sq in [1, 4, 9, 16] {
        assert!(
            gen.contains(&format!("main\t10\t[8]\t(return)\t=> R6={sq}")),
            "{gen}"
        );
    }
    let mm = text(&lunette(&["--trace=__add", "metamethod.lua"]).stderr);
    assert!(
        mm.lines().any(|l| l.ends_with("ADD      \t3 3 4\t=> R3=4")),
        "{mm}"
    );
    let pc = text(&lunette(&["--trace=main", "pcall.lua"]).stderr);
    assert!(
        pc.contains("(return)\t=> R3=false R4=\"pcall.lua:3: not a number: x\""),
        "{pc}"
    );
}

/// `(opcode, count)` lines and named totals of a `--stats` report.
fn parse_stats(report: &str) -> (HashMap<String, u64>, u64) {
    let mut ops = HashMap::new();
    let mut total = 0;
    for l in report.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        if l.starts_with("instructions") {
            total = f[1].parse().unwrap();
        } else if l.starts_with("  ") && f.len() == 3 && f[2].ends_with('%') {
            ops.insert(f[0].to_string(), f[1].parse().unwrap());
        }
    }
    (ops, total)
}

#[test]
fn stats_agree_with_the_trace() {
    for prog in ["fib.lua", "counter.lua", "generator.lua", "metamethod.lua"] {
        let out = lunette(&["--stats", prog]);
        assert!(out.status.success());
        let report = text(&out.stderr);
        let (ops, total) = parse_stats(&report);
        let trace = text(&lunette(&["--trace", prog]).stderr);
        let ins = instructions(&trace);
        assert_eq!(total as usize, ins.len(), "{prog}: {report}");
        let mut counted: HashMap<String, u64> = HashMap::new();
        for f in &ins {
            *counted.entry(f[3].trim().to_string()).or_default() += 1;
        }
        assert_eq!(ops, counted, "{prog}: {report}");
        // sorted by count, shares add up
        let mut prev = u64::MAX;
        let mut share = 0.0;
        for l in report.lines().filter(|l| l.ends_with('%')) {
            let f: Vec<&str> = l.split_whitespace().collect();
            let n: u64 = f[1].parse().unwrap();
            assert!(n <= prev, "{report}");
            prev = n;
            share += f[2].trim_end_matches('%').parse::<f64>().unwrap();
        }
        assert!((share - 100.0).abs() < 1.0, "{report}");
        assert!(report.contains(" ns each"), "{report}");
    }
}

#[test]
fn stats_count_calls_allocations_and_collections() {
    let dir = std::env::temp_dir().join(format!("lunette-stats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("alloc.lua");
    std::fs::write(
        &script,
        "local keep = {}\n\
         for i = 1, 300 do keep[i] = { i } end\n\
         local function f(x) return x end\n\
         for i = 1, 50 do f(i); f(function() return i end) end\n\
         for i = 1, 20 do local s = 'k' .. i; type(s) end\n\
         collectgarbage(); collectgarbage(); collectgarbage()\n",
    )
    .unwrap();
    let out = lunette(&["--stats", script.to_str().unwrap()]);
    let report = text(&out.stderr);
    let field = |line: &str, name: &str| -> u64 {
        let l = report.lines().find(|l| l.starts_with(line)).unwrap();
        let at = l.find(name).unwrap() + name.len();
        let digits: String = l[at..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap()
    };
    // 100 calls of f, 20 of type, 3 of collectgarbage, plus the main chunk
    assert!(field("calls", "Lua") >= 101, "{report}");
    assert!(field("calls", "Rust") >= 23, "{report}");
    assert!(field("allocations", "table") >= 301, "{report}");
    assert!(field("allocations", "closure") >= 51, "{report}");
    assert!(field("allocations", "string") >= 20, "{report}");
    assert!(field("gc", "gc") >= 3, "{report}");
    let peak = report.lines().find(|l| l.starts_with("peak heap")).unwrap();
    let kib: f64 = peak.split_whitespace().nth(2).unwrap().parse().unwrap();
    assert!(kib > 10.0, "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_long_flags_are_refused_like_lua() {
    let out = lunette(&["--nosuchflag", "fib.lua"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("unrecognized option '--nosuchflag'"), "{err}");
    assert!(err.contains("usage:"), "{err}");
    let out = lunette(&["--visualize"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("'--visualize' needs argument"));
}
