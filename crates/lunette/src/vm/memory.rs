//! The memory ceiling and fallible allocation.
//!
//! A state may be given a ceiling on the bytes its heap holds
//! (`Vm::set_memory_limit`). Crossing it is the catchable Lua error
//! `not enough memory` (a string value, as Lua's own memory error), raised
//! in two places:
//! - at the interpreter's allocation safe points (`Vm::gc_check`): the
//!   collector's threshold never exceeds the ceiling, so a heap that grows
//!   past it is collected first, and the error is raised only when the live
//!   data still does not fit;
//! - before a single allocation whose size a script controls (string
//!   building, table growth), through `Vm::check_alloc` and the buffer
//!   helpers below, which also turn a real allocation failure of the Rust
//!   allocator (`try_reserve`) into the same error instead of an abort.
//!
//! `check_alloc` does not collect (it may run inside a native function that
//! holds unrooted handles); a request that would cross the ceiling fails
//! even if garbage could have made room. The threshold clamp keeps that
//! rare: the heap is collected whenever it reaches the ceiling.
//!
//! As in Lua, a memory error does not call an `xpcall` message handler.
//!
//! The command-line driver derives a ceiling from the process's address
//! space limit (`ulimit -v`), see `address_space_soft_limit`, so a script
//! that exhausts memory ends with the Lua error before the allocator fails.

use super::error::{LuaError, LuaResult};
use super::state::Vm;
use super::value::Value;

/// The message of a memory error.
pub const MEMORY_ERROR: &str = "not enough memory";

/// Registry key of the preallocated memory error string (the error is
/// recognised by identity, so `error("not enough memory")` is an ordinary error).
const MEMERR_KEY: &[u8] = b"_LUNETTE_MEMERR";

impl Vm {
    /// Sets (or, with `None`, removes) the ceiling on the bytes the heap
    /// holds. The ceiling stays until changed; allocations crossing it raise
    /// `not enough memory`.
    pub fn set_memory_limit(&mut self, limit: Option<usize>) {
        self.memory_error_value();
        self.heap.set_limit(limit.unwrap_or(usize::MAX));
    }

    /// The current memory ceiling, if any.
    pub fn memory_limit(&self) -> Option<usize> {
        match self.heap.limit() {
            usize::MAX => None,
            n => Some(n),
        }
    }

    /// Bytes the heap holds (the collector's count).
    pub fn memory_in_use(&self) -> usize {
        self.heap.bytes_in_use()
    }

    /// Fails with `not enough memory` when allocating `bytes` more would
    /// take the heap past the ceiling. Cheap: one comparison.
    #[inline]
    pub fn check_alloc(&mut self, bytes: usize) -> LuaResult<()> {
        if bytes > self.heap.limit().saturating_sub(self.heap.bytes) {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// The memory error (its value is the `not enough memory` string).
    #[cold]
    pub fn memory_error(&mut self) -> LuaError {
        LuaError::new(self.memory_error_value())
    }

    /// Whether `v` is the value of a memory error raised by this state.
    pub fn is_memory_error(&self, v: Value) -> bool {
        match (v, self.registry.raw_get_bytes(MEMERR_KEY)) {
            (Value::Str(a), Value::Str(b)) => crate::gc::Gc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The preallocated error string (created on first use).
    fn memory_error_value(&mut self) -> Value {
        let v = self.registry.raw_get_bytes(MEMERR_KEY);
        if !v.is_nil() {
            return v;
        }
        let k = self.new_str(MEMERR_KEY);
        let v = self.new_str(MEMORY_ERROR.as_bytes());
        // a string key is never nil or NaN
        let _ = self.registry.raw_set(k, v);
        v
    }

    /// An empty byte buffer with room for `cap` bytes, or the memory error
    /// (ceiling crossed or the allocator refused).
    pub fn try_buffer(&mut self, cap: usize) -> LuaResult<Vec<u8>> {
        let mut out = Vec::new();
        self.try_grow(&mut out, cap)?;
        Ok(out)
    }

    /// Makes room for `extra` more items in `buf` (amortized growth), or
    /// fails with the memory error instead of aborting.
    pub fn try_grow<T>(&mut self, buf: &mut Vec<T>, extra: usize) -> LuaResult<()> {
        if buf.capacity() - buf.len() >= extra {
            return Ok(());
        }
        let bytes = extra.saturating_mul(std::mem::size_of::<T>().max(1));
        self.check_alloc(bytes)?;
        if buf.try_reserve(extra).is_err() {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// Appends `bytes` to `buf`, failing with the memory error instead of
    /// aborting when the buffer cannot grow.
    #[inline]
    pub fn try_extend(&mut self, buf: &mut Vec<u8>, bytes: &[u8]) -> LuaResult<()> {
        self.try_grow(buf, bytes.len())?;
        buf.extend_from_slice(bytes);
        Ok(())
    }
}

/// A memory ceiling for a process whose address space is limited
/// (`ulimit -v`, `RLIMIT_AS`): three quarters of the limit, leaving the
/// rest for what the heap's count does not see (code, native stacks,
/// allocator overhead, table parts grown since the last collection).
/// `None` when the address space is unlimited or the limit is unknown.
pub fn address_space_soft_limit() -> Option<usize> {
    let limit = address_space_limit()?;
    Some(limit / 4 * 3)
}

/// The soft `RLIMIT_AS` of this process, read from `/proc/self/limits`
/// (Linux; `None` elsewhere or when unlimited).
fn address_space_limit() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max address space"))?;
    let soft = line
        .trim_start_matches("Max address space")
        .split_whitespace()
        .next()?;
    soft.parse::<usize>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_raises_catchable_error_and_stays() {
        let mut vm = Vm::new();
        assert_eq!(vm.memory_limit(), None);
        vm.set_memory_limit(Some(vm.memory_in_use() + 1000));
        assert!(vm.check_alloc(10).is_ok());
        let e = vm.check_alloc(1 << 20).unwrap_err();
        assert_eq!(e.value.as_str(), Some(MEMORY_ERROR.as_bytes()));
        assert!(vm.is_memory_error(e.value));
        let other = vm.new_str(MEMORY_ERROR.as_bytes());
        assert!(!vm.is_memory_error(other));
        assert!(vm.memory_limit().is_some());
        let mut buf = Vec::<u8>::new();
        assert!(vm.try_extend(&mut buf, &[0u8; 5000]).is_err());
        vm.set_memory_limit(None);
        assert!(vm.try_extend(&mut buf, &[0u8; 5000]).is_ok());
    }

    #[test]
    fn allocator_refusal_is_an_error() {
        let mut vm = Vm::new();
        let mut buf = Vec::<u64>::new();
        assert!(vm.try_grow(&mut buf, usize::MAX / 16).is_err());
    }
}
