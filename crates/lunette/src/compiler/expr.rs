//! Expression descriptors: where an expression's value is (or will be),
//! and the operations that move it into registers, constants or jumps.

use super::func::NO_JUMP;
use super::{CResult, Compiler};
use crate::bytecode::opcode::{OpCode, MAX_B, MAX_C, OFFSET_SC};
use crate::bytecode::Constant;
use crate::syntax::ast::Name;

/// Where an expression's value lives.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum ExpKind {
    /// No value (empty expression list).
    Void,
    /// `nil`.
    Nil,
    /// `true`.
    True,
    /// `false`.
    False,
    /// Constant table entry.
    K(u32),
    /// Float literal.
    KFlt(f64),
    /// Integer literal.
    KInt(i64),
    /// String literal.
    KStr(Name),
    /// Value in a fixed register.
    NonReloc(u32),
    /// Local variable in register `reg`; `vidx` is its index among the function's variables.
    Local { reg: u32, vidx: usize },
    /// Upvalue.
    Upval(u32),
    /// Compile-time constant (absolute index in `Compiler::actvar`).
    Const(usize),
    /// `R[t][R[idx]]`.
    Indexed { t: u32, idx: u32 },
    /// `Upval[t][K[idx]]`.
    IndexUp { t: u32, idx: u32 },
    /// `R[t][idx]` (integer key).
    IndexI { t: u32, idx: u32 },
    /// `R[t][K[idx]]` (string key).
    IndexStr { t: u32, idx: u32 },
    /// A test; `pc` is its jump.
    Jmp(usize),
    /// Instruction at `pc` whose target register is not fixed yet.
    Reloc(usize),
    /// Open call at `pc`.
    Call(usize),
    /// `VARARG` at `pc`.
    Vararg(usize),
}

/// An expression descriptor with its pending "exit when true/false" jump lists.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ExpDesc {
    /// Where the value is.
    pub k: ExpKind,
    /// Jumps taken when the expression is true.
    pub t: i32,
    /// Jumps taken when the expression is false.
    pub f: i32,
}

impl ExpDesc {
    /// A descriptor without pending jumps.
    pub fn new(k: ExpKind) -> ExpDesc {
        ExpDesc {
            k,
            t: NO_JUMP,
            f: NO_JUMP,
        }
    }

    /// Whether there are pending jumps.
    pub fn has_jumps(&self) -> bool {
        self.t != self.f
    }

    /// Whether the expression may produce several values.
    pub fn is_multi(&self) -> bool {
        matches!(self.k, ExpKind::Call(_) | ExpKind::Vararg(_))
    }

    /// The numeric value of a numeral without jumps.
    pub fn numeral(&self) -> Option<crate::number::Number> {
        if self.has_jumps() {
            return None;
        }
        match self.k {
            ExpKind::KInt(i) => Some(crate::number::Number::Int(i)),
            ExpKind::KFlt(f) => Some(crate::number::Number::Float(f)),
            _ => None,
        }
    }

    /// Whether the expression is a variable (assignable).
    pub fn is_var(&self) -> bool {
        matches!(
            self.k,
            ExpKind::Local { .. }
                | ExpKind::Upval(_)
                | ExpKind::Const(_)
                | ExpKind::Indexed { .. }
                | ExpKind::IndexUp { .. }
                | ExpKind::IndexI { .. }
                | ExpKind::IndexStr { .. }
        )
    }

    /// Whether the expression is a table access.
    pub fn is_indexed(&self) -> bool {
        matches!(
            self.k,
            ExpKind::Indexed { .. }
                | ExpKind::IndexUp { .. }
                | ExpKind::IndexI { .. }
                | ExpKind::IndexStr { .. }
        )
    }

    /// Whether this is an integer constant without jumps.
    pub fn is_kint(&self) -> bool {
        matches!(self.k, ExpKind::KInt(_)) && !self.has_jumps()
    }

    /// Integer constant fitting operand C unsigned.
    pub fn is_cint(&self) -> Option<u32> {
        match self.k {
            ExpKind::KInt(i) if !self.has_jumps() && (0..=MAX_C as i64).contains(&i) => {
                Some(i as u32)
            }
            _ => None,
        }
    }

    /// Integer constant fitting a signed C operand.
    pub fn is_scint(&self) -> Option<i64> {
        match self.k {
            ExpKind::KInt(i) if !self.has_jumps() && fits_c(i) => Some(i),
            _ => None,
        }
    }

    /// A number (integer or integral float) fitting a signed operand:
    /// `(encoded operand, is_float)`.
    pub fn is_scnumber(&self) -> Option<(u32, bool)> {
        let (i, isfloat) = match self.k {
            ExpKind::KInt(i) => (i, false),
            ExpKind::KFlt(f) => (crate::number::float_to_int_exact(f)?, true),
            _ => return None,
        };
        if !self.has_jumps() && fits_c(i) {
            Some((int_to_sc(i), isfloat))
        } else {
            None
        }
    }
}

/// Whether `i` fits a signed C operand.
pub(super) fn fits_c(i: i64) -> bool {
    (i as u64).wrapping_add(OFFSET_SC as u64) <= MAX_C as u64
}

/// Encodes a signed C operand.
pub(super) fn int_to_sc(i: i64) -> u32 {
    (i + OFFSET_SC as i64) as u32
}

impl Compiler {
    /// The value of compile-time constant `abs` as an expression kind.
    pub(super) fn const_to_exp(&self, abs: usize) -> ExpKind {
        match self.actvar.get(abs).map(|v| &v.value) {
            Some(Constant::Int(i)) => ExpKind::KInt(*i),
            Some(Constant::Float(f)) => ExpKind::KFlt(*f),
            Some(Constant::Bool(true)) => ExpKind::True,
            Some(Constant::Bool(false)) => ExpKind::False,
            Some(Constant::Str(s)) => ExpKind::KStr(s.clone()),
            _ => ExpKind::Nil,
        }
    }

    /// The constant value of an expression, if it has one.
    pub(super) fn exp_to_const(&self, e: &ExpDesc) -> Option<Constant> {
        if e.has_jumps() {
            return None;
        }
        match &e.k {
            ExpKind::False => Some(Constant::Bool(false)),
            ExpKind::True => Some(Constant::Bool(true)),
            ExpKind::Nil => Some(Constant::Nil),
            ExpKind::KStr(s) => Some(Constant::Str(s.clone())),
            ExpKind::KInt(i) => Some(Constant::Int(*i)),
            ExpKind::KFlt(f) => Some(Constant::Float(*f)),
            ExpKind::Const(abs) => self.actvar.get(*abs).map(|v| v.value.clone()),
            _ => None,
        }
    }

    /// Fixes the number of results of an open call or vararg
    /// (`nresults < 0`: all of them).
    pub(super) fn set_returns(&mut self, e: &mut ExpDesc, nresults: i32) -> CResult<()> {
        match e.k {
            ExpKind::Call(pc) => {
                let i = self.ins(pc).with_c((nresults + 1) as u32);
                self.set_ins(pc, i);
            }
            ExpKind::Vararg(pc) => {
                let i = self
                    .ins(pc)
                    .with_c((nresults + 1) as u32)
                    .with_a(self.fs.free_reg);
                self.set_ins(pc, i);
                self.reserve_regs(1)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Lets a multi-value expression produce all its values.
    pub(super) fn set_multret(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.set_returns(e, -1)
    }

    /// Makes a multi-value expression produce exactly one value.
    pub(super) fn set_one_ret(&mut self, e: &mut ExpDesc) {
        match e.k {
            ExpKind::Call(pc) => {
                e.k = ExpKind::NonReloc(self.ins(pc).a());
            }
            ExpKind::Vararg(pc) => {
                let i = self.ins(pc).with_c(2);
                self.set_ins(pc, i);
                e.k = ExpKind::Reloc(pc);
            }
            _ => {}
        }
    }

    /// Turns a variable into a value (emitting the load when needed).
    pub(super) fn discharge_vars(&mut self, e: &mut ExpDesc) {
        match e.k.clone() {
            ExpKind::Const(abs) => e.k = self.const_to_exp(abs),
            ExpKind::Local { reg, .. } => e.k = ExpKind::NonReloc(reg),
            ExpKind::Upval(idx) => {
                e.k = ExpKind::Reloc(self.code_abc(OpCode::GETUPVAL, 0, idx, 0));
            }
            ExpKind::IndexUp { t, idx } => {
                e.k = ExpKind::Reloc(self.code_abc(OpCode::GETTABUP, 0, t, idx));
            }
            ExpKind::IndexI { t, idx } => {
                self.free_reg(t);
                e.k = ExpKind::Reloc(self.code_abc(OpCode::GETI, 0, t, idx));
            }
            ExpKind::IndexStr { t, idx } => {
                self.free_reg(t);
                e.k = ExpKind::Reloc(self.code_abc(OpCode::GETFIELD, 0, t, idx));
            }
            ExpKind::Indexed { t, idx } => {
                self.free_regs(t, idx);
                e.k = ExpKind::Reloc(self.code_abc(OpCode::GETTABLE, 0, t, idx));
            }
            ExpKind::Vararg(_) | ExpKind::Call(_) => self.set_one_ret(e),
            _ => {}
        }
    }

    /// Puts the value of `e` (without its jumps) into `reg`.
    fn discharge_to_reg(&mut self, e: &mut ExpDesc, reg: u32) -> CResult<()> {
        self.discharge_vars(e);
        match e.k.clone() {
            ExpKind::Nil => self.code_nil(reg, 1),
            ExpKind::False => {
                self.code_abc(OpCode::LOADFALSE, reg, 0, 0);
            }
            ExpKind::True => {
                self.code_abc(OpCode::LOADTRUE, reg, 0, 0);
            }
            ExpKind::KStr(s) => {
                let k = self.string_k(&s)?;
                self.code_k(reg, k);
            }
            ExpKind::K(k) => {
                self.code_k(reg, k);
            }
            ExpKind::KFlt(f) => self.code_float(reg, f)?,
            ExpKind::KInt(i) => self.code_int(reg, i)?,
            ExpKind::Reloc(pc) => {
                let i = self.ins(pc).with_a(reg);
                self.set_ins(pc, i);
            }
            ExpKind::NonReloc(r) => {
                if r != reg {
                    self.code_abc(OpCode::MOVE, reg, r, 0);
                }
            }
            _ => return Ok(()), // a jump: nothing to do
        }
        e.k = ExpKind::NonReloc(reg);
        Ok(())
    }

    /// Puts the value into some register (a new one if needed).
    pub(super) fn discharge_to_any_reg(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if !matches!(e.k, ExpKind::NonReloc(_)) {
            self.reserve_regs(1)?;
            let r = self.fs.free_reg - 1;
            self.discharge_to_reg(e, r)?;
        }
        Ok(())
    }

    /// Emits a `LFALSESKIP`/`LOADTRUE` that may be a jump target.
    fn code_loadbool(&mut self, a: u32, op: OpCode) -> i32 {
        self.get_label();
        self.code_abc(op, a, 0, 0) as i32
    }

    /// Whether some jump of the list is not a `TESTSET` (needs a boolean value).
    fn need_value(&self, mut list: i32) -> bool {
        while list != NO_JUMP {
            let i = self.ins(self.jump_control(list as usize));
            if i.opcode() != Some(OpCode::TESTSET) {
                return true;
            }
            list = self.get_jump(list as usize);
        }
        false
    }

    /// Puts the full value of `e` (jumps included) into `reg`.
    pub(super) fn exp_to_reg(&mut self, e: &mut ExpDesc, reg: u32) -> CResult<()> {
        self.discharge_to_reg(e, reg)?;
        if let ExpKind::Jmp(pc) = e.k {
            let mut t = e.t;
            self.concat_jumps(&mut t, pc as i32)?;
            e.t = t;
        }
        if e.has_jumps() {
            let mut p_f = NO_JUMP;
            let mut p_t = NO_JUMP;
            if self.need_value(e.t) || self.need_value(e.f) {
                let fj = if matches!(e.k, ExpKind::Jmp(_)) {
                    NO_JUMP
                } else {
                    self.jump()
                };
                p_f = self.code_loadbool(reg, OpCode::LFALSESKIP);
                p_t = self.code_loadbool(reg, OpCode::LOADTRUE);
                self.patch_to_here(fj)?;
            }
            let fin = self.get_label();
            self.patch_list_aux(e.f, fin, Some(reg), p_f)?;
            self.patch_list_aux(e.t, fin, Some(reg), p_t)?;
        }
        e.t = NO_JUMP;
        e.f = NO_JUMP;
        e.k = ExpKind::NonReloc(reg);
        Ok(())
    }

    /// Puts the value into the next free register.
    pub(super) fn exp_to_next_reg(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e);
        self.free_exp(e);
        self.reserve_regs(1)?;
        let r = self.fs.free_reg - 1;
        self.exp_to_reg(e, r)
    }

    /// Puts the value into some register and returns it.
    pub(super) fn exp_to_any_reg(&mut self, e: &mut ExpDesc) -> CResult<u32> {
        self.discharge_vars(e);
        if let ExpKind::NonReloc(r) = e.k {
            if !e.has_jumps() {
                return Ok(r);
            }
            if r >= self.nvarstack() {
                self.exp_to_reg(e, r)?;
                return Ok(r);
            }
        }
        self.exp_to_next_reg(e)?;
        match e.k {
            ExpKind::NonReloc(r) => Ok(r),
            _ => Err(self.error("internal compiler error")),
        }
    }

    /// Like `exp_to_any_reg`, but leaves upvalues alone.
    pub(super) fn exp_to_any_reg_up(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if !matches!(e.k, ExpKind::Upval(_)) || e.has_jumps() {
            self.exp_to_any_reg(e)?;
        }
        Ok(())
    }

    /// Makes the expression a value (register or constant).
    pub(super) fn exp_to_val(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if e.has_jumps() {
            self.exp_to_any_reg(e)?;
        } else {
            self.discharge_vars(e);
        }
        Ok(())
    }

    /// Turns a constant into a `K` operand when its index fits operand B/C.
    pub(super) fn exp_to_k(&mut self, e: &mut ExpDesc) -> CResult<bool> {
        if e.has_jumps() {
            return Ok(false);
        }
        let info = match e.k.clone() {
            ExpKind::True => self.bool_k(true)?,
            ExpKind::False => self.bool_k(false)?,
            ExpKind::Nil => self.nil_k()?,
            ExpKind::KInt(i) => self.int_k(i)?,
            ExpKind::KFlt(f) => self.number_k(f)?,
            ExpKind::KStr(s) => self.string_k(&s)?,
            ExpKind::K(k) => k,
            _ => return Ok(false),
        };
        if info <= MAX_B {
            e.k = ExpKind::K(info);
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// A `K` operand when possible, else a register. Returns `(operand, is_k)`.
    pub(super) fn exp_to_rk(&mut self, e: &mut ExpDesc) -> CResult<(u32, bool)> {
        if self.exp_to_k(e)? {
            if let ExpKind::K(k) = e.k {
                return Ok((k, true));
            }
        }
        let r = self.exp_to_any_reg(e)?;
        Ok((r, false))
    }

    /// Emits `op a b RK(ec)`.
    fn code_abrk(&mut self, op: OpCode, a: u32, b: u32, ec: &mut ExpDesc) -> CResult<()> {
        let (c, k) = self.exp_to_rk(ec)?;
        self.code_abck(op, a, b, c, k);
        Ok(())
    }

    /// Frees the register of a temporary expression.
    pub(super) fn free_exp(&mut self, e: &ExpDesc) {
        if let ExpKind::NonReloc(r) = e.k {
            self.free_reg(r);
        }
    }

    /// Frees the registers of two temporaries.
    pub(super) fn free_exps(&mut self, e1: &ExpDesc, e2: &ExpDesc) {
        let r1 = match e1.k {
            ExpKind::NonReloc(r) => Some(r),
            _ => None,
        };
        let r2 = match e2.k {
            ExpKind::NonReloc(r) => Some(r),
            _ => None,
        };
        match (r1, r2) {
            (Some(a), Some(b)) => self.free_regs(a, b),
            (Some(a), None) => self.free_reg(a),
            (None, Some(b)) => self.free_reg(b),
            (None, None) => {}
        }
    }

    /// Stores `ex` into variable `var`.
    pub(super) fn store_var(&mut self, var: &ExpDesc, ex: &mut ExpDesc) -> CResult<()> {
        match var.k {
            ExpKind::Local { reg, .. } => {
                self.free_exp(ex);
                return self.exp_to_reg(ex, reg);
            }
            ExpKind::Upval(idx) => {
                let e = self.exp_to_any_reg(ex)?;
                self.code_abc(OpCode::SETUPVAL, e, idx, 0);
            }
            ExpKind::IndexUp { t, idx } => self.code_abrk(OpCode::SETTABUP, t, idx, ex)?,
            ExpKind::IndexI { t, idx } => self.code_abrk(OpCode::SETI, t, idx, ex)?,
            ExpKind::IndexStr { t, idx } => self.code_abrk(OpCode::SETFIELD, t, idx, ex)?,
            ExpKind::Indexed { t, idx } => self.code_abrk(OpCode::SETTABLE, t, idx, ex)?,
            _ => return Err(self.error("syntax error")),
        }
        self.free_exp(ex);
        Ok(())
    }

    /// `obj:name` — emits `SELF` leaving the method and the object in two
    /// consecutive registers.
    pub(super) fn code_self(&mut self, e: &mut ExpDesc, key: &mut ExpDesc) -> CResult<()> {
        let ereg = self.exp_to_any_reg(e)?;
        self.free_exp(e);
        let base = self.fs.free_reg;
        e.k = ExpKind::NonReloc(base);
        self.reserve_regs(2)?;
        self.code_abrk(OpCode::SELF, base, ereg, key)?;
        self.free_exp(key);
        Ok(())
    }

    /// Whether `e` is a string constant usable as operand B.
    fn is_kstr(&self, e: &ExpDesc) -> bool {
        match e.k {
            ExpKind::K(k) => {
                !e.has_jumps()
                    && k <= MAX_B
                    && matches!(self.fs.f.constants.get(k as usize), Some(Constant::Str(s)) if s.len() <= 40)
            }
            _ => false,
        }
    }

    /// Turns `t` into the table access `t[k]`.
    pub(super) fn indexed(&mut self, t: &mut ExpDesc, k: &mut ExpDesc) -> CResult<()> {
        if let ExpKind::KStr(s) = &k.k {
            let idx = self.string_k(&s.clone())?;
            k.k = ExpKind::K(idx);
        }
        if matches!(t.k, ExpKind::Upval(_)) && !self.is_kstr(k) {
            self.exp_to_any_reg(t)?;
        }
        if let ExpKind::Upval(up) = t.k {
            let idx = match k.k {
                ExpKind::K(i) => i,
                _ => return Err(self.error("internal compiler error")),
            };
            t.k = ExpKind::IndexUp { t: up, idx };
            return Ok(());
        }
        let treg = match t.k {
            ExpKind::Local { reg, .. } => reg,
            ExpKind::NonReloc(r) => r,
            _ => self.exp_to_any_reg(t)?,
        };
        if self.is_kstr(k) {
            if let ExpKind::K(idx) = k.k {
                t.k = ExpKind::IndexStr { t: treg, idx };
            }
        } else if let Some(c) = k.is_cint() {
            t.k = ExpKind::IndexI { t: treg, idx: c };
        } else {
            let idx = self.exp_to_any_reg(k)?;
            t.k = ExpKind::Indexed { t: treg, idx };
        }
        Ok(())
    }
}
