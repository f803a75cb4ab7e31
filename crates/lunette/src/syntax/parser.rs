//! The parser core: token helpers, error reporting, nesting levels.
//! Statements are in `stat.rs`, expressions in `expr.rs`.
//!
//! Nesting is bounded the way Lua bounds it: every statement, every
//! (sub)expression operand and every extra assignment target takes one
//! "level"; reaching the limit fails with `C stack overflow`. Flat chains
//! (`a.b.c...`, `1 + 2 + 3 ...`, statement lists) are parsed in loops.
//!
//! Stack economy: functions on the recursive paths return either nothing
//! or a `Box<Expr>`; errors are recorded in the parser rather than passed
//! up in `Result`s, and big nodes are built in small leaf helpers. Frames
//! stay small (under ~1 KB per Lua level even in debug builds), so the
//! deepest input Lua accepts parses on a 256 KB thread.

use super::ast::{Chunk, Expr, ExprKind, Name};
use super::lexer::{format_message, Lexer};
use super::token::{Keyword, Token};
use super::SyntaxError;

/// Nesting limit (Lua's C-call limit).
const MAX_LEVELS: u32 = 200;
/// Limit of active local variables per function.
const MAX_LOCALS: u32 = 200;
/// Levels already in use when Lua's parser starts (the calls leading to
/// it), so that the same input fails at the same depth as in lua5.4.
const BASE_LEVELS: u32 = 2;

#[cfg(test)]
thread_local! {
    /// Lowest stack address seen in `enter_level` and its level (tests).
    pub static STACK_PROBE: std::cell::Cell<(usize, u32)> = const { std::cell::Cell::new((0, 0)) };
}

/// The parser state.
///
/// Errors do not travel through return values (that would cost stack in
/// every frame): the first error is recorded, the current token becomes
/// `<eof>` for good, and every parsing function then returns quickly with
/// a placeholder result. `parse_chunk` reports the recorded error.
pub struct Parser<'a> {
    /// The lexer.
    pub(super) lex: Lexer<'a>,
    /// The current token.
    pub(super) tok: Token,
    /// A token read ahead (used only in table constructors).
    ahead: Option<Token>,
    /// Line of the last token consumed (Lua's `lastline`).
    last_line: u32,
    /// Current nesting level.
    level: u32,
    /// Whether the function being parsed is vararg.
    pub(super) vararg: bool,
    /// Local variables active in the function being parsed (Lua counts
    /// them while parsing and enforces its limit of 200 there).
    pub(super) active_locals: u32,
    /// `linedefined` of the function being parsed (0 for the main chunk).
    pub(super) func_line: u32,
    /// The error that stopped parsing.
    error: Option<SyntaxError>,
}

/// Parses a whole source (see `syntax::parse`).
pub fn parse_chunk(src: &[u8], chunkid: String) -> Result<Chunk, SyntaxError> {
    let mut parser = Parser {
        lex: Lexer::new(src, chunkid),
        tok: Token::Eof,
        ahead: None,
        last_line: 1,
        level: BASE_LEVELS,
        vararg: true,
        active_locals: 0,
        func_line: 0,
        error: None,
    };
    let chunk = parser.chunk();
    match parser.error.take() {
        None => Ok(chunk),
        Some(e) => Err(e),
    }
}

impl Parser<'_> {
    /// Parses the whole chunk (main function body).
    fn chunk(&mut self) -> Chunk {
        self.next();
        let mut body = super::ast::Block::default();
        self.block(&mut body);
        if self.tok != Token::Eof {
            self.error_expected("<eof>");
        }
        // Like Lua's final RETURN: the line of the last token before <eof>.
        Chunk {
            body,
            end_line: self.last_line,
        }
    }

    /// Whether an error has been recorded.
    pub(super) fn failed(&self) -> bool {
        self.error.is_some()
    }

    // ----- token helpers -------------------------------------------------

    /// Moves to the next token (`<eof>` forever once an error occurred).
    pub(super) fn next(&mut self) {
        self.last_line = self.lex.line;
        if let Some(t) = self.ahead.take() {
            self.tok = t;
            return;
        }
        if self.failed() {
            self.tok = Token::Eof;
            return;
        }
        match self.lex.next_token() {
            Ok(t) => self.tok = t,
            Err(e) => self.fail(e),
        }
    }

    /// Whether the token after the current one is the single-byte token
    /// `c` (reads it ahead).
    pub(super) fn peek_is(&mut self, c: u8) -> bool {
        if self.ahead.is_none() && !self.failed() {
            match self.lex.next_token() {
                Ok(t) => self.ahead = Some(t),
                Err(e) => self.fail(e),
            }
        }
        self.ahead.as_ref().is_some_and(|t| t.is_char(c))
    }

    /// Line of the last token consumed (Lua's `lastline`: the line code
    /// generated at this point is attributed to).
    pub(super) fn last_line(&self) -> u32 {
        self.last_line
    }

    /// The current line.
    pub(super) fn line(&self) -> u32 {
        self.lex.line
    }

    /// Whether the current token is the single-byte token `c`.
    pub(super) fn at(&self, c: u8) -> bool {
        self.tok.is_char(c)
    }

    /// Whether the current token is keyword `k`.
    pub(super) fn at_kw(&self, k: Keyword) -> bool {
        self.tok.is_kw(k)
    }

    /// Skips the current token when it is `c`.
    pub(super) fn test_next(&mut self, c: u8) -> bool {
        if self.at(c) {
            self.next();
            true
        } else {
            false
        }
    }

    /// Requires and skips the single-byte token `c`.
    pub(super) fn check_next(&mut self, c: u8) {
        if self.at(c) {
            self.next();
        } else {
            self.error_expected(&Token::Char(c).describe());
        }
    }

    /// Requires and skips keyword `k`.
    pub(super) fn check_next_kw(&mut self, k: Keyword) {
        if self.at_kw(k) {
            self.next();
        } else {
            self.error_expected(&Token::Keyword(k).describe());
        }
    }

    /// Requires the keyword `what` closing a construct opened by keyword
    /// `who` at line `line`, and skips it.
    pub(super) fn check_match_kw(&mut self, what: Keyword, who: Keyword, line: u32) {
        if self.at_kw(what) {
            self.next();
        } else {
            self.match_error(Token::Keyword(what), Token::Keyword(who), line);
        }
    }

    /// Requires the symbol `what` closing a construct opened by `who` at
    /// line `line`, and skips it.
    pub(super) fn check_match_char(&mut self, what: u8, who: u8, line: u32) {
        if self.at(what) {
            self.next();
        } else {
            self.match_error(Token::Char(what), Token::Char(who), line);
        }
    }

    /// The error for a missing closing token.
    #[cold]
    #[inline(never)]
    fn match_error(&mut self, what: Token, who: Token, line: u32) {
        if line == self.line() {
            return self.error_expected(&what.describe());
        }
        let msg = format!(
            "{} expected (to close {} at line {})",
            what.describe(),
            who.describe(),
            line
        );
        self.syntax_error(&msg)
    }

    /// Requires a name and returns it (skipping it); an empty name after
    /// an error.
    pub(super) fn check_name(&mut self) -> Name {
        let name = match &self.tok {
            Token::Name(n) => n.clone(),
            _ => {
                self.error_expected("<name>");
                return Name::from(&b""[..]);
            }
        };
        self.next();
        name
    }

    // ----- errors --------------------------------------------------------

    /// Records `e` as the parse error (unless one is already recorded) and
    /// stops the token stream.
    #[cold]
    #[inline(never)]
    pub(super) fn fail(&mut self, e: SyntaxError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
        self.tok = Token::Eof;
        self.ahead = None;
    }

    /// `msg near <current token>` at the current line.
    #[cold]
    #[inline(never)]
    pub(super) fn syntax_error(&mut self, msg: &str) {
        if self.failed() {
            return;
        }
        let near = if self.tok.has_text() {
            Some(self.lex.buffer_text())
        } else if self.tok == Token::Char(0) {
            None
        } else {
            Some(self.tok.describe())
        };
        let e = format_message(&self.lex.chunkid, self.line(), msg, near.as_deref());
        self.fail(e)
    }

    /// `X expected near <current token>`.
    #[cold]
    #[inline(never)]
    pub(super) fn error_expected(&mut self, what: &str) {
        self.syntax_error(&format!("{what} expected"))
    }

    /// A semantic error: the message without a `near` part.
    #[cold]
    #[inline(never)]
    pub(super) fn semantic_error(&mut self, msg: &str) {
        if self.failed() {
            return;
        }
        let e = format_message(&self.lex.chunkid, self.line(), msg, None);
        self.fail(e)
    }

    /// Declares one more local variable in the current function, failing
    /// like Lua past its limit.
    pub(super) fn declare_local(&mut self) {
        self.active_locals += 1;
        if self.active_locals > MAX_LOCALS {
            let place = if self.func_line == 0 {
                "main function".to_string()
            } else {
                format!("function at line {}", self.func_line)
            };
            let msg = format!("too many local variables (limit is {MAX_LOCALS}) in {place}");
            self.syntax_error(&msg);
        }
    }

    /// Enters one nesting level (past the limit, records the error, which
    /// also stops the token stream so nothing nests further).
    pub(super) fn enter_level(&mut self) {
        self.level += 1;
        #[cfg(test)]
        {
            let probe = 0u8;
            let addr = std::hint::black_box(&probe) as *const u8 as usize;
            STACK_PROBE.with(|p| {
                let (lo, _) = p.get();
                if lo == 0 || addr < lo {
                    p.set((addr, self.level));
                }
            });
        }
        if self.level >= MAX_LEVELS {
            self.fail(SyntaxError {
                message: "C stack overflow".into(),
            });
        }
    }

    /// Leaves `n` nesting levels.
    pub(super) fn leave_levels(&mut self, n: u32) {
        self.level = self.level.saturating_sub(n);
    }

    /// Builds a boxed expression node.
    pub(super) fn mk(kind: ExprKind, line: u32) -> Box<Expr> {
        Box::new(Expr { kind, line })
    }
}
