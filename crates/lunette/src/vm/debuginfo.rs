//! Naming values for error messages, the way Lua's debug interface does:
//! `attempt to index a nil value (global 'x')`, `bad argument #1 to
//! 'insert'`, `calling 'rep' on bad self`.
//!
//! Two questions are answered from the bytecode alone:
//! - where an operand of the executing instruction came from (a register,
//!   an upvalue, a constant), and
//! - what a register holds at a pc: a local's name from the debug info, or
//!   else the instruction that last set it before that pc, found by a
//!   forward scan that gives up when a jump makes the answer ambiguous.

use super::state::Vm;
use crate::bytecode::{Constant, Instruction, OpCode, Proto, TagMethod};

/// Deepest chain of register-naming steps followed (keeps the recursion
/// bounded on adversarial bytecode).
const MAX_NAME_DEPTH: u32 = 64;

/// Where an operand of an instruction lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// Register `R[x]`.
    Reg(u32),
    /// Upvalue `x`.
    Upval(u32),
    /// Not a register or upvalue (constant, immediate): no name.
    Other,
}

/// The source of operand `operand` (0 first) of `i`, as the semantic
/// functions number operands (`arith(op, a, b)`: `a` is 0; for `CONCAT` the
/// index in the concatenated list).
fn operand_source(i: Instruction, operand: u8) -> Source {
    let Some(op) = i.opcode() else {
        return Source::Other;
    };
    let operand = operand as u32;
    use OpCode::*;
    match op {
        GETTABUP if operand == 0 => Source::Upval(i.b()),
        GETTABLE | GETI | GETFIELD | SELF if operand == 0 => Source::Reg(i.b()),
        SETTABUP if operand == 0 => Source::Upval(i.a()),
        SETTABLE | SETI | SETFIELD if operand == 0 => Source::Reg(i.a()),
        MMBIN => match operand {
            0 => Source::Reg(i.a()),
            1 => Source::Reg(i.b()),
            _ => Source::Other,
        },
        MMBINI | MMBINK => {
            let reg_operand = if i.k() { 1 } else { 0 };
            if operand == reg_operand {
                Source::Reg(i.a())
            } else {
                Source::Other
            }
        }
        ADD | SUB | MUL | MOD | POW | DIV | IDIV | BAND | BOR | BXOR | SHL | SHR => match operand {
            0 => Source::Reg(i.b()),
            1 => Source::Reg(i.c()),
            _ => Source::Other,
        },
        ADDI | ADDK | SUBK | MULK | MODK | POWK | DIVK | IDIVK | BANDK | BORK | BXORK | SHRI
            if operand == 0 =>
        {
            Source::Reg(i.b())
        }
        SHLI if operand == 1 => Source::Reg(i.b()),
        UNM | BNOT | LEN => Source::Reg(i.b()),
        CONCAT => Source::Reg(i.a() + operand),
        CALL | TAILCALL | TFORCALL if operand == 0 => Source::Reg(i.a()),
        _ => Source::Other,
    }
}

/// Whether `op` writes register A (Lua's "A mode"; `CALL`, `TAILCALL`,
/// `LOADNIL` and `TFORCALL` are handled separately).
fn sets_register_a(op: OpCode) -> bool {
    use crate::bytecode::opcode::F_SETS_A;
    op.flags() & F_SETS_A != 0
        || matches!(
            op,
            OpCode::TESTSET
                | OpCode::FORLOOP
                | OpCode::FORPREP
                | OpCode::TFORLOOP
                | OpCode::VARARG
                | OpCode::VARARGPREP
        )
}

/// The pc of the last instruction before `lastpc` that set `reg`, or
/// `None` when unknown or conditional (inside a jumped-over region).
fn find_set_reg(p: &Proto, mut lastpc: usize, reg: u32) -> Option<usize> {
    if let Some(OpCode::MMBIN | OpCode::MMBINI | OpCode::MMBINK) =
        p.code.get(lastpc).and_then(|i| i.opcode())
    {
        // the arithmetic instruction before it did not complete
        lastpc = lastpc.saturating_sub(1);
    }
    let mut setreg = None;
    let mut jmptarget = 0usize;
    for pc in 0..lastpc.min(p.code.len()) {
        let i = p.code[pc];
        let Some(op) = i.opcode() else { continue };
        let a = i.a();
        let change = match op {
            OpCode::LOADNIL => a <= reg && reg <= a + i.b(),
            OpCode::TFORCALL => reg >= a + 2,
            OpCode::CALL | OpCode::TAILCALL => reg >= a,
            OpCode::JMP => {
                let dest = pc as i64 + 1 + i.sj() as i64;
                if dest <= lastpc as i64 && dest > jmptarget as i64 {
                    jmptarget = dest as usize;
                }
                false
            }
            _ => sets_register_a(op) && reg == a,
        };
        if change {
            setreg = if pc < jmptarget { None } else { Some(pc) };
        }
    }
    setreg
}

/// Lossy text of a byte name.
fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The name of upvalue `u` (`?` when unknown).
fn upval_name(p: &Proto, u: u32) -> String {
    match p.upvalues.get(u as usize).and_then(|d| d.name.as_ref()) {
        Some(n) => text(n),
        None => "?".to_string(),
    }
}

/// The string constant `k`, or `?`.
fn const_name(p: &Proto, k: u32) -> String {
    match p.constants.get(k as usize) {
        Some(Constant::Str(s)) => text(s),
        _ => "?".to_string(),
    }
}

/// The name of a key held in register `r`: the string it was loaded with
/// as a constant, else `?`.
fn reg_key_name(p: &Proto, pc: usize, r: u32, depth: u32) -> String {
    match object_name(p, pc, r, depth + 1) {
        Some(("constant", n)) => n,
        _ => "?".to_string(),
    }
}

/// `global` when the indexed table (register or upvalue `t`) is named
/// `_ENV`, else `field`.
fn global_or_field(p: &Proto, pc: usize, t: u32, is_upval: bool, depth: u32) -> &'static str {
    let name = if is_upval {
        Some(upval_name(p, t))
    } else {
        object_name(p, pc, t, depth + 1).map(|(_, n)| n)
    };
    if name.as_deref() == Some("_ENV") {
        "global"
    } else {
        "field"
    }
}

/// What register `reg` holds at `lastpc`: `(kind, name)` with kind one of
/// `local`, `global`, `field`, `upvalue`, `constant`, `method`.
fn object_name(p: &Proto, lastpc: usize, reg: u32, depth: u32) -> Option<(&'static str, String)> {
    if depth > MAX_NAME_DEPTH {
        return None;
    }
    if let Some(n) = p.local_name(reg as usize + 1, lastpc) {
        return Some(("local", text(n)));
    }
    let pc = find_set_reg(p, lastpc, reg)?;
    let i = p.code[pc];
    match i.opcode()? {
        OpCode::MOVE => {
            if i.b() < i.a() {
                object_name(p, pc, i.b(), depth + 1)
            } else {
                None
            }
        }
        OpCode::GETTABUP => {
            let name = const_name(p, i.c());
            Some((global_or_field(p, pc, i.b(), true, depth), name))
        }
        OpCode::GETTABLE => {
            let name = reg_key_name(p, pc, i.c(), depth);
            Some((global_or_field(p, pc, i.b(), false, depth), name))
        }
        OpCode::GETI => Some(("field", "integer index".to_string())),
        OpCode::GETFIELD => {
            let name = const_name(p, i.c());
            Some((global_or_field(p, pc, i.b(), false, depth), name))
        }
        OpCode::GETUPVAL => Some(("upvalue", upval_name(p, i.b()))),
        OpCode::LOADK | OpCode::LOADKX => {
            let k = if i.opcode() == Some(OpCode::LOADK) {
                i.bx()
            } else {
                p.code.get(pc + 1)?.ax()
            };
            match p.constants.get(k as usize)? {
                Constant::Str(s) => Some(("constant", text(s))),
                _ => None,
            }
        }
        OpCode::SELF => {
            let name = if i.k() {
                const_name(p, i.c())
            } else {
                reg_key_name(p, pc, i.c(), depth)
            };
            Some(("method", name))
        }
        _ => None,
    }
}

/// What register `reg` holds at `pc` of `proto`, as `(kind, name)`
/// (`("local", "x")`, `("global", "print")`, `("field", "y")`,
/// `("upvalue", "z")`, `("constant", "s")`, `("method", "m")`).
pub fn register_name(proto: &Proto, pc: usize, reg: u32) -> Option<(&'static str, String)> {
    object_name(proto, pc, reg, 0)
}

/// The (namewhat, name) of the function called by the instruction at `pc`:
/// `CALL`/`TAILCALL` name their callee register (`global`, `local`,
/// `method`, `field`, `upvalue`, `constant`); `TFORCALL` gives
/// `("for iterator", "for iterator")`; instructions that run metamethods
/// give `("metamethod", "index")` and so on. `None` when nothing fits.
pub fn call_site_name(proto: &Proto, pc: usize) -> Option<(&'static str, String)> {
    let i = *proto.code.get(pc)?;
    use OpCode::*;
    let tm = match i.opcode()? {
        CALL | TAILCALL => return object_name(proto, pc, i.a(), 0),
        TFORCALL => return Some(("for iterator", "for iterator".to_string())),
        SELF | GETTABUP | GETTABLE | GETI | GETFIELD => TagMethod::Index,
        SETTABUP | SETTABLE | SETI | SETFIELD => TagMethod::NewIndex,
        MMBIN | MMBINI | MMBINK => TagMethod::from_u32(i.c())?,
        UNM => TagMethod::Unm,
        BNOT => TagMethod::BNot,
        LEN => TagMethod::Len,
        CONCAT => TagMethod::Concat,
        EQ => TagMethod::Eq,
        LT | LTI | GTI => TagMethod::Lt,
        LE | LEI | GEI => TagMethod::Le,
        CLOSE | RETURN => TagMethod::Close,
        _ => return None,
    };
    Some(("metamethod", tm.name()[2..].to_string()))
}

impl Vm {
    /// The ` (kind 'name')` suffix naming operand `operand` of the running
    /// Lua instruction (see `type_error`), or `""` when it has no name or
    /// the running function is native.
    pub fn varinfo(&self, operand: Option<u8>) -> String {
        let Some(operand) = operand else {
            return String::new();
        };
        let Some((closure, pc, _base)) = self.current_lua_frame() else {
            return String::new();
        };
        let proto = &closure.proto.proto;
        let Some(&instr) = proto.code.get(pc) else {
            return String::new();
        };
        let named = match operand_source(instr, operand) {
            Source::Upval(u) => Some(("upvalue", upval_name(proto, u))),
            Source::Reg(r) => object_name(proto, pc, r, 0),
            Source::Other => None,
        };
        match named {
            Some((kind, name)) => format!(" ({kind} '{name}')"),
            None => String::new(),
        }
    }
}

#[cfg(test)]
#[path = "debuginfo_tests.rs"]
mod tests;
