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
        if bytes > self.heap.limit().saturating_sub(self.heap.bytes_in_use()) {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// Counts `bytes` by which a table's parts grew (they are recounted
    /// exactly at the next collection) and raises the memory error once the
    /// heap is over the ceiling.
    #[cold]
    #[inline(never)]
    pub fn table_grew(&mut self, bytes: usize) -> LuaResult<()> {
        // the table reported the growth (`gc::account_resize`): fold it in;
        // no collection here (a store is not an allocation safe point)
        let _ = bytes;
        self.heap.absorb_growth();
        if self.heap.bytes > self.heap.limit() {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// `table_grew` inside a native function (no collection there: it may
    /// hold unrooted handles); the memory error once over the ceiling.
    #[inline]
    pub fn table_grew_in_native(&mut self, bytes: usize) -> LuaResult<()> {
        if bytes == 0 {
            return Ok(());
        }
        if self.heap.bytes_in_use() > self.heap.limit() {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// The memory error (its value is the `not enough memory` string).
    #[cold]
    pub fn memory_error(&mut self) -> LuaError {
        let mut e = LuaError::new(self.memory_error_value());
        e.memory = true;
        e
    }

    /// Whether `v` is the value of a memory error raised by this state
    /// (the `not enough memory` string: short strings are interned, so
    /// any string with that text; `LuaError::memory` tells a raised memory
    /// error apart).
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
    /// fails with the memory error instead of aborting. The whole buffer
    /// is checked against the ceiling (it is about to become an object).
    #[inline(always)]
    pub fn try_grow<T>(&mut self, buf: &mut Vec<T>, extra: usize) -> LuaResult<()> {
        if buf.capacity() - buf.len() >= extra {
            return Ok(());
        }
        self.try_grow_slow(buf, extra)
    }

    /// `try_grow` when the buffer must reallocate.
    #[inline(never)]
    fn try_grow_slow<T>(&mut self, buf: &mut Vec<T>, extra: usize) -> LuaResult<()> {
        // the whole buffer becomes one object: count all of it
        let bytes = buf
            .len()
            .saturating_add(extra)
            .saturating_mul(std::mem::size_of::<T>().max(1));
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
        assert!(e.memory);
        assert!(vm.memory_limit().is_some());
        let mut buf = Vec::<u8>::new();
        assert!(vm.try_extend(&mut buf, &[0u8; 5000]).is_err());
        vm.set_memory_limit(None);
        assert!(vm.try_extend(&mut buf, &[0u8; 5000]).is_ok());
    }

    fn run(vm: &mut Vm, src: &str) -> LuaResult<Vec<Value>> {
        let f = crate::load_text(vm, src.as_bytes(), b"=test")?;
        vm.pcall_function(f, &[])
    }

    #[test]
    fn growth_without_safe_points_hits_the_ceiling() {
        let mut vm = Vm::new();
        crate::stdlib::open_libs(&mut vm);
        vm.set_memory_limit(Some(vm.memory_in_use() + (4 << 20)));
        for src in [
            "local t = {} for i = 1, 1e9 do t[i] = i end",
            "local t = {} for i = 1, 1e9 do t[i + 0.5] = i end",
            "local t = {} for i = 1, 1e9 do t[i] = 'x' .. i end",
            "local t = {} for i = 1, 1e9 do table.insert(t, i) end",
            "local s = 'x' while true do s = s .. s end",
            "local s = string.rep('x', 1 << 21) return s:rep(2)",
            "local t = {} for i = 1, 100 do t[i] = string.rep('x', 1 << 16) end return table.concat(t)",
            "local s = string.rep('x', 3 << 20) return string.format('%s%s', s, s)",
            "local s = string.rep('\\0', 2 << 20) return string.format('%q', s)",
            "return string.pack('c' .. (1 << 30), '')",
            "local s = string.rep('x', 3 << 20) return string.pack('s4s4', s, s)",
            // a load reader's pieces: `load` returns the error value
            "local s = string.rep('x', 3 << 20) error(select(2, load(function() return s end)), 0)",
        ] {
            let e = run(&mut vm, src).unwrap_err();
            assert!(vm.is_memory_error(e.value), "{src}: {:?}", e.value.as_str());
            // raised by the memory check, except when Lua code re-raises the text
            assert!(e.memory || src.contains("error("), "{src}");
            // the garbage goes, the ceiling stays, and the state works
            vm.collect_garbage();
            assert!(vm.memory_limit().is_some());
            let r = run(&mut vm, "local t = {} for i = 1, 1000 do t[i] = i end return #t").unwrap();
            assert!(matches!(r.first(), Some(Value::Int(1000))));
        }
        // the same text raised by Lua code is an ordinary error: an xpcall
        // message handler runs for it (as in Lua)
        let r = run(
            &mut vm,
            "local ran = false
             xpcall(error, function(m) ran = true return m end, 'not enough memory', 0)
             return ran",
        )
        .unwrap();
        assert!(matches!(r.first(), Some(Value::Bool(true))));
        // caught by pcall, the error is the string value
        let r = run(
            &mut vm,
            "local t = {} return pcall(function() for i = 1, 1e9 do t[i] = i end end)",
        )
        .unwrap();
        assert_eq!(
            r.get(1).and_then(|v| v.as_str()),
            Some(MEMORY_ERROR.as_bytes())
        );
    }

    #[test]
    fn allocator_refusal_is_an_error() {
        let mut vm = Vm::new();
        let mut buf = Vec::<u64>::new();
        // more than `isize::MAX` bytes: refused without asking the allocator
        assert!(vm.try_grow(&mut buf, usize::MAX / 2).is_err());
    }
}
