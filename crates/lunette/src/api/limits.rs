//! [`Limits`]: the hard limits a host sets on a state (`Lua::set_limits`).

/// Limits on what scripts may use. `None` means unlimited.
///
/// * `instructions`: budget of VM instructions for each host entry
///   (`exec`, `eval`, `call`, ...). Builtins charge it in proportion to
///   their work. Exceeding it raises an error (`instruction limit
///   exceeded`) that Lua code cannot catch.
/// * `memory`: ceiling on bytes held by the state; an allocation past it
///   raises the catchable Lua error `not enough memory`.
/// * `call_depth`: maximum number of nested calls of one coroutine; past
///   it a call raises `stack overflow` (catchable, as in Lua).
///
/// ```
/// use lunette::{Limits, Lua};
/// let sb = Lua::sandboxed();
/// sb.set_limits(Limits { instructions: Some(1_000_000), memory: Some(16 << 20), call_depth: Some(200) });
/// assert_eq!(sb.limits().call_depth, Some(200));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Instruction budget of one host entry.
    pub instructions: Option<u64>,
    /// Memory ceiling in bytes.
    pub memory: Option<usize>,
    /// Maximum call depth.
    pub call_depth: Option<usize>,
}

/// Sets the memory ceiling of `vm` (the mechanism is `vm/memory.rs`).
pub(crate) fn apply_memory_limit(vm: &mut crate::vm::Vm, limit: Option<usize>) {
    vm.set_memory_limit(limit);
}
