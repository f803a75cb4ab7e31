//! Conversions between Rust values and Lua values: [`IntoLua`] and
//! [`FromLua`] for single values (numbers, booleans, strings, options,
//! vectors, maps, handles), with Lua's coercions (numeric strings are
//! numbers, numbers are strings).

use super::error::{Error, ErrorKind, Result};
use super::lua::Lua;
use super::value::{LuaString, Value};
use super::{AnyUserData, Function, Table, Thread};
use crate::number::{float_to_int_exact, str_to_number, Number};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// A Rust value that can become a Lua value.
///
/// ```
/// use lunette::{IntoLua, Lua, Value};
/// let lua = Lua::new();
/// assert!(matches!(7u8.into_lua(&lua)?, Value::Integer(7)));
/// # Ok::<(), lunette::Error>(())
/// ```
pub trait IntoLua {
    /// Converts `self` into a value of `lua`.
    fn into_lua(self, lua: &Lua) -> Result<Value>;
}

/// A Rust value that can be made from a Lua value.
///
/// ```
/// use lunette::{FromLua, Lua, Value};
/// let lua = Lua::new();
/// assert_eq!(i32::from_lua(Value::Number(3.0), &lua)?, 3);
/// # Ok::<(), lunette::Error>(())
/// ```
pub trait FromLua: Sized {
    /// Converts `value` (of `lua`).
    fn from_lua(value: Value, lua: &Lua) -> Result<Self>;
}

/// `"{expected} expected, got {type}"`, as Lua's argument checks say it.
pub(crate) fn expected(what: &str, got: &Value) -> Error {
    let got = match got {
        Value::Nil => "nil",
        other => other.type_name(),
    };
    Error::new(ErrorKind::Conversion, format!("{what} expected, got {got}"))
}

/// The value as a number (numeric strings converted).
fn to_number(v: &Value) -> Option<Number> {
    match v {
        Value::Integer(i) => Some(Number::Int(*i)),
        Value::Number(f) => Some(Number::Float(*f)),
        Value::String(s) => str_to_number(s.as_bytes()),
        _ => None,
    }
}

/// The value as an integer, with Lua's `number has no integer
/// representation` error for non-integral numbers.
fn to_integer(v: &Value) -> Result<i64> {
    match to_number(v) {
        Some(Number::Int(i)) => Ok(i),
        Some(Number::Float(f)) => float_to_int_exact(f).ok_or_else(|| {
            Error::new(
                ErrorKind::Conversion,
                "number has no integer representation",
            )
        }),
        None => Err(expected("number", v)),
    }
}

macro_rules! integer_conversions {
    ($($t:ty),*) => {$(
        impl IntoLua for $t {
            #[allow(unreachable_patterns)]
            fn into_lua(self, _lua: &Lua) -> Result<Value> {
                Ok(match i64::try_from(self) {
                    Ok(i) => Value::Integer(i),
                    Err(_) => Value::Number(self as f64),
                })
            }
        }
        impl FromLua for $t {
            fn from_lua(value: Value, _lua: &Lua) -> Result<Self> {
                let i = to_integer(&value)?;
                <$t>::try_from(i).map_err(|_| {
                    Error::new(
                        ErrorKind::Conversion,
                        format!("number {i} out of range for {}", stringify!($t)),
                    )
                })
            }
        }
    )*};
}

integer_conversions!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! float_conversions {
    ($($t:ty),*) => {$(
        impl IntoLua for $t {
            fn into_lua(self, _lua: &Lua) -> Result<Value> {
                Ok(Value::Number(self as f64))
            }
        }
        impl FromLua for $t {
            fn from_lua(value: Value, _lua: &Lua) -> Result<Self> {
                match to_number(&value) {
                    Some(n) => Ok(n.as_f64() as $t),
                    None => Err(expected("number", &value)),
                }
            }
        }
    )*};
}

float_conversions!(f32, f64);

impl IntoLua for bool {
    fn into_lua(self, _lua: &Lua) -> Result<Value> {
        Ok(Value::Boolean(self))
    }
}

/// Lua truthiness: `nil` and `false` are false, everything else true.
impl FromLua for bool {
    fn from_lua(value: Value, _lua: &Lua) -> Result<Self> {
        Ok(value.truthy())
    }
}

impl IntoLua for &str {
    fn into_lua(self, _lua: &Lua) -> Result<Value> {
        Ok(Value::String(LuaString::from(self)))
    }
}

impl IntoLua for String {
    fn into_lua(self, _lua: &Lua) -> Result<Value> {
        Ok(Value::String(LuaString::from(self)))
    }
}

impl IntoLua for &String {
    fn into_lua(self, _lua: &Lua) -> Result<Value> {
        Ok(Value::String(LuaString::from(self.as_str())))
    }
}

impl IntoLua for LuaString {
    fn into_lua(self, _lua: &Lua) -> Result<Value> {
        Ok(Value::String(self))
    }
}

/// The string's bytes, with numbers converted as `tostring` does.
fn to_lua_string(value: &Value) -> Result<LuaString> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Integer(i) => Ok(LuaString::from(i.to_string())),
        Value::Number(f) => Ok(LuaString::from(crate::number::fmt_float(*f))),
        other => Err(expected("string", other)),
    }
}

impl FromLua for LuaString {
    fn from_lua(value: Value, _lua: &Lua) -> Result<Self> {
        to_lua_string(&value)
    }
}

/// UTF-8 text (numbers converted); other bytes are a conversion error.
impl FromLua for String {
    fn from_lua(value: Value, _lua: &Lua) -> Result<Self> {
        let s = to_lua_string(&value)?;
        String::from_utf8(s.into_bytes())
            .map_err(|_| Error::new(ErrorKind::Conversion, "string is not valid UTF-8"))
    }
}

impl<T: IntoLua> IntoLua for Option<T> {
    fn into_lua(self, lua: &Lua) -> Result<Value> {
        match self {
            Some(v) => v.into_lua(lua),
            None => Ok(Value::Nil),
        }
    }
}

/// `nil` is `None`.
impl<T: FromLua> FromLua for Option<T> {
    fn from_lua(value: Value, lua: &Lua) -> Result<Self> {
        match value {
            Value::Nil => Ok(None),
            v => T::from_lua(v, lua).map(Some),
        }
    }
}

impl IntoLua for Value {
    fn into_lua(self, _lua: &Lua) -> Result<Value> {
        Ok(self)
    }
}

impl IntoLua for &Value {
    fn into_lua(self, _lua: &Lua) -> Result<Value> {
        Ok(self.clone())
    }
}

impl FromLua for Value {
    fn from_lua(value: Value, _lua: &Lua) -> Result<Self> {
        Ok(value)
    }
}

macro_rules! handle_conversions {
    ($($t:ident => $variant:ident, $name:expr;)*) => {$(
        impl IntoLua for $t {
            fn into_lua(self, _lua: &Lua) -> Result<Value> {
                Ok(Value::$variant(self))
            }
        }
        impl IntoLua for &$t {
            fn into_lua(self, _lua: &Lua) -> Result<Value> {
                Ok(Value::$variant(self.clone()))
            }
        }
        impl FromLua for $t {
            fn from_lua(value: Value, _lua: &Lua) -> Result<Self> {
                match value {
                    Value::$variant(x) => Ok(x),
                    other => Err(expected($name, &other)),
                }
            }
        }
    )*};
}

handle_conversions! {
    Table => Table, "table";
    Function => Function, "function";
    AnyUserData => UserData, "userdata";
    Thread => Thread, "thread";
}

/// A sequence: a new table with the elements at `1..=n`.
impl<T: IntoLua> IntoLua for Vec<T> {
    fn into_lua(self, lua: &Lua) -> Result<Value> {
        let t = lua.create_table()?;
        for (i, v) in self.into_iter().enumerate() {
            t.raw_set(i as i64 + 1, v)?;
        }
        Ok(Value::Table(t))
    }
}

/// The elements `1..=#t` of a table (raw access, `#` without `__len`).
impl<T: FromLua> FromLua for Vec<T> {
    fn from_lua(value: Value, lua: &Lua) -> Result<Self> {
        let Value::Table(t) = value else {
            return Err(expected("table", &value));
        };
        let n = t.raw_len();
        let mut out = Vec::with_capacity(n.min(1 << 16));
        for i in 1..=n {
            out.push(T::from_lua(t.raw_get(i as i64)?, lua)?);
        }
        Ok(out)
    }
}

/// A new table with the map's entries.
impl<K: IntoLua, V: IntoLua, S> IntoLua for HashMap<K, V, S> {
    fn into_lua(self, lua: &Lua) -> Result<Value> {
        let t = lua.create_table()?;
        for (k, v) in self {
            t.raw_set(k, v)?;
        }
        Ok(Value::Table(t))
    }
}

/// Every entry of a table (raw traversal).
impl<K: FromLua + Eq + Hash, V: FromLua, S: std::hash::BuildHasher + Default> FromLua
    for HashMap<K, V, S>
{
    fn from_lua(value: Value, lua: &Lua) -> Result<Self> {
        let Value::Table(t) = value else {
            return Err(expected("table", &value));
        };
        let mut out = HashMap::default();
        for pair in t.pairs::<Value, Value>() {
            let (k, v) = pair?;
            out.insert(K::from_lua(k, lua)?, V::from_lua(v, lua)?);
        }
        Ok(out)
    }
}

/// A new table with the map's entries.
impl<K: IntoLua, V: IntoLua> IntoLua for BTreeMap<K, V> {
    fn into_lua(self, lua: &Lua) -> Result<Value> {
        let t = lua.create_table()?;
        for (k, v) in self {
            t.raw_set(k, v)?;
        }
        Ok(Value::Table(t))
    }
}

/// Every entry of a table (raw traversal).
impl<K: FromLua + Ord, V: FromLua> FromLua for BTreeMap<K, V> {
    fn from_lua(value: Value, lua: &Lua) -> Result<Self> {
        let Value::Table(t) = value else {
            return Err(expected("table", &value));
        };
        let mut out = BTreeMap::new();
        for pair in t.pairs::<Value, Value>() {
            let (k, v) = pair?;
            out.insert(K::from_lua(k, lua)?, V::from_lua(v, lua)?);
        }
        Ok(out)
    }
}
