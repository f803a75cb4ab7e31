//! [`Table`]: a host handle to a Lua table.

use super::conv::{FromLua, IntoLua};
use super::error::{Error, ErrorKind, Result};
use super::handle::Ref;
use super::lua::Lua;
use super::value::Value;
use crate::vm::table::TableError;
use crate::vm::Value as RawValue;
use std::marker::PhantomData;

/// A Lua table held by the host (it stays alive while the handle exists).
///
/// ```
/// let lua = lunette::Lua::new();
/// let t = lua.create_table()?;
/// t.set("k", 1.5)?;
/// t.set(1, "one")?;
/// let v: f64 = t.get("k")?;
/// assert_eq!(v, 1.5);
/// assert_eq!(t.get::<String>(1)?, "one");
/// # Ok::<(), lunette::Error>(())
/// ```
#[derive(Clone)]
pub struct Table(pub(crate) Ref);

fn table_error(e: TableError) -> Error {
    match e {
        TableError::NilKey => Error::new(ErrorKind::Runtime, "table index is nil"),
        TableError::NanKey => Error::new(ErrorKind::Runtime, "table index is NaN"),
        TableError::NoMemory => Error::new(ErrorKind::Memory, "not enough memory"),
    }
}

impl Table {
    fn lua(&self) -> &Lua {
        &self.0.lua
    }

    fn raw_table(&self) -> Result<crate::gc::Gc<crate::vm::table::Table>> {
        match self.0.raw() {
            RawValue::Table(t) => Ok(t),
            _ => Err(Error::new(ErrorKind::External, "not a table")),
        }
    }

    /// `t[key] = value`, honouring `__newindex`.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t = lua.create_table()?;
    /// t.set("x", vec![1, 2, 3])?;
    /// assert_eq!(lua.load("return ...").call::<lunette::Table>(t)?.get::<Vec<i64>>("x")?, [1, 2, 3]);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn set(&self, key: impl IntoLua, value: impl IntoLua) -> Result<()> {
        let lua = self.lua();
        let k = key.into_lua(lua)?;
        let v = value.into_lua(lua)?;
        lua.with_vm(|vm| {
            let t = self.0.raw();
            let k = lua.to_raw(vm, &k)?;
            let v = lua.to_raw(vm, &v)?;
            lua.protect(vm, |_, vm| vm.set_index(t, k, v))
        })?
    }

    /// `t[key]`, honouring `__index`, converted to `V`.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let string: lunette::Table = lua.globals().get("string")?;
    /// let f: lunette::Function = string.get("upper")?;
    /// assert_eq!(f.call::<String>("abc")?, "ABC");
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn get<V: FromLua>(&self, key: impl IntoLua) -> Result<V> {
        let lua = self.lua();
        let k = key.into_lua(lua)?;
        let v = lua.with_vm(|vm| {
            let t = self.0.raw();
            let k = lua.to_raw(vm, &k)?;
            let v = lua.protect(vm, |_, vm| vm.index(t, k))?;
            Ok::<_, Error>(lua.raw_to_api(v))
        })??;
        V::from_lua(v, lua)
    }

    /// `rawset(t, key, value)`: no metamethods.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t = lua.create_table()?;
    /// t.raw_set("a", true)?;
    /// assert!(t.raw_get::<bool>("a")?);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn raw_set(&self, key: impl IntoLua, value: impl IntoLua) -> Result<()> {
        let lua = self.lua();
        let k = key.into_lua(lua)?;
        let v = value.into_lua(lua)?;
        let t = self.raw_table()?;
        lua.with_vm(|vm| {
            let k = lua.to_raw(vm, &k)?;
            let v = lua.to_raw(vm, &v)?;
            t.raw_set(k, v).map_err(table_error)
        })?
    }

    /// `rawget(t, key)`: no metamethods.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t = lua.create_table()?;
    /// assert_eq!(t.raw_get::<Option<i64>>("missing")?, None);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn raw_get<V: FromLua>(&self, key: impl IntoLua) -> Result<V> {
        let lua = self.lua();
        let k = key.into_lua(lua)?;
        let t = self.raw_table()?;
        let v = lua.with_vm(|vm| {
            let k = lua.to_raw(vm, &k)?;
            Ok::<_, Error>(lua.raw_to_api(t.raw_get(k)))
        })??;
        V::from_lua(v, lua)
    }

    /// `#t`, honouring `__len` (whose result must be a non-negative integer).
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t: lunette::Table = lua.load("return {10, 20, 30}").eval()?;
    /// assert_eq!(t.len()?, 3);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn len(&self) -> Result<usize> {
        let lua = self.lua();
        let n = lua.with_vm(|vm| {
            let t = self.0.raw();
            let n = lua.protect(vm, |_, vm| vm.len(t))?;
            Ok::<_, Error>(lua.raw_to_api(n))
        })??;
        usize::from_lua(n, lua)
    }

    /// `rawlen(t)`: the border of the table, no metamethods.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t = lua.create_table()?;
    /// t.push("a")?;
    /// assert_eq!(t.raw_len(), 1);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn raw_len(&self) -> usize {
        match self.raw_table() {
            Ok(t) => t.len().max(0) as usize,
            Err(_) => 0,
        }
    }

    /// Whether the table has no entries.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// assert!(lua.create_table()?.is_empty());
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        match self.raw_table() {
            Ok(t) => matches!(t.next(RawValue::Nil), Ok(None)),
            Err(_) => true,
        }
    }

    /// Appends `value` at `rawlen(t) + 1` (raw).
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t = lua.create_table()?;
    /// t.push(1)?;
    /// t.push(2)?;
    /// assert_eq!(t.raw_get::<i64>(2)?, 2);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn push(&self, value: impl IntoLua) -> Result<()> {
        let n = self.raw_len() as i64;
        self.raw_set(n + 1, value)
    }

    /// Whether `t[key]` (raw) is not nil.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// assert!(lua.globals().contains_key("print")?);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn contains_key(&self, key: impl IntoLua) -> Result<bool> {
        Ok(!self.raw_get::<Value>(key)?.is_nil())
    }

    /// The metatable, if any.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// assert!(lua.create_table()?.metatable().is_none());
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn metatable(&self) -> Option<Table> {
        let t = self.raw_table().ok()?;
        let mt = t.metatable()?;
        Some(Table(Ref::new(self.lua(), RawValue::Table(mt))))
    }

    /// Sets (or with `None` removes) the metatable.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t = lua.create_table()?;
    /// let mt = lua.create_table()?;
    /// mt.set("__index", lua.create_function(|_, (_t, k): (lunette::Table, String)| Ok(k.len()))?)?;
    /// t.set_metatable(Some(mt))?;
    /// assert_eq!(t.get::<usize>("four")?, 4);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn set_metatable(&self, metatable: Option<Table>) -> Result<()> {
        let t = self.raw_table()?;
        let mt = match metatable {
            Some(m) => Some(m.raw_table_in(self.lua())?),
            None => None,
        };
        t.set_metatable(mt);
        Ok(())
    }

    fn raw_table_in(&self, lua: &Lua) -> Result<crate::gc::Gc<crate::vm::table::Table>> {
        match self.0.raw_in(lua)? {
            RawValue::Table(t) => Ok(t),
            _ => Err(Error::new(ErrorKind::External, "not a table")),
        }
    }

    /// Iterates over the entries (raw, in `next` order), converting keys
    /// to `K` and values to `V`.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t: lunette::Table = lua.load("return {a = 1, b = 2}").eval()?;
    /// let mut sum = 0;
    /// for pair in t.pairs::<String, i64>() {
    ///     sum += pair?.1;
    /// }
    /// assert_eq!(sum, 3);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn pairs<K: FromLua, V: FromLua>(&self) -> TablePairs<K, V> {
        TablePairs {
            table: self.clone(),
            key: Some(Value::Nil),
            _types: PhantomData,
        }
    }

    /// Iterates over `t[1], t[2], ...` (raw) up to the first nil.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let t: lunette::Table = lua.load("return {1, 2, 3}").eval()?;
    /// let v: Vec<i64> = t.sequence_values().collect::<lunette::Result<_>>()?;
    /// assert_eq!(v, [1, 2, 3]);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn sequence_values<V: FromLua>(&self) -> TableSequence<V> {
        TableSequence {
            table: self.clone(),
            index: 1,
            _types: PhantomData,
        }
    }
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Table({:#x})", self.0.addr())
    }
}

impl PartialEq for Table {
    fn eq(&self, other: &Table) -> bool {
        self.0.same(&other.0)
    }
}

/// Iterator over a table's entries (see [`Table::pairs`]); each item is a
/// converted `(key, value)` pair or the conversion's error.
///
/// ```ignore
/// let lua = lunette::Lua::new();
/// let t: lunette::Table = lua.load("return {x = 10}").eval()?;
/// let pairs: lunette::api::TablePairs<String, i64> = t.pairs();
/// for pair in pairs {
///     let (k, v) = pair?;
///     assert_eq!((k.as_str(), v), ("x", 10));
/// }
/// # Ok::<(), lunette::Error>(())
/// ```
pub struct TablePairs<K, V> {
    table: Table,
    /// The key to continue from (`None` when finished).
    key: Option<Value>,
    _types: PhantomData<fn() -> (K, V)>,
}

impl<K: FromLua, V: FromLua> Iterator for TablePairs<K, V> {
    type Item = Result<(K, V)>;

    fn next(&mut self) -> Option<Self::Item> {
        let key = self.key.take()?;
        let lua = self.table.lua().clone();
        let t = match self.table.raw_table() {
            Ok(t) => t,
            Err(e) => return Some(Err(e)),
        };
        let step = lua.with_vm(|vm| {
            let k = lua.to_raw(vm, &key)?;
            match t.next(k) {
                Ok(Some((k, v))) => Ok(Some((lua.raw_to_api(k), lua.raw_to_api(v)))),
                Ok(None) => Ok(None),
                Err(()) => Err(Error::new(ErrorKind::Runtime, "invalid key to 'next'")),
            }
        });
        match step {
            Ok(Ok(Some((k, v)))) => {
                self.key = Some(k.clone());
                let pair = K::from_lua(k, &lua).and_then(|k| Ok((k, V::from_lua(v, &lua)?)));
                Some(pair)
            }
            Ok(Ok(None)) => None,
            Ok(Err(e)) | Err(e) => Some(Err(e)),
        }
    }
}

/// Iterator over a table's sequence (see [`Table::sequence_values`]); it
/// stops at the first nil.
///
/// ```ignore
/// let lua = lunette::Lua::new();
/// let t: lunette::Table = lua.load("return {'a', 'b', nil, 'd'}").eval()?;
/// let seq: lunette::api::TableSequence<String> = t.sequence_values();
/// assert_eq!(seq.count(), 2);
/// # Ok::<(), lunette::Error>(())
/// ```
pub struct TableSequence<V> {
    table: Table,
    index: i64,
    _types: PhantomData<fn() -> V>,
}

impl<V: FromLua> Iterator for TableSequence<V> {
    type Item = Result<V>;

    fn next(&mut self) -> Option<Self::Item> {
        let v = match self.table.raw_get::<Value>(self.index) {
            Ok(v) => v,
            Err(e) => return Some(Err(e)),
        };
        if v.is_nil() {
            return None;
        }
        self.index += 1;
        Some(V::from_lua(v, self.table.lua()))
    }
}
