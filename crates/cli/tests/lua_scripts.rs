//! Runs every self-checking Lua script in `tests/lua/` under the built `lunette`
//! interpreter and, when it is installed, under the reference `lua5.4`.
//!
//! A script passes when it exits with status 0 within the time limit. Each script
//! checks its own results with `assert`, so a wrong answer becomes an error and a
//! non-zero exit status.
//!
//! Environment variables:
//! - `LUNETTE_REQUIRE_REFERENCE=1`: a missing `lua5.4` is a failure instead of a skip.
//! - `LUNETTE_LUA_FILTER=text`: run only the scripts whose file name contains `text`.
//! - `LUNETTE_LUA_TIMEOUT=secs`: per-script time limit (default 60).
//!
//! `lua_scripts_gc_stress` runs every script again under lunette alone with
//! `LUNETTE_GC_STRESS=1` (the collector's bounded stress mode, see
//! `gc/heap.rs`), so values the collector cannot see show up as failures;
//! `lua_scripts_gc_stress_incremental` with `LUNETTE_GC_STRESS=incremental`
//! (a small incremental step at every safe point), so stores the collector's
//! write barriers miss show up too.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// Default time one script may run before it is killed.
const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// Most worker threads used to run scripts.
const MAX_WORKERS: usize = 4;

/// The repository root (the workspace directory two levels above this crate).
use common::repo_root;

/// Every `tests/lua/*.lua` file, as paths relative to the repository root, sorted.
fn find_scripts(root: &Path, filter: Option<&str>) -> Vec<String> {
    let dir = root.join("tests/lua");
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut scripts: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".lua"))
        .filter(|name| filter.is_none_or(|f| name.contains(f)))
        .map(|name| format!("tests/lua/{name}"))
        .collect();
    scripts.sort();
    scripts
}

use common::find_on_path;

/// How one run of one script ended.
struct Outcome {
    /// The script's path relative to the repository root.
    script: String,
    /// Which interpreter ran it (`lunette` or `lua5.4`).
    interpreter: &'static str,
    /// `None` on success, otherwise a one-line description of the failure.
    failure: Option<String>,
    /// Wall-clock time of the run.
    elapsed: Duration,
}

/// Reads a child's pipe to the end on its own thread, so a chatty script
/// cannot block on a full pipe while we wait for it.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// The first non-empty line of `bytes` (two lines for a Rust panic, whose
/// message follows the location line), shortened to a readable length.
fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let mut line = lines.next().unwrap_or("").to_string();
    if line.contains("panicked at") {
        if let Some(message) = lines.next() {
            line.push(' ');
            line.push_str(message);
        }
    }
    let mut line: String = line.chars().take(300).collect();
    if line.is_empty() {
        line.push_str("(no output on stderr)");
    }
    line
}

/// Runs `script` with `interpreter` from `root`, killing it after `timeout`;
/// `envs` are extra environment variables.
fn run_script(
    interpreter: &Path,
    label: &'static str,
    script: &str,
    root: &Path,
    timeout: Duration,
    envs: &[(&str, &str)],
) -> Outcome {
    let start = Instant::now();
    let outcome = |failure: Option<String>| Outcome {
        script: script.to_string(),
        interpreter: label,
        failure,
        elapsed: start.elapsed(),
    };
    let mut child = match Command::new(interpreter)
        .arg(script)
        .current_dir(root)
        .env_remove("LUA_INIT")
        .env_remove("LUA_INIT_5_4")
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return outcome(Some(format!("cannot start {}: {e}", interpreter.display()))),
    };
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => return outcome(Some(format!("wait failed: {e}"))),
        }
    };
    let _ = stdout.join();
    let err_bytes = stderr.join().unwrap_or_default();
    match status {
        None => outcome(Some(format!("timed out after {} s", timeout.as_secs()))),
        Some(s) if s.success() => outcome(None),
        Some(s) => {
            let code = s
                .code()
                .map_or_else(|| "killed by a signal".to_string(), |c| format!("exit {c}"));
            outcome(Some(format!("{code}: {}", first_line(&err_bytes))))
        }
    }
}

/// Prints one line of the report straight to the process's standard error, so
/// it shows even when the test passes (libtest captures only `print!`/`eprint!`).
fn report(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// Failures and passes of one interpreter.
fn tally<'a>(outcomes: &'a [Outcome], interpreter: &str) -> (usize, Vec<&'a Outcome>) {
    let mine: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.interpreter == interpreter)
        .collect();
    let failed: Vec<&Outcome> = mine
        .iter()
        .copied()
        .filter(|o| o.failure.is_some())
        .collect();
    (mine.len() - failed.len(), failed)
}

#[test]
fn lua_scripts() {
    run_suite(None);
}

#[test]
fn lua_scripts_gc_stress() {
    run_suite(Some("1"));
}

#[test]
fn lua_scripts_gc_stress_incremental() {
    run_suite(Some("incremental"));
}

/// Runs the scripts under lunette and lua5.4, or under lunette alone in the
/// collector's stress mode `stress` (the value of `LUNETTE_GC_STRESS`).
fn run_suite(stress: Option<&'static str>) {
    let gc_stress = stress.is_some();
    let root = repo_root();
    let filter = std::env::var("LUNETTE_LUA_FILTER").ok();
    let scripts = find_scripts(&root, filter.as_deref());
    assert!(
        filter.is_some() || !scripts.is_empty(),
        "no scripts found in tests/lua"
    );
    let timeout = Duration::from_secs(
        std::env::var("LUNETTE_LUA_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(DEFAULT_TIMEOUT_SECS),
    );
    let require_reference = std::env::var("LUNETTE_REQUIRE_REFERENCE").is_ok_and(|v| v == "1");

    let lunette = PathBuf::from(env!("CARGO_BIN_EXE_lunette"));
    let reference = if gc_stress {
        None
    } else {
        find_on_path("lua5.4")
    };
    let stress_env = stress.map(|mode| [("LUNETTE_GC_STRESS", mode)]);
    let envs: &[(&str, &str)] = match &stress_env {
        Some(e) => e,
        None => &[],
    };
    let mut interpreters: Vec<(PathBuf, &'static str)> = vec![(lunette, "lunette")];
    if let Some(lua) = &reference {
        interpreters.push((lua.clone(), "lua5.4"));
    }
    let jobs: Vec<(&Path, &'static str, &str)> = interpreters
        .iter()
        .flat_map(|(exe, label)| {
            scripts
                .iter()
                .map(move |s| (exe.as_path(), *label, s.as_str()))
        })
        .collect();

    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, MAX_WORKERS);
    let next_job = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next_job.fetch_add(1, Ordering::Relaxed);
                let Some(&(exe, label, script)) = jobs.get(i) else {
                    break;
                };
                let outcome = run_script(exe, label, script, &root, timeout, envs);
                outcomes
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push(outcome);
            });
        }
    });
    let mut outcomes = outcomes
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    outcomes.sort_by(|a, b| (a.interpreter, &a.script).cmp(&(b.interpreter, &b.script)));

    for o in &outcomes {
        if let Some(why) = &o.failure {
            report(&format!(
                "FAIL [{}] {} ({} ms): {why}",
                o.interpreter,
                o.script,
                o.elapsed.as_millis()
            ));
        }
    }
    let (lunette_passed, lunette_failed) = tally(&outcomes, "lunette");
    let reference_summary = match &reference {
        Some(_) => {
            let (passed, failed) = tally(&outcomes, "lua5.4");
            format!("{passed} passed, {} failed", failed.len())
        }
        None if gc_stress => "not run (gc stress mode)".to_string(),
        None => "skipped (lua5.4 not found)".to_string(),
    };
    report(&format!(
        "lua scripts: {lunette_passed} passed, {} failed (lunette), reference lua5.4: {reference_summary}",
        lunette_failed.len()
    ));
    let mut problems = Vec::new();
    if reference.is_none() && !gc_stress {
        report("reference side skipped: lua5.4 not found");
        if require_reference {
            problems.push("lua5.4 not found on PATH but LUNETTE_REQUIRE_REFERENCE=1".to_string());
        }
    }
    let all_failed: Vec<String> = outcomes
        .iter()
        .filter(|o| o.failure.is_some())
        .map(|o| format!("[{}] {}", o.interpreter, o.script))
        .collect();
    if !all_failed.is_empty() {
        problems.push(format!(
            "{} script run(s) failed: {}",
            all_failed.len(),
            all_failed.join(", ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("; "));
}
