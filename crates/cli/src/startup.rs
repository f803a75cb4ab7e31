//! Process start for `lunette`, which defines C's `main` itself
//! (`#![no_main]` in `src/bin/lunette.rs`) instead of letting the Rust
//! runtime start it.
//!
//! Why: the runtime's start-up asks the C library for the main thread's
//! stack bounds (`pthread_getattr_np`), only to name a stack overflow in
//! its message. glibc answers by parsing `/proc/self/maps` with stdio and
//! `sscanf`, which maps about 330 KB of the C library that nothing else
//! touches: a seventh of lunette's peak RSS on a small script, more than
//! lua5.4's whole binary. lunette bounds its native recursion itself (the
//! C-stack limit of `vm/call.rs`), so the overflow report is not needed.
//!
//! What the runtime's start and end did that lunette relies on is done
//! here, the same way:
//! - file descriptors 0-2 that are closed at start are opened on
//!   `/dev/null`, so that a file opened later never becomes standard output;
//! - SIGPIPE is ignored, so that writing to a closed pipe is the
//!   `BrokenPipe` error the standard library's I/O reports (and `print`
//!   turns into exit status 141, see `stdlib/io_stdout.rs`); child
//!   processes get SIGPIPE's default action back, as before;
//! - a panic (a bug) is reported by the panic hook and ends the process
//!   with status 101;
//! - Rust's standard output buffer is flushed at the end;
//! - the library gives a state created on the main thread (8 MB of stack)
//!   a larger native stack budget, recognising that thread by the name the
//!   runtime gave it; [`on_main_thread`] tells `lua_cmd.rs` to set it.

use std::ffi::{c_char, c_int};
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

extern "C" {
    fn signal(signum: c_int, handler: usize) -> usize;
    fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;
    fn open(path: *const c_char, flags: c_int, ...) -> c_int;
}

/// `SIGPIPE` on Linux.
const SIGPIPE: c_int = 13;
/// `SIG_IGN`.
const SIG_IGN: usize = 1;
/// `F_GETFD`.
const F_GETFD: c_int = 1;
/// `O_RDWR`.
const O_RDWR: c_int = 2;
/// `EBADF`.
const EBADF: i32 = 9;

/// Set by [`run`], which C's `main` calls on the process's main thread.
static MAIN_THREAD: AtomicBool = AtomicBool::new(false);

/// Whether the program was started by [`run`] and this is the thread it
/// ran on (the process's main thread).
pub fn on_main_thread() -> bool {
    MAIN_THREAD.load(Ordering::Relaxed) && is_first_thread()
}

/// Whether the calling thread is the process's first one (its thread id
/// is the process id).
fn is_first_thread() -> bool {
    extern "C" {
        fn gettid() -> c_int;
        fn getpid() -> c_int;
    }
    // SAFETY: both calls take no arguments and cannot fail.
    unsafe { gettid() == getpid() }
}

/// Runs `program` with the process arguments and returns the exit status
/// for C's `main` to return.
pub fn run(program: fn(&[String]) -> ExitCode) -> c_int {
    MAIN_THREAD.store(true, Ordering::Relaxed);
    reopen_closed_std_fds();
    // SAFETY: `signal` with `SIG_IGN` installs no handler of ours; it only
    // changes the disposition of SIGPIPE, before any thread is started.
    unsafe { signal(SIGPIPE, SIG_IGN) };
    let status = std::panic::catch_unwind(|| {
        let args: Vec<String> = std::env::args().collect();
        program(&args)
    });
    let _ = std::io::stdout().flush();
    match status {
        Ok(code) if code == ExitCode::SUCCESS => 0,
        Ok(_) => 1,
        Err(_) => 101,
    }
}

/// Opens `/dev/null` on each of the descriptors 0, 1 and 2 that is closed.
fn reopen_closed_std_fds() {
    for fd in 0..3 {
        // SAFETY: `F_GETFD` only reads the descriptor's flags; it takes no
        // pointer argument.
        let closed = unsafe { fcntl(fd, F_GETFD) } == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(EBADF);
        if closed {
            // SAFETY: the path is a NUL-terminated static string; `open`
            // returns the lowest free descriptor, which is `fd` (the lower
            // ones are open, or were reopened by earlier iterations). The
            // descriptor is meant to stay open for the process's life.
            unsafe { open(c"/dev/null".as_ptr(), O_RDWR) };
        }
    }
}
