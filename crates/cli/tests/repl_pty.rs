//! The interactive mode of `lunette` on a real (pseudo-)terminal: prompts,
//! expression printing, multi-line continuation, Ctrl-C interrupting a
//! running loop, Ctrl-C at the prompt, Ctrl-D, and the history file.
//!
//! Each session waits for what the program prints (with a generous
//! timeout), never for a fixed time. Expected outputs are computed by the
//! Lua code (`string.upper`, arithmetic) so that they never appear in the
//! echo of the typed line itself.

use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};
use std::path::PathBuf;
use std::process::Command;

/// How long any single expectation may wait (the machine may be busy).
const TIMEOUT_MS: u64 = 120_000;

/// A fresh home directory (for the history file).
fn home(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lunette-pty-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("cannot create a home directory");
    d
}

/// Starts `lunette` with `args` on a pseudo-terminal, `HOME` set to `home`.
fn start(home: &PathBuf, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lunette"));
    cmd.args(args)
        .env("HOME", home)
        .env("TERM", "xterm")
        .env_remove("LUA_INIT")
        .env_remove("LUA_INIT_5_4");
    let options = Options::new()
        .timeout_ms(Some(TIMEOUT_MS))
        .strip_ansi_escape_codes(true);
    spawn_with_options(cmd, options).expect("cannot start lunette on a pty")
}

/// Waits for `text` in the output, failing the test with context.
fn expect(p: &mut PtySession, text: &str) {
    if let Err(e) = p.exp_string(text) {
        panic!("waiting for {text:?}: {e}");
    }
}

/// Ends the session with Ctrl-D at an empty prompt and checks exit status 0.
fn finish(mut p: PtySession) {
    p.send_control('d').expect("cannot send Ctrl-D");
    p.exp_eof().expect("lunette did not exit on Ctrl-D");
    let status = p.process().wait().expect("cannot wait for lunette");
    // nix's WaitStatus, named through its Debug form: `Exited(Pid(n), 0)`
    let status = format!("{status:?}");
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 0)"),
        "exit status {status}"
    );
}

#[test]
fn prints_banner_and_expression_values() {
    let h = home("expr");
    let mut p = start(&h, &[]);
    expect(&mut p, "lunette ");
    expect(&mut p, "> ");
    p.send_line("6 * 7").unwrap();
    expect(&mut p, "42");
    expect(&mut p, "> ");
    p.send_line("return string.upper('ab'), 10 // 3").unwrap();
    expect(&mut p, "AB\t3");
    p.send_line("= string.rep('x', 4)").unwrap();
    expect(&mut p, "xxxx");
    // a statement prints nothing; the value stays for the next line
    p.send_line("y = 3 * 11").unwrap();
    p.send_line("y + 1").unwrap();
    expect(&mut p, "34");
    // errors are reported without killing the session
    p.send_line("error(string.upper('oops'))").unwrap();
    expect(&mut p, "stdin:1: OOPS");
    p.send_line("_PROMPT = string.upper('lun> ')").unwrap();
    expect(&mut p, "LUN> ");
    finish(p);
    let history = std::fs::read_to_string(h.join(".lunette_history")).unwrap_or_default();
    assert!(history.contains("6 * 7"), "history file: {history:?}");
    let _ = std::fs::remove_dir_all(&h);
}

#[test]
fn continues_incomplete_chunks() {
    let h = home("multi");
    let mut p = start(&h, &["-i"]);
    expect(&mut p, "> ");
    p.send_line("for i = 1, 3 do").unwrap();
    expect(&mut p, ">> ");
    p.send_line("io.write(i * 100, ';')").unwrap();
    expect(&mut p, ">> ");
    p.send_line("end").unwrap();
    expect(&mut p, "100;200;300;");
    // a function over several lines, then called as an expression
    p.send_line("function f(a,").unwrap();
    expect(&mut p, ">> ");
    p.send_line("b) return a * b end").unwrap();
    p.send_line("f(5, 9)").unwrap();
    expect(&mut p, "45");
    finish(p);
    let _ = std::fs::remove_dir_all(&h);
}

#[test]
fn ctrl_c_interrupts_a_running_loop() {
    let h = home("ctrlc");
    let mut p = start(&h, &["-i"]);
    expect(&mut p, "> ");
    p.send_line("print(string.upper('looping')) while true do end")
        .unwrap();
    expect(&mut p, "LOOPING");
    p.send_control('c').unwrap();
    expect(&mut p, "interrupted!");
    expect(&mut p, "> ");
    // the process is still alive and its state kept
    p.send_line("x = 6 * 9").unwrap();
    p.send_line("x").unwrap();
    expect(&mut p, "54");
    // a pcall catches the interrupt, as in lua
    p.send_line("print(pcall(function() print(string.upper('again')) while true do end end))")
        .unwrap();
    expect(&mut p, "AGAIN");
    p.send_control('c').unwrap();
    expect(&mut p, "false");
    expect(&mut p, "interrupted!");
    // Ctrl-C at the prompt drops the line being typed
    expect(&mut p, "> ");
    p.send("this is not lua").unwrap();
    p.flush().unwrap();
    expect(&mut p, "this is not lua");
    p.send_control('c').unwrap();
    // the editor ends the dropped line; input typed before that point
    // would be dropped with it (rustyline discards its read-ahead on Ctrl-C)
    expect(&mut p, "\r\n");
    p.send_line("print(7 * 6 + 1)").unwrap();
    expect(&mut p, "43");
    finish(p);
    let _ = std::fs::remove_dir_all(&h);
}
