//! Protected calls from Rust: call a Lua value and, on error, restore the
//! frame list and stack to where they were (what `lua_pcall` does for C).

use super::error::LuaResult;
use super::state::Vm;
use super::value::Value;

impl Vm {
    /// Calls `f` with `args`; on error, unwinds everything the call pushed
    /// (closing its upvalues and to-be-closed variables) and returns the
    /// error, leaving the state as it was before the call.
    pub fn pcall_function(&mut self, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        let depth = self.frames.len();
        let level = self.stack.len();
        let ccalls = self.n_ccalls;
        let protected = self.n_protected;
        match self.call_function(f, args) {
            Ok(v) => Ok(v),
            Err(e) => {
                let e = self.unwind(depth, level, e);
                self.n_ccalls = ccalls;
                self.n_protected = protected;
                Err(e)
            }
        }
    }
}
