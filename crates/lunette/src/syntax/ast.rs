//! The abstract syntax tree. Every statement and expression carries the
//! source line it starts on (the line the compiler attributes its code to).
//!
//! Names and string literals are byte strings (`Rc<[u8]>`): Lua source may
//! contain any bytes inside string literals.

use std::rc::Rc;

/// A Lua name or string literal (bytes).
pub type Name = Rc<[u8]>;

/// A whole chunk: a vararg main function body.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// The main block.
    pub body: Block,
    /// Line of the last token before `<eof>` (what Lua attributes the final
    /// `RETURN` to; 1 for an empty chunk).
    pub end_line: u32,
}

/// A sequence of statements; a block is a scope.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    /// The statements, in order.
    pub stats: Vec<Stat>,
    /// A trailing `return`, if any.
    pub ret: Option<Return>,
    /// Line of the token just before the block (`then`, `do`, `else`,
    /// `repeat`, `)` of a parameter list); 0 when unknown. An `if` or
    /// `elseif` condition's test is attributed to it (the `then` line).
    pub start_line: u32,
    /// Line of the block's last token (the token before the closing
    /// keyword; `start_line` for an empty block); 0 when unknown. Code
    /// that closes the block's scope is attributed to it.
    pub end_line: u32,
}

/// `return e1, e2, ...` (must be the last statement of a block).
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    /// The returned expressions.
    pub exprs: Vec<Expr>,
    /// Line of the `return` keyword.
    pub line: u32,
}

/// Attribute of a local declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attrib {
    /// No attribute.
    None,
    /// `<const>`
    Const,
    /// `<close>`
    Close,
}

/// A statement with its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Stat {
    /// What the statement is.
    pub kind: StatKind,
    /// Line where the statement starts.
    pub line: u32,
}

/// Statement kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum StatKind {
    /// `;`
    Empty,
    /// `t1, t2 = e1, e2` (targets are `Expr::Name`, `Expr::Index`).
    Assign {
        /// Assignment targets.
        targets: Vec<Expr>,
        /// Values.
        exprs: Vec<Expr>,
    },
    /// A function call used as a statement (`Expr::Call` or `Expr::MethodCall`).
    Call(Expr),
    /// `::name::`
    Label(Name),
    /// `break`
    Break,
    /// `goto name`
    Goto(Name),
    /// `do block end`
    Do(Block),
    /// `while cond do block end`
    While {
        /// Loop condition.
        cond: Expr,
        /// Loop body.
        body: Block,
        /// Line of the condition's last token (its test's line).
        cond_end: u32,
        /// Line of the closing `end`.
        end_line: u32,
    },
    /// `repeat block until cond` (cond sees the block's locals).
    Repeat {
        /// Loop body.
        body: Block,
        /// Exit condition.
        cond: Expr,
        /// Line of the condition's last token (its test's line).
        cond_end: u32,
    },
    /// `if c1 then b1 elseif c2 then b2 else b3 end`
    If {
        /// `(condition, block)` for `if` and each `elseif`.
        conds: Vec<(Expr, Block)>,
        /// The `else` block.
        else_block: Option<Block>,
    },
    /// `for var = start, limit [, step] do body end`
    NumFor {
        /// Loop variable.
        var: Name,
        /// Initial value.
        start: Expr,
        /// Limit.
        limit: Expr,
        /// Step (absent means 1).
        step: Option<Expr>,
        /// Loop body.
        body: Block,
        /// Line of the closing `end`.
        end_line: u32,
    },
    /// `for n1, n2 in e1, e2 do body end`
    GenFor {
        /// Loop variables.
        names: Vec<Name>,
        /// Iterator expressions.
        exprs: Vec<Expr>,
        /// Loop body.
        body: Block,
        /// Line of the closing `end`.
        end_line: u32,
    },
    /// `function a.b.c:m() ... end` (name path + optional method).
    Function {
        /// `a`, then fields `b`, `c`.
        path: Vec<Name>,
        /// `m` when the function is defined with `:`.
        method: Option<Name>,
        /// The function (with `self` already added as first parameter when `method` is set).
        func: Rc<FuncBody>,
    },
    /// `local function name() ... end`
    LocalFunction {
        /// The local's name.
        name: Name,
        /// The function.
        func: Rc<FuncBody>,
    },
    /// `local n1 <attr>, n2 = e1, e2`
    Local {
        /// Names with their attributes.
        names: Vec<(Name, Attrib)>,
        /// Initial values (possibly empty).
        exprs: Vec<Expr>,
    },
}

/// A function body: parameters, vararg flag, block.
#[derive(Debug, Clone, PartialEq)]
pub struct FuncBody {
    /// Named parameters (includes `self` for methods).
    pub params: Vec<Name>,
    /// Whether the parameter list ends in `...`.
    pub is_vararg: bool,
    /// The body.
    pub body: Block,
    /// Line of the `function` keyword.
    pub line: u32,
    /// Line of the closing `end`.
    pub end_line: u32,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `//`
    IDiv,
    /// `%`
    Mod,
    /// `^`
    Pow,
    /// `..`
    Concat,
    /// `==`
    Eq,
    /// `~=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `and`
    And,
    /// `or`
    Or,
    /// `&`
    BAnd,
    /// `|`
    BOr,
    /// `~` (binary)
    BXor,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `-`
    Neg,
    /// `not`
    Not,
    /// `#`
    Len,
    /// `~`
    BNot,
}

/// An expression with its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// The line the compiler attributes the expression's code to (as Lua
    /// does): for `Call`/`MethodCall`, the line where the whole suffixed
    /// expression (`a.b:c(...)`) starts; for `BinOp`, the operator's line;
    /// for `Index`, the line of the key (`.name` or `[`); otherwise the line
    /// of the expression's first token.
    pub line: u32,
}

/// Expression kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `nil`
    Nil,
    /// `true`
    True,
    /// `false`
    False,
    /// `...`
    Vararg,
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A string literal.
    Str(Name),
    /// A variable name (local, upvalue or global: resolved by the compiler).
    Name(Name),
    /// `obj[key]` (also `obj.name`, with `key` a string literal).
    Index(Box<Expr>, Box<Expr>),
    /// `f(args)`
    Call(Box<Expr>, Vec<Expr>, CallLines),
    /// `obj:name(args)`
    MethodCall(Box<Expr>, Name, Vec<Expr>, CallLines),
    /// `function (...) ... end`
    Function(Rc<FuncBody>),
    /// `( e )`: truncates multiple results to one.
    Paren(Box<Expr>),
    /// `{ ... }`, with the line of the closing `}` (the line of the code
    /// that stores the last list items).
    Table(Vec<TableField>, u32),
    /// `a op b`
    BinOp(BinOp, Box<Expr>, Box<Expr>),
    /// `op a`
    UnOp(UnOp, Box<Expr>),
}

/// Lines of a call's parts that Lua attributes code to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CallLines {
    /// Line of the method name of `obj:name(...)` (the line of its `SELF`);
    /// 0 for a plain call.
    pub name: u32,
    /// Line of the arguments' last token (`)`, the string, or the table's
    /// `}`): the last argument is put in place once it is read.
    pub close: u32,
}

/// A table constructor field.
#[derive(Debug, Clone, PartialEq)]
pub enum TableField {
    /// `expr` (positional).
    Pos(Expr),
    /// `name = expr` or `[k] = expr`.
    Named(Expr, Expr),
}

impl Expr {
    /// Whether the expression can produce multiple values (a call or `...`).
    pub fn is_multi(&self) -> bool {
        matches!(
            self.kind,
            ExprKind::Call(..) | ExprKind::MethodCall(..) | ExprKind::Vararg
        )
    }
}

/// Chains longer than this (`a.b.c...`, `1 + 2 + 3 ...`) are dropped
/// iteratively instead of recursively.
const LONG_CHAIN: usize = 100;

impl Expr {
    /// The operand that a flat chain continues through: the left operand
    /// of a binary operator, the object of an index or method call, the
    /// function of a call.
    fn chain_link(&mut self) -> Option<&mut Box<Expr>> {
        match &mut self.kind {
            ExprKind::BinOp(_, left, _)
            | ExprKind::Index(left, _)
            | ExprKind::Call(left, ..)
            | ExprKind::MethodCall(left, ..) => Some(left),
            _ => None,
        }
    }

    /// Whether the chain below this expression is at least `LONG_CHAIN` long.
    fn has_long_chain(&self) -> bool {
        let mut cur = self;
        for _ in 0..LONG_CHAIN {
            cur = match &cur.kind {
                ExprKind::BinOp(_, left, _)
                | ExprKind::Index(left, _)
                | ExprKind::Call(left, ..)
                | ExprKind::MethodCall(left, ..) => left,
                _ => return false,
            };
        }
        true
    }
}

/// Dropping is iterative along long flat chains, so that a source like
/// `x = 1 + 1 + ... + 1` with a million terms (which Lua accepts) cannot
/// overflow the Rust stack when its tree is freed.
impl Drop for Expr {
    fn drop(&mut self) {
        if !self.has_long_chain() {
            return;
        }
        let mut pending: Vec<Box<Expr>> = Vec::new();
        let detach = |e: &mut Expr, pending: &mut Vec<Box<Expr>>| {
            if let Some(link) = e.chain_link() {
                let placeholder = Box::new(Expr {
                    kind: ExprKind::Nil,
                    line: 0,
                });
                pending.push(std::mem::replace(link, placeholder));
            }
        };
        detach(self, &mut pending);
        while let Some(mut e) = pending.pop() {
            detach(&mut e, &mut pending);
        }
    }
}
