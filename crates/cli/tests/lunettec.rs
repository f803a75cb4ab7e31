//! `lunettec` with several input files: like `luac`, it combines them into
//! one chunk whose main function runs each file in order, sharing `_ENV`.

mod common;

use std::path::PathBuf;
use std::process::Command;

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    common::scratch("lunettec", name)
}

#[test]
fn several_files_become_one_chunk_run_in_order() {
    let dir = scratch("combine");
    std::fs::write(dir.join("a.lua"), "x = 20\nio.write('a ')\n").unwrap();
    std::fs::write(dir.join("b.lua"), "io.write('b ', x + 1, '\\n')\n").unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_lunettec"))
        .args(["-o", "ab.out", "a.lua", "b.lua"])
        .current_dir(&dir)
        .status()
        .expect("cannot start lunettec");
    assert!(status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_lunette"))
        .arg("ab.out")
        .current_dir(&dir)
        .env_remove("LUA_INIT")
        .output()
        .expect("cannot start lunette");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a b 21\n");
    assert!(out.status.success());

    let listing = Command::new(env!("CARGO_BIN_EXE_lunettec"))
        .args(["-l", "-p", "a.lua", "b.lua"])
        .current_dir(&dir)
        .output()
        .expect("cannot start lunettec");
    let text = String::from_utf8_lossy(&listing.stdout);
    assert!(
        text.starts_with("\nmain <(lunettec):0,0> (6 instructions"),
        "{text}"
    );
    assert!(text.contains("function <a.lua:0,0>"), "{text}");
    assert!(text.contains("function <b.lua:0,0>"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
