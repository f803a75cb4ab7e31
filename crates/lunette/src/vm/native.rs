//! What a native (Rust) function sees: its arguments on the VM stack, and
//! helpers to check them and raise Lua-style argument errors.

use super::error::{LuaError, LuaResult};
use super::state::Vm;
use super::string::LuaStr;
use super::table::Table;
use super::value::Value;
use crate::gc::Gc;

/// The arguments of a native call: `len` values starting at stack index `base`.
#[derive(Clone, Copy, Debug)]
pub struct Args {
    /// Absolute stack index of the first argument.
    pub base: usize,
    /// Number of arguments.
    pub len: usize,
}

impl Vm {
    /// Argument `i` (1-based), `nil` when absent.
    #[inline]
    pub fn arg(&self, args: Args, i: usize) -> Value {
        if i >= 1 && i <= args.len {
            self.stack[args.base + i - 1]
        } else {
            Value::Nil
        }
    }

    /// Whether argument `i` is absent or nil.
    pub fn arg_is_none_or_nil(&self, args: Args, i: usize) -> bool {
        self.arg(args, i).is_nil()
    }

    /// Pushes a result (or any temporary) on the stack.
    #[inline]
    pub fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    /// `bad argument #i to 'name' (msg)`, as `luaL_argerror` builds it
    /// (method calls shift the index and say `calling 'm' on bad self`).
    pub fn arg_error(&mut self, i: usize, msg: &str) -> LuaError {
        let (name, is_method) = self.current_function_name();
        let mut i = i;
        if is_method {
            i -= 1;
            if i == 0 {
                return self.error_at_level(&format!("calling '{name}' on bad self ({msg})"), 1);
            }
        }
        self.error_at_level(&format!("bad argument #{i} to '{name}' ({msg})"), 1)
    }

    /// `bad argument #i to 'f' (T expected, got U)`; U honours `__name`.
    pub fn type_arg_error(&mut self, args: Args, i: usize, expected: &str) -> LuaError {
        let got = if i > args.len {
            "no value".to_string()
        } else {
            self.arg_type_name(self.arg(args, i))
        };
        self.arg_error(i, &format!("{expected} expected, got {got}"))
    }

    /// A runtime error with the position of the Lua code that called the
    /// running native function (`luaL_error` semantics).
    pub fn native_error(&mut self, msg: &str) -> LuaError {
        self.error_at_level(msg, 1)
    }

    /// An error with message `msg` prefixed by the position of the function
    /// at `level` (0 = running function) if it is a Lua function.
    pub fn error_at_level(&mut self, msg: &str, level: usize) -> LuaError {
        let mut pos = self.where_(level);
        if pos.is_empty() && level == 0 {
            // a runtime error in a Lua function without line information
            // (a stripped binary chunk) still names it: `?:-1:`
            if let Some((cl, _, _)) = self.current_lua_frame() {
                let p = &cl.proto.proto;
                if p.lines.is_empty() {
                    pos = format!("{}:-1: ", crate::bytecode::chunkid::chunk_id(&p.source));
                }
            }
        }
        let v = self.new_str(format!("{pos}{msg}").as_bytes());
        LuaError::new(v)
    }

    /// Argument `i` as an integer (`luaL_checkinteger`): integers, floats with
    /// an exact integer value, and strings convertible to those.
    pub fn check_int(&mut self, args: Args, i: usize) -> LuaResult<i64> {
        let v = self.arg(args, i);
        match crate::number::value_to_int(&v) {
            Some(n) => Ok(n),
            None => Err(if crate::number::value_to_number(&v).is_some() {
                self.arg_error(i, "number has no integer representation")
            } else {
                self.type_arg_error(args, i, "number")
            }),
        }
    }

    /// Optional integer argument with a default.
    pub fn opt_int(&mut self, args: Args, i: usize, default: i64) -> LuaResult<i64> {
        if self.arg(args, i).is_nil() {
            Ok(default)
        } else {
            self.check_int(args, i)
        }
    }

    /// Argument `i` as a float (`luaL_checknumber`, strings converted).
    pub fn check_num(&mut self, args: Args, i: usize) -> LuaResult<f64> {
        let v = self.arg(args, i);
        match crate::number::value_to_number(&v) {
            Some(n) => Ok(n.as_f64()),
            None => Err(self.type_arg_error(args, i, "number")),
        }
    }

    /// Argument `i` as a number keeping its subtype.
    pub fn check_number(&mut self, args: Args, i: usize) -> LuaResult<crate::number::Number> {
        let v = self.arg(args, i);
        match crate::number::value_to_number(&v) {
            Some(n) => Ok(n),
            None => Err(self.type_arg_error(args, i, "number")),
        }
    }

    /// Argument `i` as a string (`luaL_checklstring`): numbers are converted
    /// (and the argument slot is replaced by the string, as Lua does).
    pub fn check_str(&mut self, args: Args, i: usize) -> LuaResult<Gc<LuaStr>> {
        match self.arg(args, i) {
            Value::Str(s) => Ok(s),
            v @ (Value::Int(_) | Value::Float(_)) => {
                let s = self.number_to_str(v);
                if i >= 1 && i <= args.len {
                    self.stack[args.base + i - 1] = Value::Str(s);
                }
                Ok(s)
            }
            _ => Err(self.type_arg_error(args, i, "string")),
        }
    }

    /// Optional string argument: `None` when absent or nil.
    pub fn opt_str(&mut self, args: Args, i: usize) -> LuaResult<Option<Gc<LuaStr>>> {
        if self.arg(args, i).is_nil() {
            Ok(None)
        } else {
            self.check_str(args, i).map(Some)
        }
    }

    /// Argument `i` as a table.
    pub fn check_table(&mut self, args: Args, i: usize) -> LuaResult<Gc<Table>> {
        match self.arg(args, i) {
            Value::Table(t) => Ok(t),
            _ => Err(self.type_arg_error(args, i, "table")),
        }
    }

    /// Checks that argument `i` exists (any value, nil included).
    pub fn check_any(&mut self, args: Args, i: usize) -> LuaResult<Value> {
        if i > args.len {
            Err(self.arg_error(i, "value expected"))
        } else {
            Ok(self.arg(args, i))
        }
    }

    /// Converts a number value to a new string (`tostring` of a number).
    pub fn number_to_str(&mut self, v: Value) -> Gc<LuaStr> {
        let text = match v {
            Value::Int(i) => i.to_string(),
            Value::Float(f) => crate::number::fmt_float(f),
            _ => String::new(),
        };
        self.heap.new_str(text.as_bytes())
    }

    /// Allocates a string value.
    pub fn new_str(&mut self, bytes: &[u8]) -> Value {
        Value::Str(self.heap.new_str(bytes))
    }

    /// An empty buffer with room for `cap` bytes for building a string
    /// (reused between calls: pass it to `new_string_scratch`), or the
    /// memory error.
    pub fn scratch_buffer(&mut self, cap: usize) -> LuaResult<Vec<u8>> {
        // the string about to be made is checked against the ceiling
        // even when the reused buffer needs no growth
        self.check_alloc(cap)?;
        let mut out = self.heap.take_scratch();
        self.try_grow(&mut out, cap)?;
        Ok(out)
    }

    /// The string value of a buffer from `scratch_buffer` (kept for reuse).
    pub fn new_string_scratch(&mut self, buf: Vec<u8>) -> Value {
        let v = Value::Str(self.heap.new_str(&buf));
        self.heap.put_scratch(buf);
        v
    }

    /// Allocates a string value from owned bytes.
    pub fn new_string(&mut self, bytes: Vec<u8>) -> Value {
        Value::Str(self.heap.new_str(&bytes))
    }

    /// Allocates an empty table with size hints.
    pub fn new_table(&mut self, narr: usize, nhash: usize) -> Gc<Table> {
        self.heap.alloc(Table::new(narr, nhash))
    }

    /// Allocates a native function value.
    pub fn new_native(&mut self, name: &'static str, f: super::function::NativeFn) -> Value {
        self.new_native_with_upvalues(name, f, Vec::new())
    }

    /// Allocates a native closure with upvalues.
    pub fn new_native_with_upvalues(
        &mut self,
        name: &'static str,
        f: super::function::NativeFn,
        upvalues: Vec<Value>,
    ) -> Value {
        let upvalues = upvalues.into_iter().map(std::cell::Cell::new).collect();
        Value::Native(self.heap.alloc(super::function::NativeClosure {
            f,
            name,
            upvalues,
            fast: super::fastcall::fast_path_for(f),
        }))
    }

    /// Creates a library table `name` in the globals (and `package.loaded`
    /// when it exists) holding `funcs`; returns the table.
    pub fn register_lib(
        &mut self,
        name: &str,
        funcs: &[(&'static str, super::function::NativeFn)],
    ) -> Gc<Table> {
        let t = self.new_table(0, funcs.len());
        for (fname, f) in funcs {
            let k = self.new_str(fname.as_bytes());
            let v = self.new_native(fname, *f);
            let _ = t.raw_set(k, v);
        }
        let k = self.new_str(name.as_bytes());
        let _ = self.globals.raw_set(k, Value::Table(t));
        t
    }

    /// Sets a global variable.
    pub fn set_global(&mut self, name: &str, v: Value) {
        let k = self.new_str(name.as_bytes());
        let _ = self.globals.raw_set(k, v);
    }

    /// Reads a global variable (raw).
    pub fn get_global(&mut self, name: &str) -> Value {
        let k = self.new_str(name.as_bytes());
        self.globals.raw_get(k)
    }
}
