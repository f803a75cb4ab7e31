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

/// Appends `bytes` to standard output (flushing as the mode says).
pub fn write(bytes: &[u8]) -> std::io::Result<()> {
    STDOUT.with(|b| {
        let mut b = b.borrow_mut();
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
    })
}

/// Writes out everything buffered.
pub fn flush() -> std::io::Result<()> {
    STDOUT.with(|b| b.borrow_mut().flush())
}

/// Changes the buffering mode (flushing first).
pub fn set_mode(mode: BufferMode) -> std::io::Result<()> {
    STDOUT.with(|b| {
        let mut b = b.borrow_mut();
        b.mode = mode;
        b.flush()
    })
}
