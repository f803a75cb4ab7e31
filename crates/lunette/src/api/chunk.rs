//! [`Chunk`]: Lua source about to be compiled and run (`Lua::load`).

use super::error::{Error, ErrorKind, Result};
use super::function::Function;
use super::handle::Ref;
use super::lua::Lua;
use super::multi::{FromLuaMulti, IntoLuaMulti};
use super::table::Table;
use super::value::MultiValue;
use crate::vm::Value as RawValue;

/// A chunk of Lua source with its name and environment, ready to run.
///
/// ```
/// let lua = lunette::Lua::new();
/// lua.load("x = 1").set_name("=config").exec()?;
/// assert_eq!(lua.globals().get::<i64>("x")?, 1);
/// # Ok::<(), lunette::Error>(())
/// ```
pub struct Chunk<'a> {
    lua: &'a Lua,
    source: Vec<u8>,
    name: Option<Vec<u8>>,
    env: Option<Table>,
}

impl Lua {
    /// A chunk of source to compile and run. Its default name is the source
    /// itself (as `load` does: messages say `[string "..."]`).
    ///
    /// ```
    /// let lua = lunette::Lua::new();
    /// let e = lua.load("error('x')").exec().unwrap_err();
    /// assert!(e.to_string().starts_with("[string \"error('x')\"]:1:"));
    /// ```
    pub fn load(&self, source: impl AsRef<[u8]>) -> Chunk<'_> {
        Chunk {
            lua: self,
            source: source.as_ref().to_vec(),
            name: None,
            env: None,
        }
    }
}

impl<'a> Chunk<'a> {
    /// Names the chunk as `load`'s `chunkname` does: `"=name"` is used
    /// as is, `"@file"` is a file name, anything else a source string.
    ///
    /// ```
    /// let lua = lunette::Lua::new();
    /// let e = lua.load("local t = nil; return t.x").set_name("=config").exec().unwrap_err();
    /// assert!(e.to_string().contains("config:1: attempt to index a nil value (local 't')"));
    /// ```
    pub fn set_name(mut self, name: impl AsRef<[u8]>) -> Chunk<'a> {
        self.name = Some(name.as_ref().to_vec());
        self
    }

    /// Runs the chunk with `env` as its `_ENV` instead of the globals.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let env = lua.create_table()?;
    /// lua.load("y = 2").set_environment(env.clone()).exec()?;
    /// assert_eq!(env.get::<i64>("y")?, 2);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn set_environment(mut self, env: Table) -> Chunk<'a> {
        self.env = Some(env);
        self
    }

    /// Compiles the chunk into a function.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let f = lua.load("return 1 + ...").into_function()?;
    /// assert_eq!(f.call::<i64>(41)?, 42);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn into_function(self) -> Result<Function> {
        let name = self.name.clone().unwrap_or_else(|| self.source.clone());
        self.compile(&self.source, &name)
    }

    fn compile(&self, source: &[u8], name: &[u8]) -> Result<Function> {
        let lua = self.lua;
        let mode: &[u8] = if lua.inner.text_only.get() {
            b"t"
        } else {
            b"bt"
        };
        let f = lua.with_vm(|vm| {
            let env = match &self.env {
                Some(t) => Some(t.0.raw_in(lua)?),
                None => None,
            };
            match crate::stdlib::base_load::load_chunk(vm, source, name, mode, env) {
                Ok(f) => Ok(f),
                Err(e) => {
                    let msg = match e.value {
                        RawValue::Str(s) => s.to_str_lossy().into_owned(),
                        _ => "syntax error".to_string(),
                    };
                    Err(Error::new(ErrorKind::Syntax, msg))
                }
            }
        })??;
        Ok(Function(Ref::new(lua, f)))
    }

    /// Runs the chunk, discarding its results.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// lua.load("z = 3").exec()?;
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn exec(self) -> Result<()> {
        self.call::<()>(())
    }

    /// Runs the chunk with `args` (its `...`) and converts its results.
    ///
    /// ```
    /// let lua = lunette::Lua::new();
    /// let (a, b): (i64, i64) = lua.load("local x, y = ... return y, x").call((1, 2))?;
    /// assert_eq!((a, b), (2, 1));
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn call<R: FromLuaMulti>(self, args: impl IntoLuaMulti) -> Result<R> {
        self.into_function()?.call(args)
    }

    /// Evaluates the chunk as an expression (`return <source>`) when it is
    /// one, else runs it as a block; converts its results to `R`.
    ///
    /// ```
    /// let lua = lunette::Lua::new();
    /// assert_eq!(lua.load("6 * 7").eval::<i64>()?, 42);
    /// assert_eq!(lua.load("return 6 * 7").eval::<i64>()?, 42);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn eval<R: FromLuaMulti>(self) -> Result<R> {
        let name = self.name.clone().unwrap_or_else(|| self.source.clone());
        let mut expr = b"return ".to_vec();
        expr.extend_from_slice(&self.source);
        let f = match self.compile(&expr, &name) {
            Ok(f) => f,
            Err(_) => self.compile(&self.source, &name)?,
        };
        let res: MultiValue = f.call(())?;
        R::from_lua_multi(res, self.lua)
    }
}

impl std::fmt::Debug for Chunk<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Chunk({:?})", String::from_utf8_lossy(&self.source))
    }
}
