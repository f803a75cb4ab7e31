//! Expressions: operator precedence, primary/suffixed expressions, table
//! constructors, call arguments.
//!
//! Binary operators use precedence climbing: left-associative chains are
//! a loop; only right operands of higher-priority operators (and the
//! right-associative `..` and `^`) recurse, each taking one nesting level,
//! exactly as Lua counts them.

use super::ast::{BinOp, Expr, ExprKind, TableField, UnOp};
use super::parser::{PResult, Parser};
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
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.sub_expr(0)
    }

    /// `expr {, expr}`
    pub(super) fn expr_list(&mut self) -> PResult<Vec<Expr>> {
        let mut list = vec![self.expr()?];
        while self.test_next(b',')? {
            list.push(self.expr()?);
        }
        Ok(list)
    }

    /// An expression whose binary operators all bind tighter than `limit`.
    fn sub_expr(&mut self, limit: u8) -> PResult<Expr> {
        self.enter_level()?;
        let result = self.sub_expr_inner(limit);
        self.leave_levels(1);
        result
    }

    /// Body of `sub_expr` (the level is held by the caller).
    fn sub_expr_inner(&mut self, limit: u8) -> PResult<Expr> {
        let mut left = if let Some(op) = unary_op(&self.tok) {
            let line = self.line();
            self.next()?;
            let operand = self.sub_expr(UNARY_PRIORITY)?;
            Parser::mk(ExprKind::UnOp(op, Box::new(operand)), line)
        } else {
            self.simple_expr()?
        };
        while let Some((op, left_prio, right_prio)) = binary_op(&self.tok) {
            if left_prio <= limit {
                break;
            }
            let line = self.line();
            self.next()?;
            let right = self.sub_expr(right_prio)?;
            left = Parser::mk(ExprKind::BinOp(op, Box::new(left), Box::new(right)), line);
        }
        Ok(left)
    }

    /// Literals, constructors, anonymous functions, suffixed expressions.
    fn simple_expr(&mut self) -> PResult<Expr> {
        let line = self.line();
        let kind = match &self.tok {
            Token::Float(f) => ExprKind::Float(*f),
            Token::Int(i) => ExprKind::Int(*i),
            Token::Str(s) => ExprKind::Str(s.clone()),
            Token::Keyword(Keyword::Nil) => ExprKind::Nil,
            Token::Keyword(Keyword::True) => ExprKind::True,
            Token::Keyword(Keyword::False) => ExprKind::False,
            Token::Dots => {
                if !self.vararg {
                    return Err(self.syntax_error("cannot use '...' outside a vararg function"));
                }
                ExprKind::Vararg
            }
            Token::Char(b'{') => return self.constructor(),
            Token::Keyword(Keyword::Function) => {
                self.next()?;
                let line = self.line();
                let body = self.func_body(false, line)?;
                return Ok(Parser::mk(ExprKind::Function(body), line));
            }
            _ => return self.suffixed_expr(),
        };
        self.next()?;
        Ok(Parser::mk(kind, line))
    }

    /// `primary { '.' name | '[' expr ']' | ':' name args | args }`
    pub(super) fn suffixed_expr(&mut self) -> PResult<Expr> {
        let start_line = self.line();
        let mut e = match &self.tok {
            Token::Name(n) => {
                let kind = ExprKind::Name(n.clone());
                self.next()?;
                Parser::mk(kind, start_line)
            }
            Token::Char(b'(') => {
                self.next()?;
                let inner = self.expr()?;
                self.check_match(&Token::Char(b')'), &Token::Char(b'('), start_line)?;
                Parser::mk(ExprKind::Paren(Box::new(inner)), start_line)
            }
            _ => return Err(self.syntax_error("unexpected symbol")),
        };
        loop {
            match &self.tok {
                Token::Char(b'.') => {
                    let line = self.line();
                    self.next()?;
                    let name = self.check_name()?;
                    let key = Parser::mk(ExprKind::Str(name), line);
                    e = Parser::mk(ExprKind::Index(Box::new(e), Box::new(key)), line);
                }
                Token::Char(b'[') => {
                    let line = self.line();
                    self.next()?;
                    let key = self.expr()?;
                    self.check_next(b']')?;
                    e = Parser::mk(ExprKind::Index(Box::new(e), Box::new(key)), line);
                }
                Token::Char(b':') => {
                    self.next()?;
                    let name = self.check_name()?;
                    let args = self.call_args(start_line)?;
                    e = Parser::mk(ExprKind::MethodCall(Box::new(e), name, args), start_line);
                }
                Token::Char(b'(' | b'{') | Token::Str(_) => {
                    let args = self.call_args(start_line)?;
                    e = Parser::mk(ExprKind::Call(Box::new(e), args), start_line);
                }
                _ => return Ok(e),
            }
        }
    }

    /// Call arguments: `( [explist] )`, a table constructor or a string.
    fn call_args(&mut self, line: u32) -> PResult<Vec<Expr>> {
        match &self.tok {
            Token::Str(s) => {
                let arg = Parser::mk(ExprKind::Str(s.clone()), self.line());
                self.next()?;
                Ok(vec![arg])
            }
            Token::Char(b'{') => Ok(vec![self.constructor()?]),
            Token::Char(b'(') => {
                self.next()?;
                let args = if self.at(b')') {
                    Vec::new()
                } else {
                    self.expr_list()?
                };
                self.check_match(&Token::Char(b')'), &Token::Char(b'('), line)?;
                Ok(args)
            }
            _ => Err(self.syntax_error("function arguments expected")),
        }
    }

    /// `{ [field {sep field} [sep]] }`
    fn constructor(&mut self) -> PResult<Expr> {
        let line = self.line();
        self.check_next(b'{')?;
        let mut fields = Vec::new();
        while !self.at(b'}') {
            fields.push(self.field()?);
            if !(self.test_next(b',')? || self.test_next(b';')?) {
                break;
            }
        }
        self.check_match(&Token::Char(b'}'), &Token::Char(b'{'), line)?;
        Ok(Parser::mk(ExprKind::Table(fields), line))
    }

    /// One constructor field.
    fn field(&mut self) -> PResult<TableField> {
        match &self.tok {
            Token::Name(n) => {
                let n = n.clone();
                let line = self.line();
                if !self.peek()?.is_char(b'=') {
                    return Ok(TableField::Pos(self.expr()?));
                }
                let key = Parser::mk(ExprKind::Str(n), line);
                self.next()?; // name
                self.next()?; // '='
                Ok(TableField::Named(key, self.expr()?))
            }
            Token::Char(b'[') => {
                self.next()?;
                let key = self.expr()?;
                self.check_next(b']')?;
                self.check_next(b'=')?;
                Ok(TableField::Named(key, self.expr()?))
            }
            _ => Ok(TableField::Pos(self.expr()?)),
        }
    }
}
