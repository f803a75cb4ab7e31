//! Unary and binary operators: folding, immediate/constant operand
//! variants (`ADDI`, `ADDK`, `SHRI`, `EQK`, `LTI`...), `MMBIN*` companions,
//! comparisons as tests, `and`/`or` jump lists and `CONCAT` merging.

use super::expr::{fits_c, int_to_sc, ExpDesc, ExpKind};
use super::fold::{const_folding, const_folding_unary};
use super::{CResult, Compiler};
use crate::bytecode::opcode::OpCode;
use crate::bytecode::TagMethod;
use crate::syntax::ast::{BinOp, UnOp};

/// Arithmetic/bitwise operators in opcode order, with their metamethod.
fn arith_info(op: BinOp) -> Option<(OpCode, OpCode, TagMethod)> {
    Some(match op {
        BinOp::Add => (OpCode::ADD, OpCode::ADDK, TagMethod::Add),
        BinOp::Sub => (OpCode::SUB, OpCode::SUBK, TagMethod::Sub),
        BinOp::Mul => (OpCode::MUL, OpCode::MULK, TagMethod::Mul),
        BinOp::Mod => (OpCode::MOD, OpCode::MODK, TagMethod::Mod),
        BinOp::Pow => (OpCode::POW, OpCode::POWK, TagMethod::Pow),
        BinOp::Div => (OpCode::DIV, OpCode::DIVK, TagMethod::Div),
        BinOp::IDiv => (OpCode::IDIV, OpCode::IDIVK, TagMethod::IDiv),
        BinOp::BAnd => (OpCode::BAND, OpCode::BANDK, TagMethod::BAnd),
        BinOp::BOr => (OpCode::BOR, OpCode::BORK, TagMethod::BOr),
        BinOp::BXor => (OpCode::BXOR, OpCode::BXORK, TagMethod::BXor),
        BinOp::Shl => (OpCode::SHL, OpCode::SHL, TagMethod::Shl),
        BinOp::Shr => (OpCode::SHR, OpCode::SHR, TagMethod::Shr),
        _ => return None,
    })
}

impl Compiler {
    /// Applies a unary operator to `e`.
    pub(super) fn prefix(&mut self, op: UnOp, e: &mut ExpDesc, line: u32) -> CResult<()> {
        self.discharge_vars(e);
        match op {
            UnOp::Neg => {
                if !const_folding_unary(TagMethod::Unm, e) {
                    self.code_unexp(OpCode::UNM, e, line)?;
                }
            }
            UnOp::BNot => {
                if !const_folding_unary(TagMethod::BNot, e) {
                    self.code_unexp(OpCode::BNOT, e, line)?;
                }
            }
            UnOp::Len => self.code_unexp(OpCode::LEN, e, line)?,
            UnOp::Not => self.code_not(e)?,
        }
        Ok(())
    }

    /// `UNM`/`BNOT`/`LEN` over a register.
    fn code_unexp(&mut self, op: OpCode, e: &mut ExpDesc, line: u32) -> CResult<()> {
        let r = self.exp_to_any_reg(e)?;
        self.free_exp(e);
        e.k = ExpKind::Reloc(self.code_abc(op, 0, r, 0));
        self.fix_line(line);
        Ok(())
    }

    /// Prepares the first operand before the second one is compiled.
    pub(super) fn infix(&mut self, op: BinOp, v: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(v);
        match op {
            BinOp::And => self.go_if_true(v)?,
            BinOp::Or => self.go_if_false(v)?,
            BinOp::Concat => self.exp_to_next_reg(v)?,
            BinOp::Eq | BinOp::Ne => {
                if v.numeral().is_none() {
                    self.exp_to_rk(v)?;
                }
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if v.is_scnumber().is_none() {
                    self.exp_to_any_reg(v)?;
                }
            }
            _ => {
                if v.numeral().is_none() {
                    self.exp_to_any_reg(v)?;
                }
            }
        }
        Ok(())
    }

    /// Combines both operands (result in `e1`).
    pub(super) fn posfix(
        &mut self,
        op: BinOp,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        line: u32,
    ) -> CResult<()> {
        self.discharge_vars(e2);
        if let Some((_, _, tm)) = arith_info(op) {
            if const_folding(tm, e1, e2) {
                return Ok(());
            }
        }
        match op {
            BinOp::And => {
                let mut f = e2.f;
                self.concat_jumps(&mut f, e1.f)?;
                e2.f = f;
                *e1 = e2.clone();
            }
            BinOp::Or => {
                let mut t = e2.t;
                self.concat_jumps(&mut t, e1.t)?;
                e2.t = t;
                *e1 = e2.clone();
            }
            BinOp::Concat => {
                self.exp_to_next_reg(e2)?;
                self.code_concat(e1, e2, line)?;
            }
            BinOp::Add | BinOp::Mul => self.code_commutative(op, e1, e2, line)?,
            BinOp::Sub => {
                if !self.finish_binexp_neg(e1, e2, OpCode::ADDI, line, TagMethod::Sub)? {
                    self.code_arith(op, e1, e2, false, line)?;
                }
            }
            BinOp::Div | BinOp::IDiv | BinOp::Mod | BinOp::Pow => {
                self.code_arith(op, e1, e2, false, line)?
            }
            BinOp::BAnd | BinOp::BOr | BinOp::BXor => self.code_bitwise(op, e1, e2, line)?,
            BinOp::Shl => {
                if e1.is_scint().is_some() {
                    std::mem::swap(e1, e2);
                    self.code_bini(OpCode::SHLI, e1, e2, true, line, TagMethod::Shl)?;
                } else if !self.finish_binexp_neg(e1, e2, OpCode::SHRI, line, TagMethod::Shl)? {
                    self.code_binexpval(op, e1, e2, line)?;
                }
            }
            BinOp::Shr => {
                if e2.is_scint().is_some() {
                    self.code_bini(OpCode::SHRI, e1, e2, false, line, TagMethod::Shr)?;
                } else {
                    self.code_binexpval(op, e1, e2, line)?;
                }
            }
            BinOp::Eq | BinOp::Ne => self.code_eq(op, e1, e2)?,
            BinOp::Gt | BinOp::Ge => {
                std::mem::swap(e1, e2);
                let lop = if op == BinOp::Gt {
                    BinOp::Lt
                } else {
                    BinOp::Le
                };
                self.code_order(lop, e1, e2)?;
            }
            BinOp::Lt | BinOp::Le => self.code_order(op, e1, e2)?,
        }
        Ok(())
    }

    /// Emits the operation and its `MMBIN*` companion.
    #[allow(clippy::too_many_arguments)]
    fn finish_binexpval(
        &mut self,
        e1: &mut ExpDesc,
        e2: &ExpDesc,
        op: OpCode,
        v2: u32,
        flip: bool,
        line: u32,
        mmop: OpCode,
        event: TagMethod,
    ) -> CResult<()> {
        let v1 = self.exp_to_any_reg(e1)?;
        let pc = self.code_abck(op, 0, v1, v2, false);
        self.free_exps(e1, e2);
        e1.k = ExpKind::Reloc(pc);
        self.fix_line(line);
        self.code_abck(mmop, v1, v2, event as u32, flip);
        self.fix_line(line);
        Ok(())
    }

    /// Operation over two registers.
    fn code_binexpval(
        &mut self,
        op: BinOp,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        line: u32,
    ) -> CResult<()> {
        let (rop, _, tm) = match arith_info(op) {
            Some(x) => x,
            None => return Err(self.error("internal compiler error")),
        };
        let v2 = self.exp_to_any_reg(e2)?;
        self.finish_binexpval(e1, e2, rop, v2, false, line, OpCode::MMBIN, tm)
    }

    /// Operation with an immediate second operand.
    fn code_bini(
        &mut self,
        op: OpCode,
        e1: &mut ExpDesc,
        e2: &ExpDesc,
        flip: bool,
        line: u32,
        event: TagMethod,
    ) -> CResult<()> {
        let i = match e2.k {
            ExpKind::KInt(i) => i,
            _ => 0,
        };
        self.finish_binexpval(e1, e2, op, int_to_sc(i), flip, line, OpCode::MMBINI, event)
    }

    /// Operation with a constant-table second operand.
    fn code_bink(
        &mut self,
        op: BinOp,
        e1: &mut ExpDesc,
        e2: &ExpDesc,
        flip: bool,
        line: u32,
    ) -> CResult<()> {
        let (_, kop, tm) = match arith_info(op) {
            Some(x) => x,
            None => return Err(self.error("internal compiler error")),
        };
        let v2 = match e2.k {
            ExpKind::K(k) => k,
            _ => return Err(self.error("internal compiler error")),
        };
        self.finish_binexpval(e1, e2, kop, v2, flip, line, OpCode::MMBINK, tm)
    }

    /// `a - I` as `ADDI a -I` (and `a << I` as `SHRI a -I`).
    fn finish_binexp_neg(
        &mut self,
        e1: &mut ExpDesc,
        e2: &ExpDesc,
        op: OpCode,
        line: u32,
        event: TagMethod,
    ) -> CResult<bool> {
        let i2 = match e2.k {
            ExpKind::KInt(i) if e2.is_kint() => i,
            _ => return Ok(false),
        };
        if !(fits_c(i2) && fits_c(i2.wrapping_neg())) {
            return Ok(false);
        }
        self.finish_binexpval(
            e1,
            e2,
            op,
            int_to_sc(-i2),
            false,
            line,
            OpCode::MMBINI,
            event,
        )?;
        let last = self.fs.pc() - 1;
        let ins = self.ins(last).with_b(int_to_sc(i2));
        self.set_ins(last, ins);
        Ok(true)
    }

    /// Register/register form, restoring operand order when flipped.
    fn code_bin_nok(
        &mut self,
        op: BinOp,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        flip: bool,
        line: u32,
    ) -> CResult<()> {
        if flip {
            std::mem::swap(e1, e2);
        }
        self.code_binexpval(op, e1, e2, line)
    }

    /// Arithmetic with a possible constant operand.
    fn code_arith(
        &mut self,
        op: BinOp,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        flip: bool,
        line: u32,
    ) -> CResult<()> {
        if e2.numeral().is_some() && self.exp_to_k(e2)? {
            self.code_bink(op, e1, e2, flip, line)
        } else {
            self.code_bin_nok(op, e1, e2, flip, line)
        }
    }

    /// `+` and `*`: a numeral first operand is moved second.
    fn code_commutative(
        &mut self,
        op: BinOp,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        line: u32,
    ) -> CResult<()> {
        let mut flip = false;
        if e1.numeral().is_some() {
            std::mem::swap(e1, e2);
            flip = true;
        }
        if op == BinOp::Add && e2.is_scint().is_some() {
            self.code_bini(OpCode::ADDI, e1, e2, flip, line, TagMethod::Add)
        } else {
            self.code_arith(op, e1, e2, flip, line)
        }
    }

    /// `&`, `|`, `~`: an integer constant operand goes second.
    fn code_bitwise(
        &mut self,
        op: BinOp,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
        line: u32,
    ) -> CResult<()> {
        let mut flip = false;
        if matches!(e1.k, ExpKind::KInt(_)) {
            std::mem::swap(e1, e2);
            flip = true;
        }
        if matches!(e2.k, ExpKind::KInt(_)) && self.exp_to_k(e2)? {
            self.code_bink(op, e1, e2, flip, line)
        } else {
            self.code_bin_nok(op, e1, e2, flip, line)
        }
    }

    /// `<` / `<=` (operands already swapped for `>` / `>=`).
    fn code_order(&mut self, op: BinOp, e1: &mut ExpDesc, e2: &mut ExpDesc) -> CResult<()> {
        let lt = op == BinOp::Lt;
        let (r1, r2, isfloat, opc);
        if let Some((im, fl)) = e2.is_scnumber() {
            r1 = self.exp_to_any_reg(e1)?;
            r2 = im;
            isfloat = fl;
            opc = if lt { OpCode::LTI } else { OpCode::LEI };
        } else if let Some((im, fl)) = e1.is_scnumber() {
            r1 = self.exp_to_any_reg(e2)?;
            r2 = im;
            isfloat = fl;
            opc = if lt { OpCode::GTI } else { OpCode::GEI };
        } else {
            r1 = self.exp_to_any_reg(e1)?;
            r2 = self.exp_to_any_reg(e2)?;
            isfloat = false;
            opc = if lt { OpCode::LT } else { OpCode::LE };
        }
        self.free_exps(e1, e2);
        e1.k = ExpKind::Jmp(self.cond_jump(opc, r1, r2, isfloat as u32, true) as usize);
        Ok(())
    }

    /// `==` / `~=`.
    fn code_eq(&mut self, op: BinOp, e1: &mut ExpDesc, e2: &mut ExpDesc) -> CResult<()> {
        if !matches!(e1.k, ExpKind::NonReloc(_)) {
            std::mem::swap(e1, e2);
        }
        let r1 = self.exp_to_any_reg(e1)?;
        let (r2, opc, isfloat);
        if let Some((im, fl)) = e2.is_scnumber() {
            opc = OpCode::EQI;
            r2 = im;
            isfloat = fl;
        } else {
            let (v, isk) = self.exp_to_rk(e2)?;
            r2 = v;
            opc = if isk { OpCode::EQK } else { OpCode::EQ };
            isfloat = false;
        }
        self.free_exps(e1, e2);
        e1.k = ExpKind::Jmp(self.cond_jump(opc, r1, r2, isfloat as u32, op == BinOp::Eq) as usize);
        Ok(())
    }

    /// `e1 .. e2`, merging with a `CONCAT` that produced `e2`.
    fn code_concat(&mut self, e1: &mut ExpDesc, e2: &mut ExpDesc, line: u32) -> CResult<()> {
        let r1 = match e1.k {
            ExpKind::NonReloc(r) => r,
            _ => return Err(self.error("internal compiler error")),
        };
        if let Some((pc, prev)) = self.previous_instruction() {
            if prev.opcode() == Some(OpCode::CONCAT) && prev.a() == r1 + 1 {
                let n = prev.b();
                self.free_exp(e2);
                self.set_ins(pc, prev.with_a(r1).with_b(n + 1));
                return Ok(());
            }
        }
        self.code_abc(OpCode::CONCAT, r1, 2, 0);
        self.free_exp(e2);
        self.fix_line(line);
        Ok(())
    }
}
