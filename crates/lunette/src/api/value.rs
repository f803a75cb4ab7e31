//! The host's view of Lua values: [`Value`] (an enum to match on),
//! [`LuaString`] (owned bytes) and [`MultiValue`] (argument and result lists).

use super::error::Result;
use super::{AnyUserData, Function, Table, Thread};

/// A Lua value as the host sees it. Objects are handles: holding one keeps
/// the object alive.
///
/// ```
/// use lunette::{Lua, Value};
/// let lua = Lua::new();
/// match lua.load("return 1.5").eval::<Value>()? {
///     Value::Number(x) => assert_eq!(x, 1.5),
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok::<(), lunette::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// `nil`
    #[default]
    Nil,
    /// A boolean.
    Boolean(bool),
    /// An integer (Lua's integer subtype).
    Integer(i64),
    /// A float (Lua's float subtype).
    Number(f64),
    /// A string (copied out of the state).
    String(LuaString),
    /// A table.
    Table(Table),
    /// A Lua or host function.
    Function(Function),
    /// A full user data.
    UserData(AnyUserData),
    /// A coroutine.
    Thread(Thread),
    /// A light user data (an opaque pointer-sized number).
    LightUserData(usize),
}

impl Value {
    /// The name Lua's `type()` gives this value.
    ///
    /// ```ignore
    /// assert_eq!(lunette::Value::Integer(1).type_name(), "number");
    /// ```
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Boolean(_) => "boolean",
            Value::Integer(_) | Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Table(_) => "table",
            Value::Function(_) => "function",
            Value::UserData(_) | Value::LightUserData(_) => "userdata",
            Value::Thread(_) => "thread",
        }
    }

    /// Whether the value is `nil`.
    ///
    /// ```ignore
    /// assert!(lunette::Value::Nil.is_nil());
    /// ```
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Lua truthiness: everything but `nil` and `false`.
    ///
    /// ```ignore
    /// assert!(lunette::Value::Integer(0).truthy());
    /// ```
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Boolean(false))
    }

    /// Primitive equality (`rawequal`): `1 == 1.0`, objects by identity.
    ///
    /// ```ignore
    /// use lunette::Value;
    /// assert!(Value::Integer(1).raw_equals(&Value::Number(1.0)));
    /// ```
    pub fn raw_equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Boolean(a), Value::Boolean(b)) => a == b,
            (Value::Integer(a), Value::Integer(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Integer(a), Value::Number(b)) | (Value::Number(b), Value::Integer(a)) => {
                crate::number::int_eq_float(*a, *b)
            }
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Table(a), Value::Table(b)) => a.0.same(&b.0),
            (Value::Function(a), Value::Function(b)) => a.0.same(&b.0),
            (Value::UserData(a), Value::UserData(b)) => a.0.same(&b.0),
            (Value::Thread(a), Value::Thread(b)) => a.0.same(&b.0),
            (Value::LightUserData(a), Value::LightUserData(b)) => a == b,
            _ => false,
        }
    }
}

/// A Lua string: bytes, usually but not necessarily UTF-8.
///
/// ```
/// let s = lunette::LuaString::from("héllo");
/// assert_eq!(s.to_str()?, "héllo");
/// assert_eq!(s.as_bytes().len(), 6);
/// # Ok::<(), lunette::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LuaString(Box<[u8]>);

impl LuaString {
    /// The bytes.
    ///
    /// ```ignore
    /// assert_eq!(lunette::LuaString::from("ab").as_bytes(), b"ab");
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text, when the bytes are UTF-8.
    ///
    /// ```ignore
    /// assert!(lunette::LuaString::from(&b"\xff"[..]).to_str().is_err());
    /// ```
    pub fn to_str(&self) -> Result<&str> {
        std::str::from_utf8(&self.0).map_err(|_| {
            super::Error::new(super::ErrorKind::Conversion, "string is not valid UTF-8")
        })
    }

    /// The text, invalid UTF-8 replaced by U+FFFD.
    ///
    /// ```ignore
    /// assert_eq!(lunette::LuaString::from("x").to_string_lossy(), "x");
    /// ```
    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    /// The bytes, owned.
    ///
    /// ```ignore
    /// assert_eq!(lunette::LuaString::from("x").into_bytes(), b"x".to_vec());
    /// ```
    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_vec()
    }
}

impl std::fmt::Debug for LuaString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.0))
    }
}

impl From<&[u8]> for LuaString {
    fn from(b: &[u8]) -> Self {
        LuaString(b.into())
    }
}

impl From<Vec<u8>> for LuaString {
    fn from(b: Vec<u8>) -> Self {
        LuaString(b.into_boxed_slice())
    }
}

impl From<&str> for LuaString {
    fn from(s: &str) -> Self {
        LuaString(s.as_bytes().into())
    }
}

impl From<String> for LuaString {
    fn from(s: String) -> Self {
        LuaString(s.into_bytes().into_boxed_slice())
    }
}

impl PartialEq<str> for LuaString {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for LuaString {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == other.as_bytes()
    }
}

/// A list of values: the arguments or results of a call.
///
/// ```
/// use lunette::{Lua, MultiValue};
/// let lua = Lua::new();
/// let all: MultiValue = lua.load("return 1, 2, 3").eval()?;
/// assert_eq!(all.len(), 3);
/// # Ok::<(), lunette::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct MultiValue(pub Vec<Value>);

impl MultiValue {
    /// An empty list.
    ///
    /// ```ignore
    /// assert!(lunette::MultiValue::new().is_empty());
    /// ```
    pub fn new() -> MultiValue {
        MultiValue(Vec::new())
    }

    /// Number of values.
    ///
    /// ```ignore
    /// assert_eq!(lunette::MultiValue(vec![lunette::Value::Nil]).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list is empty.
    ///
    /// ```ignore
    /// assert!(lunette::MultiValue::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values.
    ///
    /// ```ignore
    /// assert!(lunette::MultiValue::new().into_vec().is_empty());
    /// ```
    pub fn into_vec(self) -> Vec<Value> {
        self.0
    }
}

impl std::ops::Deref for MultiValue {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        &self.0
    }
}

impl IntoIterator for MultiValue {
    type Item = Value;
    type IntoIter = std::vec::IntoIter<Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<Value> for MultiValue {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Self {
        MultiValue(iter.into_iter().collect())
    }
}

/// Any number of values of one type, as trailing arguments or results.
///
/// ```
/// use lunette::{Lua, Variadic};
/// let lua = Lua::new();
/// let sum = lua.create_function(|_, xs: Variadic<i64>| Ok(xs.iter().sum::<i64>()))?;
/// assert_eq!(sum.call::<i64>((1, 2, 3))?, 6);
/// # Ok::<(), lunette::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Variadic<T>(pub Vec<T>);

impl<T> std::ops::Deref for Variadic<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Variadic<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}
