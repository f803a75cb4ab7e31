//! The `package` library and `require` (Lua modules only: lunette loads no
//! native C libraries, so the C searchers always report "not found").

use crate::gc::Gc;
use crate::vm::table::Table;
use crate::vm::{Args, LuaResult, Value, Vm};

/// Default `package.path`: PUC Lua's on Linux with the directory of
/// Debian's Lua packages (`/usr/share/lua/5.4`, where `apt install
/// lua-...` puts pure-Lua modules), as the `lua5.4` of Debian has it.
const DEFAULT_PATH: &str = "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;\
/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;\
/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua;./?.lua;./?/init.lua";
/// Default `package.cpath` (Debian's on x86-64; searched only for the
/// "not found" message, as no C library is loaded).
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const DEFAULT_CPATH: &str = "/usr/local/lib/lua/5.4/?.so;/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;\
/usr/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so";
/// Default `package.cpath` (PUC Lua's).
#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
const DEFAULT_CPATH: &str = "/usr/local/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so";

/// Registers `package` and `require`.
pub fn open(vm: &mut Vm) {
    let package = vm.register_lib(
        "package",
        &[("searchpath", searchpath), ("loadlib", loadlib)],
    );
    let noenv = vm.registry.raw_get_bytes(b"LUA_NOENV").truthy();
    let path = env_path(noenv, &["LUA_PATH_5_4", "LUA_PATH"], DEFAULT_PATH);
    let cpath = env_path(noenv, &["LUA_CPATH_5_4", "LUA_CPATH"], DEFAULT_CPATH);
    set_field(vm, package, "path", path.as_bytes());
    set_field(vm, package, "cpath", cpath.as_bytes());
    set_field(vm, package, "config", b"/\n;\n?\n!\n-\n");
    // package.loaded: reuse the registry's _LOADED, filled with the libraries opened so far.
    let loaded = loaded_table(vm);
    for lib in [
        "_G",
        "string",
        "table",
        "math",
        "utf8",
        "os",
        "io",
        "coroutine",
        "debug",
    ] {
        let v = if lib == "_G" {
            Value::Table(vm.globals)
        } else {
            vm.get_global(lib)
        };
        if !v.is_nil() {
            let k = vm.new_str(lib.as_bytes());
            let _ = loaded.raw_set(k, v);
        }
    }
    let k = vm.new_str(b"package");
    let _ = loaded.raw_set(k, Value::Table(package));
    let k = vm.new_str(b"loaded");
    let _ = package.raw_set(k, Value::Table(loaded));
    let preload = vm.new_table(0, 0);
    let k = vm.new_str(b"preload");
    let _ = package.raw_set(k, Value::Table(preload));
    let searchers = vm.new_table(4, 0);
    let fs: [(&'static str, crate::vm::function::NativeFn); 4] = [
        ("searcher_preload", searcher_preload),
        ("searcher_Lua", searcher_lua),
        ("searcher_C", searcher_c),
        ("searcher_Croot", searcher_croot),
    ];
    for (i, (name, f)) in fs.into_iter().enumerate() {
        let v = vm.new_native(name, f);
        searchers.raw_set_int(i as i64 + 1, v);
    }
    let k = vm.new_str(b"searchers");
    let _ = package.raw_set(k, Value::Table(searchers));
    let req = vm.new_native("require", require);
    vm.set_global("require", req);
}

fn set_field(vm: &mut Vm, t: Gc<Table>, name: &str, v: &[u8]) {
    let k = vm.new_str(name.as_bytes());
    let v = vm.new_str(v);
    let _ = t.raw_set(k, v);
}

/// A path from the environment (`;;` means the default), or the default.
fn env_path(noenv: bool, vars: &[&str], default: &str) -> String {
    if !noenv {
        for var in vars {
            if let Ok(v) = std::env::var(var) {
                return match v.find(";;") {
                    Some(p) => format!("{};{};{}", &v[..p], default, &v[p + 2..])
                        .trim_matches(';')
                        .to_string(),
                    None => v,
                };
            }
        }
    }
    default.to_string()
}

/// `registry._LOADED`, created on first use.
pub fn loaded_table(vm: &mut Vm) -> Gc<Table> {
    let k = vm.new_str(b"_LOADED");
    if let Value::Table(t) = vm.registry.raw_get(k) {
        return t;
    }
    let t = vm.new_table(0, 16);
    let _ = vm.registry.raw_set(k, Value::Table(t));
    t
}

fn package_field(vm: &mut Vm, name: &str) -> Value {
    let loaded = loaded_table(vm);
    let k = vm.new_str(b"package");
    match loaded.raw_get(k) {
        Value::Table(p) => {
            let k = vm.new_str(name.as_bytes());
            p.raw_get(k)
        }
        _ => Value::Nil,
    }
}

/// `require(name)`.
fn require(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let loaded = loaded_table(vm);
    let cached = loaded.raw_get(Value::Str(name));
    if cached.truthy() {
        vm.push(cached);
        return Ok(1);
    }
    let searchers = match package_field(vm, "searchers") {
        Value::Table(t) => t,
        _ => return Err(vm.native_error("'package.searchers' must be a table")),
    };
    let mut msg: Vec<u8> = Vec::new();
    let mut i = 1;
    let (loader, data) = loop {
        let searcher = searchers.raw_get_int(i);
        if searcher.is_nil() {
            let text = format!(
                "module '{}' not found:{}",
                name.to_str_lossy(),
                String::from_utf8_lossy(&msg)
            );
            return Err(vm.native_error(&text));
        }
        let res = vm.call_function(searcher, &[Value::Str(name)])?;
        let first = res.first().copied().unwrap_or(Value::Nil);
        if matches!(first, Value::LuaFn(_) | Value::Native(_)) {
            break (first, res.get(1).copied().unwrap_or(Value::Nil));
        }
        if let Some(s) = first.as_str() {
            msg.extend_from_slice(b"\n\t");
            msg.extend_from_slice(s);
        }
        i += 1;
    };
    let res = vm.call_function(loader, &[Value::Str(name), data])?;
    let r = res.first().copied().unwrap_or(Value::Nil);
    if !r.is_nil() {
        let _ = loaded.raw_set(Value::Str(name), r);
    }
    if loaded.raw_get(Value::Str(name)).is_nil() {
        let _ = loaded.raw_set(Value::Str(name), Value::Bool(true));
    }
    let v = loaded.raw_get(Value::Str(name));
    vm.push(v);
    vm.push(data);
    Ok(2)
}

/// `package.loadlib`: lunette loads no native libraries (Lua's answer when
/// dynamic libraries are not enabled).
fn loadlib(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    vm.check_str(args, 1)?;
    vm.check_str(args, 2)?;
    vm.push(Value::Nil);
    let msg = vm.new_str(b"dynamic libraries not enabled; check your Lua installation");
    vm.push(msg);
    let absent = vm.new_str(b"absent");
    vm.push(absent);
    Ok(3)
}

fn searcher_preload(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let preload = match package_field(vm, "preload") {
        Value::Table(t) => t,
        _ => return Err(vm.native_error("'package.preload' must be a table")),
    };
    let f = preload.raw_get(Value::Str(name));
    if f.is_nil() {
        let msg = format!("no field package.preload['{}']", name.to_str_lossy());
        let v = vm.new_str(msg.as_bytes());
        vm.push(v);
        Ok(1)
    } else {
        vm.push(f);
        let v = vm.new_str(b":preload:");
        vm.push(v);
        Ok(2)
    }
}

/// Searches `path` for `name` like `package.searchpath`; `Err` holds the
/// list of tried files (`\n\tno file '...'`).
fn search_path(name: &[u8], path: &[u8], sep: &[u8], rep: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let name = if sep.is_empty() {
        name.to_vec()
    } else {
        replace_all(name, sep, rep)
    };
    let mut tried = Vec::new();
    for templ in templates(path) {
        let file = replace_all(templ, b"?", &name);
        let fname = String::from_utf8_lossy(&file).into_owned();
        if std::fs::File::open(&fname).is_ok() {
            return Ok(file);
        }
        tried.extend_from_slice(b"\n\tno file '");
        tried.extend_from_slice(&file);
        tried.push(b'\'');
    }
    Err(tried)
}

/// The templates of a path as Lua walks them: one separator is skipped
/// before each template, so `;;` yields an empty template.
fn templates(path: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < path.len() {
        if path[pos] == b';' {
            pos += 1;
        }
        let end = path[pos..]
            .iter()
            .position(|&c| c == b';')
            .map_or(path.len(), |e| pos + e);
        out.push(&path[pos..end]);
        pos = end;
    }
    out
}

fn replace_all(s: &[u8], pat: &[u8], rep: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if !pat.is_empty() && s[i..].starts_with(pat) {
            out.extend_from_slice(rep);
            i += pat.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// `package.searchpath(name, path [, sep [, rep]])`.
fn searchpath(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let path = vm.check_str(args, 2)?;
    let sep = vm.opt_str(args, 3)?;
    let rep = vm.opt_str(args, 4)?;
    let sep = sep
        .map(|s| s.as_bytes().to_vec())
        .unwrap_or_else(|| b".".to_vec());
    let rep = rep
        .map(|s| s.as_bytes().to_vec())
        .unwrap_or_else(|| b"/".to_vec());
    match search_path(name.as_bytes(), path.as_bytes(), &sep, &rep) {
        Ok(f) => {
            let v = vm.new_string(f);
            vm.push(v);
            Ok(1)
        }
        Err(tried) => {
            vm.push(Value::Nil);
            let v = vm.new_string(tried.get(2..).unwrap_or_default().to_vec());
            vm.push(v);
            Ok(2)
        }
    }
}

fn searcher_lua(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let path = match package_field(vm, "path") {
        Value::Str(s) => s,
        _ => return Err(vm.native_error("'package.path' must be a string")),
    };
    match search_path(name.as_bytes(), path.as_bytes(), b".", b"/") {
        Err(tried) => {
            let v = vm.new_string(tried.get(2..).unwrap_or_default().to_vec());
            vm.push(v);
            Ok(1)
        }
        Ok(file) => {
            let fname = String::from_utf8_lossy(&file).into_owned();
            let loaded = std::fs::read(&fname)
                .map_err(|e| e.to_string())
                .and_then(|src| {
                    let src = if src.first() == Some(&b'#') {
                        let p = src.iter().position(|&c| c == b'\n').unwrap_or(src.len());
                        src[p..].to_vec()
                    } else {
                        src
                    };
                    crate::compiler::compile_source(&src, format!("@{fname}").as_bytes())
                        .map_err(|e| e.message)
                });
            match loaded {
                Ok(proto) => {
                    let f = vm.load_proto(proto, None)?;
                    vm.push(f);
                    let v = vm.new_string(file);
                    vm.push(v);
                    Ok(2)
                }
                Err(msg) => {
                    let text = format!(
                        "error loading module '{}' from file '{}':\n\t{}",
                        name.to_str_lossy(),
                        fname,
                        msg
                    );
                    Err(vm.native_error(&text))
                }
            }
        }
    }
}

fn searcher_c(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let cpath = match package_field(vm, "cpath") {
        Value::Str(s) => s,
        _ => return Err(vm.native_error("'package.cpath' must be a string")),
    };
    let tried = match search_path(name.as_bytes(), cpath.as_bytes(), b".", b"/") {
        Ok(file) => {
            let text = format!(
                "error loading module '{}' from file '{}':\n\tlunette cannot load native C libraries",
                name.to_str_lossy(),
                String::from_utf8_lossy(&file)
            );
            return Err(vm.native_error(&text));
        }
        Err(t) => t,
    };
    let v = vm.new_string(tried.get(2..).unwrap_or_default().to_vec());
    vm.push(v);
    Ok(1)
}

fn searcher_croot(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let root = name
        .as_bytes()
        .split(|&c| c == b'.')
        .next()
        .unwrap_or_default();
    if root.len() == name.len() {
        return Ok(0);
    }
    let cpath = match package_field(vm, "cpath") {
        Value::Str(s) => s,
        _ => return Err(vm.native_error("'package.cpath' must be a string")),
    };
    match search_path(root, cpath.as_bytes(), b".", b"/") {
        Ok(_) => Err(vm.native_error("lunette cannot load native C libraries")),
        Err(tried) => {
            let v = vm.new_string(tried.get(2..).unwrap_or_default().to_vec());
            vm.push(v);
            Ok(1)
        }
    }
}
