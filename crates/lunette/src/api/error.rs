//! The error type of the embedding API.

use std::fmt;

/// What kind of failure an [`Error`] reports.
///
/// ```
/// use lunette::{ErrorKind, Lua};
/// let lua = Lua::new();
/// let e = lua.load("return +").exec().unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::Syntax);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A chunk did not compile.
    Syntax,
    /// A Lua error (raised by Lua code, a builtin, or passed through).
    Runtime,
    /// An allocation past the memory limit (`not enough memory`).
    Memory,
    /// The instruction budget ran out (uncatchable by Lua code).
    InstructionLimit,
    /// The script was stopped through an interrupt handle (uncatchable).
    Interrupted,
    /// An error made by Rust code ([`Error::runtime`]).
    External,
    /// A value could not be converted to or from Lua.
    Conversion,
    /// A user data value was already borrowed (or is of another type).
    UserDataBorrow,
    /// A host function panicked (the panic was caught).
    Panic,
}

/// An error of the embedding API. Its `Display` is the Lua error message
/// (for a Lua error, exactly what `pcall` would have returned as a string).
///
/// ```
/// let e = lunette::Error::runtime("out of cheese");
/// assert_eq!(e.to_string(), "out of cheese");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    traceback: Option<String>,
    /// The argument a conversion failed on (1-based), for `bad argument`.
    arg: Option<usize>,
}

/// The result type of the embedding API.
///
/// ```ignore
/// fn answer(lua: &lunette::Lua) -> lunette::Result<i64> {
///     lua.load("return 6 * 7").eval()
/// }
/// assert_eq!(answer(&lunette::Lua::new())?, 42);
/// # Ok::<(), lunette::Error>(())
/// ```
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error raised by host code; when it reaches Lua it becomes a Lua
    /// error with this message (prefixed by the calling Lua code's position),
    /// which `pcall` catches.
    ///
    /// ```
    /// use lunette::{Error, Lua};
    /// let lua = Lua::new();
    /// let f = lua.create_function(|_, ()| -> lunette::Result<()> { Err(Error::runtime("no")) })?;
    /// lua.globals().set("f", f)?;
    /// let msg: String = lua.load("local ok, e = pcall(f) return e").eval()?;
    /// assert!(msg.ends_with("no"));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn runtime(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::External, message)
    }

    /// An error of `kind` with `message`.
    ///
    /// ```ignore
    /// use lunette::{Error, ErrorKind};
    /// let e = Error::new(ErrorKind::Conversion, "bad");
    /// assert_eq!(e.kind(), ErrorKind::Conversion);
    /// ```
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            traceback: None,
            arg: None,
        }
    }

    /// The same error carrying `traceback`.
    ///
    /// ```ignore
    /// let e = lunette::Error::runtime("x").with_traceback("stack traceback:");
    /// assert_eq!(e.traceback(), Some("stack traceback:"));
    /// ```
    pub fn with_traceback(mut self, traceback: impl Into<String>) -> Error {
        self.traceback = Some(traceback.into());
        self
    }

    /// The kind of error.
    ///
    /// ```ignore
    /// assert_eq!(lunette::Error::runtime("x").kind(), lunette::ErrorKind::External);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message (what `Display` prints).
    ///
    /// ```ignore
    /// assert_eq!(lunette::Error::runtime("x").message(), "x");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `stack traceback:` text captured where a Lua error was raised,
    /// when one was.
    ///
    /// ```ignore
    /// let lua = lunette::Lua::new();
    /// let e = lua.load("error('boom')").exec().unwrap_err();
    /// assert!(e.traceback().unwrap().contains("stack traceback:"));
    /// ```
    pub fn traceback(&self) -> Option<&str> {
        self.traceback.as_deref()
    }

    /// Whether Lua code cannot catch this error (a limit stop or an interrupt).
    ///
    /// ```ignore
    /// assert!(!lunette::Error::runtime("x").is_uncatchable());
    /// ```
    pub fn is_uncatchable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::InstructionLimit | ErrorKind::Interrupted
        )
    }

    /// Marks a conversion error as one of argument `i` (when not yet marked).
    pub(crate) fn at_arg(mut self, i: usize) -> Error {
        if self.kind == ErrorKind::Conversion && self.arg.is_none() {
            self.arg = Some(i);
        }
        self
    }

    /// Shifts the argument position of a conversion error by `n`.
    pub(crate) fn shift_arg(mut self, n: usize) -> Error {
        if let Some(a) = self.arg.as_mut() {
            *a += n;
        }
        self
    }

    /// The argument a conversion error is about (1-based).
    pub(crate) fn arg_position(&self) -> Option<usize> {
        self.arg
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
