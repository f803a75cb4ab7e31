//! The compiler: scopes, register allocation and code generation from the
//! AST into `Proto`s of register bytecode.
//!
//! The code generator follows the structure of Lua 5.4's single-pass code
//! generator (expression descriptors with pending jump lists, registers
//! allocated as a stack), so the instruction sequences it emits have the
//! same shapes as the reference implementation's.
//!
//! Files: `cond.rs` (tests and jump lists of conditions), `func.rs` (per-function state, emission, constants, registers,
//! jump lists), `expr.rs` (expression descriptors and their discharge),
//! `ops.rs` (operators), `fold.rs` (constant folding), `scope.rs` (blocks,
//! locals, upvalues, labels and gotos), `exprs.rs` (AST expressions),
//! `stat.rs` (AST statements), `near.rs` (the token named by register
//! errors).

mod cond;
mod expr;
mod exprs;
mod fold;
mod func;
mod near;
mod ops;
mod scope;
mod stat;

#[cfg(test)]
mod snapshots;
#[cfg(test)]
mod tests;

use crate::bytecode::chunkid::chunk_id;
use crate::bytecode::{Constant, Proto};
use crate::syntax::{ast, SyntaxError};
use func::FuncState;
use std::rc::Rc;

/// Result type of the compiler's internal steps.
type CResult<T> = Result<T, SyntaxError>;

/// Maximum nesting of expressions/statements/functions the compiler
/// accepts (guards the Rust stack against deep input).
const MAX_LEVELS: u32 = 400;

/// The kind of a local variable (same numbering as `UpvalDesc::kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VarKind {
    /// A regular variable.
    Regular = 0,
    /// `<const>` variable living in a register.
    Const = 1,
    /// `<close>` variable.
    ToClose = 2,
    /// `<const>` variable folded at compile time (no register).
    CompileTime = 3,
}

/// An active local variable.
#[derive(Clone, Debug)]
struct VarDesc {
    name: ast::Name,
    kind: VarKind,
    /// Register holding the variable (unused for compile-time constants).
    reg: u32,
    /// Index of the variable's debug entry in `Proto::locvars`.
    debug_index: usize,
    /// Value of a compile-time constant.
    value: Constant,
}

/// A pending goto or a visible label.
#[derive(Clone, Debug)]
struct LabelDesc {
    name: ast::Name,
    line: u32,
    /// Label position, or the goto's jump list.
    pc: i32,
    /// Number of active variables at that point.
    nactvar: usize,
    /// Whether a goto leaving scopes needs to close upvalues.
    close: bool,
}

/// The whole compilation: the function being compiled, its enclosing
/// functions, and the data shared by all of them.
struct Compiler {
    chunkname: Rc<[u8]>,
    /// The function being compiled.
    fs: FuncState,
    /// Enclosing functions, outermost first.
    enclosing: Vec<FuncState>,
    /// Active local variables of all open functions.
    actvar: Vec<VarDesc>,
    /// Visible labels of all open functions.
    labels: Vec<LabelDesc>,
    /// Pending gotos of all open functions.
    gotos: Vec<LabelDesc>,
    /// Current nesting depth.
    depth: u32,
    /// Constant -> index cache shared by all functions (entries are
    /// checked against the current function's table before reuse).
    kcache: std::collections::HashMap<func::ConstKey, u32>,
    /// Line of `<eof>`, when the source text is known.
    eof_line: Option<u32>,
    /// A register-limit error is on its way out and still lacks its
    /// ` near <token>` suffix (see `near.rs`).
    near_owed: bool,
    /// The token after the code being compiled, when known (`','` inside
    /// a list, `')'` inside parentheses, an operator after its left
    /// operand); names the token of errors raised once a construct is
    /// complete (see `near.rs`).
    follow: Option<&'static str>,
}

/// Compiles a parsed chunk into the main function's prototype. Errors
/// (e.g. `attempt to assign to const variable 'x'`, goto/label errors, too
/// many registers) are formatted like syntax errors.
pub fn compile(chunk: &ast::Chunk, chunkname: &[u8]) -> Result<Rc<Proto>, SyntaxError> {
    compile_chunk(chunk, chunkname, None)
}

/// Compiles with the line of `<eof>` known (errors detected at the end of
/// the main chunk, like unresolved gotos, are reported on that line).
fn compile_chunk(
    chunk: &ast::Chunk,
    chunkname: &[u8],
    eof_line: Option<u32>,
) -> Result<Rc<Proto>, SyntaxError> {
    let source: Rc<[u8]> = Rc::from(chunkname);
    let mut c = Compiler {
        chunkname: source.clone(),
        fs: FuncState::new(source, 0, 0, 0, 0),
        enclosing: Vec::new(),
        actvar: Vec::new(),
        labels: Vec::new(),
        gotos: Vec::new(),
        depth: 0,
        kcache: std::collections::HashMap::new(),
        eof_line,
        near_owed: false,
        follow: None,
    };
    c.main_function(chunk)?;
    let proto = std::mem::take(&mut c.fs.f);
    Ok(Rc::new(proto))
}

/// Parses and compiles source text.
pub fn compile_source(source: &[u8], chunkname: &[u8]) -> Result<Rc<Proto>, SyntaxError> {
    let chunk = crate::syntax::parse(source, chunkname)?;
    compile_chunk(&chunk, chunkname, Some(eof_line(source)))
}

/// The line number of the end of `source`, counting line breaks as the
/// lexer does (`\n`, `\r`, `\r\n` and `\n\r` are one break each).
fn eof_line(source: &[u8]) -> u32 {
    let mut line: u32 = 1;
    let mut i = 0;
    while i < source.len() {
        let c = source[i];
        if c == b'\n' || c == b'\r' {
            if let Some(&d) = source.get(i + 1) {
                if (d == b'\n' || d == b'\r') && d != c {
                    i += 1;
                }
            }
            line = line.saturating_add(1);
        }
        i += 1;
    }
    line
}

impl Compiler {
    /// An error at the current line: `chunkid:line: msg`.
    fn error(&self, msg: &str) -> SyntaxError {
        self.error_at(self.fs.cur_line, msg)
    }

    /// An error at `line`.
    fn error_at(&self, line: u32, msg: &str) -> SyntaxError {
        SyntaxError {
            message: format!("{}:{}: {}", chunk_id(&self.chunkname), line, msg),
        }
    }

    /// `too many <what> (limit is N) in <function>`.
    fn limit_error(&self, limit: usize, what: &str) -> SyntaxError {
        let line = self.fs.f.line_defined;
        let place = if line == 0 {
            "main function".to_string()
        } else {
            format!("function at line {line}")
        };
        self.error(&format!("too many {what} (limit is {limit}) in {place}"))
    }

    /// Enters one nesting level (bounded).
    fn enter_level(&mut self) -> CResult<()> {
        self.depth += 1;
        if self.depth > MAX_LEVELS {
            return Err(self.error("chunk has too many syntax levels"));
        }
        Ok(())
    }

    /// Leaves one nesting level.
    fn leave_level(&mut self) {
        self.depth -= 1;
    }

    /// Compiles the main chunk into `self.fs`.
    fn main_function(&mut self, chunk: &ast::Chunk) -> CResult<()> {
        self.open_function();
        self.fs.cur_line = 1;
        self.set_vararg(0);
        self.fs.f.upvalues.push(crate::bytecode::UpvalDesc {
            in_stack: true,
            index: 0,
            kind: 0,
            name: Some(Rc::from(&b"_ENV"[..])),
        });
        let end_hint = self.eof_line.unwrap_or(chunk.end_line);
        self.body_stat_list(&chunk.body, end_hint)?;
        self.fs.cur_line = chunk.end_line;
        self.close_function()
    }
}
