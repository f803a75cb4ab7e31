//! Errors as values: a Lua error carries any Lua value.

use super::value::Value;

/// A Lua error in flight: the error value (any Lua value; usually a string
/// with a `chunk:line:` prefix) plus a traceback captured where it was raised
/// (filled in by the CLI's message handler, or `None`).
#[derive(Clone, Debug)]
pub struct LuaError {
    /// The error object.
    pub value: Value,
    /// Traceback text, when one was captured.
    pub traceback: Option<String>,
    /// Raised by the memory check (`Vm::memory_error`): an `xpcall`
    /// message handler does not run for it. (The value cannot tell: the
    /// `not enough memory` string is interned like any short string.)
    pub(crate) memory: bool,
}

/// Result of anything that can raise a Lua error.
pub type LuaResult<T> = Result<T, LuaError>;

impl LuaError {
    /// An error carrying `value`.
    pub fn new(value: Value) -> LuaError {
        LuaError {
            value,
            traceback: None,
            memory: false,
        }
    }
}
