//! The stream behind a Lua file handle: a file, a pipe or a standard
//! stream, with its own read buffer and write buffer (standard output
//! shares the process-wide buffer of `io_stdout.rs`). Every open stream is
//! remembered weakly so `os.exit` and the end of the program flush them.

use super::io_stdout::{self, BufferMode};
use std::cell::RefCell;
use std::io::{Read, Seek, SeekFrom, Write};
use std::process::{Child, ChildStdin, ChildStdout};
use std::rc::{Rc, Weak};

/// Where the bytes go or come from.
pub enum Stream {
    /// The process's standard input.
    Stdin,
    /// The process's standard output (shared buffer).
    Stdout,
    /// The process's standard error (unbuffered).
    Stderr,
    /// A file on disk.
    File(std::fs::File),
    /// The output of a command run by `io.popen(cmd, "r")`.
    PipeIn(Child, ChildStdout),
    /// The input of a command run by `io.popen(cmd, "w")`.
    PipeOut(Child, Option<ChildStdin>),
}

/// The state of one Lua file handle.
pub struct LuaFile {
    /// `None` once closed.
    pub stream: Option<Stream>,
    read_buf: Vec<u8>,
    read_pos: usize,
    write_buf: Vec<u8>,
    mode: BufferMode,
    can_read: bool,
    can_write: bool,
}

/// A shared handle (the userdata holds one, the open-file list a weak one).
pub type FileRef = Rc<RefCell<LuaFile>>;

const CHUNK: usize = 1 << 16;

thread_local! {
    static OPEN_FILES: RefCell<OpenFiles> = const { RefCell::new(OpenFiles(Vec::new())) };
}

struct OpenFiles(Vec<Weak<RefCell<LuaFile>>>);

impl Drop for OpenFiles {
    fn drop(&mut self) {
        // at thread exit: files only (standard output flushes itself, and
        // its buffer may already be gone)
        for f in self.0.drain(..).filter_map(|w| w.upgrade()) {
            if let Ok(mut f) = f.try_borrow_mut() {
                if !f.is_standard() {
                    let _ = f.flush();
                }
            }
        }
    }
}

/// Flushes every open stream (the C library does so at `exit`).
pub fn flush_all() {
    let files: Vec<FileRef> = OPEN_FILES
        .try_with(|l| {
            let mut l = l.borrow_mut();
            l.0.retain(|w| w.strong_count() > 0);
            l.0.iter().filter_map(|w| w.upgrade()).collect()
        })
        .unwrap_or_default();
    for f in files {
        if let Ok(mut f) = f.try_borrow_mut() {
            let _ = f.flush();
        }
    }
    let _ = io_stdout::flush();
}

/// The ESPIPE error for streams that cannot seek.
fn illegal_seek() -> std::io::Error {
    std::io::Error::from_raw_os_error(29)
}

impl LuaFile {
    /// Wraps a stream into a new shared handle.
    pub fn new_ref(stream: Stream) -> FileRef {
        let mode = match stream {
            Stream::Stderr => BufferMode::Unbuffered,
            _ => BufferMode::Full,
        };
        let can_read = !matches!(
            stream,
            Stream::Stdout | Stream::Stderr | Stream::PipeOut(..)
        );
        let can_write = !matches!(stream, Stream::Stdin | Stream::PipeIn(..));
        let f = Rc::new(RefCell::new(LuaFile {
            stream: Some(stream),
            read_buf: Vec::new(),
            read_pos: 0,
            write_buf: Vec::new(),
            can_read,
            can_write,
            mode,
        }));
        let _ = OPEN_FILES.try_with(|l| {
            let mut l = l.borrow_mut();
            if l.0.len() > 64 {
                l.0.retain(|w| w.strong_count() > 0);
            }
            l.0.push(Rc::downgrade(&f));
        });
        f
    }

    /// Restricts the operations allowed (from the `io.open` mode).
    pub fn set_access(&mut self, can_read: bool, can_write: bool) {
        self.can_read = can_read;
        self.can_write = can_write;
    }

    /// Whether the handle was closed.
    pub fn is_closed(&self) -> bool {
        self.stream.is_none()
    }

    /// Whether this is one of the three standard streams.
    pub fn is_standard(&self) -> bool {
        matches!(
            self.stream,
            Some(Stream::Stdin | Stream::Stdout | Stream::Stderr)
        )
    }

    fn raw_write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.stream {
            Some(Stream::Stdout) => io_stdout::write(bytes),
            Some(Stream::Stderr) => {
                let _ = io_stdout::flush();
                std::io::stderr().write_all(bytes)
            }
            Some(Stream::File(f)) => f.write_all(bytes),
            Some(Stream::PipeOut(_, Some(p))) => p.write_all(bytes),
            _ => Err(std::io::Error::from_raw_os_error(9)),
        }
    }

    /// Writes out the write buffer.
    pub fn flush(&mut self) -> std::io::Result<()> {
        if !self.write_buf.is_empty() {
            let buf = std::mem::take(&mut self.write_buf);
            self.raw_write(&buf)?;
        }
        match &mut self.stream {
            Some(Stream::Stdout) => io_stdout::flush(),
            Some(Stream::PipeOut(_, Some(p))) => p.flush(),
            _ => Ok(()),
        }
    }

    /// Drops unread buffered input, moving a seekable file back to the
    /// logical position.
    fn discard_read_buffer(&mut self) -> std::io::Result<()> {
        let unread = self.read_buf.len() - self.read_pos;
        self.read_buf.clear();
        self.read_pos = 0;
        if unread > 0 {
            if let Some(Stream::File(f)) = &mut self.stream {
                f.seek(SeekFrom::Current(-(unread as i64)))?;
            }
        }
        Ok(())
    }

    /// Appends bytes to the stream.
    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if !self.can_write {
            return Err(std::io::Error::from_raw_os_error(9));
        }
        if self.read_pos < self.read_buf.len() {
            self.discard_read_buffer()?;
        }
        if let Some(Stream::Stdout) = self.stream {
            return io_stdout::write(bytes);
        }
        match self.mode {
            BufferMode::Unbuffered => {
                self.flush()?;
                self.raw_write(bytes)
            }
            BufferMode::Line | BufferMode::Full if bytes.len() >= CHUNK => {
                // a large write goes out directly (no copy of a string
                // whose size the script chose)
                self.flush()?;
                self.raw_write(bytes)
            }
            BufferMode::Line | BufferMode::Full => {
                self.write_buf.extend_from_slice(bytes);
                let line_done = self.mode == BufferMode::Line && bytes.contains(&b'\n');
                if line_done || self.write_buf.len() >= CHUNK {
                    self.flush()
                } else {
                    Ok(())
                }
            }
        }
    }

    /// Refills the read buffer; `Ok(false)` at end of file.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.read_pos < self.read_buf.len() {
            return Ok(true);
        }
        if !self.can_read {
            return Err(std::io::Error::from_raw_os_error(9));
        }
        if !self.write_buf.is_empty() {
            self.flush()?;
        }
        self.read_buf.resize(CHUNK, 0);
        self.read_pos = 0;
        let n = match &mut self.stream {
            Some(Stream::Stdin) => {
                let _ = io_stdout::flush();
                std::io::stdin().read(&mut self.read_buf)
            }
            Some(Stream::File(f)) => f.read(&mut self.read_buf),
            Some(Stream::PipeIn(_, p)) => p.read(&mut self.read_buf),
            _ => Err(std::io::Error::from_raw_os_error(9)),
        };
        let n = match n {
            Ok(n) => n,
            Err(e) => {
                self.read_buf.clear();
                return Err(e);
            }
        };
        self.read_buf.truncate(n);
        Ok(n > 0)
    }

    /// The next byte without consuming it.
    pub fn peek(&mut self) -> std::io::Result<Option<u8>> {
        if self.fill()? {
            Ok(Some(self.read_buf[self.read_pos]))
        } else {
            Ok(None)
        }
    }

    /// Consumes one byte (after `peek`).
    pub fn advance(&mut self) {
        if self.read_pos < self.read_buf.len() {
            self.read_pos += 1;
        }
    }

    /// Reads a line; `keep_newline` keeps its `\n`. `None` at end of file.
    pub fn read_line(&mut self, keep_newline: bool) -> std::io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        let mut any = false;
        while self.fill()? {
            any = true;
            let avail = &self.read_buf[self.read_pos..];
            if let Some(p) = avail.iter().position(|&c| c == b'\n') {
                append(&mut line, &avail[..p])?;
                if keep_newline {
                    line.push(b'\n');
                }
                self.read_pos += p + 1;
                return Ok(Some(line));
            }
            append(&mut line, avail)?;
            self.read_pos = self.read_buf.len();
        }
        Ok(if any { Some(line) } else { None })
    }

    /// Reads up to `n` bytes; `None` when at end of file (and n > 0 or 0).
    pub fn read_bytes(&mut self, n: u64) -> std::io::Result<Option<Vec<u8>>> {
        let mut out = Vec::new();
        if n == 0 {
            return Ok(if self.fill()? { Some(out) } else { None });
        }
        while (out.len() as u64) < n && self.fill()? {
            let avail = &self.read_buf[self.read_pos..];
            let take = avail.len().min((n - out.len() as u64) as usize);
            append(&mut out, &avail[..take])?;
            self.read_pos += take;
        }
        Ok(if out.is_empty() { None } else { Some(out) })
    }

    /// Reads everything left.
    pub fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while self.fill()? {
            append(&mut out, &self.read_buf[self.read_pos..])?;
            self.read_pos = self.read_buf.len();
        }
        Ok(out)
    }

    /// Moves to `pos` and returns the new offset from the start.
    pub fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.flush()?;
        let unread = (self.read_buf.len() - self.read_pos) as i64;
        self.read_buf.clear();
        self.read_pos = 0;
        match &mut self.stream {
            Some(Stream::File(f)) => {
                let pos = match pos {
                    SeekFrom::Current(off) => SeekFrom::Current(off - unread),
                    other => other,
                };
                f.seek(pos)
            }
            _ => Err(illegal_seek()),
        }
    }

    /// Changes the buffering mode.
    pub fn set_mode(&mut self, mode: BufferMode) -> std::io::Result<()> {
        self.flush()?;
        self.mode = mode;
        if let Some(Stream::Stdout) = self.stream {
            io_stdout::set_mode(mode)?;
        }
        Ok(())
    }

    /// Flushes and closes the stream; for pipes, waits for the command and
    /// returns its exit status (`Some((signalled, code))`).
    pub fn close(&mut self) -> std::io::Result<Option<(bool, i32)>> {
        let flushed = self.flush();
        let stream = self.stream.take();
        self.read_buf.clear();
        self.read_pos = 0;
        let status = match stream {
            Some(Stream::PipeIn(mut child, out)) => {
                drop(out);
                Some(child.wait()?)
            }
            Some(Stream::PipeOut(mut child, input)) => {
                drop(input);
                Some(child.wait()?)
            }
            _ => None,
        };
        flushed?;
        Ok(status.map(|st| {
            use std::os::unix::process::ExitStatusExt;
            match (st.code(), st.signal()) {
                (Some(c), _) => (false, c),
                (None, Some(s)) => (true, s),
                _ => (false, 1),
            }
        }))
    }
}

impl Drop for LuaFile {
    /// A handle freed by the collector without `close` still writes out
    /// what it buffered (as closing it would).
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Creates a new empty file with a unique name in the temporary directory
/// (`tmpname`/`tmpfile`); returns its path and the open file.
pub fn create_temp_file() -> Option<(String, std::fs::File)> {
    let dir = std::env::temp_dir();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
        ^ u64::from(std::process::id()).rotate_left(32);
    for attempt in 0..100u64 {
        let mut x = seed.wrapping_add(attempt.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut name = String::from("lua_");
        for _ in 0..6 {
            let c = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                [(x % 62) as usize];
            name.push(c as char);
            x /= 62;
        }
        let path = dir.join(name);
        if let Ok(f) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            return Some((path.to_string_lossy().into_owned(), f));
        }
    }
    None
}

/// Appends read bytes to a result buffer, failing with
/// `ErrorKind::OutOfMemory` (Lua's memory error for the reader) instead of
/// aborting when the buffer cannot grow: a file may be larger than memory
/// (`io.read("a")` of `/dev/zero`).
fn append(out: &mut Vec<u8>, bytes: &[u8]) -> std::io::Result<()> {
    out.try_reserve(bytes.len())
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::OutOfMemory))?;
    out.extend_from_slice(bytes);
    Ok(())
}
