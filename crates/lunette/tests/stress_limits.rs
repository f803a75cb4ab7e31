//! Every `tests/lua/` script passes in the collector's stress mode
//! (`LUNETTE_GC_STRESS=1`) with the fuzz harness's limits switched on: an
//! instruction budget and a memory ceiling (see `fuzz_scripts.rs`), here
//! generous enough for the unmodified scripts. So the limit checks (budget
//! charges at back-edges, calls and in builtins; the ceiling checks at
//! allocations) run on every path the scripts reach while the collector
//! runs at nearly every safe point, and a script that ends in a Lua error
//! fails the test with that error.
//!
//! The scripts run in this process, one fresh state each, on two threads
//! with 8 MB stacks (a process's main thread). `LUNETTE_LUA_FILTER=text`
//! runs only the scripts whose name contains `text`.

use lunette::Vm;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Instruction budget of one script (budget units: instructions at loop
/// back-edges, code length at calls, work in builtins). The hungriest
/// script (tail_calls.lua) used 53 million when this was written.
const BUDGET: u64 = 500_000_000;
/// Memory ceiling of one script, above what the state holds after opening
/// the libraries. The largest peak (exhaustion_recursion.lua) was 95 MB.
const MEMORY: usize = 256 << 20;
/// Scripts run at once (the machine running CI has two cores).
const WORKERS: usize = 2;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `tests/lua/*.lua` file names, sorted.
fn scripts(filter: Option<&str>) -> Vec<String> {
    let dir = repo_root().join("tests/lua");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/lua")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".lua"))
        .filter(|n| filter.is_none_or(|f| n.contains(f)))
        .collect();
    names.sort();
    names
}

/// What one run used.
struct Usage {
    /// Budget units spent.
    instructions: u64,
    /// Most bytes the heap held, above the baseline.
    memory: usize,
}

/// Runs one script under the limits in a fresh state: its usage, or the
/// error it ended with.
fn run_script(name: &str) -> Result<Usage, String> {
    let path = repo_root().join("tests/lua").join(name);
    let src = std::fs::read(&path).map_err(|e| format!("cannot read: {e}"))?;
    let mut vm = Vm::new();
    // this thread's stack is as large as a main thread's
    vm.native_stack_budget = lunette::vm::call::MAIN_THREAD_STACK_BUDGET;
    lunette::stdlib::open_libs(&mut vm);
    let base = vm.memory_in_use();
    vm.set_memory_limit(Some(base + MEMORY));
    vm.set_instruction_limit(Some(BUDGET));
    vm.begin_host_run();
    let chunkname = format!("@tests/lua/{name}");
    let result = lunette::load_text(&mut vm, &src, chunkname.as_bytes())
        .and_then(|f| vm.pcall_function(f, &[]));
    let usage = Usage {
        instructions: BUDGET - vm.instructions_left().unwrap_or(0),
        memory: vm.heap.peak_bytes().saturating_sub(base),
    };
    let outcome = match result {
        Ok(_) => Ok(usage),
        Err(e) => {
            let msg = e.value.as_str().map_or_else(
                || "(error object is not a string)".to_string(),
                |s| String::from_utf8_lossy(s).into_owned(),
            );
            Err(msg)
        }
    };
    vm.close_state();
    lunette::stdlib::io::flush_stdout(&mut vm);
    outcome
}

#[test]
fn scripts_pass_in_stress_mode_under_limits() {
    // Before any state exists (this file's only test, so no other thread
    // reads the environment meanwhile): the heap reads the mode when it is
    // created.
    std::env::set_var("LUNETTE_GC_STRESS", "1");
    // scripts name files relative to the repository root, as the CLI
    // harness runs them
    std::env::set_current_dir(repo_root()).expect("cd to the repository root");
    let filter = std::env::var("LUNETTE_LUA_FILTER").ok();
    let names = scripts(filter.as_deref());
    assert!(
        filter.is_some() || names.len() > 10,
        "tests/lua scripts found"
    );
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(scope, || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(name) = names.get(i) else { break };
                    let t = Instant::now();
                    let r = run_script(name);
                    results.lock().unwrap_or_else(|p| p.into_inner()).push((
                        name.clone(),
                        r,
                        t.elapsed(),
                    ));
                })
                .expect("worker thread");
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut failed = Vec::new();
    let (mut most_instr, mut most_mem) = (("", 0u64), ("", 0usize));
    for (name, r, took) in &results {
        match r {
            Ok(u) => {
                if u.instructions > most_instr.1 {
                    most_instr = (name, u.instructions);
                }
                if u.memory > most_mem.1 {
                    most_mem = (name, u.memory);
                }
            }
            Err(msg) => {
                eprintln!("FAIL {name} ({} ms): {msg}", took.as_millis());
                failed.push(name.as_str());
            }
        }
    }
    eprintln!(
        "stress+limits: {} scripts, {} failed, {:.1} s; most budget used: {} ({} of {BUDGET}); \
         peak heap: {} ({} KB of {} KB)",
        results.len(),
        failed.len(),
        start.elapsed().as_secs_f64(),
        most_instr.0,
        most_instr.1,
        most_mem.0,
        most_mem.1 / 1024,
        MEMORY / 1024
    );
    assert!(
        failed.is_empty(),
        "failed under stress + limits: {failed:?}"
    );
}
