//! Expressions: operator precedence, primary/suffixed expressions, table
//! constructors, call arguments.
//!
//! Binary operators use precedence climbing: left-associative chains are
//! a loop; only right operands of higher-priority operators (and the
//! right-associative `..` and `^`) recurse, each taking one nesting level,
//! exactly as Lua counts them.

use super::ast::{BinOp, CallLines, Expr, ExprKind, TableField, UnOp};
use super::parser::Parser;
use super::stat::push_built;
use super::token::{Keyword, Token};

/// Priority of unary operators.
const UNARY_PRIORITY: u8 = 12;

/// The binary operator of a token, with its (left, right) priorities.
fn binary_op(tok: &Token) -> Option<(BinOp, u8, u8)> {
    Some(match tok {
        Token::Char(b'+') => (BinOp::Add, 10, 10),
        Token::Char(b'-') => (BinOp::Sub, 10, 10),
        Token::Char(b'*') => (BinOp::Mul, 11, 11),
        Token::Char(b'%') => (BinOp::Mod, 11, 11),
        Token::Char(b'^') => (BinOp::Pow, 14, 13),
        Token::Char(b'/') => (BinOp::Div, 11, 11),
        Token::IDiv => (BinOp::IDiv, 11, 11),
        Token::Char(b'&') => (BinOp::BAnd, 6, 6),
        Token::Char(b'|') => (BinOp::BOr, 4, 4),
        Token::Char(b'~') => (BinOp::BXor, 5, 5),
        Token::Shl => (BinOp::Shl, 7, 7),
        Token::Shr => (BinOp::Shr, 7, 7),
        Token::Concat => (BinOp::Concat, 9, 8),
        Token::Ne => (BinOp::Ne, 3, 3),
        Token::Eq => (BinOp::Eq, 3, 3),
        Token::Char(b'<') => (BinOp::Lt, 3, 3),
        Token::Le => (BinOp::Le, 3, 3),
        Token::Char(b'>') => (BinOp::Gt, 3, 3),
        Token::Ge => (BinOp::Ge, 3, 3),
        Token::Keyword(Keyword::And) => (BinOp::And, 2, 2),
        Token::Keyword(Keyword::Or) => (BinOp::Or, 1, 1),
        _ => return None,
    })
}

/// The unary operator of a token.
fn unary_op(tok: &Token) -> Option<UnOp> {
    match tok {
        Token::Keyword(Keyword::Not) => Some(UnOp::Not),
        Token::Char(b'-') => Some(UnOp::Neg),
        Token::Char(b'~') => Some(UnOp::BNot),
        Token::Char(b'#') => Some(UnOp::Len),
        _ => None,
    }
}

impl Parser<'_> {
    /// A full expression.
    pub(super) fn expr(&mut self) -> Box<Expr> {
        self.sub_expr(0)
    }

    /// `expr {, expr}` appended to `out`.
    pub(super) fn expr_list(&mut self, out: &mut Vec<Expr>) {
        loop {
            let e = self.sub_expr(0);
            push_built(out, move || *e);
            if !self.test_next(b',') {
                return;
            }
        }
    }

    /// An expression whose binary operators all bind tighter than `limit`.
    fn sub_expr(&mut self, limit: u8) -> Box<Expr> {
        self.enter_level();
        let mut left = match &self.tok {
            Token::Name(_) | Token::Char(b'(') => self.suffixed_expr(),
            tok => match unary_op(tok) {
                Some(op) => self.unary_expr(op),
                None => self.simple_expr(),
            },
        };
        while let Some((op, left_prio, right_prio)) = binary_op(&self.tok) {
            if left_prio <= limit {
                break;
            }
            left = self.binary_rest(left, op, right_prio);
        }
        self.leave_levels(1);
        left
    }

    /// `op operand` (at the operator).
    fn unary_expr(&mut self, op: UnOp) -> Box<Expr> {
        let line = self.line();
        self.next();
        let operand = self.sub_expr(UNARY_PRIORITY);
        Parser::mk(ExprKind::UnOp(op, operand), line)
    }

    /// `left op right` (at the operator).
    fn binary_rest(&mut self, left: Box<Expr>, op: BinOp, right_prio: u8) -> Box<Expr> {
        let line = self.line();
        self.next();
        let right = self.sub_expr(right_prio);
        Parser::mk(ExprKind::BinOp(op, left, right), line)
    }

    /// Literals, constructors, anonymous functions, suffixed expressions.
    fn simple_expr(&mut self) -> Box<Expr> {
        match &self.tok {
            Token::Char(b'{') => self.constructor(),
            Token::Keyword(Keyword::Function) => self.function_expr(),
            Token::Float(_)
            | Token::Int(_)
            | Token::Str(_)
            | Token::Dots
            | Token::Keyword(Keyword::Nil | Keyword::True | Keyword::False) => self.literal(),
            _ => self.suffixed_expr(),
        }
    }

    /// A literal or `...` (the current token).
    fn literal(&mut self) -> Box<Expr> {
        let line = self.line();
        let kind = match &self.tok {
            Token::Float(f) => ExprKind::Float(*f),
            Token::Int(i) => ExprKind::Int(*i),
            Token::Str(s) => ExprKind::Str(s.clone()),
            Token::Keyword(Keyword::True) => ExprKind::True,
            Token::Keyword(Keyword::False) => ExprKind::False,
            Token::Dots => {
                if !self.vararg {
                    self.syntax_error("cannot use '...' outside a vararg function");
                    return Parser::mk(ExprKind::Nil, line);
                }
                ExprKind::Vararg
            }
            _ => ExprKind::Nil,
        };
        self.next();
        Parser::mk(kind, line)
    }

    /// `function body` as an expression.
    fn function_expr(&mut self) -> Box<Expr> {
        self.next();
        // Lua takes the line after the keyword as the function's line.
        let line = self.line();
        let body = self.func_body(false, line);
        Parser::mk(ExprKind::Function(body), line)
    }

    /// `primary { '.' name | '[' expr ']' | ':' name args | args }`
    pub(super) fn suffixed_expr(&mut self) -> Box<Expr> {
        let start_line = self.line();
        let mut e = if self.at(b'(') {
            self.next();
            let inner = self.sub_expr(0);
            self.check_match_char(b')', b'(', start_line);
            Parser::mk(ExprKind::Paren(inner), start_line)
        } else {
            self.primary_name()
        };
        loop {
            e = match &self.tok {
                Token::Char(b'.') => self.field_suffix(e),
                Token::Char(b'[') => self.index_suffix(e),
                Token::Char(b':') => self.method_suffix(e, start_line),
                Token::Char(b'(' | b'{') | Token::Str(_) => self.call_suffix(e, start_line),
                _ => return e,
            };
        }
    }

    /// A name (the primary expression other than `( expr )`).
    fn primary_name(&mut self) -> Box<Expr> {
        let line = self.line();
        let kind = match &self.tok {
            Token::Name(n) => ExprKind::Name(n.clone()),
            _ => {
                self.syntax_error("unexpected symbol");
                return Parser::mk(ExprKind::Nil, line);
            }
        };
        self.next();
        Parser::mk(kind, line)
    }

    /// `e.name`
    fn field_suffix(&mut self, e: Box<Expr>) -> Box<Expr> {
        let line = self.line();
        self.next();
        let name = self.check_name();
        let key = Parser::mk(ExprKind::Str(name), line);
        Parser::mk(ExprKind::Index(e, key), line)
    }

    /// `e[key]`
    fn index_suffix(&mut self, e: Box<Expr>) -> Box<Expr> {
        let line = self.line();
        self.next();
        let key = self.expr();
        self.check_next(b']');
        Parser::mk(ExprKind::Index(e, key), line)
    }

    /// `e:name args`
    fn method_suffix(&mut self, e: Box<Expr>, line: u32) -> Box<Expr> {
        self.next();
        let name = self.check_name();
        let name_line = self.last_line();
        let mut args = Vec::new();
        self.call_args(line, &mut args);
        let lines = CallLines {
            name: name_line,
            close: self.last_line(),
        };
        Parser::mk(ExprKind::MethodCall(e, name, args, lines), line)
    }

    /// `e args`
    fn call_suffix(&mut self, e: Box<Expr>, line: u32) -> Box<Expr> {
        let mut args = Vec::new();
        self.call_args(line, &mut args);
        let lines = CallLines {
            name: 0,
            close: self.last_line(),
        };
        Parser::mk(ExprKind::Call(e, args, lines), line)
    }

    /// Call arguments: `( [explist] )`, a table constructor or a string.
    fn call_args(&mut self, line: u32, args: &mut Vec<Expr>) {
        match &self.tok {
            Token::Str(s) => {
                let arg = Parser::mk(ExprKind::Str(s.clone()), self.line());
                self.next();
                push_built(args, move || *arg);
            }
            Token::Char(b'{') => {
                let table = self.constructor();
                push_built(args, move || *table);
            }
            Token::Char(b'(') => {
                self.next();
                if !self.at(b')') {
                    self.expr_list(args);
                }
                self.check_match_char(b')', b'(', line);
            }
            _ => self.syntax_error("function arguments expected"),
        }
    }

    /// `{ [field {sep field} [sep]] }`
    fn constructor(&mut self) -> Box<Expr> {
        let line = self.line();
        self.check_next(b'{');
        let mut fields = Vec::new();
        while !self.at(b'}') {
            self.field(&mut fields);
            if !(self.test_next(b',') || self.test_next(b';')) {
                break;
            }
        }
        self.check_match_char(b'}', b'{', line);
        let close = self.last_line();
        Parser::mk(ExprKind::Table(fields, close), line)
    }

    /// One constructor field, appended to `out`.
    fn field(&mut self, out: &mut Vec<TableField>) {
        match &self.tok {
            Token::Name(_) => {
                if self.peek_is(b'=') {
                    self.named_field(out);
                } else {
                    let value = self.expr();
                    push_built(out, move || TableField::Pos(*value));
                }
            }
            Token::Char(b'[') => {
                self.next();
                let key = self.expr();
                self.check_next(b']');
                self.check_next(b'=');
                let value = self.expr();
                push_built(out, move || TableField::Named(*key, *value));
            }
            _ => {
                let value = self.expr();
                push_built(out, move || TableField::Pos(*value));
            }
        }
    }

    /// `name = expr` in a constructor (at the name).
    fn named_field(&mut self, out: &mut Vec<TableField>) {
        let line = self.line();
        let name = self.check_name();
        let key = Parser::mk(ExprKind::Str(name), line);
        self.next(); // '='
        let value = self.expr();
        push_built(out, move || TableField::Named(*key, *value));
    }
}
