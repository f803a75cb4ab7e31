//! Statements and blocks.
//!
//! Functions on the recursive path (`block` -> `statement` -> a compound
//! statement -> `block`) write their results into `&mut` outputs and
//! return only a success marker, keeping their stack frames small.

use std::rc::Rc;

use super::ast::{Attrib, Block, Expr, ExprKind, FuncBody, Name, Return, Stat, StatKind};
use super::parser::Parser;
use super::token::{Keyword, Token};

impl Parser<'_> {
    /// Whether the current token ends a block.
    fn block_follow(&self) -> bool {
        matches!(
            self.tok,
            Token::Eof
                | Token::Keyword(Keyword::Else | Keyword::Elseif | Keyword::End | Keyword::Until)
        )
    }

    /// Statements up to a block end (a `return` must be last) into `out`.
    pub(super) fn block(&mut self, out: &mut Block) {
        let outer_locals = self.active_locals;
        out.start_line = self.last_line();
        while !self.block_follow() {
            self.enter_level();
            if self.at_kw(Keyword::Return) {
                self.return_stat(out);
                self.leave_levels(1);
                break;
            }
            self.statement(&mut out.stats);
            self.leave_levels(1);
        }
        out.end_line = self.last_line();
        self.active_locals = outer_locals;
    }

    /// `return [explist] [';']`
    fn return_stat(&mut self, out: &mut Block) {
        let line = self.line();
        self.next();
        let mut exprs = Vec::new();
        if !(self.block_follow() || self.at(b';')) {
            self.expr_list(&mut exprs);
        }
        self.test_next(b';');
        out.ret = Some(Return { exprs, line });
    }

    /// One statement, appended to `out`.
    fn statement(&mut self, out: &mut Vec<Stat>) {
        let line = self.line();
        match &self.tok {
            Token::Keyword(Keyword::If) => self.if_stat(line, out),
            Token::Keyword(Keyword::While) => self.while_stat(line, out),
            Token::Keyword(Keyword::Do) => self.do_stat(line, out),
            Token::Keyword(Keyword::For) => self.for_stat(line, out),
            Token::Keyword(Keyword::Repeat) => self.repeat_stat(line, out),
            Token::Keyword(Keyword::Function) => self.function_stat(line, out),
            Token::Keyword(Keyword::Local) => self.local_stat(line, out),
            Token::Char(b';') | Token::DbColon | Token::Keyword(Keyword::Break | Keyword::Goto) => {
                self.simple_stat(line, out)
            }
            _ => self.expr_stat(line, out),
        }
    }

    /// `;`, `::label::`, `break`, `goto label`.
    fn simple_stat(&mut self, line: u32, out: &mut Vec<Stat>) {
        let kind = match &self.tok {
            Token::Char(b';') => {
                self.next();
                StatKind::Empty
            }
            Token::Keyword(Keyword::Break) => {
                self.next();
                StatKind::Break
            }
            Token::Keyword(Keyword::Goto) => {
                self.next();
                StatKind::Goto(self.check_name())
            }
            _ => {
                self.next();
                let name = self.check_name();
                if self.tok != Token::DbColon {
                    self.error_expected("'::'");
                    return;
                }
                self.next();
                StatKind::Label(name)
            }
        };
        push_stat(out, line, move || kind);
    }

    /// `do block end`
    fn do_stat(&mut self, line: u32, out: &mut Vec<Stat>) {
        self.next();
        let mut body = Block::default();
        self.block(&mut body);
        self.check_match_kw(Keyword::End, Keyword::Do, line);
        push_stat(out, line, move || StatKind::Do(body));
    }

    /// `cond then block` after `if`/`elseif`, appended to `conds`.
    fn test_then_block(&mut self, conds: &mut Vec<(Expr, Block)>) {
        self.next(); // skip 'if' / 'elseif'
        let cond = self.expr();
        self.check_next_kw(Keyword::Then);
        let mut body = Block::default();
        self.block(&mut body);
        push_built(conds, move || (*cond, body));
    }

    /// `if cond then block {elseif cond then block} [else block] end`
    fn if_stat(&mut self, line: u32, out: &mut Vec<Stat>) {
        let mut conds = Vec::new();
        self.test_then_block(&mut conds);
        while self.at_kw(Keyword::Elseif) {
            self.test_then_block(&mut conds);
        }
        let mut else_block = None;
        if self.at_kw(Keyword::Else) {
            self.next();
            let mut body = Block::default();
            self.block(&mut body);
            else_block = Some(body);
        }
        self.check_match_kw(Keyword::End, Keyword::If, line);
        push_stat(out, line, move || StatKind::If { conds, else_block });
    }

    /// `while cond do block end`
    fn while_stat(&mut self, line: u32, out: &mut Vec<Stat>) {
        self.next();
        let cond = self.expr();
        let cond_end = self.last_line();
        self.check_next_kw(Keyword::Do);
        let mut body = Block::default();
        self.block(&mut body);
        self.check_match_kw(Keyword::End, Keyword::While, line);
        let end_line = self.last_line();
        push_stat(out, line, move || StatKind::While {
            cond: *cond,
            body,
            cond_end,
            end_line,
        });
    }

    /// `repeat block until cond`
    fn repeat_stat(&mut self, line: u32, out: &mut Vec<Stat>) {
        self.next();
        let mut body = Block::default();
        self.block(&mut body);
        self.check_match_kw(Keyword::Until, Keyword::Repeat, line);
        let cond = self.expr();
        let cond_end = self.last_line();
        push_stat(out, line, move || StatKind::Repeat {
            body,
            cond: *cond,
            cond_end,
        });
    }

    /// Numeric or generic `for`.
    fn for_stat(&mut self, line: u32, out: &mut Vec<Stat>) {
        self.next();
        let var = self.check_name();
        let outer_locals = self.active_locals;
        if self.at(b'=') {
            self.num_for(var, line, out);
        } else if self.at(b',') || self.at_kw(Keyword::In) {
            self.gen_for(var, line, out);
        } else {
            self.syntax_error("'=' or 'in' expected");
        }
        self.active_locals = outer_locals;
    }

    /// `for var = start, limit [, step] do block end` (at `=`).
    fn num_for(&mut self, var: Name, line: u32, out: &mut Vec<Stat>) {
        for _ in 0..4 {
            self.declare_local(); // three control slots and the variable
        }
        self.next();
        let start = self.expr();
        self.check_next(b',');
        let limit = self.expr();
        let mut step = None;
        if self.test_next(b',') {
            step = Some(self.expr());
        }
        self.check_next_kw(Keyword::Do);
        let mut body = Block::default();
        self.block(&mut body);
        self.check_match_kw(Keyword::End, Keyword::For, line);
        let end_line = self.last_line();
        push_stat(out, line, move || StatKind::NumFor {
            var,
            start: *start,
            limit: *limit,
            step: step.map(|s| *s),
            body,
            end_line,
        });
    }

    /// `for n1, n2 in explist do block end` (after the first name).
    fn gen_for(&mut self, first: Name, line: u32, out: &mut Vec<Stat>) {
        let mut names = vec![first];
        for _ in 0..5 {
            self.declare_local(); // four control slots and the first name
        }
        while self.test_next(b',') {
            names.push(self.check_name());
            self.declare_local();
        }
        self.check_next_kw(Keyword::In);
        let mut exprs = Vec::new();
        self.expr_list(&mut exprs);
        self.check_next_kw(Keyword::Do);
        let mut body = Block::default();
        self.block(&mut body);
        self.check_match_kw(Keyword::End, Keyword::For, line);
        let end_line = self.last_line();
        push_stat(out, line, move || StatKind::GenFor {
            names,
            exprs,
            body,
            end_line,
        });
    }

    /// `function a.b.c:m body`
    fn function_stat(&mut self, line: u32, out: &mut Vec<Stat>) {
        self.next();
        let mut path = vec![self.check_name()];
        while self.at(b'.') {
            self.next();
            path.push(self.check_name());
        }
        let mut method = None;
        if self.at(b':') {
            self.next();
            method = Some(self.check_name());
        }
        let func = self.func_body(method.is_some(), line);
        push_stat(out, line, move || StatKind::Function { path, method, func });
    }

    /// `local function name body` or `local names [= explist]`.
    fn local_stat(&mut self, line: u32, out: &mut Vec<Stat>) {
        self.next();
        if self.at_kw(Keyword::Function) {
            self.next();
            let name = self.check_name();
            self.declare_local();
            // Lua takes the function's line after its name.
            let func = self.func_body(false, self.line());
            push_stat(out, line, move || StatKind::LocalFunction { name, func });
            return;
        }
        let mut names = Vec::new();
        let mut has_close = false;
        loop {
            let name = self.check_name();
            self.declare_local();
            let attrib = self.attrib();
            if attrib == Attrib::Close {
                if has_close {
                    self.semantic_error("multiple to-be-closed variables in local list");
                    return;
                }
                has_close = true;
            }
            names.push((name, attrib));
            if !self.test_next(b',') {
                break;
            }
        }
        let mut exprs = Vec::new();
        if self.test_next(b'=') {
            self.expr_list(&mut exprs);
        }
        push_stat(out, line, move || StatKind::Local { names, exprs });
    }

    /// An optional `<const>` / `<close>` attribute.
    fn attrib(&mut self) -> Attrib {
        if !self.test_next(b'<') {
            return Attrib::None;
        }
        let name = self.check_name();
        self.check_next(b'>');
        match &*name {
            b"const" => Attrib::Const,
            b"close" => Attrib::Close,
            other => {
                let msg = format!("unknown attribute '{}'", String::from_utf8_lossy(other));
                self.semantic_error(&msg);
                Attrib::None
            }
        }
    }

    /// A call statement or an assignment.
    fn expr_stat(&mut self, line: u32, out: &mut Vec<Stat>) {
        let first = self.suffixed_expr();
        if !(self.at(b'=') || self.at(b',')) {
            if !matches!(first.kind, ExprKind::Call(..) | ExprKind::MethodCall(..)) {
                self.syntax_error("syntax error");
                return;
            }
            push_stat(out, line, move || StatKind::Call(*first));
            return;
        }
        let mut targets = vec![*first];
        let mut exprs = Vec::new();
        let mut extra_levels = 0;
        self.assignment_rest(&mut targets, &mut exprs, &mut extra_levels);
        self.leave_levels(extra_levels);
        push_stat(out, line, move || StatKind::Assign { targets, exprs });
    }

    /// The rest of an assignment after its first target: more targets,
    /// `=`, values. Each extra target holds a level until the end.
    fn assignment_rest(
        &mut self,
        targets: &mut Vec<Expr>,
        exprs: &mut Vec<Expr>,
        levels: &mut u32,
    ) {
        loop {
            let is_var = targets
                .last()
                .is_some_and(|t| matches!(t.kind, ExprKind::Name(_) | ExprKind::Index(..)));
            if !is_var {
                self.syntax_error("syntax error");
                return;
            }
            if !self.test_next(b',') {
                break;
            }
            let target = self.suffixed_expr();
            push_built(targets, move || *target);
            *levels += 1;
            self.enter_level();
        }
        self.check_next(b'=');
        self.expr_list(exprs)
    }

    /// `(params) block end` of a function; `line` is its `linedefined`.
    pub(super) fn func_body(&mut self, is_method: bool, line: u32) -> Rc<FuncBody> {
        let outer_locals = std::mem::replace(&mut self.active_locals, 0);
        let outer_line = std::mem::replace(&mut self.func_line, line);
        self.check_next(b'(');
        let mut params: Vec<Name> = Vec::new();
        if is_method {
            params.push(Rc::from(&b"self"[..]));
            self.declare_local();
        }
        let is_vararg = self.param_list(&mut params);
        self.check_next(b')');
        let outer_vararg = std::mem::replace(&mut self.vararg, is_vararg);
        let mut body = Block::default();
        self.block(&mut body);
        self.vararg = outer_vararg;
        self.active_locals = outer_locals;
        self.func_line = outer_line;
        let end_line = self.line();
        self.check_match_kw(Keyword::End, Keyword::Function, line);
        build_func(move || FuncBody {
            params,
            is_vararg,
            body,
            line,
            end_line,
        })
    }

    /// Parameter names, possibly ending in `...` (returns whether it does).
    fn param_list(&mut self, params: &mut Vec<Name>) -> bool {
        if self.at(b')') {
            return false;
        }
        loop {
            match &self.tok {
                Token::Name(n) => {
                    params.push(n.clone());
                    self.next();
                    self.declare_local();
                }
                Token::Dots => {
                    self.next();
                    return true;
                }
                _ => {
                    self.syntax_error("<name> or '...' expected");
                    return false;
                }
            }
            if !self.test_next(b',') {
                return false;
            }
        }
    }
}

/// Appends a statement built by `make` (in its own frame, so the big
/// `Stat` temporaries never sit in the frames of the recursive parser).
#[inline(never)]
fn push_stat(out: &mut Vec<Stat>, line: u32, make: impl FnOnce() -> StatKind) {
    out.push(Stat { kind: make(), line });
}

/// Appends a value built by `make` in its own frame (see `push_stat`).
#[inline(never)]
pub(super) fn push_built<T>(out: &mut Vec<T>, make: impl FnOnce() -> T) {
    out.push(make());
}

/// Wraps a function body built by `make` (in its own frame) in an `Rc`.
#[inline(never)]
fn build_func(make: impl FnOnce() -> FuncBody) -> Rc<FuncBody> {
    Rc::new(make())
}
