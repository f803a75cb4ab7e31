//! Conditions: tests and jumps for `and`/`or`/`not`, `if` and loops
//! (go on when true / false, with the other outcome on a jump list).

use super::expr::{ExpDesc, ExpKind};
use super::func::NO_JUMP;
use super::{CResult, Compiler};
use crate::bytecode::opcode::OpCode;

impl Compiler {
    /// Inverts the condition of a test expression.
    pub(super) fn negate_condition(&mut self, pc: usize) {
        let at = self.jump_control(pc);
        let i = self.ins(at);
        self.set_ins(at, i.with_k(!i.k()));
    }

    /// Emits a test of `e` jumping when its truth equals `cond`.
    fn jump_on_cond(&mut self, e: &mut ExpDesc, cond: bool) -> CResult<i32> {
        if let ExpKind::Reloc(pc) = e.k {
            let ie = self.ins(pc);
            if ie.opcode() == Some(OpCode::NOT) && pc + 1 == self.fs.pc() {
                self.remove_last_instruction();
                return Ok(self.cond_jump(OpCode::TEST, ie.b(), 0, 0, !cond));
            }
        }
        self.discharge_to_any_reg(e)?;
        self.free_exp(e);
        let r = match e.k {
            ExpKind::NonReloc(r) => r,
            _ => 0,
        };
        Ok(self.cond_jump(OpCode::TESTSET, crate::bytecode::opcode::MAX_A, r, 0, cond))
    }

    /// Goes on when `e` is true, jumps (false list) otherwise.
    pub(super) fn go_if_true(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e);
        let pc = match e.k {
            ExpKind::Jmp(pc) => {
                self.negate_condition(pc);
                pc as i32
            }
            ExpKind::K(_)
            | ExpKind::KFlt(_)
            | ExpKind::KInt(_)
            | ExpKind::KStr(_)
            | ExpKind::True => NO_JUMP,
            _ => self.jump_on_cond(e, false)?,
        };
        let mut f = e.f;
        self.concat_jumps(&mut f, pc)?;
        e.f = f;
        self.patch_to_here(e.t)?;
        e.t = NO_JUMP;
        Ok(())
    }

    /// Goes on when `e` is false, jumps (true list) otherwise.
    pub(super) fn go_if_false(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e);
        let pc = match e.k {
            ExpKind::Jmp(pc) => pc as i32,
            ExpKind::Nil | ExpKind::False => NO_JUMP,
            _ => self.jump_on_cond(e, true)?,
        };
        let mut t = e.t;
        self.concat_jumps(&mut t, pc)?;
        e.t = t;
        self.patch_to_here(e.f)?;
        e.f = NO_JUMP;
        Ok(())
    }

    /// `not e`.
    pub(super) fn code_not(&mut self, e: &mut ExpDesc) -> CResult<()> {
        match e.k {
            ExpKind::Nil | ExpKind::False => e.k = ExpKind::True,
            ExpKind::K(_)
            | ExpKind::KFlt(_)
            | ExpKind::KInt(_)
            | ExpKind::KStr(_)
            | ExpKind::True => e.k = ExpKind::False,
            ExpKind::Jmp(pc) => self.negate_condition(pc),
            ExpKind::Reloc(_) | ExpKind::NonReloc(_) => {
                self.discharge_to_any_reg(e)?;
                self.free_exp(e);
                let r = match e.k {
                    ExpKind::NonReloc(r) => r,
                    _ => 0,
                };
                e.k = ExpKind::Reloc(self.code_abc(OpCode::NOT, 0, r, 0));
            }
            _ => return Err(self.error("internal compiler error")),
        }
        std::mem::swap(&mut e.t, &mut e.f);
        self.remove_values(e.f);
        self.remove_values(e.t);
        Ok(())
    }
}
