//! The array part of a table: a growable buffer of values for the keys
//! `1..=len`, stored as a raw pointer and two 32-bit sizes (16 bytes
//! instead of a `Vec`'s 24, which keeps a `Table` at 48 bytes).
//!
//! The buffer is always a `Vec<Value>`'s allocation taken apart: growth
//! and shrinking rebuild the `Vec` for the duration of one operation, so
//! allocation, reallocation and freeing are the standard library's. An
//! empty part allocates nothing (a dangling pointer with capacity 0).

use super::value::Value;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;

/// Largest length the array part may reach (far beyond any memory limit;
/// keeps doubled capacities within `u32`).
const MAX_LEN: usize = 1 << 30;

/// The array part (see the module documentation).
pub(crate) struct ArrayPart {
    ptr: NonNull<Value>,
    len: u32,
    cap: u32,
}

impl ArrayPart {
    /// An array part of `n` nil slots (exact capacity; nothing allocated
    /// when `n` is 0). `n` is capped by the caller.
    pub(crate) fn with_nils(n: usize) -> ArrayPart {
        let mut a = ArrayPart {
            ptr: NonNull::dangling(),
            len: 0,
            cap: 0,
        };
        if n > 0 {
            a.store(vec![Value::Nil; n.min(MAX_LEN)]);
        }
        a
    }

    /// Takes ownership of a vector's buffer.
    fn store(&mut self, v: Vec<Value>) {
        debug_assert!(v.capacity() <= u32::MAX as usize);
        let mut v = ManuallyDrop::new(v);
        self.len = v.len() as u32;
        self.cap = v.capacity() as u32;
        // SAFETY: a `Vec`'s pointer is never null (dangling when empty).
        self.ptr = unsafe { NonNull::new_unchecked(v.as_mut_ptr()) };
    }

    /// Runs `f` on the buffer as a `Vec`, then takes it back. `f` must not
    /// grow the vector past `MAX_LEN` items or twice that capacity (callers
    /// check lengths first and reserve with `try_reserve*`).
    fn with_vec<R>(&mut self, f: impl FnOnce(&mut Vec<Value>) -> R) -> R {
        // SAFETY: `ptr`, `len` and `cap` always describe a `Vec<Value>`'s
        // allocation (see `store`), and this part owns it; the rebuilt
        // vector is stored back below before anyone else can look.
        let mut v = unsafe { Vec::from_raw_parts(self.ptr.as_ptr(), self.len(), self.cap()) };
        let r = f(&mut v);
        self.store(v);
        r
    }

    /// Number of slots (keys `1..=len`, nil slots included).
    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    /// Allocated capacity in values.
    #[inline(always)]
    pub(crate) fn cap(&self) -> usize {
        self.cap as usize
    }

    /// The slots.
    #[inline(always)]
    pub(crate) fn as_slice(&self) -> &[Value] {
        // SAFETY: `ptr` points to `len` initialised values (or is dangling
        // with `len == 0`), owned by this part.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len()) }
    }

    /// The slots, mutably.
    #[inline(always)]
    pub(crate) fn as_mut_slice(&mut self) -> &mut [Value] {
        // SAFETY: as `as_slice`, with exclusive access through `&mut self`.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len()) }
    }

    /// The value in slot `idx` (`idx < len`, checked by the caller).
    #[inline(always)]
    pub(crate) fn get(&self, idx: usize) -> Value {
        debug_assert!(idx < self.len());
        // SAFETY: the caller checked `idx < len`; slots below `len` are
        // initialised.
        unsafe { *self.ptr.as_ptr().add(idx) }
    }

    /// Stores into slot `idx` (`idx < len`, checked by the caller).
    #[inline(always)]
    pub(crate) fn set(&mut self, idx: usize, v: Value) {
        debug_assert!(idx < self.len());
        // SAFETY: as `get`, with exclusive access through `&mut self`.
        unsafe { *self.ptr.as_ptr().add(idx) = v }
    }

    /// Appends a value, growing the buffer geometrically; `Err` when it
    /// cannot grow.
    #[inline]
    pub(crate) fn push(&mut self, v: Value) -> Result<(), ()> {
        if self.len < self.cap {
            // SAFETY: `len < cap`, so the slot is inside the allocation;
            // it becomes initialised and counted below.
            unsafe { self.ptr.as_ptr().add(self.len()).write(v) };
            self.len += 1;
            return Ok(());
        }
        self.push_grow(v)
    }

    #[inline(never)]
    fn push_grow(&mut self, v: Value) -> Result<(), ()> {
        if self.len() >= MAX_LEN {
            return Err(());
        }
        self.with_vec(|vec| {
            vec.try_reserve(1).map_err(|_| ())?;
            vec.push(v);
            Ok(())
        })
    }

    /// Grows to `n` slots (new ones nil), allocating exactly; `Err` when
    /// the buffer cannot grow.
    pub(crate) fn grow_to(&mut self, n: usize) -> Result<(), ()> {
        if n <= self.len() {
            return Ok(());
        }
        if n > MAX_LEN {
            return Err(());
        }
        self.with_vec(|vec| {
            vec.try_reserve_exact(n - vec.len()).map_err(|_| ())?;
            vec.resize(n, Value::Nil);
            Ok(())
        })
    }

    /// Shrinks to `n` slots and releases the spare capacity.
    pub(crate) fn truncate_to(&mut self, n: usize) {
        self.with_vec(|vec| {
            vec.truncate(n);
            vec.shrink_to_fit();
        });
    }
}

impl Drop for ArrayPart {
    fn drop(&mut self) {
        self.with_vec(|vec| {
            vec.clear();
            vec.shrink_to_fit();
        });
    }
}
