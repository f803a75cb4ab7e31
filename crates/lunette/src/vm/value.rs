//! The Lua value: 16 bytes, `Copy`, tagged.

use super::function::{LuaClosure, NativeClosure};
use super::string::LuaStr;
use super::table::Table;
use super::thread::Thread;
use super::userdata::UserData;
use crate::gc::Gc;

/// A Lua value. Integers and floats are distinct subtypes of number.
/// Heap objects are `Gc` handles, so copying a value never allocates.
///
/// `repr(u8)` fixes the layout (a union of `repr(C)` structs that start
/// with the one-byte tag): the tag is byte 0, a `bool` payload byte 1, any
/// other payload bytes 8..16. `Value::store_*` rely on it.
#[derive(Clone, Copy, Debug, Default)]
#[repr(u8)]
pub enum Value {
    /// `nil`
    #[default]
    Nil = TAG_NIL,
    /// A boolean.
    Bool(bool) = TAG_BOOL,
    /// A 64-bit integer.
    Int(i64) = TAG_INT,
    /// A double.
    Float(f64) = TAG_FLOAT,
    /// A byte string.
    Str(Gc<LuaStr>),
    /// A table.
    Table(Gc<Table>),
    /// A Lua function (closure).
    LuaFn(Gc<LuaClosure>),
    /// A Rust function.
    Native(Gc<NativeClosure>),
    /// A full userdata.
    UserData(Gc<UserData>),
    /// A coroutine.
    Thread(Gc<Thread>),
    /// A light userdata (an opaque pointer-sized number).
    LightUserData(usize),
}

/// Tag byte of `Value::Nil`.
const TAG_NIL: u8 = 0;
/// Tag byte of `Value::Bool`.
const TAG_BOOL: u8 = 1;
/// Tag byte of `Value::Int`.
const TAG_INT: u8 = 2;
/// Tag byte of `Value::Float`.
const TAG_FLOAT: u8 = 3;

/// Writes the 16 bytes of a value (`lo` = bytes 0..8, `hi` = 8..16) with
/// one 16-byte store.
///
/// Why: the interpreter copies values with 16-byte loads. A load that
/// needs bytes from two earlier, still-buffered stores (a tag byte and a
/// payload word, which is how Rust writes `*dst = Value::Int(x)`) cannot
/// be forwarded from the store buffer and stalls until both stores reach
/// the cache (store-to-load forwarding failure, ~15 cycles on x86). One
/// 16-byte store forwards to any load inside it. `sieve.lua` ran 2x
/// faster when `FORLOOP` wrote its control variable this way.
#[inline(always)]
fn store_whole(dst: &mut Value, lo: u64, hi: u64) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{__m128i, _mm_set_epi64x, _mm_storeu_si128};
        // SAFETY: SSE2 is part of the x86_64 baseline. `dst` is a valid,
        // exclusive `Value` place of 16 bytes; callers pass the bytes of a
        // valid value of the `repr(u8)` layout (tag byte 0, payload at
        // byte 1 for `Bool`, at bytes 8..16 otherwise, zero padding).
        unsafe {
            _mm_storeu_si128(
                dst as *mut Value as *mut __m128i,
                _mm_set_epi64x(hi as i64, lo as i64),
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        // SAFETY: as above; two word stores of the same bytes (elsewhere
        // the forwarding rules differ, the layout does not). `lo` was built
        // with `from_le_bytes`, so it is converted back the same way.
        unsafe {
            let p = dst as *mut Value as *mut [u8; 16];
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&lo.to_le_bytes());
            b[8..].copy_from_slice(&hi.to_le_bytes());
            p.write(b);
        }
    }
}

impl Value {
    /// `*dst = Value::Int(x)` as one whole-value store (see `store_whole`).
    #[inline(always)]
    pub fn store_int(dst: &mut Value, x: i64) {
        store_whole(dst, TAG_INT as u64, x as u64);
    }

    /// Rewrites the integer in `dst`, which holds a `Value::Int`: an
    /// 8-byte store of the payload only (Lua's `chgivalue`). For values
    /// only ever read as tag byte plus payload word (`FORLOOP`'s count
    /// and index): the chain from one iteration's store to the next one's
    /// load stays one plain store, with no vector-register assembly.
    #[inline(always)]
    pub fn set_int_payload(dst: &mut Value, x: i64) {
        debug_assert!(matches!(dst, Value::Int(_)));
        if let Value::Int(p) = dst {
            *p = x;
        }
    }

    /// `*dst = Value::Float(f)` as one whole-value store. On x86_64 the
    /// value is assembled in a vector register from the float where it
    /// was computed (one shuffle), not through an integer register: a
    /// round trip there adds its latency to every chain of float
    /// operations through a Lua register (`a = a * x + y`).
    #[inline(always)]
    pub fn store_float(dst: &mut Value, f: f64) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{
                __m128i, _mm_castpd_si128, _mm_cvtsi32_si128, _mm_set_sd, _mm_storeu_si128,
                _mm_unpacklo_epi64,
            };
            // SAFETY: SSE2 is part of the x86_64 baseline. `dst` is a
            // valid, exclusive 16-byte `Value` place; the bytes written
            // are the `repr(u8)` layout of `Value::Float(f)`: tag byte 0,
            // zero padding, the float's bits at bytes 8..16.
            unsafe {
                let tag = _mm_cvtsi32_si128(TAG_FLOAT as i32);
                let bits = _mm_castpd_si128(_mm_set_sd(f));
                _mm_storeu_si128(
                    dst as *mut Value as *mut __m128i,
                    _mm_unpacklo_epi64(tag, bits),
                );
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        store_whole(dst, TAG_FLOAT as u64, f.to_bits());
    }

    /// `*dst = Value::Bool(b)` as one whole-value store.
    #[inline(always)]
    pub fn store_bool(dst: &mut Value, b: bool) {
        store_whole(
            dst,
            u64::from_le_bytes([TAG_BOOL, b as u8, 0, 0, 0, 0, 0, 0]),
            0,
        );
    }

    /// `*dst = Value::Nil` as one whole-value store.
    #[inline(always)]
    pub fn store_nil(dst: &mut Value) {
        store_whole(dst, TAG_NIL as u64, 0);
    }

    /// `*dst = v` as one whole-value store, for a value held in
    /// registers (a result computed or returned by a call).
    #[inline(always)]
    pub fn store(dst: &mut Value, v: Value) {
        let tag = v.tag();
        if tag > TAG_BOOL {
            // SAFETY: every variant after `Bool` has an initialized 8-byte
            // payload at bytes 8..16 (`repr(u8)` layout).
            let bits = unsafe { *(&v as *const Value as *const u64).add(1) };
            store_whole(dst, tag as u64, bits);
        } else if let Value::Bool(b) = v {
            Value::store_bool(dst, b);
        } else {
            Value::store_nil(dst);
        }
    }
}

/// The basic types, in Lua's order (as `type` names them).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LuaType {
    /// `nil`
    Nil,
    /// `boolean`
    Boolean,
    /// `userdata` (light)
    LightUserData,
    /// `number`
    Number,
    /// `string`
    String,
    /// `table`
    Table,
    /// `function`
    Function,
    /// `userdata` (full)
    UserData,
    /// `thread`
    Thread,
}

impl LuaType {
    /// The name `type()` returns.
    pub fn name(self) -> &'static str {
        match self {
            LuaType::Nil => "nil",
            LuaType::Boolean => "boolean",
            LuaType::LightUserData | LuaType::UserData => "userdata",
            LuaType::Number => "number",
            LuaType::String => "string",
            LuaType::Table => "table",
            LuaType::Function => "function",
            LuaType::Thread => "thread",
        }
    }
}

impl Value {
    /// The value's basic type.
    #[inline]
    pub fn lua_type(&self) -> LuaType {
        match self {
            Value::Nil => LuaType::Nil,
            Value::Bool(_) => LuaType::Boolean,
            Value::Int(_) | Value::Float(_) => LuaType::Number,
            Value::Str(_) => LuaType::String,
            Value::Table(_) => LuaType::Table,
            Value::LuaFn(_) | Value::Native(_) => LuaType::Function,
            Value::UserData(_) => LuaType::UserData,
            Value::Thread(_) => LuaType::Thread,
            Value::LightUserData(_) => LuaType::LightUserData,
        }
    }

    /// The name `type()` returns.
    #[inline]
    pub fn type_name(&self) -> &'static str {
        self.lua_type().name()
    }

    /// Lua truthiness: everything but `nil` and `false`.
    #[inline(always)]
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    /// Whether the value is `nil`.
    #[inline(always)]
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// The tag byte (the variant; see the type's layout note).
    #[inline(always)]
    pub fn tag(&self) -> u8 {
        // SAFETY: `repr(u8)`: every value starts with its initialized tag byte.
        unsafe { *(self as *const Value as *const u8) }
    }

    /// Primitive equality (`rawequal`): no metamethods; `1 == 1.0`.
    /// Values of one variant compare their payloads (pointers for
    /// objects, the bits of integers and light userdata); of different
    /// variants only an integer and a float can be equal.
    #[inline]
    pub fn raw_eq(&self, other: &Value) -> bool {
        if self.tag() == other.tag() {
            match (self, other) {
                (Value::Nil, _) => true,
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::Float(a), Value::Float(b)) => a == b,
                (Value::Str(a), Value::Str(b)) => LuaStr::same(*a, *b),
                // SAFETY: every other variant has an 8-byte payload at
                // bytes 8..16 (`repr(u8)` layout), initialized; equal
                // integers, light userdata and object handles have equal
                // bits.
                _ => unsafe {
                    *(self as *const Value as *const u64).add(1)
                        == *(other as *const Value as *const u64).add(1)
                },
            }
        } else {
            match (self, other) {
                (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                    crate::number::int_eq_float(*a, *b)
                }
                _ => false,
            }
        }
    }

    /// The string bytes, if the value is a string.
    #[inline]
    pub fn as_str(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    /// The table handle, if the value is a table.
    #[inline]
    pub fn as_table(&self) -> Option<Gc<Table>> {
        match self {
            Value::Table(t) => Some(*t),
            _ => None,
        }
    }

    /// The address of a heap object (for `%p` and `tostring`), 0 for non-objects.
    pub fn addr(&self) -> usize {
        match self {
            Value::Str(g) => g.addr(),
            Value::Table(g) => g.addr(),
            Value::LuaFn(g) => g.addr(),
            Value::Native(g) => g.addr(),
            Value::UserData(g) => g.addr(),
            Value::Thread(g) => g.addr(),
            Value::LightUserData(p) => *p,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Value;

    #[test]
    fn value_is_16_bytes() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 16);
    }

    #[test]
    fn whole_value_stores_make_the_same_values() {
        let mut v = Value::Float(1.5);
        for x in [0, 1, -1, i64::MIN, i64::MAX] {
            Value::store_int(&mut v, x);
            assert!(matches!(v, Value::Int(y) if y == x));
        }
        for f in [0.0, -0.0, 2.5, f64::INFINITY] {
            Value::store_float(&mut v, f);
            assert!(matches!(v, Value::Float(g) if g.to_bits() == f.to_bits()));
        }
        Value::store_float(&mut v, f64::NAN);
        assert!(matches!(v, Value::Float(g) if g.is_nan()));
        for b in [false, true] {
            Value::store_bool(&mut v, b);
            assert!(matches!(v, Value::Bool(c) if c == b));
        }
        Value::store_nil(&mut v);
        assert!(v.is_nil());
        Value::store(&mut v, Value::Int(7));
        assert!(matches!(v, Value::Int(7)));
    }
}
