//! The verifier and its contract with the interpreter.
//!
//! Every prototype, compiled or loaded, passes `verify` before it runs
//! (`Vm::load_proto` calls it). The interpreter may rely on exactly the
//! facts listed here, and on nothing else:
//!
//! | # | invariant |
//! |---|-----------|
//! | V1 | `max_stack <= MAX_REGS`, `num_params <= max_stack`, `max_stack >= 2`. |
//! | V2 | Every opcode field decodes to a known `OpCode`. |
//! | V3 | Every register operand read or written (`A`, `B`, `C` where the format says "register", including whole ranges such as `LOADNIL A..A+B`, `CONCAT A..A+B-1`, call argument and result windows with fixed counts, the four `FORPREP`/`FORLOOP` slots, the `TFORCALL` window `A..A+3+C`) is `< max_stack`. |
//! | V4 | Every constant operand (`K[Bx]`, `K[C]` with `k`, `EQK`, `MMBINK`, `LOADKX`'s `EXTRAARG`) is `< constants.len()`; field-name operands (`GETFIELD`, `SETFIELD`, `GETTABUP`, `SETTABUP`, `SELF` with `k`) name string constants; `ADDK..IDIVK` name number constants and `BANDK..BXORK` integer constants. |
//! | V5 | Every upvalue operand is `< upvalues.len()`; `CLOSURE`'s `Bx < protos.len()`. |
//! | V6 | Every jump target (`JMP`, the skip of a test/`LFALSESKIP`, `FORPREP`/`FORLOOP`, `TFORPREP`/`TFORLOOP`) is an instruction index inside the function. |
//! | V7 | Pairing: tests (`F_TEST`) are followed by `JMP`; arithmetic with `F_MM_NEXT` by the matching `MMBIN`/`MMBINI`/`MMBINK`, and every `MMBIN*` directly follows such an instruction; `LOADKX` and `NEWTABLE` by `EXTRAARG`, and `SETLIST` with `k` too; `TFORCALL` by `TFORLOOP`; each `FORPREP` lands on a `FORLOOP` with the same `A` that jumps back to the instruction after it; each `TFORPREP` lands on a `TFORCALL` with the same `A`. `EXTRAARG` appears nowhere else and is never a jump target. |
//! | V8 | Instructions that consume the stack top (`B == 0` of `CALL`/`TAILCALL`/`RETURN`/`SETLIST`) directly follow an instruction that sets it (`CALL` with `C == 0`, `VARARG` with `C == 0`, or `TAILCALL`) and are not jump targets. |
//! | V9 | The last instruction is a return or a jump (execution never runs off the end). |
//! | V10 | Every vararg function starts with `VARARGPREP`, which appears nowhere else; `VARARG` only in vararg functions. |
//! | V11 | Upvalue descriptors of nested prototypes are valid in their parent: `in_stack` indices `< parent.max_stack`, others `< parent.upvalues.len()`. Nested prototypes are verified recursively (depth bounded). |
//! | V12 | `lines` is empty (stripped) or exactly as long as `code`. |
//!
//! What is NOT proved (the interpreter checks it at run time): value types of
//! operands, the stack top's value after open calls, table and string contents.

use super::opcode::{Format, Instruction, OpCode, TagMethod, F_MM_NEXT, F_TEST, MAX_REGS};
use super::proto::{Constant, Proto};

/// How deep nested prototypes may go before the verifier refuses.
const MAX_NESTING: usize = 250;

/// Checks a prototype (and its nested prototypes) for the invariants the
/// interpreter relies on. The error names the broken invariant and where.
pub fn verify(proto: &Proto) -> Result<(), String> {
    verify_nested(proto, None, 0)
}

fn verify_nested(p: &Proto, parent: Option<&Proto>, depth: usize) -> Result<(), String> {
    if depth > MAX_NESTING {
        return Err("bad binary format (functions nested too deeply)".into());
    }
    check_header(p)?;
    if let Some(parent) = parent {
        for (i, uv) in p.upvalues.iter().enumerate() {
            let ok = if uv.in_stack {
                (uv.index as usize) < parent.max_stack as usize
            } else {
                (uv.index as usize) < parent.upvalues.len()
            };
            if !ok {
                return Err(format!("bad upvalue descriptor {i} (V11)"));
            }
        }
    }
    Checker::new(p).run()?;
    for child in &p.protos {
        verify_nested(child, Some(p), depth + 1)?;
    }
    Ok(())
}

fn check_header(p: &Proto) -> Result<(), String> {
    if p.max_stack as u32 > MAX_REGS || p.num_params > p.max_stack || p.max_stack < 2 {
        return Err("bad frame size (V1)".into());
    }
    if !p.lines.is_empty() && p.lines.len() != p.code.len() {
        return Err("bad line information (V12)".into());
    }
    if p.code.is_empty() {
        return Err("empty function (V9)".into());
    }
    Ok(())
}

struct Checker<'a> {
    p: &'a Proto,
    code: &'a [Instruction],
    /// Whether each instruction is the target of some jump.
    targets: Vec<bool>,
}

impl<'a> Checker<'a> {
    fn new(p: &'a Proto) -> Self {
        Checker {
            p,
            code: &p.code,
            targets: vec![false; p.code.len()],
        }
    }

    fn err(&self, pc: usize, what: &str) -> String {
        format!("bad instruction at pc {} ({what})", pc + 1)
    }

    fn op(&self, pc: usize) -> Option<OpCode> {
        self.code.get(pc).and_then(|i| i.opcode())
    }

    fn run(&mut self) -> Result<(), String> {
        // Pass 1: decode, jump targets.
        for pc in 0..self.code.len() {
            let i = self.code[pc];
            let op = i
                .opcode()
                .ok_or_else(|| self.err(pc, "unknown opcode, V2"))?;
            for t in self.jump_targets(pc, op, i)? {
                self.targets[t] = true;
            }
        }
        // Pass 2: operands and pairing.
        for pc in 0..self.code.len() {
            let i = self.code[pc];
            let op = i
                .opcode()
                .ok_or_else(|| self.err(pc, "unknown opcode, V2"))?;
            self.check_operands(pc, op, i)?;
            self.check_pairing(pc, op, i)?;
        }
        if self.p.is_vararg && self.op(0) != Some(OpCode::VARARGPREP) {
            return Err(self.err(0, "vararg function without VARARGPREP, V10"));
        }
        let last = self.code.len() - 1;
        match self.op(last) {
            Some(
                OpCode::RETURN | OpCode::RETURN0 | OpCode::RETURN1 | OpCode::TAILCALL | OpCode::JMP,
            ) => Ok(()),
            _ => Err(self.err(last, "function does not end in a return, V9")),
        }
    }

    /// Targets of control transfers from `pc` (besides falling through).
    fn jump_targets(&self, pc: usize, op: OpCode, i: Instruction) -> Result<Vec<usize>, String> {
        let n = self.code.len() as i64;
        let next = pc as i64 + 1;
        let t = match op {
            OpCode::JMP => vec![next + i.sj() as i64],
            OpCode::LFALSESKIP => vec![next + 1],
            OpCode::FORPREP => vec![next + i.bx() as i64 + 1, next + i.bx() as i64],
            OpCode::TFORPREP => vec![next + i.bx() as i64],
            OpCode::FORLOOP | OpCode::TFORLOOP => vec![next - i.bx() as i64],
            _ if op.flags() & F_TEST != 0 => vec![next + 1],
            _ => vec![],
        };
        let mut out = Vec::with_capacity(t.len());
        for x in t {
            if x < 0 || x >= n {
                return Err(self.err(pc, "jump out of the function, V6"));
            }
            out.push(x as usize);
        }
        Ok(out)
    }

    fn reg(&self, pc: usize, r: u32) -> Result<(), String> {
        if r < self.p.max_stack as u32 {
            Ok(())
        } else {
            Err(self.err(pc, "register out of frame, V3"))
        }
    }

    fn reg_range(&self, pc: usize, first: u32, count: u32) -> Result<(), String> {
        if count == 0 {
            return self.reg(pc, first.min(self.p.max_stack as u32));
        }
        self.reg(pc, first + count - 1)
    }

    fn konst(&self, pc: usize, k: u32) -> Result<&Constant, String> {
        self.p
            .constants
            .get(k as usize)
            .ok_or_else(|| self.err(pc, "constant index out of range, V4"))
    }

    fn kstr(&self, pc: usize, k: u32) -> Result<(), String> {
        match self.konst(pc, k)? {
            Constant::Str(_) => Ok(()),
            _ => Err(self.err(pc, "field name is not a string constant, V4")),
        }
    }

    fn rk(&self, pc: usize, i: Instruction) -> Result<(), String> {
        if i.k() {
            self.konst(pc, i.c()).map(|_| ())
        } else {
            self.reg(pc, i.c())
        }
    }

    fn upval(&self, pc: usize, u: u32) -> Result<(), String> {
        if (u as usize) < self.p.upvalues.len() {
            Ok(())
        } else {
            Err(self.err(pc, "upvalue index out of range, V5"))
        }
    }

    fn sets_top(&self, pc: usize) -> bool {
        pc > 0
            && match self.code[pc - 1].opcode() {
                Some(OpCode::CALL) | Some(OpCode::VARARG) => self.code[pc - 1].c() == 0,
                // `return f(x)` compiles to `TAILCALL; RETURN A 0`: the
                // RETURN runs when the tail call could not replace the frame
                Some(OpCode::TAILCALL) => true,
                _ => false,
            }
            && !self.targets[pc]
    }

    fn check_operands(&self, pc: usize, op: OpCode, i: Instruction) -> Result<(), String> {
        let (a, b, c) = (i.a(), i.b(), i.c());
        use OpCode::*;
        match op {
            MOVE | UNM | BNOT | NOT | LEN => {
                self.reg(pc, a)?;
                self.reg(pc, b)
            }
            LOADI | LOADF | LOADFALSE | LFALSESKIP | LOADTRUE | TBC | RETURN1 | TEST => {
                self.reg(pc, a)
            }
            LOADK => {
                self.reg(pc, a)?;
                self.konst(pc, i.bx()).map(|_| ())
            }
            LOADKX => {
                self.reg(pc, a)?;
                match self.code.get(pc + 1) {
                    Some(x) if x.opcode() == Some(EXTRAARG) => self.konst(pc, x.ax()).map(|_| ()),
                    _ => Err(self.err(pc, "LOADKX without EXTRAARG, V7")),
                }
            }
            LOADNIL => self.reg_range(pc, a, b + 1),
            GETUPVAL | SETUPVAL => {
                self.reg(pc, a)?;
                self.upval(pc, b)
            }
            GETTABUP => {
                self.reg(pc, a)?;
                self.upval(pc, b)?;
                self.kstr(pc, c)
            }
            GETTABLE => {
                self.reg(pc, a)?;
                self.reg(pc, b)?;
                self.reg(pc, c)
            }
            GETI => {
                self.reg(pc, a)?;
                self.reg(pc, b)
            }
            GETFIELD => {
                self.reg(pc, a)?;
                self.reg(pc, b)?;
                self.kstr(pc, c)
            }
            SETTABUP => {
                self.upval(pc, a)?;
                self.kstr(pc, b)?;
                self.rk(pc, i)
            }
            SETTABLE => {
                self.reg(pc, a)?;
                self.reg(pc, b)?;
                self.rk(pc, i)
            }
            SETI => {
                self.reg(pc, a)?;
                self.rk(pc, i)
            }
            SETFIELD => {
                self.reg(pc, a)?;
                self.kstr(pc, b)?;
                self.rk(pc, i)
            }
            NEWTABLE => self.reg(pc, a),
            SELF => {
                self.reg_range(pc, a, 2)?;
                self.reg(pc, b)?;
                if i.k() {
                    self.kstr(pc, c)
                } else {
                    self.reg(pc, c)
                }
            }
            ADDI | SHRI | SHLI => {
                self.reg(pc, a)?;
                self.reg(pc, b)
            }
            ADDK | SUBK | MULK | MODK | POWK | DIVK | IDIVK => {
                self.reg(pc, a)?;
                self.reg(pc, b)?;
                match self.konst(pc, c)? {
                    Constant::Int(_) | Constant::Float(_) => Ok(()),
                    _ => Err(self.err(pc, "arithmetic constant is not a number, V4")),
                }
            }
            BANDK | BORK | BXORK => {
                self.reg(pc, a)?;
                self.reg(pc, b)?;
                match self.konst(pc, c)? {
                    Constant::Int(_) => Ok(()),
                    _ => Err(self.err(pc, "bitwise constant is not an integer, V4")),
                }
            }
            ADD | SUB | MUL | MOD | POW | DIV | IDIV | BAND | BOR | BXOR | SHL | SHR => {
                self.reg(pc, a)?;
                self.reg(pc, b)?;
                self.reg(pc, c)
            }
            MMBIN => {
                self.reg(pc, a)?;
                self.reg(pc, b)?;
                self.tm(pc, c)
            }
            MMBINI => {
                self.reg(pc, a)?;
                self.tm(pc, c)
            }
            MMBINK => {
                self.reg(pc, a)?;
                self.konst(pc, b)?;
                self.tm(pc, c)
            }
            CONCAT => {
                if b == 0 {
                    return Err(self.err(pc, "empty CONCAT, V3"));
                }
                self.reg_range(pc, a, b)
            }
            CLOSE => {
                if a <= self.p.max_stack as u32 {
                    Ok(())
                } else {
                    Err(self.err(pc, "register out of frame, V3"))
                }
            }
            JMP | EXTRAARG => Ok(()),
            EQ | LT | LE => {
                self.reg(pc, a)?;
                self.reg(pc, b)
            }
            EQK => {
                self.reg(pc, a)?;
                self.konst(pc, b).map(|_| ())
            }
            EQI | LTI | LEI | GTI | GEI => self.reg(pc, a),
            TESTSET => {
                self.reg(pc, a)?;
                self.reg(pc, b)
            }
            CALL => {
                self.reg(pc, a)?;
                if b == 0 {
                    self.need_top(pc)?;
                } else {
                    self.reg_range(pc, a, b)?;
                }
                if c > 1 {
                    self.reg_range(pc, a, c - 1)?;
                }
                Ok(())
            }
            TAILCALL => {
                self.reg(pc, a)?;
                if b == 0 {
                    self.need_top(pc)
                } else {
                    self.reg_range(pc, a, b)
                }
            }
            RETURN => {
                if b == 0 {
                    self.reg(pc, a.min(self.p.max_stack as u32 - 1))?;
                    self.need_top(pc)
                } else if b > 1 {
                    self.reg_range(pc, a, b - 1)
                } else {
                    Ok(())
                }
            }
            RETURN0 => Ok(()),
            FORLOOP | FORPREP | TFORPREP | TFORLOOP => self.reg_range(pc, a, 4),
            TFORCALL => self.reg_range(pc, a, 4 + c),
            SETLIST => {
                self.reg(pc, a)?;
                if b == 0 {
                    self.need_top(pc)
                } else {
                    self.reg_range(pc, a, b + 1)
                }
            }
            CLOSURE => {
                self.reg(pc, a)?;
                if (i.bx() as usize) < self.p.protos.len() {
                    Ok(())
                } else {
                    Err(self.err(pc, "prototype index out of range, V5"))
                }
            }
            VARARG => {
                if !self.p.is_vararg {
                    return Err(self.err(pc, "VARARG in a non-vararg function, V10"));
                }
                if c > 1 {
                    self.reg_range(pc, a, c - 1)
                } else {
                    self.reg(pc, a)
                }
            }
            VARARGPREP => {
                if pc != 0 || !self.p.is_vararg {
                    Err(self.err(pc, "misplaced VARARGPREP, V10"))
                } else {
                    Ok(())
                }
            }
        }
    }

    fn tm(&self, pc: usize, c: u32) -> Result<(), String> {
        match TagMethod::from_u32(c) {
            Some(t) if (TagMethod::Add as u32..=TagMethod::Shr as u32).contains(&(t as u32)) => {
                Ok(())
            }
            _ => Err(self.err(pc, "bad metamethod event, V7")),
        }
    }

    fn need_top(&self, pc: usize) -> Result<(), String> {
        if self.sets_top(pc) {
            Ok(())
        } else {
            Err(self.err(pc, "open operand without an open producer, V8"))
        }
    }

    fn check_pairing(&self, pc: usize, op: OpCode, i: Instruction) -> Result<(), String> {
        let next = self.op(pc + 1);
        if op.flags() & F_TEST != 0 && next != Some(OpCode::JMP) {
            return Err(self.err(pc, "test not followed by JMP, V7"));
        }
        if op.flags() & F_MM_NEXT != 0 {
            let want = match op.format() {
                Format::ABC => match op {
                    OpCode::ADDI | OpCode::SHRI | OpCode::SHLI => OpCode::MMBINI,
                    OpCode::ADD
                    | OpCode::SUB
                    | OpCode::MUL
                    | OpCode::MOD
                    | OpCode::POW
                    | OpCode::DIV
                    | OpCode::IDIV
                    | OpCode::BAND
                    | OpCode::BOR
                    | OpCode::BXOR
                    | OpCode::SHL
                    | OpCode::SHR => OpCode::MMBIN,
                    _ => OpCode::MMBINK,
                },
                _ => OpCode::MMBIN,
            };
            if next != Some(want) {
                return Err(self.err(pc, "arithmetic not followed by its MMBIN, V7"));
            }
        }
        let needs_extra =
            matches!(op, OpCode::LOADKX | OpCode::NEWTABLE) || (op == OpCode::SETLIST && i.k());
        if needs_extra && next != Some(OpCode::EXTRAARG) {
            return Err(self.err(pc, "missing EXTRAARG, V7"));
        }
        if op == OpCode::EXTRAARG {
            let prev = if pc > 0 {
                self.code[pc - 1]
            } else {
                Instruction(0)
            };
            let ok = pc > 0
                && !self.targets[pc]
                && match prev.opcode() {
                    Some(OpCode::LOADKX | OpCode::NEWTABLE) => true,
                    Some(OpCode::SETLIST) => prev.k(),
                    _ => false,
                };
            if !ok {
                return Err(self.err(pc, "stray EXTRAARG, V7"));
            }
        }
        if matches!(op, OpCode::MMBIN | OpCode::MMBINI | OpCode::MMBINK) {
            // the interpreter reads the arithmetic instruction before an
            // MMBIN* for its destination register
            let prev_arith = pc > 0 && self.op(pc - 1).is_some_and(|p| p.flags() & F_MM_NEXT != 0);
            if !prev_arith {
                return Err(self.err(pc, "MMBIN without its arithmetic instruction, V7"));
            }
        }
        if op == OpCode::TFORCALL && next != Some(OpCode::TFORLOOP) {
            return Err(self.err(pc, "TFORCALL not followed by TFORLOOP, V7"));
        }
        if op == OpCode::FORPREP {
            let fl = pc + 1 + i.bx() as usize;
            let l = self.code[fl];
            let back = (fl + 1).checked_sub(l.bx() as usize);
            if l.opcode() != Some(OpCode::FORLOOP) || l.a() != i.a() || back != Some(pc + 1) {
                return Err(self.err(pc, "FORPREP without matching FORLOOP, V7"));
            }
        }
        if op == OpCode::TFORPREP {
            let tc = self.code[pc + 1 + i.bx() as usize];
            if tc.opcode() != Some(OpCode::TFORCALL) || tc.a() != i.a() {
                return Err(self.err(pc, "TFORPREP without matching TFORCALL, V7"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::opcode::Instruction as I;

    fn proto(code: Vec<Instruction>) -> Proto {
        Proto {
            max_stack: 2,
            code,
            ..Proto::default()
        }
    }

    #[test]
    fn accepts_minimal_function() {
        assert!(verify(&proto(vec![I::abc(OpCode::RETURN0, 0, 0, 0, false)])).is_ok());
    }

    #[test]
    fn rejects_register_out_of_frame() {
        let p = proto(vec![
            I::abc(OpCode::MOVE, 5, 0, 0, false),
            I::abc(OpCode::RETURN0, 0, 0, 0, false),
        ]);
        assert!(verify(&p).unwrap_err().contains("V3"));
    }

    #[test]
    fn rejects_wild_jump_and_fall_off() {
        let p = proto(vec![I::sj_op(OpCode::JMP, 100)]);
        assert!(verify(&p).unwrap_err().contains("V6"));
        let p = proto(vec![I::abc(OpCode::LOADTRUE, 0, 0, 0, false)]);
        assert!(verify(&p).unwrap_err().contains("V9"));
    }

    #[test]
    fn rejects_bad_constant_and_pairing() {
        let p = proto(vec![
            I::abx(OpCode::LOADK, 0, 3),
            I::abc(OpCode::RETURN0, 0, 0, 0, false),
        ]);
        assert!(verify(&p).unwrap_err().contains("V4"));
        let p = proto(vec![
            I::abc(OpCode::ADD, 0, 0, 1, false),
            I::abc(OpCode::RETURN0, 0, 0, 0, false),
        ]);
        assert!(verify(&p).unwrap_err().contains("V7"));
    }

    #[test]
    fn rejects_mmbin_without_its_arithmetic() {
        // first instruction: the interpreter would read before the code
        let p = proto(vec![
            I::abc(OpCode::MMBIN, 0, 1, TagMethod::Add as u32, false),
            I::abc(OpCode::RETURN0, 0, 0, 0, false),
        ]);
        assert!(verify(&p).unwrap_err().contains("V7"));
        // after something that is not arithmetic
        let p = proto(vec![
            I::abc(OpCode::MOVE, 0, 1, 0, false),
            I::abc(OpCode::MMBIN, 0, 1, TagMethod::Add as u32, false),
            I::abc(OpCode::RETURN0, 0, 0, 0, false),
        ]);
        assert!(verify(&p).unwrap_err().contains("V7"));
        // in place
        let p = proto(vec![
            I::abc(OpCode::ADD, 0, 0, 1, false),
            I::abc(OpCode::MMBIN, 0, 1, TagMethod::Add as u32, false),
            I::abc(OpCode::RETURN0, 0, 0, 0, false),
        ]);
        assert!(verify(&p).is_ok());
    }

    #[test]
    fn rejects_unknown_opcode_without_panicking() {
        let p = proto(vec![
            Instruction(0x7f),
            I::abc(OpCode::RETURN0, 0, 0, 0, false),
        ]);
        assert!(verify(&p).unwrap_err().contains("V2"));
    }
}
