//! The `io` library. Standard output goes through the shared buffer of
//! `io_stdout.rs`, so `print` and `io.write` interleave correctly.

use crate::vm::Vm;

/// Registers the library in `vm`.
pub fn open(_vm: &mut Vm) {}

/// Writes out the buffered standard output (for the CLI before exiting,
/// `os.exit`, and anything about to write elsewhere).
pub fn flush_stdout(_vm: &mut Vm) {
    stdout_flush();
}

/// Appends bytes to the shared standard output buffer.
pub(crate) fn stdout_write(bytes: &[u8]) {
    let _ = super::io_stdout::write(bytes);
}

/// Flushes the shared standard output buffer.
pub(crate) fn stdout_flush() {
    let _ = super::io_stdout::flush();
}
