//! Memory exhaustion under an address-space limit (`ulimit -v`) is the Lua
//! error `not enough memory`, never an abort: uncaught it ends the CLI with
//! status 1 and the message on stderr, caught it leaves the state usable.
//! Each case also runs under the reference `lua5.4` (when installed) and
//! must end the same way. Also checked here: finalizer errors become
//! warnings on stderr, as in Lua.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Address-space limit of each run, in KiB (`ulimit -v`).
const LIMIT_KB: u64 = 512 * 1024;

fn lunette() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_lunette"))
}

fn reference() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("lua5.4"))
        .find(|p| p.is_file())
}

/// Runs `prog -e code` under the address-space limit.
fn run_limited(prog: &PathBuf, code: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {LIMIT_KB} && exec \"$0\" -e \"$1\""))
        .arg(prog)
        .arg(code)
        .output()
        .expect("sh runs")
}

struct Case {
    name: &'static str,
    code: &'static str,
    /// Expected exit status.
    status: i32,
    /// Expected standard output.
    stdout: &'static str,
    /// Expected standard error, after the program name and `: `.
    stderr: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "many small strings",
        code: r#"local t = {} for i = 1, math.huge do t[i] = string.rep("x", 1000) end"#,
        status: 1,
        stdout: "",
        stderr: "not enough memory\n",
    },
    Case {
        name: "s = s .. s doubling",
        code: r#"local s = "x"
            local ok, e = pcall(function() while true do s = s .. s end end)
            print(ok, e)
            s = nil
            collectgarbage()
            print(#string.rep("y", 100), collectgarbage("count") < 100000)"#,
        status: 0,
        stdout: "false\tnot enough memory\n100\ttrue\n",
        stderr: "",
    },
    Case {
        name: "huge table",
        code: r#"local t = {}
            local ok, e = pcall(function() for i = 1, math.huge do t[i] = i end end)
            print(ok, e, #t > 1000000)
            t = nil
            collectgarbage()
            local u = {} for i = 1, 1000 do u[i] = i end
            print(#u)"#,
        status: 0,
        stdout: "false\tnot enough memory\ttrue\n1000\n",
        stderr: "",
    },
    Case {
        name: "huge results of concat, rep, gsub",
        code: r#"local s = string.rep("x", 1 << 22)
            local t = {}
            for i = 1, 200 do t[i] = s end
            print(pcall(table.concat, t))
            print(pcall(table.concat, t, s))
            print(pcall(string.rep, s, 200))
            print(pcall(string.gsub, s, "x", s))
            print(pcall(function() return s .. s .. s .. s .. s .. s .. s .. s .. s .. s ..
              s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s ..
              s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s ..
              s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s ..
              s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s ..
              s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s ..
              s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s ..
              s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s ..
              s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s .. s end))
            -- a memory error does not call the message handler
            print(xpcall(table.concat, function(m) return "handler called" end, t))
            t = nil
            collectgarbage()
            print(#table.concat({"a", "b"}))"#,
        status: 0,
        stdout: "false\tnot enough memory\nfalse\tnot enough memory\n\
                 false\tnot enough memory\nfalse\tnot enough memory\n\
                 false\tnot enough memory\nfalse\tnot enough memory\n2\n",
        stderr: "",
    },
    Case {
        name: "huge results of format, pack, a load reader, io.read",
        code: r#"local s = string.rep("x", 1 << 22)
            local t = {}
            for i = 1, 200 do t[i] = s end
            print(pcall(string.format, string.rep("%s", 200), table.unpack(t)))
            t = nil
            print(pcall(string.pack, "c2000000000", ""))
            print(select(2, load(function() return s end)))
            local f = io.open("/dev/zero")
            print(pcall(f.read, f, "a"))
            print(pcall(f.read, f, 1 << 40))
            print(pcall(f.read, f, "l"))
            f:close()
            collectgarbage()
            print(#string.format("%s%s", s, s))"#,
        status: 0,
        stdout: "false\tnot enough memory\nfalse\tnot enough memory\n\
                 not enough memory\nfalse\tnot enough memory\n\
                 false\tnot enough memory\nfalse\tnot enough memory\n8388608\n",
        stderr: "",
    },
];

fn check(prog: &PathBuf, label: &str, case: &Case) -> Result<(), String> {
    let out = run_limited(prog, case.code);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stderr_msg = stderr.split_once(": ").map(|(_, m)| m).unwrap_or(&stderr);
    if out.status.code() != Some(case.status) || stdout != case.stdout || stderr_msg != case.stderr
    {
        return Err(format!(
            "{label}: case '{}': status {:?}, stdout {stdout:?}, stderr {stderr:?}",
            case.name,
            out.status.code()
        ));
    }
    Ok(())
}

#[test]
fn memory_exhaustion_is_a_lua_error() {
    let mut progs = vec![("lunette", lunette())];
    if let Some(r) = reference() {
        progs.push(("lua5.4", r));
    }
    // every (interpreter, case) pair runs in its own thread
    let handles: Vec<_> = progs
        .iter()
        .flat_map(|(label, prog)| {
            CASES.iter().map(move |case| {
                let (label, prog) = (label.to_string(), prog.clone());
                std::thread::spawn(move || check(&prog, &label, case))
            })
        })
        .collect();
    let failures: Vec<String> = handles
        .into_iter()
        .filter_map(|h| h.join().expect("thread").err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn finalizer_errors_are_warnings() {
    let code = r#"warn("@on")
        setmetatable({}, {__gc = function() error("in gc") end})
        collectgarbage()
        setmetatable({}, {__gc = function() error({}) end})
        collectgarbage()
        print("after")"#;
    let expected = "Lua warning: error in __gc ((command line):2: in gc)\n\
                    Lua warning: error in __gc (error object is not a string)\n";
    let mut progs = vec![lunette()];
    progs.extend(reference());
    for prog in progs {
        let out = Command::new(&prog)
            .arg("-e")
            .arg(code)
            .output()
            .expect("runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "after\n", "{prog:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), expected, "{prog:?}");
        assert!(out.status.success());
    }
}
