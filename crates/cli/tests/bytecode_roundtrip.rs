//! Every `tests/lua` script must also run from binary chunks: compiled by
//! `lunettec -o`, and dumped by `string.dump` from a loaded chunk. Both
//! files are run as the main script (so tracebacks and `arg` read as they
//! do for the source), and each run must exit with status 0.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scripts(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root.join("tests/lua"))
        .expect("tests/lua exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lua"))
        .collect();
    out.sort();
    out
}

/// Runs a command from the repository root; `Err` carries its first stderr line.
fn run(root: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(err.lines().next().unwrap_or("(no message)").to_string())
    }
}

/// Both round trips of one script; `Err` names the failing one.
fn roundtrip(root: &Path, tmp: &Path, name: &str) -> Result<(), String> {
    let lunette = env!("CARGO_BIN_EXE_lunette");
    let lunettec = env!("CARGO_BIN_EXE_lunettec");
    let script = format!("tests/lua/{name}");
    let stem = name.trim_end_matches(".lua");
    let compiled = tmp.join(format!("{stem}.luac"));
    let compiled = compiled.to_string_lossy();
    run(root, lunettec, &["-o", &compiled, &script]).map_err(|e| format!("lunettec: {e}"))?;
    run(root, lunette, &[&compiled]).map_err(|e| format!("lunettec -o then run: {e}"))?;
    let dumped = tmp.join(format!("{stem}.dump"));
    let dumped = dumped.to_string_lossy();
    let writer = format!(
        "local f = assert(loadfile({script:?}))\n\
         local out = assert(io.open({dumped:?}, 'wb'))\n\
         out:write(string.dump(f)) out:close()"
    );
    run(root, lunette, &["-e", &writer]).map_err(|e| format!("string.dump: {e}"))?;
    run(root, lunette, &[&dumped]).map_err(|e| format!("string.dump then run: {e}"))
}

#[test]
fn every_script_runs_from_binary_chunks() {
    let root = repo_root();
    let tmp = std::env::temp_dir().join(format!("lunette-roundtrip-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let names = scripts(&root);
    assert!(names.len() >= 40, "expected the tests/lua scripts");
    let queue = Mutex::new(names.clone());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| loop {
                let next = queue.lock().map(|mut q| q.pop()).unwrap_or(None);
                let Some(name) = next else { break };
                if let Err(e) = roundtrip(&root, &tmp, &name) {
                    if let Ok(mut f) = failures.lock() {
                        f.push(format!("{name}: {e}"));
                    }
                }
            });
        }
    });
    let _ = std::fs::remove_dir_all(&tmp);
    let failures = failures.into_inner().unwrap_or_default();
    eprintln!(
        "bytecode round trip: {} passed, {} failed",
        names.len() - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "round-trip failures:\n{}",
        failures.join("\n")
    );
}
