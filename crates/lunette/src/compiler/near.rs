//! The ` near '<token>'` suffix of register-limit errors.
//!
//! Lua generates code while it parses, so when an expression needs more
//! registers than a function may have, its error names the token the
//! parser was looking at (`function or expression needs too many registers
//! near 'x'`). This compiler works on a finished tree, so the register
//! check (`check_stack`) raises the error without a suffix and notes that
//! one is owed (`Compiler::near_owed`); the code that asked for the
//! registers knows which token a one-pass parser would be reading at that
//! moment (the next expression of a list, the `(` of a call, the right
//! operand of an operator, ...) and adds it through [`Compiler::near`].
//! An error no such site claims keeps its bare message.
//!
//! The tree keeps no token text, so a literal is spelled from its value
//! (`0x10` shows as `16`; a string is shown between double quotes).

use super::{CResult, Compiler};

/// The message of the register-limit error.
pub(super) const TOO_MANY_REGISTERS: &str = "function or expression needs too many registers";
use crate::syntax::ast::{BinOp, Expr, ExprKind, TableField, UnOp};

/// The token a one-pass parser reads at a register request.
pub(super) enum Near<'a> {
    /// The first token of this expression.
    Start(&'a Expr),
    /// The first token of this table field.
    Field(&'a TableField),
    /// A fixed token (`'('`, `')'`, `'}'`, ...).
    Token(&'static str),
    /// The token after the construct just compiled (`Compiler::follow`),
    /// if known.
    Follow,
}

impl Compiler {
    /// Adds ` near <token>` to a register-limit error raised by `r` (when
    /// one is owed: see the module docs).
    pub(super) fn near<T>(&mut self, r: CResult<T>, at: Near<'_>) -> CResult<T> {
        match r {
            Err(mut e) if self.near_owed => {
                self.near_owed = false;
                // Lua reports the line of the token it names
                if let Some(line) = token_line(&at) {
                    e = self.error_at(line, TOO_MANY_REGISTERS);
                }
                let text = match at {
                    Near::Follow => self.follow.map(str::to_string),
                    at => Some(describe(at)),
                };
                if let Some(text) = text {
                    e.message.push_str(" near ");
                    e.message.push_str(&text);
                }
                Err(e)
            }
            r => r,
        }
    }

    /// Runs `f` with `tok` as the token that follows what it compiles.
    pub(super) fn followed_by<T>(
        &mut self,
        tok: Option<&'static str>,
        f: impl FnOnce(&mut Self) -> CResult<T>,
    ) -> CResult<T> {
        let saved = std::mem::replace(&mut self.follow, tok);
        let r = f(self);
        self.follow = saved;
        r
    }
}

/// A binary operator's token as Lua's errors quote it.
pub(super) fn binop_token(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "'+'",
        BinOp::Sub => "'-'",
        BinOp::Mul => "'*'",
        BinOp::Div => "'/'",
        BinOp::IDiv => "'//'",
        BinOp::Mod => "'%'",
        BinOp::Pow => "'^'",
        BinOp::Concat => "'..'",
        BinOp::Eq => "'=='",
        BinOp::Ne => "'~='",
        BinOp::Lt => "'<'",
        BinOp::Le => "'<='",
        BinOp::Gt => "'>'",
        BinOp::Ge => "'>='",
        BinOp::And => "'and'",
        BinOp::Or => "'or'",
        BinOp::BAnd => "'&'",
        BinOp::BOr => "'|'",
        BinOp::BXor => "'~'",
        BinOp::Shl => "'<<'",
        BinOp::Shr => "'>>'",
    }
}

/// The token text as Lua's errors quote it.
fn describe(at: Near<'_>) -> String {
    match at {
        Near::Token(t) => t.to_string(),
        Near::Field(TableField::Pos(e)) => first_token(e),
        Near::Field(TableField::Named(k, _)) => match &k.kind {
            // `name = v` starts with the name, `[k] = v` with the bracket
            ExprKind::Str(s) => format!("'{}'", String::from_utf8_lossy(s)),
            _ => "'['".to_string(),
        },
        Near::Start(e) => first_token(e),
        Near::Follow => String::new(),
    }
}

/// The line of the token `at` names, when the tree knows it.
fn token_line(at: &Near<'_>) -> Option<u32> {
    match *at {
        Near::Start(e) | Near::Field(TableField::Pos(e)) => Some(leftmost(e).line),
        Near::Field(TableField::Named(k, _)) => Some(k.line),
        Near::Token(_) | Near::Follow => None,
    }
}

/// The innermost left operand of an expression: the one holding its first
/// token (iterative along operand chains).
fn leftmost(e: &Expr) -> &Expr {
    let mut cur = e;
    loop {
        cur = match &cur.kind {
            ExprKind::BinOp(_, l, _)
            | ExprKind::Index(l, _)
            | ExprKind::Call(l, ..)
            | ExprKind::MethodCall(l, ..) => l,
            _ => return cur,
        };
    }
}

/// The first token of an expression.
fn first_token(e: &Expr) -> String {
    let cur = leftmost(e);
    match &cur.kind {
        ExprKind::Nil => "'nil'".into(),
        ExprKind::True => "'true'".into(),
        ExprKind::False => "'false'".into(),
        ExprKind::Vararg => "'...'".into(),
        ExprKind::Int(i) => format!("'{i}'"),
        ExprKind::Float(f) => format!("'{}'", crate::number::fmt_float(*f)),
        ExprKind::Str(s) => format!("'\"{}\"'", String::from_utf8_lossy(s)),
        ExprKind::Name(n) => format!("'{}'", String::from_utf8_lossy(n)),
        ExprKind::Function(_) => "'function'".into(),
        ExprKind::Paren(_) => "'('".into(),
        ExprKind::Table(..) => "'{'".into(),
        ExprKind::UnOp(op, _) => match op {
            UnOp::Neg => "'-'",
            UnOp::Not => "'not'",
            UnOp::Len => "'#'",
            UnOp::BNot => "'~'",
        }
        .into(),
        // (unreachable: chains were followed above)
        ExprKind::BinOp(..)
        | ExprKind::Index(..)
        | ExprKind::Call(..)
        | ExprKind::MethodCall(..) => "'('".into(),
    }
}
