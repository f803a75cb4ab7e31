//! Ctrl-C while Lua code runs, as `lua` handles it: the first SIGINT makes
//! the running chunk raise the catchable error `interrupted!`; a second one
//! during the same run, or one while no chunk runs, does what SIGINT does by
//! default (ends the process).
//!
//! The signal handler only stores into atomics (the state lives in
//! `STATE`, the request in the VM's [`InterruptHandle`]), so it is
//! async-signal-safe.

use lunette::vm::limits::InterruptHandle;
use lunette::Vm;
use signal_hook::consts::SIGINT;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// No chunk runs: SIGINT ends the process.
const IDLE: u8 = 0;
/// A chunk runs and no SIGINT came yet: the next one interrupts it.
const ARMED: u8 = 1;
/// A chunk runs and was already interrupted: SIGINT ends the process.
const FIRED: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(IDLE);

/// The VM's interrupt handle, once the handler is installed.
static HANDLE: OnceLock<InterruptHandle> = OnceLock::new();

/// Installs the SIGINT handler (once per process) for `vm`.
fn install(vm: &Vm) {
    if HANDLE.get().is_some() {
        return;
    }
    let handle = vm.interrupt_handle();
    let in_handler = handle.clone();
    if HANDLE.set(handle).is_err() {
        return;
    }
    let action = move || {
        if STATE
            .compare_exchange(ARMED, FIRED, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            in_handler.interrupt_catchable();
        } else {
            // outside a run, or the second Ctrl-C: SIGINT's default action
            let _ = signal_hook::low_level::emulate_default_handler(SIGINT);
        }
    };
    // SAFETY: the action only does atomic loads and stores (the state above
    // and the handle's request) or re-raises the signal with its default
    // disposition, all async-signal-safe; it allocates nothing and takes no
    // lock.
    let _ = unsafe { signal_hook::low_level::register(SIGINT, action) };
}

/// While alive, SIGINT interrupts the VM's running chunk (see the module
/// docs); dropping it restores SIGINT's default action and withdraws an
/// interrupt the chunk did not see.
pub struct Armed(());

impl Armed {
    /// Arms the handler for one run of `vm`.
    pub fn new(vm: &Vm) -> Armed {
        install(vm);
        STATE.store(ARMED, Ordering::SeqCst);
        Armed(())
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        STATE.store(IDLE, Ordering::SeqCst);
        if let Some(h) = HANDLE.get() {
            h.clear();
        }
    }
}
