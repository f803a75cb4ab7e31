//! Ctrl-C while Lua code runs (placeholder until the VM's interrupt handle
//! lands: SIGINT keeps its default action).

use lunette::Vm;

/// While alive, SIGINT would interrupt the VM's running chunk.
pub struct Armed(());

impl Armed {
    /// Arms the handler for one run of `vm`.
    pub fn new(_vm: &Vm) -> Armed {
        Armed(())
    }
}
