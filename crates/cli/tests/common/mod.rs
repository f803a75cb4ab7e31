//! Helpers shared by the CLI integration tests: where the binaries, the
//! repository and the reference interpreter are, and fresh scratch
//! directories. Each test crate includes this module (`mod common;`) and
//! uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository's root directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `lunette` binary built for these tests.
pub fn lunette_exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_lunette"))
}

/// The full path of `program` if an executable of that name is on `PATH`.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// The reference interpreter `lua5.4`, when installed. Missing, the
/// comparison is skipped, unless `LUNETTE_REQUIRE_REFERENCE=1` (CI sets it):
/// then the test fails.
pub fn reference() -> Option<PathBuf> {
    let found = find_on_path("lua5.4");
    if found.is_none() {
        let required = std::env::var("LUNETTE_REQUIRE_REFERENCE").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "lua5.4 not found and LUNETTE_REQUIRE_REFERENCE=1"
        );
        eprintln!("lua5.4 not found: comparison skipped");
    }
    found
}

/// A fresh, empty directory under the system's temporary directory, unique
/// to this process and call (`prefix` and `name` say whose it is).
pub fn scratch(prefix: &str, name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "lunette-{prefix}-{}-{n}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("cannot create a scratch directory");
    dir
}

/// The small programs the `--trace`/`--stats`/`--visualize` tests run.
pub fn observe_programs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/observe_programs")
}

/// Runs `lunette args` in `dir` with `LUA_INIT` unset, to completion.
pub fn lunette_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(lunette_exe())
        .args(args)
        .current_dir(dir)
        .env_remove("LUA_INIT")
        .env_remove("LUA_INIT_5_4")
        .output()
        .expect("cannot start the lunette binary")
}
