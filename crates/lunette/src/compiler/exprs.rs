//! Compiling AST expressions: primaries, suffix chains (fields, indexing,
//! calls, method calls), constructors, function bodies, operator chains.

use super::expr::{ExpDesc, ExpKind};
use super::near::{binop_token, Near};
use super::{CResult, Compiler};
use crate::bytecode::opcode::{OpCode, FIELDS_PER_FLUSH};
use crate::syntax::ast::{self, Expr, ExprKind, TableField};
use std::rc::Rc;

impl Compiler {
    /// Compiles an expression into a descriptor.
    pub(super) fn expr(&mut self, e: &Expr) -> CResult<ExpDesc> {
        self.enter_level()?;
        let r = self.expr_inner(e);
        self.leave_level();
        r
    }

    fn expr_inner(&mut self, e: &Expr) -> CResult<ExpDesc> {
        // operator and suffix nodes carry a line later than their first
        // operand's: their lines are noted when reached
        if !matches!(
            e.kind,
            ExprKind::BinOp(..)
                | ExprKind::Index(..)
                | ExprKind::Call(..)
                | ExprKind::MethodCall(..)
                | ExprKind::Table(..)
        ) {
            self.see_line(e.line);
        }
        Ok(match &e.kind {
            ExprKind::Nil => ExpDesc::new(ExpKind::Nil),
            ExprKind::True => ExpDesc::new(ExpKind::True),
            ExprKind::False => ExpDesc::new(ExpKind::False),
            ExprKind::Int(i) => ExpDesc::new(ExpKind::KInt(*i)),
            ExprKind::Float(f) => ExpDesc::new(ExpKind::KFlt(*f)),
            ExprKind::Str(s) => ExpDesc::new(ExpKind::KStr(s.clone())),
            ExprKind::Vararg => {
                if !self.fs.f.is_vararg {
                    return Err(self.error("cannot use '...' outside a vararg function near '...'"));
                }
                ExpDesc::new(ExpKind::Vararg(self.code_abc(OpCode::VARARG, 0, 0, 1)))
            }
            ExprKind::Table(fields, close) => self.constructor(fields, e.line, *close)?,
            ExprKind::Function(body) => self.function_body(body)?,
            ExprKind::UnOp(op, operand) => {
                let mut v = self.expr(operand)?;
                let r = self.prefix(*op, &mut v, e.line);
                self.near(r, Near::Follow)?;
                v
            }
            ExprKind::BinOp(..) => self.binop_chain(e)?,
            ExprKind::Name(_)
            | ExprKind::Paren(_)
            | ExprKind::Index(..)
            | ExprKind::Call(..)
            | ExprKind::MethodCall(..) => self.suffixed(e)?,
        })
    }

    /// A left-nested chain of binary operators, compiled iteratively.
    fn binop_chain(&mut self, e: &Expr) -> CResult<ExpDesc> {
        let mut spine = Vec::new();
        let mut cur = e;
        while let ExprKind::BinOp(op, l, r) = &cur.kind {
            spine.push((*op, &**r, cur.line));
            cur = l;
        }
        spine.reverse();
        let first_op = spine.first().map(|s| binop_token(s.0));
        let mut v = self.followed_by(first_op, |c| c.expr(cur))?;
        for (i, &(op, r, line)) in spine.iter().enumerate() {
            self.see_line(line);
            let res = self.infix(op, &mut v);
            self.near(res, Near::Start(r))?;
            // the next operator, or what follows the whole chain
            let next = spine
                .get(i + 1)
                .map_or(self.follow, |s| Some(binop_token(s.0)));
            self.followed_by(next, |c| {
                let mut v2 = c.expr(r)?;
                let res = c.posfix(op, &mut v, &mut v2, line);
                c.near(res, Near::Follow)
            })?;
        }
        Ok(v)
    }

    /// A primary expression: a name or a parenthesized expression (any
    /// other expression is accepted too and used as a value).
    fn primary(&mut self, e: &Expr) -> CResult<ExpDesc> {
        self.see_line(e.line);
        match &e.kind {
            ExprKind::Name(n) => self.single_var(n),
            ExprKind::Paren(inner) => {
                let mut v = self.followed_by(Some("')'"), |c| c.expr(inner))?;
                self.discharge_vars(&mut v);
                Ok(v)
            }
            _ => self.expr_inner(e),
        }
    }

    /// A suffixed expression (`a.b[c]:m(x)(y)`), compiled iteratively.
    pub(super) fn suffixed(&mut self, e: &Expr) -> CResult<ExpDesc> {
        let mut spine = Vec::new();
        let mut cur = e;
        while let ExprKind::Index(o, _) | ExprKind::Call(o, ..) | ExprKind::MethodCall(o, ..) =
            &cur.kind
        {
            spine.push(cur);
            cur = o;
        }
        spine.reverse();
        let first = spine.first().map(|n| suffix_open(n));
        let mut v = self.followed_by(first, |c| c.primary(cur))?;
        let outer = self.follow;
        for (i, &node) in spine.iter().enumerate() {
            // what follows this suffix: the next one, or the outer token
            self.follow = spine.get(i + 1).map_or(outer, |n| Some(suffix_open(n)));
            match &node.kind {
                ExprKind::Index(_, key) => {
                    let r = self.exp_to_any_reg_up(&mut v);
                    let dot = matches!(&key.kind, ExprKind::Str(s) if is_name(s));
                    self.near(r, Near::Token(if dot { "'.'" } else { "'['" }))?;
                    self.see_line(node.line);
                    let mut k = self.followed_by(Some("']'"), |c| c.expr(key))?;
                    let r = self.exp_to_val(&mut k);
                    self.near(r, Near::Token("']'"))?;
                    self.see_line(node.line);
                    // (once the token after `]` is read)
                    let r = self.indexed(&mut v, &mut k);
                    self.near(r, Near::Follow)?;
                }
                ExprKind::MethodCall(_, name, args, lines) => {
                    self.see_line(node.line);
                    // SELF is emitted once the method name is read
                    self.see_line(lines.name);
                    let mut key = ExpDesc::new(ExpKind::KStr(name.clone()));
                    let r = self.code_self(&mut v, &mut key);
                    self.near(r, Near::Token(args_open(args)))?;
                    self.func_args(&mut v, args, node.line, lines.close)?;
                }
                ExprKind::Call(_, args, lines) => {
                    let r = self.exp_to_next_reg(&mut v);
                    self.near(r, Near::Token(args_open(args)))?;
                    self.func_args(&mut v, args, node.line, lines.close)?;
                }
                _ => {}
            }
        }
        self.follow = outer;
        Ok(v)
    }

    /// Compiles a list of expressions: all but the last go to consecutive
    /// registers; the last one is returned pending. Returns `(count, last)`.
    /// The last one is followed by `self.follow`, the others by `,`.
    pub(super) fn exp_list(&mut self, exprs: &[Expr]) -> CResult<(usize, ExpDesc)> {
        let mut v = ExpDesc::new(ExpKind::Void);
        for (i, e) in exprs.iter().enumerate() {
            if i > 0 {
                // Lua discharges an item once the next one is in sight
                let r = self.exp_to_next_reg(&mut v);
                self.near(r, Near::Start(e))?;
            }
            v = if i + 1 < exprs.len() {
                self.followed_by(Some("','"), |c| c.expr(e))?
            } else {
                self.expr(e)?
            };
        }
        Ok((exprs.len(), v))
    }

    /// Arguments (whose last token is on line `close`) and the `CALL`
    /// (attributed to `line`) of a function already in a register.
    fn func_args(&mut self, f: &mut ExpDesc, args: &[Expr], line: u32, close: u32) -> CResult<()> {
        let base = match f.k {
            ExpKind::NonReloc(r) => r,
            _ => return Err(self.error("internal compiler error")),
        };
        let close_tok = (args_open(args) == "'('").then_some("')'");
        let (_, mut a) = self.followed_by(close_tok, |c| c.exp_list(args))?;
        // the last argument is put in place after the closing token
        self.see_line(close);
        let nparams: i32 = if a.is_multi() {
            self.set_multret(&mut a)?;
            -1
        } else {
            if a.k != ExpKind::Void {
                // Lua does it once the token after the call is read
                let r = self.exp_to_next_reg(&mut a);
                self.near(r, Near::Follow)?;
            }
            self.fs.free_reg as i32 - (base as i32 + 1)
        };
        let pc = self.code_abc(OpCode::CALL, base, (nparams + 1) as u32, 2);
        self.fix_line(line);
        f.k = ExpKind::Call(pc);
        self.fs.free_reg = base + 1;
        Ok(())
    }

    /// A table constructor.
    fn constructor(&mut self, fields: &[TableField], line: u32, close: u32) -> CResult<ExpDesc> {
        // NEWTABLE is emitted when `{` is the lookahead token
        let pc = self.code_abc(OpCode::NEWTABLE, 0, 0, 0);
        self.code_extraarg(0);
        self.see_line(line);
        let treg = self.fs.free_reg;
        let t = ExpDesc::new(ExpKind::NonReloc(treg));
        // (reserved while `{` is the token being read)
        let r = self.reserve_regs(1);
        self.near(r, Near::Token("'{'"))?;
        let outer = self.follow;
        let mut pending = ExpDesc::new(ExpKind::Void);
        let (mut na, mut nh, mut tostore) = (0u32, 0u32, 0u32);
        for (i, field) in fields.iter().enumerate() {
            self.follow = Some(if i + 1 < fields.len() { "','" } else { "'}'" });
            // close the previous list item
            if pending.k != ExpKind::Void {
                let r = self.exp_to_next_reg(&mut pending);
                self.near(r, Near::Field(field))?;
                pending = ExpDesc::new(ExpKind::Void);
                if tostore == FIELDS_PER_FLUSH {
                    self.set_list(treg, na, tostore as i32);
                    na += tostore;
                    tostore = 0;
                }
            }
            match field {
                TableField::Pos(e) => {
                    pending = self.expr(e)?;
                    tostore += 1;
                }
                TableField::Named(k, v) => {
                    self.see_line(k.line);
                    let reg = self.fs.free_reg;
                    let mut key = self.expr(k)?;
                    self.exp_to_val(&mut key)?;
                    nh += 1;
                    let mut tab = t.clone();
                    self.indexed(&mut tab, &mut key)?;
                    let mut val = self.expr(v)?;
                    self.store_var(&tab, &mut val)?;
                    self.fs.free_reg = reg;
                }
            }
        }
        // the last list items are stored once `}` is read
        self.follow = outer;
        self.at_line(close);
        if tostore > 0 {
            if pending.is_multi() {
                let r = self.set_multret(&mut pending);
                self.near(r, Near::Follow)?;
                self.set_list(treg, na, -1);
                na += tostore - 1;
            } else {
                if pending.k != ExpKind::Void {
                    let r = self.exp_to_next_reg(&mut pending);
                    self.near(r, Near::Follow)?;
                }
                self.set_list(treg, na, tostore as i32);
                na += tostore;
            }
        }
        self.set_table_size(pc, treg, na, nh);
        Ok(t)
    }

    /// Compiles a nested function and emits its `CLOSURE` into the next register.
    pub(super) fn function_body(&mut self, body: &Rc<ast::FuncBody>) -> CResult<ExpDesc> {
        self.enter_level()?;
        self.push_function(body.line, body.end_line);
        self.fs.cur_line = body.line;
        for p in &body.params {
            self.new_localvar(p.clone())?;
        }
        self.adjust_localvars(body.params.len());
        self.fs.f.num_params = self.fs.nactvar as u8;
        if body.is_vararg {
            // Lua emits VARARGPREP once the parameter list is read
            self.at_line(body.body.start_line);
            let n = self.fs.f.num_params as u32;
            self.set_vararg(n);
        }
        let n = self.fs.nactvar as u32;
        self.reserve_regs(n)?;
        let outer = self.follow;
        self.body_stat_list(&body.body, body.end_line)?;
        self.follow = outer;
        self.fs.cur_line = body.end_line;
        self.close_function()?;
        let proto = self.pop_function()?;
        self.leave_level();
        self.fs.f.protos.push(Rc::new(proto));
        let idx = (self.fs.f.protos.len() - 1) as u32;
        if idx > crate::bytecode::opcode::MAX_BX {
            return Err(self.limit_error(crate::bytecode::opcode::MAX_BX as usize, "functions"));
        }
        self.see_line(body.end_line);
        let mut v = ExpDesc::new(ExpKind::Reloc(self.code_abx(OpCode::CLOSURE, 0, idx)));
        // (once the token after `end` is read)
        let r = self.exp_to_next_reg(&mut v);
        self.near(r, Near::Follow)?;
        Ok(v)
    }
}

/// The token that opens a call's arguments: `{` for a table argument,
/// `(` otherwise (a string argument, `f"s"`, cannot be told from `f("s")`
/// in the tree).
fn args_open(args: &[Expr]) -> &'static str {
    match args {
        [Expr {
            kind: ExprKind::Table(..),
            ..
        }] => "'{'",
        _ => "'('",
    }
}

/// Whether a string key could have been written `.name`.
fn is_name(s: &[u8]) -> bool {
    s.first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && s.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// The token that opens a suffix of a suffixed expression.
fn suffix_open(node: &Expr) -> &'static str {
    match &node.kind {
        ExprKind::Index(_, key) => match &key.kind {
            ExprKind::Str(s) if is_name(s) => "'.'",
            _ => "'['",
        },
        ExprKind::Call(_, args, _) => args_open(args),
        ExprKind::MethodCall(..) => "':'",
        _ => "'('",
    }
}
