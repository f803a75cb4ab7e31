//! `lunette` flag for flag against `lua5.4`: every case runs both programs
//! with the same arguments, environment, standard input and files, and
//! compares exit status, stdout and stderr. Both are started with the
//! program name `lua` (`argv[0]`), so messages naming the program compare
//! as they are; only the version banner differs between the two and is
//! replaced by `<version>` in both outputs.
//!
//! Without `lua5.4` on the PATH the comparisons are skipped (a failure when
//! `LUNETTE_REQUIRE_REFERENCE=1`, as CI sets it).

mod common;

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run did.
#[derive(Debug, PartialEq)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// One invocation: arguments, extra environment, stdin, files to create.
#[derive(Default, Clone)]
struct Case<'a> {
    args: Vec<&'a str>,
    env: Vec<(&'a str, &'a str)>,
    stdin: &'a str,
    files: Vec<(&'a str, &'a str)>,
}

impl<'a> Case<'a> {
    fn new(args: &[&'a str]) -> Self {
        Case {
            args: args.to_vec(),
            ..Case::default()
        }
    }
    fn env(mut self, k: &'a str, v: &'a str) -> Self {
        self.env.push((k, v));
        self
    }
    fn stdin(mut self, s: &'a str) -> Self {
        self.stdin = s;
        self
    }
    fn file(mut self, name: &'a str, text: &'a str) -> Self {
        self.files.push((name, text));
        self
    }
}

/// The reference interpreter, if installed (see the module docs).
use common::reference;

/// A fresh empty directory for one run.
fn scratch_dir() -> PathBuf {
    common::scratch("flags", "run")
}

/// Replaces either program's version banner line by `<version>`.
fn normalise(s: &[u8]) -> String {
    let s = String::from_utf8_lossy(s);
    let mut out = String::new();
    for line in s.split_inclusive('\n') {
        let is_banner = (line.starts_with("Lua 5.4") || line.starts_with("lunette "))
            && line.contains("Copyright");
        if is_banner {
            out.push_str("<version>");
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Runs `exe` (as `lua`) on `case` in a fresh directory.
fn run(exe: &Path, case: &Case) -> Outcome {
    let dir = scratch_dir();
    for (name, text) in &case.files {
        std::fs::write(dir.join(name), text).expect("cannot write a test file");
    }
    let mut cmd = Command::new(exe);
    cmd.arg0("lua")
        .args(&case.args)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "LUA_INIT",
        "LUA_INIT_5_4",
        "LUA_PATH",
        "LUA_PATH_5_4",
        "LUA_CPATH",
        "LUA_CPATH_5_4",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in &case.env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("cannot start the interpreter");
    let input = case.stdin.as_bytes().to_vec();
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        // a program that exits without reading closes the pipe: not an error
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("cannot wait for the child");
    let _ = writer.join();
    let _ = std::fs::remove_dir_all(&dir);
    Outcome {
        code: out.status.code(),
        stdout: normalise(&out.stdout),
        stderr: normalise(&out.stderr),
    }
}

/// Runs `case` under lunette and lua5.4 and asserts the same outcome;
/// returns lunette's (also without the reference, for extra checks).
fn same(case: Case) -> Outcome {
    let ours = run(Path::new(env!("CARGO_BIN_EXE_lunette")), &case);
    if let Some(lua) = reference() {
        let theirs = run(&lua, &case);
        assert_eq!(
            ours, theirs,
            "lunette (left) and lua5.4 (right) differ for args {:?}",
            case.args
        );
    }
    ours
}

#[test]
fn execute_option() {
    let o = same(Case::new(&["-e", "print(1)", "-ex=2", "-e", "print(x)"]));
    assert_eq!(o.stdout, "1\n2\n");
    let o = same(Case::new(&["-e", "a"]));
    assert_eq!(o.code, Some(1));
    assert!(o.stderr.starts_with("lua: (command line):1: syntax error"));
    same(Case::new(&["-e", "error('boom')"]));
    same(Case::new(&[
        "-e",
        "print(...)",
        "-e",
        "print(#arg, arg[-1])",
    ]));
}

#[test]
fn require_option() {
    let m = "print('loading', ...) return {x = 42}";
    let case = |args: &[&'static str]| {
        Case::new(args)
            .env("LUA_PATH", "./?.lua")
            .file("mymod.lua", m)
    };
    let o = same(case(&["-l", "mymod", "-e", "print(mymod.x)"]));
    assert_eq!(o.stdout, "loading\tmymod\t./mymod.lua\n42\n");
    same(case(&["-lmymod", "-e", "print(mymod.x)"]));
    same(case(&["-l", "g=mymod", "-e", "print(g.x, mymod)"]));
    same(case(&["-lg=mymod", "-e", "print(g.x)"]));
    same(case(&["-l", "s=string", "-e", "print(s.rep('ab', 2))"]));
    // order of -l and -e
    same(case(&[
        "-e",
        "print(mymod)",
        "-l",
        "mymod",
        "-e",
        "print(mymod.x)",
    ]));
    // a module that fails to load stops the run
    let o = same(
        Case::new(&["-l", "bad", "-e", "print('not reached')"])
            .env("LUA_PATH", "./?.lua")
            .file("bad.lua", "error('cannot load me')"),
    );
    assert_eq!(o.code, Some(1));
}

#[test]
fn interactive_option_on_a_pipe() {
    let input = "x = 10\nx + 1\n= x * 2\nreturn 1, 2\nfor i = 1, 2 do\nprint(i)\nend\nerror('e')\nprint(nil .. 1)\n";
    let o = same(Case::new(&["-i"]).stdin(input));
    assert!(o.stdout.starts_with("<version>\n> x = 10\n> x + 1\n11\n"));
    // after a script, with prompts changed by -e
    same(
        Case::new(&["-e", "_PROMPT='$ ' _PROMPT2='... '", "-i", "s.lua"])
            .file("s.lua", "y = 5")
            .stdin("y\nif y then\nprint(y + 1)\nend\n"),
    );
    // -i with -v, and an error in 'print'
    same(Case::new(&["-v", "-e", "print=nil", "-i"]).stdin("1\n"));
}

#[test]
fn version_option() {
    let o = same(Case::new(&["-v"]));
    assert_eq!(o.stdout, "<version>\n");
    same(Case::new(&["-v", "-e", "print('hello')"]));
    // -v alone does not read stdin
    same(Case::new(&["-v"]).stdin("print('stdin ran')"));
}

#[test]
fn ignore_environment_option() {
    let o = same(
        Case::new(&[
            "-E",
            "-e",
            "print(package.path:find('xxx'), package.cpath:find('yyy'))",
        ])
        .env("LUA_INIT", "error('init ran')")
        .env("LUA_PATH", "xxx")
        .env("LUA_CPATH", "yyy"),
    );
    assert_eq!(o.stdout, "nil\tnil\n");
    // the defaults are lua5.4's (Debian's, with /usr/share/lua/5.4)
    same(Case::new(&[
        "-E",
        "-e",
        "print(package.path)",
        "-e",
        "print(package.cpath)",
    ]));
    // without -E both apply
    same(
        Case::new(&["-e", "print(package.path, package.cpath)"])
            .env("LUA_PATH", "xxx")
            .env("LUA_CPATH_5_4", "yyy"),
    );
}

#[test]
fn warnings_option() {
    let o = same(Case::new(&["-W", "-e", "warn('hi', ' there')"]));
    assert_eq!(o.stderr, "Lua warning: hi there\n");
    // -W takes effect where it stands among -e options
    same(Case::new(&["-e", "warn('a')", "-W", "-e", "warn('b')"]));
    same(Case::new(&["-e", "warn('off by default')"]));
}

#[test]
fn double_dash_and_single_dash() {
    let script = "print(arg[0], ...)";
    same(Case::new(&["--", "s.lua", "-x", "y"]).file("s.lua", script));
    // after --, "-" is a file name
    same(Case::new(&["--", "-", "a"]).file("-", "print('file named dash', ...)"));
    // '-' alone: stdin, with the rest as arguments
    let o = same(Case::new(&["-", "-h", "b"]).stdin("print(arg[0], arg[1], ...)"));
    assert_eq!(o.stdout, "-\t-h\t-h\tb\n");
    same(Case::new(&["-e", "x=1", "-"]).stdin("print(x, #arg)"));
    same(Case::new(&["--"]).stdin("print('stdin after --')"));
}

#[test]
fn stdin_without_arguments_runs_as_script() {
    let o = same(Case::new(&[]).stdin("print(10)\nprint(2)\n"));
    assert_eq!(o.stdout, "10\n2\n");
    same(Case::new(&[]).stdin("local x = \nprint(x)"));
    // -l does not count as a script: stdin still runs
    same(Case::new(&["-l", "string"]).stdin("print(string ~= nil)"));
}

#[test]
fn lua_init_variables() {
    let s = "print(X, Y)";
    let o = same(
        Case::new(&["s.lua", "7"])
            .file("s.lua", s)
            .env("LUA_INIT", "X = tonumber(arg[1]) * 2"),
    );
    assert_eq!(o.stdout, "14\tnil\n");
    // the versioned name wins
    same(
        Case::new(&["s.lua"])
            .file("s.lua", s)
            .env("LUA_INIT_5_4", "X = 'five-four'")
            .env("LUA_INIT", "X = 'plain'"),
    );
    // @file form
    same(
        Case::new(&["s.lua"])
            .file("s.lua", s)
            .file("init.lua", "Y = 'from file'")
            .env("LUA_INIT", "@init.lua"),
    );
    // errors: in the code, and a missing file
    let o = same(Case::new(&["-e", "print(1)"]).env("LUA_INIT", "error('msg')"));
    assert!(o.stderr.starts_with("lua: LUA_INIT:1: msg\n"));
    same(Case::new(&["-e", "print(1)"]).env("LUA_INIT_5_4", "x = = 1"));
    same(Case::new(&["-e", "print(1)"]).env("LUA_INIT", "@missing.lua"));
    // LUA_INIT runs before -e and sees arg
    same(Case::new(&["-e", "print(Z)", "a"]).env("LUA_INIT", "Z = #arg .. arg[-1]"));
}

#[test]
fn arg_table_negative_indices() {
    let dump = "for i = -5, #arg do io.write(i, '=', tostring(arg[i]), ' ') end print()";
    let o = same(Case::new(&["-e", "", "-W", "s.lua", "a", "b"]).file("s.lua", dump));
    assert_eq!(o.stdout, "-5=nil -4=lua -3=-e -2= -1=-W 0=s.lua 1=a 2=b \n");
    same(Case::new(&["s.lua"]).file("s.lua", dump));
    same(Case::new(&["-e", dump]));
    same(Case::new(&["-", "x"]).stdin(dump));
    // -e code may change arg before the script reads its arguments
    same(Case::new(&["-e", "arg[1] = 100", "-", "x"]).stdin("print(...)"));
    let o = same(Case::new(&["-e", "arg = 1", "-"]).stdin(""));
    assert!(o.stderr.contains("'arg' is not a table"));
}

#[test]
fn script_arguments_as_varargs() {
    let s = "print(select('#', ...), ...)";
    let o = same(Case::new(&["s.lua", "a", "", "c d"]).file("s.lua", s));
    assert_eq!(o.stdout, "3\ta\t\tc d\n");
    same(Case::new(&["s.lua"]).file("s.lua", s));
    let many: Vec<&str> = std::iter::once("s.lua")
        .chain(std::iter::repeat_n("x", 40))
        .collect();
    same(Case::new(&many).file("s.lua", s));
}

#[test]
fn exit_codes() {
    let s = "io.write('out') os.exit(...)";
    for (args, code) in [
        (vec!["s.lua"], 0),
        (vec!["s.lua", "3"], 3),
        (vec!["s.lua", "255"], 255),
    ] {
        let o = same(Case::new(&args).file("s.lua", s));
        assert_eq!(o.code, Some(code));
    }
    for (body, code) in [
        ("os.exit(true)", 0),
        ("os.exit(false)", 1),
        ("os.exit(0)", 0),
        ("os.exit(7, false)", 7),
        ("print('normal end')", 0),
        ("error('x')", 1),
        ("local x = nil + 1", 1),
    ] {
        let o = same(Case::new(&["-e", body]));
        assert_eq!(o.code, Some(code), "{body}");
    }
}

#[test]
fn uncaught_error_format() {
    let o = same(Case::new(&["s.lua"]).file(
        "s.lua",
        "local function f(x)\n  error('boom ' .. x)\nend\nlocal function g() f(1) end\ng()\n",
    ));
    assert_eq!(o.code, Some(1));
    assert!(o
        .stderr
        .starts_with("lua: s.lua:2: boom 1\nstack traceback:\n"));
    for body in [
        "error({})",
        "error(nil)",
        "error(12)",
        "error('no position', 0)",
        "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
        "local t = nil; t.x = 1",
        "string.rep()",
    ] {
        same(Case::new(&["s.lua"]).file("s.lua", body));
    }
    // missing script, syntax error in a script
    same(Case::new(&["missing.lua"]));
    same(Case::new(&["s.lua"]).file("s.lua", "x = = 2"));
    // output written before the error comes first
    same(Case::new(&["-e", "io.write('partial') error('late')"]));
}

#[test]
fn os_exit_with_close() {
    let s = "local x <close> = setmetatable({}, {__close = function() print('closed') end})\n\
             setmetatable({}, {__gc = function() print('finalized') end})\n\
             print('exiting')\n\
             os.exit(...)";
    for extra in [
        &["true", "true"][..],
        &["3", "true"],
        &["true"],
        &["false", "false"],
    ] {
        let mut args = vec!["s.lua"];
        args.extend_from_slice(extra);
        let code = same(Case::new(&args).file("s.lua", s)).code;
        assert!(code.is_some());
    }
    // os.exit(code, true) after buffered output to a file
    same(Case::new(&["s.lua"]).file(
        "s.lua",
        "local f = io.open('o.txt', 'w') f:write('x') io.write('buffered') os.exit(5, true)",
    ));
}

#[test]
fn bad_options_print_usage() {
    for args in [
        &["-h"][..],
        &["---"],
        &["-Ex"],
        &["-vv"],
        &["-iv"],
        &["-Wx"],
        &["-x", "s.lua"],
        &["-e"],
        &["-l"],
        &["-e", "-v"],
        &["-l", "-"],
        &["--help=x"],
        &["--nonsense"],
    ] {
        let o = same(Case::new(args));
        assert_eq!(o.code, Some(1), "{args:?}");
        assert!(o.stderr.contains("usage: lua [options] [script [args]]"));
    }
}

#[test]
fn long_options_are_not_read_after_the_script() {
    let o = same(Case::new(&["s.lua", "--help"]).file("s.lua", "print(...)"));
    assert_eq!(o.stdout, "--help\n");
}

#[test]
fn help_lists_every_option() {
    let out = Command::new(env!("CARGO_BIN_EXE_lunette"))
        .arg0("lunette")
        .arg("--help")
        .output()
        .expect("cannot run lunette");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("usage: lunette [options] [script [args]]\n"));
    for flag in [
        "-e stat", "-i ", "-l mod", "-l g=mod", "-v ", "-E ", "-W ", "-- ", "- ",
    ] {
        assert!(
            text.contains(&format!("  {flag}")),
            "{flag} missing:\n{text}"
        );
    }
    for (flag, what) in lunette_cli::lua_cmd::LONG_OPTIONS {
        assert!(
            text.contains(flag) && text.contains(what),
            "{flag} missing:\n{text}"
        );
    }
    // nothing runs: stdin is not read
    assert!(out.stderr.is_empty());
}
