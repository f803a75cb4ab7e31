//! The parser core and statements: tokens -> AST, with Lua's error
//! messages. Expressions are in `expr.rs`.
//!
//! Nesting is bounded the way Lua bounds it: every statement, every
//! (sub)expression operand and every extra assignment target takes one
//! "level"; reaching the limit fails with `C stack overflow`. Flat chains
//! (`a.b.c...`, `1 + 2 + 3 ...`, statement lists) are parsed in loops.

use std::rc::Rc;

use super::ast::{Attrib, Block, Chunk, Expr, ExprKind, FuncBody, Name, Return, Stat, StatKind};
use super::lexer::{format_message, Lexer};
use super::token::{Keyword, Token};
use super::SyntaxError;

/// Nesting limit (Lua's C-call limit).
const MAX_LEVELS: u32 = 200;
/// Levels already in use when Lua's parser starts (the calls leading to
/// it), so that the same input fails at the same depth as in lua5.4.
const BASE_LEVELS: u32 = 2;

/// Parser result type.
pub type PResult<T> = Result<T, SyntaxError>;

/// The parser state.
pub struct Parser<'a> {
    /// The lexer.
    pub(super) lex: Lexer<'a>,
    /// The current token.
    pub(super) tok: Token,
    /// A token read ahead (used only in table constructors).
    ahead: Option<Token>,
    /// Current nesting level.
    level: u32,
    /// Whether the function being parsed is vararg.
    pub(super) vararg: bool,
}

impl<'a> Parser<'a> {
    /// A parser over `src`, positioned on the first token.
    pub fn new(src: &'a [u8], chunkid: String) -> PResult<Self> {
        let mut lex = Lexer::new(src, chunkid);
        let tok = lex.next_token()?;
        Ok(Parser {
            lex,
            tok,
            ahead: None,
            level: BASE_LEVELS,
            vararg: true,
        })
    }

    /// Parses the whole chunk.
    pub fn chunk(&mut self) -> PResult<Chunk> {
        let body = self.block()?;
        if self.tok != Token::Eof {
            return Err(self.error_expected("<eof>"));
        }
        Ok(Chunk {
            body,
            end_line: self.lex.line,
        })
    }

    // ----- token helpers -------------------------------------------------

    /// Moves to the next token.
    pub(super) fn next(&mut self) -> PResult<()> {
        self.tok = match self.ahead.take() {
            Some(t) => t,
            None => self.lex.next_token()?,
        };
        Ok(())
    }

    /// The token after the current one (reads it ahead).
    pub(super) fn peek(&mut self) -> PResult<&Token> {
        if self.ahead.is_none() {
            let t = self.lex.next_token()?;
            self.ahead = Some(t);
        }
        Ok(self.ahead.as_ref().unwrap_or(&Token::Eof))
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
    pub(super) fn test_next(&mut self, c: u8) -> PResult<bool> {
        if self.at(c) {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Requires and skips the single-byte token `c`.
    pub(super) fn check_next(&mut self, c: u8) -> PResult<()> {
        if !self.at(c) {
            return Err(self.error_expected(&Token::Char(c).describe()));
        }
        self.next()
    }

    /// Requires and skips keyword `k`.
    pub(super) fn check_next_kw(&mut self, k: Keyword) -> PResult<()> {
        if !self.at_kw(k) {
            return Err(self.error_expected(&Token::Keyword(k).describe()));
        }
        self.next()
    }

    /// Requires the closing token `what` of a construct opened by `who` at
    /// line `line`, and skips it.
    pub(super) fn check_match(&mut self, what: &Token, who: &Token, line: u32) -> PResult<()> {
        if self.tok != *what {
            if line == self.line() {
                return Err(self.error_expected(&what.describe()));
            }
            let msg = format!(
                "{} expected (to close {} at line {})",
                what.describe(),
                who.describe(),
                line
            );
            return Err(self.syntax_error(&msg));
        }
        self.next()
    }

    /// Requires a name and returns it (skipping it).
    pub(super) fn check_name(&mut self) -> PResult<Name> {
        match &self.tok {
            Token::Name(n) => {
                let n = n.clone();
                self.next()?;
                Ok(n)
            }
            _ => Err(self.error_expected("<name>")),
        }
    }

    // ----- errors --------------------------------------------------------

    /// `msg near <current token>` at the current line.
    pub(super) fn syntax_error(&self, msg: &str) -> SyntaxError {
        let near = if self.tok.has_text() {
            Some(self.lex.buffer_text())
        } else if self.tok == Token::Char(0) {
            None
        } else {
            Some(self.tok.describe())
        };
        format_message(&self.lex.chunkid, self.line(), msg, near.as_deref())
    }

    /// `X expected near <current token>`.
    pub(super) fn error_expected(&self, what: &str) -> SyntaxError {
        self.syntax_error(&format!("{what} expected"))
    }

    /// A semantic error: the message without a `near` part.
    pub(super) fn semantic_error(&self, msg: &str) -> SyntaxError {
        format_message(&self.lex.chunkid, self.line(), msg, None)
    }

    /// Enters one nesting level.
    pub(super) fn enter_level(&mut self) -> PResult<()> {
        self.level += 1;
        if self.level >= MAX_LEVELS {
            return Err(SyntaxError {
                message: "C stack overflow".into(),
            });
        }
        Ok(())
    }

    /// Leaves `n` nesting levels.
    pub(super) fn leave_levels(&mut self, n: u32) {
        self.level = self.level.saturating_sub(n);
    }

    // ----- blocks and statements ------------------------------------------

    /// Whether the current token ends a block.
    fn block_follow(&self, with_until: bool) -> bool {
        match &self.tok {
            Token::Eof => true,
            Token::Keyword(Keyword::Else | Keyword::Elseif | Keyword::End) => true,
            Token::Keyword(Keyword::Until) => with_until,
            _ => false,
        }
    }

    /// A list of statements up to a block end (a `return` must be last).
    pub(super) fn block(&mut self) -> PResult<Block> {
        let mut block = Block::default();
        while !self.block_follow(true) {
            if self.at_kw(Keyword::Return) {
                self.enter_level()?;
                block.ret = Some(self.return_stat()?);
                self.leave_levels(1);
                break;
            }
            self.enter_level()?;
            if let Some(stat) = self.statement()? {
                block.stats.push(stat);
            }
            self.leave_levels(1);
        }
        Ok(block)
    }

    /// `return [explist] [';']`
    fn return_stat(&mut self) -> PResult<Return> {
        let line = self.line();
        self.next()?;
        let exprs = if self.block_follow(true) || self.at(b';') {
            Vec::new()
        } else {
            self.expr_list()?
        };
        self.test_next(b';')?;
        Ok(Return { exprs, line })
    }

    /// One statement (`None` for `;`, which the AST need not keep...
    /// but it is kept as `Empty` for fidelity).
    fn statement(&mut self) -> PResult<Option<Stat>> {
        let line = self.line();
        let kind = match &self.tok {
            Token::Char(b';') => {
                self.next()?;
                StatKind::Empty
            }
            Token::Keyword(Keyword::If) => self.if_stat(line)?,
            Token::Keyword(Keyword::While) => self.while_stat(line)?,
            Token::Keyword(Keyword::Do) => {
                self.next()?;
                let body = self.block()?;
                self.check_match(
                    &Token::Keyword(Keyword::End),
                    &Token::Keyword(Keyword::Do),
                    line,
                )?;
                StatKind::Do(body)
            }
            Token::Keyword(Keyword::For) => self.for_stat(line)?,
            Token::Keyword(Keyword::Repeat) => self.repeat_stat(line)?,
            Token::Keyword(Keyword::Function) => self.function_stat(line)?,
            Token::Keyword(Keyword::Local) => {
                self.next()?;
                if self.at_kw(Keyword::Function) {
                    self.next()?;
                    self.local_function()?
                } else {
                    self.local_stat()?
                }
            }
            Token::DbColon => {
                self.next()?;
                let name = self.check_name()?;
                if self.tok != Token::DbColon {
                    return Err(self.error_expected("'::'"));
                }
                self.next()?;
                StatKind::Label(name)
            }
            Token::Keyword(Keyword::Break) => {
                self.next()?;
                StatKind::Break
            }
            Token::Keyword(Keyword::Goto) => {
                self.next()?;
                StatKind::Goto(self.check_name()?)
            }
            _ => self.expr_stat()?,
        };
        Ok(Some(Stat { kind, line }))
    }

    /// `if cond then block {elseif cond then block} [else block] end`
    fn if_stat(&mut self, line: u32) -> PResult<StatKind> {
        let mut conds = Vec::new();
        loop {
            self.next()?; // skip 'if' / 'elseif'
            let cond = self.expr()?;
            self.check_next_kw(Keyword::Then)?;
            let body = self.block()?;
            conds.push((cond, body));
            if !self.at_kw(Keyword::Elseif) {
                break;
            }
        }
        let else_block = if self.at_kw(Keyword::Else) {
            self.next()?;
            Some(self.block()?)
        } else {
            None
        };
        self.check_match(
            &Token::Keyword(Keyword::End),
            &Token::Keyword(Keyword::If),
            line,
        )?;
        Ok(StatKind::If { conds, else_block })
    }

    /// `while cond do block end`
    fn while_stat(&mut self, line: u32) -> PResult<StatKind> {
        self.next()?;
        let cond = self.expr()?;
        self.check_next_kw(Keyword::Do)?;
        let body = self.block()?;
        self.check_match(
            &Token::Keyword(Keyword::End),
            &Token::Keyword(Keyword::While),
            line,
        )?;
        Ok(StatKind::While { cond, body })
    }

    /// `repeat block until cond`
    fn repeat_stat(&mut self, line: u32) -> PResult<StatKind> {
        self.next()?;
        let body = self.block()?;
        self.check_match(
            &Token::Keyword(Keyword::Until),
            &Token::Keyword(Keyword::Repeat),
            line,
        )?;
        let cond = self.expr()?;
        Ok(StatKind::Repeat { body, cond })
    }

    /// Numeric or generic `for`.
    fn for_stat(&mut self, line: u32) -> PResult<StatKind> {
        self.next()?;
        let var = self.check_name()?;
        let kind = match &self.tok {
            Token::Char(b'=') => {
                self.next()?;
                let start = self.expr()?;
                self.check_next(b',')?;
                let limit = self.expr()?;
                let step = if self.test_next(b',')? {
                    Some(self.expr()?)
                } else {
                    None
                };
                self.check_next_kw(Keyword::Do)?;
                let body = self.block()?;
                StatKind::NumFor {
                    var,
                    start,
                    limit,
                    step,
                    body,
                }
            }
            Token::Char(b',') | Token::Keyword(Keyword::In) => {
                let mut names = vec![var];
                while self.test_next(b',')? {
                    names.push(self.check_name()?);
                }
                self.check_next_kw(Keyword::In)?;
                let exprs = self.expr_list()?;
                self.check_next_kw(Keyword::Do)?;
                let body = self.block()?;
                StatKind::GenFor { names, exprs, body }
            }
            _ => return Err(self.syntax_error("'=' or 'in' expected")),
        };
        self.check_match(
            &Token::Keyword(Keyword::End),
            &Token::Keyword(Keyword::For),
            line,
        )?;
        Ok(kind)
    }

    /// `function a.b.c:m body`
    fn function_stat(&mut self, line: u32) -> PResult<StatKind> {
        self.next()?;
        let mut path = vec![self.check_name()?];
        while self.at(b'.') {
            self.next()?;
            path.push(self.check_name()?);
        }
        let method = if self.at(b':') {
            self.next()?;
            Some(self.check_name()?)
        } else {
            None
        };
        let func = self.func_body(method.is_some(), line)?;
        Ok(StatKind::Function { path, method, func })
    }

    /// `local function name body` (after `function`).
    fn local_function(&mut self) -> PResult<StatKind> {
        let name = self.check_name()?;
        let line = self.line();
        let func = self.func_body(false, line)?;
        Ok(StatKind::LocalFunction { name, func })
    }

    /// `local name [attrib] {, name [attrib]} [= explist]` (after `local`).
    fn local_stat(&mut self) -> PResult<StatKind> {
        let mut names = Vec::new();
        let mut has_close = false;
        loop {
            let name = self.check_name()?;
            let attrib = self.attrib()?;
            if attrib == Attrib::Close {
                if has_close {
                    return Err(
                        self.semantic_error("multiple to-be-closed variables in local list")
                    );
                }
                has_close = true;
            }
            names.push((name, attrib));
            if !self.test_next(b',')? {
                break;
            }
        }
        let exprs = if self.test_next(b'=')? {
            self.expr_list()?
        } else {
            Vec::new()
        };
        Ok(StatKind::Local { names, exprs })
    }

    /// An optional `<const>` / `<close>` attribute.
    fn attrib(&mut self) -> PResult<Attrib> {
        if !self.test_next(b'<')? {
            return Ok(Attrib::None);
        }
        let name = self.check_name()?;
        self.check_next(b'>')?;
        match &*name {
            b"const" => Ok(Attrib::Const),
            b"close" => Ok(Attrib::Close),
            other => {
                let msg = format!("unknown attribute '{}'", String::from_utf8_lossy(other));
                Err(self.semantic_error(&msg))
            }
        }
    }

    /// A call statement or an assignment.
    fn expr_stat(&mut self) -> PResult<StatKind> {
        let first = self.suffixed_expr()?;
        if !(self.at(b'=') || self.at(b',')) {
            if !first.is_multi() || matches!(first.kind, ExprKind::Vararg) {
                return Err(self.syntax_error("syntax error"));
            }
            return Ok(StatKind::Call(first));
        }
        let mut targets = vec![first];
        let mut extra_levels = 0;
        let result = self.assignment_rest(&mut targets, &mut extra_levels);
        self.leave_levels(extra_levels);
        let exprs = result?;
        Ok(StatKind::Assign { targets, exprs })
    }

    /// The rest of an assignment after its first target: more targets,
    /// `=`, values. Each extra target holds a level until the end.
    fn assignment_rest(&mut self, targets: &mut Vec<Expr>, levels: &mut u32) -> PResult<Vec<Expr>> {
        loop {
            let is_var = targets
                .last()
                .is_some_and(|t| matches!(t.kind, ExprKind::Name(_) | ExprKind::Index(..)));
            if !is_var {
                return Err(self.syntax_error("syntax error"));
            }
            if !self.test_next(b',')? {
                break;
            }
            targets.push(self.suffixed_expr()?);
            *levels += 1;
            self.enter_level()?;
        }
        self.check_next(b'=')?;
        self.expr_list()
    }

    /// `(params) block end` of a function; `line` is its `linedefined`.
    pub(super) fn func_body(&mut self, is_method: bool, line: u32) -> PResult<Rc<FuncBody>> {
        self.check_next(b'(')?;
        let mut params: Vec<Name> = Vec::new();
        if is_method {
            params.push(Rc::from(&b"self"[..]));
        }
        let mut is_vararg = false;
        if !self.at(b')') {
            loop {
                match &self.tok {
                    Token::Name(n) => {
                        params.push(n.clone());
                        self.next()?;
                    }
                    Token::Dots => {
                        self.next()?;
                        is_vararg = true;
                    }
                    _ => return Err(self.syntax_error("<name> or '...' expected")),
                }
                if is_vararg || !self.test_next(b',')? {
                    break;
                }
            }
        }
        self.check_next(b')')?;
        let outer_vararg = std::mem::replace(&mut self.vararg, is_vararg);
        let body = self.block();
        self.vararg = outer_vararg;
        let body = body?;
        let end_line = self.line();
        self.check_match(
            &Token::Keyword(Keyword::End),
            &Token::Keyword(Keyword::Function),
            line,
        )?;
        Ok(Rc::new(FuncBody {
            params,
            is_vararg,
            body,
            line,
            end_line,
        }))
    }

    /// Builds an expression node.
    pub(super) fn mk(kind: ExprKind, line: u32) -> Expr {
        Expr { kind, line }
    }
}
