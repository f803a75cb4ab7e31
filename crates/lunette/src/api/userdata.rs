//! User data: Rust values exposed to Lua with methods and metamethods
//! ([`UserData`], [`UserDataMethods`]), and the host handle
//! [`AnyUserData`] with checked borrows ([`UserDataRef`],
//! [`UserDataRefMut`]): a conflicting borrow is an error, never a panic.

use super::conv::{expected, FromLua, IntoLua};
use super::error::{Error, ErrorKind, Result};
use super::function::Callback;
use super::handle::Ref;
use super::lua::Lua;
use super::multi::{FromLuaMulti, IntoLuaMulti};
use super::value::{MultiValue, Value};
use crate::vm::userdata::UserData as RawUserData;
use crate::vm::Value as RawValue;
use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A Rust type usable as Lua user data. Implement `add_methods` to give it
/// methods (`obj:name(...)`) and metamethods.
///
/// ```
/// use lunette::{Lua, MetaMethod, UserData, UserDataMethods};
/// struct Counter(i64);
/// impl UserData for Counter {
///     fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
///         methods.add_method("get", |_, c, ()| Ok(c.0));
///         methods.add_method_mut("bump", |_, c, n: i64| { c.0 += n; Ok(()) });
///         methods.add_meta_method(MetaMethod::ToString, |_, c, ()| Ok(format!("Counter({})", c.0)));
///     }
/// }
/// let lua = Lua::new();
/// lua.globals().set("c", Counter(1))?;
/// assert_eq!(lua.load("c:bump(41) return c:get(), tostring(c)").eval::<(i64, String)>()?,
///            (42, "Counter(42)".to_string()));
/// # Ok::<(), lunette::Error>(())
/// ```
pub trait UserData: Sized + 'static {
    /// Registers the type's methods and metamethods (once per state).
    fn add_methods<M: UserDataMethods<Self>>(_methods: &mut M) {}
}

/// Metamethods a user data type can define.
///
/// ```
/// assert_eq!(lunette::MetaMethod::Add.name(), "__add");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetaMethod {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
    /// unary `-`
    Unm,
    /// `//`
    IDiv,
    /// `&`
    BAnd,
    /// `|`
    BOr,
    /// `~`
    BXor,
    /// unary `~`
    BNot,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `..`
    Concat,
    /// `#`
    Len,
    /// `==`
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// indexing a missing key (called after the methods are looked up)
    Index,
    /// assigning a field
    NewIndex,
    /// calling the value
    Call,
    /// `tostring`
    ToString,
    /// to-be-closed variables
    Close,
}

impl MetaMethod {
    /// The metatable field name (`"__add"`, ...).
    ///
    /// ```ignore
    /// assert_eq!(lunette::MetaMethod::ToString.name(), "__tostring");
    /// ```
    pub fn name(self) -> &'static str {
        use MetaMethod::*;
        match self {
            Add => "__add",
            Sub => "__sub",
            Mul => "__mul",
            Div => "__div",
            Mod => "__mod",
            Pow => "__pow",
            Unm => "__unm",
            IDiv => "__idiv",
            BAnd => "__band",
            BOr => "__bor",
            BXor => "__bxor",
            BNot => "__bnot",
            Shl => "__shl",
            Shr => "__shr",
            Concat => "__concat",
            Len => "__len",
            Eq => "__eq",
            Lt => "__lt",
            Le => "__le",
            Index => "__index",
            NewIndex => "__newindex",
            Call => "__call",
            ToString => "__tostring",
            Close => "__close",
        }
    }
}

/// Where a [`UserData`] type registers its methods.
///
/// ```
/// use lunette::{UserData, UserDataMethods};
/// struct P { x: f64 }
/// impl UserData for P {
///     fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
///         m.add_function("new", |_, x: f64| Ok(P { x }));
///         m.add_method("x", |_, p, ()| Ok(p.x));
///     }
/// }
/// ```
pub trait UserDataMethods<T: UserData> {
    /// A method `obj:name(args)` reading the value.
    fn add_method<A, R, F>(&mut self, name: &str, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, &T, A) -> Result<R> + 'static;

    /// A method `obj:name(args)` mutating the value (a conflicting borrow
    /// during it is a Lua error).
    fn add_method_mut<A, R, F>(&mut self, name: &str, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: FnMut(&Lua, &mut T, A) -> Result<R> + 'static;

    /// A function `obj.name(args)` (no implicit self).
    fn add_function<A, R, F>(&mut self, name: &str, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, A) -> Result<R> + 'static;

    /// A metamethod whose first operand is the value.
    fn add_meta_method<A, R, F>(&mut self, meta: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, &T, A) -> Result<R> + 'static;

    /// A metamethod mutating the value.
    fn add_meta_method_mut<A, R, F>(&mut self, meta: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: FnMut(&Lua, &mut T, A) -> Result<R> + 'static;

    /// A metamethod getting all operands (e.g. `__add` with the user data
    /// on the right).
    fn add_meta_function<A, R, F>(&mut self, meta: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, A) -> Result<R> + 'static;
}

/// Collects a type's methods.
struct Registry<T> {
    methods: Vec<(String, Callback)>,
    meta: Vec<(MetaMethod, Callback)>,
    _t: std::marker::PhantomData<fn(T)>,
}

fn self_of(args: &mut MultiValue) -> Value {
    if args.0.is_empty() {
        Value::Nil
    } else {
        args.0.remove(0)
    }
}

fn method<T: UserData, A, R, F>(f: F) -> Callback
where
    A: FromLuaMulti,
    R: IntoLuaMulti,
    F: Fn(&Lua, &T, A) -> Result<R> + 'static,
{
    Rc::new(move |lua: &Lua, mut args: MultiValue| {
        let this = self_of(&mut args);
        let ud = AnyUserData::from_lua(this, lua).map_err(|e| e.at_arg(1))?;
        let a = A::from_lua_multi(args, lua).map_err(|e| e.shift_arg(1))?;
        let r = f(lua, &*ud.borrow::<T>()?, a)?;
        r.into_lua_multi(lua)
    })
}

fn method_mut<T: UserData, A, R, F>(f: F) -> Callback
where
    A: FromLuaMulti,
    R: IntoLuaMulti,
    F: FnMut(&Lua, &mut T, A) -> Result<R> + 'static,
{
    let f = RefCell::new(f);
    Rc::new(move |lua: &Lua, mut args: MultiValue| {
        let this = self_of(&mut args);
        let ud = AnyUserData::from_lua(this, lua).map_err(|e| e.at_arg(1))?;
        let a = A::from_lua_multi(args, lua).map_err(|e| e.shift_arg(1))?;
        let mut this = ud.borrow_mut::<T>()?;
        let mut f = f.try_borrow_mut().map_err(|_| {
            Error::new(
                ErrorKind::UserDataBorrow,
                "mutable method called recursively",
            )
        })?;
        let r = f(lua, &mut this, a)?;
        r.into_lua_multi(lua)
    })
}

fn function<A, R, F>(f: F) -> Callback
where
    A: FromLuaMulti,
    R: IntoLuaMulti,
    F: Fn(&Lua, A) -> Result<R> + 'static,
{
    Rc::new(move |lua: &Lua, args: MultiValue| {
        let a = A::from_lua_multi(args, lua)?;
        f(lua, a)?.into_lua_multi(lua)
    })
}

impl<T: UserData> UserDataMethods<T> for Registry<T> {
    fn add_method<A, R, F>(&mut self, name: &str, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, &T, A) -> Result<R> + 'static,
    {
        self.methods.push((name.to_string(), method(f)));
    }

    fn add_method_mut<A, R, F>(&mut self, name: &str, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: FnMut(&Lua, &mut T, A) -> Result<R> + 'static,
    {
        self.methods.push((name.to_string(), method_mut(f)));
    }

    fn add_function<A, R, F>(&mut self, name: &str, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, A) -> Result<R> + 'static,
    {
        self.methods.push((name.to_string(), function(f)));
    }

    fn add_meta_method<A, R, F>(&mut self, meta: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, &T, A) -> Result<R> + 'static,
    {
        self.meta.push((meta, method(f)));
    }

    fn add_meta_method_mut<A, R, F>(&mut self, meta: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: FnMut(&Lua, &mut T, A) -> Result<R> + 'static,
    {
        self.meta.push((meta, method_mut(f)));
    }

    fn add_meta_function<A, R, F>(&mut self, meta: MetaMethod, f: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&Lua, A) -> Result<R> + 'static,
    {
        self.meta.push((meta, function(f)));
    }
}

impl Lua {
    /// The metatable of user data type `T` (built on first use).
    fn userdata_metatable<T: UserData>(&self) -> Result<super::Table> {
        let id = TypeId::of::<T>();
        if let Some(&slot) = self.inner.ud_metas.borrow().get(&id) {
            return Ok(super::Table(Ref::new(self, self.slot_value(slot))));
        }
        let mut reg = Registry::<T> {
            methods: Vec::new(),
            meta: Vec::new(),
            _t: std::marker::PhantomData,
        };
        T::add_methods(&mut reg);
        let mt = self.create_table()?;
        let full = std::any::type_name::<T>();
        let short = full.rsplit("::").next().unwrap_or(full);
        mt.raw_set("__name", short)?;
        let methods = self.create_table()?;
        for (name, cb) in reg.methods {
            methods.raw_set(name, self.function_from_callback(cb)?)?;
        }
        let mut user_index = None;
        for (meta, cb) in reg.meta {
            if meta == MetaMethod::Index {
                user_index = Some(cb);
            } else {
                mt.raw_set(meta.name(), self.function_from_callback(cb)?)?;
            }
        }
        match user_index {
            None => mt.raw_set("__index", methods)?,
            Some(cb) if methods.is_empty() => {
                mt.raw_set("__index", self.function_from_callback(cb)?)?
            }
            Some(cb) => {
                // methods first, then the type's own __index
                let combined: Callback = Rc::new(move |lua: &Lua, args: MultiValue| {
                    let key = args.0.get(1).cloned().unwrap_or_default();
                    let m: Value = methods.raw_get(key)?;
                    if !m.is_nil() {
                        return Ok(MultiValue(vec![m]));
                    }
                    cb(lua, args)
                });
                mt.raw_set("__index", self.function_from_callback(combined)?)?;
            }
        }
        let slot = self.new_slot(mt.0.raw());
        self.inner.ud_metas.borrow_mut().insert(id, slot);
        Ok(mt)
    }

    /// Wraps `data` as a Lua user data with `T`'s methods.
    ///
    /// ```
    /// struct Handle(u32);
    /// impl lunette::UserData for Handle {}
    /// let lua = lunette::Lua::new();
    /// let ud = lua.create_userdata(Handle(7))?;
    /// assert_eq!(ud.borrow::<Handle>()?.0, 7);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn create_userdata<T: UserData>(&self, data: T) -> Result<AnyUserData> {
        let mt = self.userdata_metatable::<T>()?;
        let RawValue::Table(mt) = mt.0.raw() else {
            return Err(Error::new(ErrorKind::External, "bad user data metatable"));
        };
        let raw = self.with_vm(|vm| {
            let ud = vm.heap.alloc(RawUserData {
                data: RefCell::new(Box::new(data) as Box<dyn Any>),
                metatable: Cell::new(Some(mt)),
                user_values: RefCell::new(Vec::new()),
            });
            RawValue::UserData(ud)
        })?;
        Ok(AnyUserData(Ref::new(self, raw)))
    }
}

/// A user data value held by the host.
///
/// ```
/// struct Flag(bool);
/// impl lunette::UserData for Flag {}
/// let lua = lunette::Lua::new();
/// let ud = lua.create_userdata(Flag(false))?;
/// ud.borrow_mut::<Flag>()?.0 = true;
/// assert!(ud.borrow::<Flag>()?.0);
/// assert!(ud.is::<Flag>());
/// # Ok::<(), lunette::Error>(())
/// ```
#[derive(Clone)]
pub struct AnyUserData(pub(crate) Ref);

impl AnyUserData {
    fn cell(&self) -> Result<&'static RefCell<Box<dyn Any>>> {
        let RawValue::UserData(ud) = self.0.raw() else {
            return Err(Error::new(ErrorKind::External, "not a user data"));
        };
        let cell: *const RefCell<Box<dyn Any>> = &ud.data;
        // SAFETY: the object is rooted by this handle's host slot, and heap
        // objects never move; callers keep a clone of the handle next to
        // any borrow made through this reference (`UserDataRef::_owner`),
        // so the object outlives it.
        Ok(unsafe { &*cell })
    }

    /// Whether the value holds a `T`.
    ///
    /// ```ignore
    /// struct A;
    /// impl lunette::UserData for A {}
    /// let lua = lunette::Lua::new();
    /// assert!(lua.create_userdata(A)?.is::<A>());
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn is<T: 'static>(&self) -> bool {
        match self.cell() {
            Ok(c) => c.try_borrow().map(|b| b.is::<T>()).unwrap_or(false),
            Err(_) => false,
        }
    }

    /// Borrows the `T` inside; fails (instead of panicking) while it is
    /// mutably borrowed, or when the value holds another type.
    ///
    /// ```ignore
    /// struct A(i32);
    /// impl lunette::UserData for A {}
    /// let lua = lunette::Lua::new();
    /// let ud = lua.create_userdata(A(1))?;
    /// let _w = ud.borrow_mut::<A>()?;
    /// assert!(ud.borrow::<A>().is_err());
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn borrow<T: 'static>(&self) -> Result<UserDataRef<T>> {
        let cell = self.cell()?;
        let b = cell.try_borrow().map_err(|_| {
            Error::new(
                ErrorKind::UserDataBorrow,
                "user data already mutably borrowed",
            )
        })?;
        let guard = std::cell::Ref::filter_map(b, |b| b.downcast_ref::<T>())
            .map_err(|_| Error::new(ErrorKind::UserDataBorrow, "user data of another type"))?;
        Ok(UserDataRef {
            guard,
            _owner: self.clone(),
        })
    }

    /// Mutably borrows the `T` inside; fails while any other borrow is live.
    ///
    /// ```
    /// struct A(i32);
    /// impl lunette::UserData for A {}
    /// let lua = lunette::Lua::new();
    /// let ud = lua.create_userdata(A(1))?;
    /// ud.borrow_mut::<A>()?.0 += 1;
    /// assert_eq!(ud.borrow::<A>()?.0, 2);
    /// # Ok::<(), lunette::Error>(())
    /// ```
    pub fn borrow_mut<T: 'static>(&self) -> Result<UserDataRefMut<T>> {
        let cell = self.cell()?;
        let b = cell
            .try_borrow_mut()
            .map_err(|_| Error::new(ErrorKind::UserDataBorrow, "user data already borrowed"))?;
        let guard = std::cell::RefMut::filter_map(b, |b| b.downcast_mut::<T>())
            .map_err(|_| Error::new(ErrorKind::UserDataBorrow, "user data of another type"))?;
        Ok(UserDataRefMut {
            guard,
            _owner: self.clone(),
        })
    }
}

impl std::fmt::Debug for AnyUserData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AnyUserData({:#x})", self.0.addr())
    }
}

impl PartialEq for AnyUserData {
    fn eq(&self, other: &AnyUserData) -> bool {
        self.0.same(&other.0)
    }
}

/// A shared borrow of a user data value (see [`AnyUserData::borrow`]).
/// Usable as a host function argument.
///
/// ```
/// use lunette::{Lua, UserData, UserDataRef};
/// struct V(f64);
/// impl UserData for V {}
/// let lua = Lua::new();
/// let get = lua.create_function(|_, v: UserDataRef<V>| Ok(v.0))?;
/// assert_eq!(get.call::<f64>(lua.create_userdata(V(2.5))?)?, 2.5);
/// # Ok::<(), lunette::Error>(())
/// ```
pub struct UserDataRef<T: 'static> {
    // declared first: dropped before the handle that keeps the object alive
    guard: std::cell::Ref<'static, T>,
    _owner: AnyUserData,
}

impl<T: std::fmt::Debug> std::fmt::Debug for UserDataRef<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (*self.guard).fmt(f)
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for UserDataRefMut<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (*self.guard).fmt(f)
    }
}

impl<T> std::ops::Deref for UserDataRef<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

/// A mutable borrow of a user data value (see [`AnyUserData::borrow_mut`]).
///
/// ```
/// use lunette::{Lua, UserData, UserDataRefMut};
/// struct V(f64);
/// impl UserData for V {}
/// let lua = Lua::new();
/// let dbl = lua.create_function(|_, mut v: UserDataRefMut<V>| { v.0 *= 2.0; Ok(()) })?;
/// let ud = lua.create_userdata(V(2.0))?;
/// dbl.call::<()>(ud.clone())?;
/// assert_eq!(ud.borrow::<V>()?.0, 4.0);
/// # Ok::<(), lunette::Error>(())
/// ```
pub struct UserDataRefMut<T: 'static> {
    guard: std::cell::RefMut<'static, T>,
    _owner: AnyUserData,
}

impl<T> std::ops::Deref for UserDataRefMut<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> std::ops::DerefMut for UserDataRefMut<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

impl<T: 'static> FromLua for UserDataRef<T> {
    fn from_lua(value: Value, _lua: &Lua) -> Result<Self> {
        match value {
            Value::UserData(ud) => ud.borrow::<T>(),
            other => Err(expected("userdata", &other)),
        }
    }
}

impl<T: 'static> FromLua for UserDataRefMut<T> {
    fn from_lua(value: Value, _lua: &Lua) -> Result<Self> {
        match value {
            Value::UserData(ud) => ud.borrow_mut::<T>(),
            other => Err(expected("userdata", &other)),
        }
    }
}

/// A user data value with `T`'s methods.
impl<T: UserData> IntoLua for T {
    fn into_lua(self, lua: &Lua) -> Result<Value> {
        Ok(Value::UserData(lua.create_userdata(self)?))
    }
}
