//! The process's standard output buffer, shared by `print`, `io.write` and
//! `io.stdout:write` so that their output keeps its order. Buffered fully
//! when stdout is a pipe or file, by line when it is a terminal (like C's
//! stdio); flushed when large, by `io.flush`/`os.exit`/the CLI, and when
//! the thread ends.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};

/// How the buffer is flushed (`file:setvbuf`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BufferMode {
    /// Every write goes out at once (`"no"`).
    Unbuffered,
    /// Flushed at each newline (`"line"`).
    Line,
    /// Flushed when the buffer is full (`"full"`).
    Full,
}

const FLUSH_AT: usize = 1 << 16;

struct StdoutBuffer {
    bytes: Vec<u8>,
    mode: BufferMode,
}

impl StdoutBuffer {
    fn flush(&mut self) -> std::io::Result<()> {
        if self.bytes.is_empty() {
            return Ok(());
        }
        let mut out = std::io::stdout().lock();
        let r = out.write_all(&self.bytes).and_then(|_| out.flush());
        self.bytes.clear();
        r
    }
}

/// Standard output was closed by its reader (`| head`): C's Lua dies of
/// SIGPIPE there; end the process the same way instead of running on.
fn exit_on_broken_pipe(r: std::io::Result<()>) -> std::io::Result<()> {
    if let Err(e) = &r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(128 + 13);
        }
    }
    r
}

impl Drop for StdoutBuffer {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

thread_local! {
    static STDOUT: RefCell<StdoutBuffer> = RefCell::new(StdoutBuffer {
        bytes: Vec::new(),
        mode: if std::io::stdout().is_terminal() { BufferMode::Line } else { BufferMode::Full },
    });
}

/// Appends `bytes` to standard output (flushing as the mode says). Once
/// the thread's buffer is gone (process exit), writes go straight out.
pub fn write(bytes: &[u8]) -> std::io::Result<()> {
    let r = STDOUT.try_with(|b| {
        let mut b = b.borrow_mut();
        if bytes.len() >= FLUSH_AT {
            // a large write goes out directly (the buffer does not copy a
            // string whose size the script chose)
            b.flush()?;
            let mut out = std::io::stdout().lock();
            return out.write_all(bytes).and_then(|_| out.flush());
        }
        b.bytes.extend_from_slice(bytes);
        let must_flush = match b.mode {
            BufferMode::Unbuffered => true,
            BufferMode::Line => bytes.contains(&b'\n'),
            BufferMode::Full => b.bytes.len() >= FLUSH_AT,
        };
        if must_flush {
            b.flush()
        } else {
            Ok(())
        }
    });
    match r {
        Ok(r) => exit_on_broken_pipe(r),
        Err(_) => std::io::stdout().write_all(bytes),
    }
}

/// Writes out everything buffered.
pub fn flush() -> std::io::Result<()> {
    match STDOUT.try_with(|b| b.borrow_mut().flush()) {
        Ok(r) => exit_on_broken_pipe(r),
        Err(_) => std::io::stdout().flush(),
    }
}

/// Changes the buffering mode (flushing first).
pub fn set_mode(mode: BufferMode) -> std::io::Result<()> {
    STDOUT
        .try_with(|b| {
            let mut b = b.borrow_mut();
            b.mode = mode;
            b.flush()
        })
        .unwrap_or(Ok(()))
}
