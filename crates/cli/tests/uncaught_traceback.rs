//! An error nobody catches: `lunette` must print exactly what `lua5.4`
//! prints on stderr (the message, then `stack traceback:` with every frame
//! named the same way), apart from the program name that starts the first
//! line, and exit with the same status.
//!
//! Each script is written to a fresh directory and run from there under its
//! bare file name, so both interpreters see the same chunk name. Without
//! `lua5.4` on `PATH` the comparison is skipped, unless
//! `LUNETTE_REQUIRE_REFERENCE=1` makes that a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The scripts: (file name, source). Each one fails without catching.
const SCRIPTS: &[(&str, &str)] = &[
    (
        // three calls deep through an upvalue, a method and a global function
        "three_deep.lua",
        "local obj = {}

local function lookup(t)
  return t.field.missing
end

function obj:check(t)
  local v = lookup(t)
  return v
end

function run(t)
  local r = obj:check(t)
  return r
end

run({field = {}})
run({})
",
    ),
    (
        // an argument error raised by a C function, called through a field
        "c_function.lua",
        "local lib = {}
function lib.repeat_it(n)
  return string.rep(\"x\", n)
end
local function go()
  local s = lib.repeat_it({})
  return s
end
go()
",
    ),
    (
        // error(), tail calls and a metamethod on the way
        "tail_meta.lua",
        "local mt = {__index = function(t, k)
  error(\"no field \" .. k)
end}
local proxy = setmetatable({}, mt)
local function get(k) return proxy[k] end
local function forward(k) return get(k) end
forward(\"name\")
",
    ),
    (
        // a deep stack: the traceback skips the middle levels
        "deep.lua",
        "local function down(n)
  if n == 0 then
    local t = nil
    return t.x
  end
  local r = down(n - 1)
  return r
end
down(40)
",
    ),
    (
        // an error value that is a table without __tostring
        "table_value.lua",
        "local function fail() error({code = 1}) end
fail()
",
    ),
    (
        // an error value with __tostring: printed without traceback
        "tostring_value.lua",
        "local e = setmetatable({}, {__tostring = function() return \"custom error\" end})
error(e)
",
    ),
    (
        // an error inside a coroutine, re-raised by the wrapper
        "in_coroutine.lua",
        "local gen = coroutine.wrap(function(a)
  local b = coroutine.yield(a)
  return b.x
end)
gen(1)
gen(nil)
",
    ),
];

/// The full path of `program` if an executable of that name is on `PATH`.
use common::find_on_path;

/// A fresh scratch directory for this test run.
fn scratch_dir() -> PathBuf {
    common::scratch("uncaught", "scripts")
}

/// Runs `program` on `script` in `dir`: (exit code, stderr text).
fn run(program: &Path, dir: &Path, script: &str) -> (Option<i32>, String) {
    let out = Command::new(program)
        .arg(script)
        .current_dir(dir)
        .env_remove("LUA_INIT")
        .env_remove("LUA_INIT_5_4")
        .output()
        .expect("cannot start the interpreter");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `stderr` with the program name that starts it (`<argv[0]>: `) replaced
/// by `lua: `.
fn without_program_name(stderr: &str, program: &Path) -> String {
    let prefix = format!("{}: ", program.display());
    match stderr.strip_prefix(&prefix) {
        Some(rest) => format!("lua: {rest}"),
        None => stderr.to_string(),
    }
}

#[test]
fn uncaught_errors_print_what_lua_prints() {
    let Some(lua) = find_on_path("lua5.4") else {
        let required = std::env::var("LUNETTE_REQUIRE_REFERENCE").is_ok_and(|v| v == "1");
        assert!(!required, "lua5.4 not found on PATH");
        eprintln!("skipped: lua5.4 not found on PATH");
        return;
    };
    let lunette = PathBuf::from(env!("CARGO_BIN_EXE_lunette"));
    let dir = scratch_dir();
    let mut failures = Vec::new();
    for (name, source) in SCRIPTS {
        std::fs::write(dir.join(name), source).expect("cannot write a script");
        let (lua_code, lua_err) = run(&lua, &dir, name);
        let (our_code, our_err) = run(&lunette, &dir, name);
        let want = without_program_name(&lua_err, &lua);
        let got = without_program_name(&our_err, &lunette);
        assert!(
            want.starts_with("lua: ") && want.len() > 5,
            "{name}: the reference printed no error: {lua_err:?}"
        );
        if got != want || our_code != lua_code {
            failures.push(format!(
                "{name}: exit {our_code:?} (lua5.4: {lua_code:?})\n--- lunette:\n{got}--- lua5.4:\n{want}"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
