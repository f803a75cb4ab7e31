//! Command-line behaviour of the `lunette` program: running a script, reporting
//! an error like `lua` does, and passing script arguments through `arg` and `...`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (the workspace directory two levels above this crate).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The directory holding the small scripts these tests run.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs `lunette` with `args` in directory `dir` and returns what it did.
fn lunette(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lunette"))
        .args(args)
        .current_dir(dir)
        .env_remove("LUA_INIT")
        .output()
        .expect("cannot start the lunette binary")
}

/// Runs `program` (`lunette` or `lunettec`) with `args` in `dir`, feeding
/// `input` on standard input.
fn run_with_input(program: &str, dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_remove("LUA_INIT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start the binary");
    if let Some(mut stdin) = child.stdin.take() {
        // A program that exits without reading closes the pipe: not an error here.
        let _ = stdin.write_all(input);
    }
    child
        .wait_with_output()
        .expect("cannot wait for the binary")
}

/// Whether `line` is `lunette: <rest>`, allowing the program name to be the
/// full path the binary was started with (as `lua` prints its `argv[0]`).
fn is_message(line: &str, rest: &str) -> bool {
    line.strip_suffix(rest)
        .and_then(|prefix| prefix.strip_suffix(": "))
        .is_some_and(|prog| prog == "lunette" || prog.ends_with("/lunette"))
}

/// The bytes of `out` as text, for messages and comparisons.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn hello_example_prints_greeting() {
    let out = lunette(&repo_root(), &["examples/hello.lua"]);
    let stdout = text(&out.stdout);
    assert!(
        out.status.success(),
        "exit status {:?}, stderr: {}",
        out.status,
        text(&out.stderr)
    );
    assert_eq!(stdout.lines().next(), Some("Hello from lunette!"));
    assert!(
        stdout.contains("10! = 3628800, 2^0.5 = 1.4142"),
        "stdout: {stdout}"
    );
}

#[test]
fn script_error_exits_1_with_location() {
    let out = lunette(&fixtures(), &["error.lua"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let first = stderr.lines().next().unwrap_or("");
    assert!(is_message(first, "error.lua:4: boom 1"), "stderr: {stderr}");
}

#[test]
fn missing_script_exits_1() {
    let out = lunette(&fixtures(), &["no-such-file.lua"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let first = stderr.lines().next().unwrap_or("");
    let prog = first.split(": cannot open no-such-file.lua").next();
    assert!(
        first.contains(": cannot open no-such-file.lua")
            && prog.is_some_and(|p| p == "lunette" || p.ends_with("/lunette")),
        "stderr: {stderr}"
    );
}

#[test]
fn arg_table_and_varargs_are_set() {
    let out = lunette(&fixtures(), &["args.lua", "a", "b c"]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "arg0=args.lua",
            "n=2",
            "arg1=a",
            "arg2=b c",
            "varargs=2:a,b c",
            "argneg1=string"
        ],
        "stdout: {stdout}"
    );
}

#[test]
fn syntax_error_exits_1_with_message() {
    let out = lunette(&fixtures(), &["syntax_error.lua"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let first = stderr.lines().next().unwrap_or("");
    assert!(
        is_message(first, "syntax_error.lua:3: unexpected symbol near <eof>"),
        "stderr: {stderr}"
    );
}

#[test]
fn error_object_uses_tostring() {
    let out = lunette(&fixtures(), &["error_object.lua"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let first = stderr.lines().next().unwrap_or("");
    assert!(is_message(first, "custom error object"), "stderr: {stderr}");
}

#[test]
fn os_exit_sets_status_and_flushes() {
    for (arg, code) in [("3", 3), ("0", 0), ("true", 0), ("false", 1)] {
        let out = lunette(&fixtures(), &["exit.lua", arg]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "os.exit({arg}); stderr: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), "before exit\n", "os.exit({arg})");
    }
}

#[test]
fn execute_string_option() {
    let out = lunette(&fixtures(), &["-e", "print(1 + 1)"]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "2\n");
}

#[test]
fn script_from_stdin_with_arguments() {
    let out = run_with_input(
        env!("CARGO_BIN_EXE_lunette"),
        &fixtures(),
        &["-", "a", "b"],
        b"print(select('#', ...), ...)\n",
    );
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "2\ta\tb\n");
}

#[test]
fn script_reads_standard_input() {
    let exe = env!("CARGO_BIN_EXE_lunette");
    let out = run_with_input(exe, &fixtures(), &["echo_stdin.lua"], b"hello\n");
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "got: hello\n");
    let out = run_with_input(exe, &fixtures(), &["echo_stdin.lua"], b"");
    assert_eq!(text(&out.stdout), "got: nil\n");
}

#[test]
fn lunettec_checks_syntax() {
    let exe = env!("CARGO_BIN_EXE_lunettec");
    let ok = run_with_input(exe, &repo_root(), &["-p", "examples/hello.lua"], b"");
    assert!(ok.status.success(), "stderr: {}", text(&ok.stderr));
    let bad = run_with_input(exe, &fixtures(), &["-p", "syntax_error.lua"], b"");
    assert_eq!(bad.status.code(), Some(1));
    let stderr = text(&bad.stderr);
    let first = stderr.lines().next().unwrap_or("");
    let rest = "syntax_error.lua:3: unexpected symbol near <eof>";
    let prog = first.strip_suffix(rest).and_then(|p| p.strip_suffix(": "));
    assert!(
        prog.is_some_and(|p| p == "lunettec" || p.ends_with("/lunettec")),
        "stderr: {stderr}"
    );
}

#[test]
fn warnings_follow_on_off_controls() {
    let out = lunette(&fixtures(), &["warn.lua"]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "Lua warning: hello world\n");
    let out = lunette(&fixtures(), &["-W", "-e", "warn('w')"]);
    assert_eq!(text(&out.stderr), "Lua warning: w\n");
}
