//! Conversions of argument and result lists: [`IntoLuaMulti`] and
//! [`FromLuaMulti`] for single values, `()`, tuples (the last element may
//! itself be a list: [`Variadic`], [`MultiValue`]) and lists.

use super::conv::{FromLua, IntoLua};
use super::error::Result;
use super::lua::Lua;
use super::value::{MultiValue, Value, Variadic};

/// A Rust value that can become a list of Lua values (call arguments or
/// results).
///
/// ```
/// use lunette::{IntoLuaMulti, Lua};
/// let lua = Lua::new();
/// assert_eq!((1, "two", 3.0).into_lua_multi(&lua)?.len(), 3);
/// # Ok::<(), lunette::Error>(())
/// ```
pub trait IntoLuaMulti {
    /// Converts `self` into values of `lua`.
    fn into_lua_multi(self, lua: &Lua) -> Result<MultiValue>;
}

/// A Rust value that can be made from a list of Lua values: missing values
/// are `nil`, extra ones ignored.
///
/// ```
/// use lunette::{FromLuaMulti, Lua, MultiValue, Value};
/// let lua = Lua::new();
/// let (a, b): (i64, Option<i64>) =
///     FromLuaMulti::from_lua_multi(MultiValue(vec![Value::Integer(1)]), &lua)?;
/// assert_eq!((a, b), (1, None));
/// # Ok::<(), lunette::Error>(())
/// ```
pub trait FromLuaMulti: Sized {
    /// Converts `values` (of `lua`).
    fn from_lua_multi(values: MultiValue, lua: &Lua) -> Result<Self>;
}

impl<T: IntoLua> IntoLuaMulti for T {
    fn into_lua_multi(self, lua: &Lua) -> Result<MultiValue> {
        Ok(MultiValue(vec![self.into_lua(lua)?]))
    }
}

/// The first value (`nil` when there is none).
impl<T: FromLua> FromLuaMulti for T {
    fn from_lua_multi(values: MultiValue, lua: &Lua) -> Result<Self> {
        let v = values.0.into_iter().next().unwrap_or(Value::Nil);
        T::from_lua(v, lua).map_err(|e| e.at_arg(1))
    }
}

impl IntoLuaMulti for () {
    fn into_lua_multi(self, _lua: &Lua) -> Result<MultiValue> {
        Ok(MultiValue::new())
    }
}

/// Ignores every value.
impl FromLuaMulti for () {
    fn from_lua_multi(_values: MultiValue, _lua: &Lua) -> Result<Self> {
        Ok(())
    }
}

impl IntoLuaMulti for MultiValue {
    fn into_lua_multi(self, _lua: &Lua) -> Result<MultiValue> {
        Ok(self)
    }
}

impl FromLuaMulti for MultiValue {
    fn from_lua_multi(values: MultiValue, _lua: &Lua) -> Result<Self> {
        Ok(values)
    }
}

impl<T: IntoLua> IntoLuaMulti for Variadic<T> {
    fn into_lua_multi(self, lua: &Lua) -> Result<MultiValue> {
        self.0.into_iter().map(|v| v.into_lua(lua)).collect()
    }
}

impl<T: FromLua> FromLuaMulti for Variadic<T> {
    fn from_lua_multi(values: MultiValue, lua: &Lua) -> Result<Self> {
        let mut out = Vec::with_capacity(values.len());
        for (i, v) in values.0.into_iter().enumerate() {
            out.push(T::from_lua(v, lua).map_err(|e| e.at_arg(i + 1))?);
        }
        Ok(Variadic(out))
    }
}

macro_rules! tuple_conversions {
    ($($name:ident)* ; $last:ident) => {
        impl<$($name: IntoLua,)* $last: IntoLuaMulti> IntoLuaMulti for ($($name,)* $last,) {
            #[allow(non_snake_case)]
            fn into_lua_multi(self, lua: &Lua) -> Result<MultiValue> {
                let ($($name,)* $last,) = self;
                let mut out: Vec<Value> = vec![$($name.into_lua(lua)?,)*];
                out.extend($last.into_lua_multi(lua)?.0);
                Ok(MultiValue(out))
            }
        }

        impl<$($name: FromLua,)* $last: FromLuaMulti> FromLuaMulti for ($($name,)* $last,) {
            #[allow(non_snake_case, unused_mut, unused_variables)]
            fn from_lua_multi(values: MultiValue, lua: &Lua) -> Result<Self> {
                let mut it = values.0.into_iter();
                let mut pos = 0usize;
                $(
                    pos += 1;
                    let v = it.next().unwrap_or(Value::Nil);
                    let $name = $name::from_lua(v, lua).map_err(|e| e.at_arg(pos))?;
                )*
                let rest: MultiValue = it.collect();
                let $last = $last::from_lua_multi(rest, lua).map_err(|e| e.shift_arg(pos))?;
                Ok(($($name,)* $last,))
            }
        }
    };
}

tuple_conversions!(; A);
tuple_conversions!(A; B);
tuple_conversions!(A B; C);
tuple_conversions!(A B C; D);
tuple_conversions!(A B C D; E);
tuple_conversions!(A B C D E; F);
tuple_conversions!(A B C D E F; G);
tuple_conversions!(A B C D E F G; H);
tuple_conversions!(A B C D E F G H; I);
tuple_conversions!(A B C D E F G H I; J);
tuple_conversions!(A B C D E F G H I J; K);
tuple_conversions!(A B C D E F G H I J K; L);
