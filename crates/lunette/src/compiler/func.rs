//! Per-function compilation state: instruction emission with line info,
//! the constant table, register allocation and jump lists.

use super::{CResult, Compiler};
use crate::bytecode::opcode::{
    Instruction, OpCode, F_TEST, MAX_AX, MAX_BX, MAX_C, MAX_REGS, MAX_SJ, OFFSET_SBX, OFFSET_SJ,
};
use crate::bytecode::{Constant, Proto};
use std::rc::Rc;

/// Marks the end of a jump list (a jump to itself).
pub(super) const NO_JUMP: i32 = -1;

/// A lexical block of the function being compiled.
#[derive(Clone, Debug)]
pub(super) struct BlockCnt {
    /// Active variables outside the block.
    pub nactvar: usize,
    /// Index of the block's first label.
    pub first_label: usize,
    /// Index of the block's first pending goto.
    pub first_goto: usize,
    /// Some variable of the block is captured as an upvalue (or is to-be-closed).
    pub upval: bool,
    /// The block is a loop (`break` target).
    pub is_loop: bool,
    /// The block is inside the scope of a to-be-closed variable.
    pub inside_tbc: bool,
}

/// Key of the constant-deduplication map (floats and integers kept apart).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum ConstKey {
    Nil,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(Rc<[u8]>),
}

/// The state of one function being compiled.
pub(super) struct FuncState {
    /// The prototype under construction.
    pub f: Proto,
    /// Position of the last jump target (blocks peephole optimizations).
    pub last_target: usize,
    /// First free register.
    pub free_reg: u32,
    /// Number of active local variables (including compile-time constants).
    pub nactvar: usize,
    /// Index of the function's first variable in `Compiler::actvar`.
    pub first_local: usize,
    /// Index of the function's first label in `Compiler::labels`.
    pub first_label: usize,
    /// The function has to close upvalues or to-be-closed variables on return.
    pub needclose: bool,
    /// Open blocks, outermost first.
    pub blocks: Vec<BlockCnt>,
    /// Line attributed to emitted instructions.
    pub cur_line: u32,
}

impl FuncState {
    /// A fresh function state.
    pub fn new(
        source: Rc<[u8]>,
        line: u32,
        last_line: u32,
        first_local: usize,
        first_label: usize,
    ) -> FuncState {
        FuncState {
            f: Proto {
                source,
                line_defined: line,
                last_line_defined: last_line,
                max_stack: 2,
                ..Proto::default()
            },
            last_target: 0,
            free_reg: 0,
            nactvar: 0,
            first_local,
            first_label,
            needclose: false,
            blocks: Vec::new(),
            cur_line: line,
        }
    }

    /// The current pc (index of the next instruction).
    pub fn pc(&self) -> usize {
        self.f.code.len()
    }
}

impl Compiler {
    /// Appends an instruction at the current line; returns its pc.
    pub(super) fn code(&mut self, ins: Instruction) -> usize {
        let fs = &mut self.fs;
        fs.f.code.push(ins);
        fs.f.lines.push(fs.cur_line);
        fs.f.code.len() - 1
    }

    /// Emits an iABC instruction.
    pub(super) fn code_abck(&mut self, op: OpCode, a: u32, b: u32, c: u32, k: bool) -> usize {
        self.code(Instruction::abc(op, a, b, c, k))
    }

    /// Emits an iABC instruction with `k = 0`.
    pub(super) fn code_abc(&mut self, op: OpCode, a: u32, b: u32, c: u32) -> usize {
        self.code_abck(op, a, b, c, false)
    }

    /// Emits an iABx instruction.
    pub(super) fn code_abx(&mut self, op: OpCode, a: u32, bx: u32) -> usize {
        self.code(Instruction::abx(op, a, bx))
    }

    /// Emits an iAsBx instruction.
    pub(super) fn code_asbx(&mut self, op: OpCode, a: u32, sbx: i32) -> usize {
        self.code(Instruction::asbx(op, a, sbx))
    }

    /// Emits `EXTRAARG ax`.
    pub(super) fn code_extraarg(&mut self, ax: u32) -> usize {
        self.code(Instruction::ax_op(OpCode::EXTRAARG, ax & MAX_AX))
    }

    /// Notes that the source has reached `line` (lines only move forward,
    /// approximating "the line of the last token read").
    pub(super) fn see_line(&mut self, line: u32) {
        if line > self.fs.cur_line {
            self.fs.cur_line = line;
        }
    }

    /// Attributes the code emitted next to `line` (when known, i.e. not
    /// 0): Lua gives code the line of the last token read, which at a
    /// block's end, after a condition or at a constructor's `}` is not
    /// the line of a statement's or expression's first token.
    pub(super) fn at_line(&mut self, line: u32) {
        if line != 0 {
            self.fs.cur_line = line;
        }
    }

    /// Changes the line of the last emitted instruction.
    pub(super) fn fix_line(&mut self, line: u32) {
        if let Some(l) = self.fs.f.lines.last_mut() {
            *l = line;
        }
    }

    /// Removes the last emitted instruction.
    pub(super) fn remove_last_instruction(&mut self) {
        self.fs.f.code.pop();
        self.fs.f.lines.pop();
    }

    /// The instruction at `pc`.
    pub(super) fn ins(&self, pc: usize) -> Instruction {
        self.fs.f.code[pc]
    }

    /// Replaces the instruction at `pc`.
    pub(super) fn set_ins(&mut self, pc: usize, ins: Instruction) {
        self.fs.f.code[pc] = ins;
    }

    /// The previous instruction, unless a jump target may lie between it
    /// and the current position.
    pub(super) fn previous_instruction(&self) -> Option<(usize, Instruction)> {
        let pc = self.fs.pc();
        if pc > self.fs.last_target && pc > 0 {
            Some((pc - 1, self.fs.f.code[pc - 1]))
        } else {
            None
        }
    }

    /// Loads `LOADK`/`LOADKX` of constant `k` into `reg`.
    pub(super) fn code_k(&mut self, reg: u32, k: u32) -> usize {
        if k <= MAX_BX {
            self.code_abx(OpCode::LOADK, reg, k)
        } else {
            let p = self.code_abx(OpCode::LOADKX, reg, 0);
            self.code_extraarg(k);
            p
        }
    }

    // ---- registers ----

    /// Makes sure `n` more registers fit in the frame.
    pub(super) fn check_stack(&mut self, n: u32) -> CResult<()> {
        let newstack = self.fs.free_reg + n;
        if newstack > self.fs.f.max_stack as u32 {
            if newstack >= MAX_REGS {
                // the caller names the token (near.rs)
                self.near_owed = true;
                return Err(self.error(super::near::TOO_MANY_REGISTERS));
            }
            self.fs.f.max_stack = newstack as u8;
        }
        Ok(())
    }

    /// Reserves `n` registers.
    pub(super) fn reserve_regs(&mut self, n: u32) -> CResult<()> {
        self.check_stack(n)?;
        self.fs.free_reg += n;
        Ok(())
    }

    /// Frees register `reg` when it is a temporary (not a local).
    pub(super) fn free_reg(&mut self, reg: u32) {
        if reg >= self.nvarstack() && self.fs.free_reg > 0 {
            self.fs.free_reg -= 1;
        }
    }

    /// Frees two temporaries in the proper order.
    pub(super) fn free_regs(&mut self, r1: u32, r2: u32) {
        if r1 > r2 {
            self.free_reg(r1);
            self.free_reg(r2);
        } else {
            self.free_reg(r2);
            self.free_reg(r1);
        }
    }

    // ---- constants ----

    /// Adds (or reuses) a constant.
    pub(super) fn add_k(&mut self, key: ConstKey, v: Constant) -> CResult<u32> {
        // The cache is shared by all functions of the chunk (as Lua's
        // scanner table is): an entry is reused only when it is valid here.
        if let Some(&k) = self.kcache.get(&key) {
            if self.fs.f.constants.get(k as usize) == Some(&v) {
                return Ok(k);
            }
        }
        let k = self.fs.f.constants.len();
        if k > MAX_AX as usize {
            return Err(self.limit_error(MAX_AX as usize, "constants"));
        }
        self.fs.f.constants.push(v);
        self.kcache.insert(key, k as u32);
        Ok(k as u32)
    }

    /// A string constant.
    pub(super) fn string_k(&mut self, s: &Rc<[u8]>) -> CResult<u32> {
        self.add_k(ConstKey::Str(s.clone()), Constant::Str(s.clone()))
    }

    /// An integer constant.
    pub(super) fn int_k(&mut self, i: i64) -> CResult<u32> {
        self.add_k(ConstKey::Int(i), Constant::Int(i))
    }

    /// A float constant.
    pub(super) fn number_k(&mut self, f: f64) -> CResult<u32> {
        let bits = if f == 0.0 { 0 } else { f.to_bits() };
        self.add_k(ConstKey::Float(bits), Constant::Float(f))
    }

    /// A boolean constant.
    pub(super) fn bool_k(&mut self, b: bool) -> CResult<u32> {
        self.add_k(ConstKey::Bool(b), Constant::Bool(b))
    }

    /// The nil constant.
    pub(super) fn nil_k(&mut self) -> CResult<u32> {
        self.add_k(ConstKey::Nil, Constant::Nil)
    }

    /// Loads integer `i` into `reg` (`LOADI` when it fits).
    pub(super) fn code_int(&mut self, reg: u32, i: i64) -> CResult<()> {
        if fits_bx(i) {
            self.code_asbx(OpCode::LOADI, reg, i as i32);
        } else {
            let k = self.int_k(i)?;
            self.code_k(reg, k);
        }
        Ok(())
    }

    /// Loads float `f` into `reg` (`LOADF` for small integral values).
    pub(super) fn code_float(&mut self, reg: u32, f: f64) -> CResult<()> {
        match crate::number::float_to_int_exact(f) {
            Some(i) if fits_bx(i) => {
                self.code_asbx(OpCode::LOADF, reg, i as i32);
            }
            _ => {
                let k = self.number_k(f)?;
                self.code_k(reg, k);
            }
        }
        Ok(())
    }

    // ---- jumps ----

    /// Destination of the jump at `pc` (`NO_JUMP` at the end of a list).
    pub(super) fn get_jump(&self, pc: usize) -> i32 {
        let off = self.fs.f.code[pc].sj();
        if off == NO_JUMP {
            NO_JUMP
        } else {
            pc as i32 + 1 + off
        }
    }

    /// Makes the jump at `pc` go to `dest`.
    pub(super) fn fix_jump(&mut self, pc: usize, dest: i32) -> CResult<()> {
        let offset = dest as i64 - (pc as i64 + 1);
        if !(-(OFFSET_SJ as i64) <= offset && offset <= (MAX_SJ as i64 - OFFSET_SJ as i64)) {
            return Err(self.error("control structure too long"));
        }
        let ins = self.fs.f.code[pc].with_sj(offset as i32);
        self.fs.f.code[pc] = ins;
        Ok(())
    }

    /// Appends jump list `l2` to jump list `l1`.
    pub(super) fn concat_jumps(&mut self, l1: &mut i32, l2: i32) -> CResult<()> {
        if l2 == NO_JUMP {
            return Ok(());
        }
        if *l1 == NO_JUMP {
            *l1 = l2;
            return Ok(());
        }
        let mut list = *l1 as usize;
        loop {
            let next = self.get_jump(list);
            if next == NO_JUMP {
                break;
            }
            list = next as usize;
        }
        self.fix_jump(list, l2)
    }

    /// Emits a jump to be patched later; returns its pc.
    pub(super) fn jump(&mut self) -> i32 {
        self.code(Instruction::sj_op(OpCode::JMP, NO_JUMP)) as i32
    }

    /// Emits a compare/test instruction followed by its jump.
    pub(super) fn cond_jump(&mut self, op: OpCode, a: u32, b: u32, c: u32, k: bool) -> i32 {
        self.code_abck(op, a, b, c, k);
        self.jump()
    }

    /// Marks the current pc as a jump target and returns it.
    pub(super) fn get_label(&mut self) -> i32 {
        let pc = self.fs.pc();
        self.fs.last_target = pc;
        pc as i32
    }

    /// The pc of the instruction controlling the jump at `pc` (the test
    /// before it, if any).
    pub(super) fn jump_control(&self, pc: usize) -> usize {
        if pc >= 1 {
            if let Some(op) = self.fs.f.code[pc - 1].opcode() {
                if op.flags() & F_TEST != 0 {
                    return pc - 1;
                }
            }
        }
        pc
    }

    /// Patches the `TESTSET` controlling jump `node` to store into `reg`
    /// (or turns it into a `TEST` when no value is needed).
    fn patch_test_reg(&mut self, node: usize, reg: Option<u32>) -> bool {
        let at = self.jump_control(node);
        let i = self.fs.f.code[at];
        if i.opcode() != Some(OpCode::TESTSET) {
            return false;
        }
        let new = match reg {
            Some(r) if r != i.b() => i.with_a(r),
            _ => Instruction::abc(OpCode::TEST, i.b(), 0, 0, i.k()),
        };
        self.fs.f.code[at] = new;
        true
    }

    /// Removes the values produced by the tests of a jump list.
    pub(super) fn remove_values(&mut self, mut list: i32) {
        while list != NO_JUMP {
            self.patch_test_reg(list as usize, None);
            list = self.get_jump(list as usize);
        }
    }

    /// Patches a jump list: value-producing tests go to `vtarget` (storing
    /// into `reg`), the others to `dtarget`.
    pub(super) fn patch_list_aux(
        &mut self,
        mut list: i32,
        vtarget: i32,
        reg: Option<u32>,
        dtarget: i32,
    ) -> CResult<()> {
        while list != NO_JUMP {
            let next = self.get_jump(list as usize);
            if self.patch_test_reg(list as usize, reg) {
                self.fix_jump(list as usize, vtarget)?;
            } else {
                self.fix_jump(list as usize, dtarget)?;
            }
            list = next;
        }
        Ok(())
    }

    /// Makes every jump of `list` go to `target`.
    pub(super) fn patch_list(&mut self, list: i32, target: i32) -> CResult<()> {
        self.patch_list_aux(list, target, None, target)
    }

    /// Makes every jump of `list` go to the current position.
    pub(super) fn patch_to_here(&mut self, list: i32) -> CResult<()> {
        let here = self.get_label();
        self.patch_list(list, here)
    }

    /// Emits a jump to `target`.
    pub(super) fn jump_to(&mut self, target: i32) -> CResult<()> {
        let j = self.jump();
        self.patch_list(j, target)
    }

    /// Emits the `RETURN*` for `nret` values starting at `first` (`nret < 0`: all).
    pub(super) fn ret(&mut self, first: u32, nret: i32) {
        let op = match nret {
            0 => OpCode::RETURN0,
            1 => OpCode::RETURN1,
            _ => OpCode::RETURN,
        };
        self.code_abc(op, first, (nret + 1) as u32, 0);
    }

    /// `LOADNIL` of `n` registers from `from`, merged with a previous
    /// `LOADNIL` when the ranges touch.
    pub(super) fn code_nil(&mut self, from: u32, n: u32) {
        let mut from = from;
        let mut last = from + n - 1;
        if let Some((pc, prev)) = self.previous_instruction() {
            if prev.opcode() == Some(OpCode::LOADNIL) {
                let pfrom = prev.a();
                let plast = pfrom + prev.b();
                if (pfrom <= from && from <= plast + 1) || (from <= pfrom && pfrom <= last + 1) {
                    from = from.min(pfrom);
                    last = last.max(plast);
                    self.set_ins(pc, prev.with_a(from).with_b(last - from));
                    return;
                }
            }
        }
        self.code_abc(OpCode::LOADNIL, from, n - 1, 0);
    }

    /// Sets the sizes of the `NEWTABLE` at `pc` (and its `EXTRAARG`).
    pub(super) fn set_table_size(&mut self, pc: usize, ra: u32, asize: u32, hsize: u32) {
        let rb = if hsize != 0 { ceil_log2(hsize) + 1 } else { 0 };
        let extra = asize / (MAX_C + 1);
        let rc = asize % (MAX_C + 1);
        self.set_ins(
            pc,
            Instruction::abc(OpCode::NEWTABLE, ra, rb.min(255), rc, extra > 0),
        );
        self.set_ins(pc + 1, Instruction::ax_op(OpCode::EXTRAARG, extra & MAX_AX));
    }

    /// Emits a `SETLIST` storing `tostore` items (`< 0`: up to the top)
    /// after the first `nelems` of the table in `base`.
    pub(super) fn set_list(&mut self, base: u32, nelems: u32, tostore: i32) {
        let b = if tostore < 0 { 0 } else { tostore as u32 };
        if nelems <= MAX_C {
            self.code_abc(OpCode::SETLIST, base, b, nelems);
        } else {
            let extra = nelems / (MAX_C + 1);
            self.code_abck(OpCode::SETLIST, base, b, nelems % (MAX_C + 1), true);
            self.code_extraarg(extra);
        }
        self.fs.free_reg = base + 1;
    }

    /// Final pass over a finished function: return instructions get
    /// their close/vararg flags, jumps to jumps are short-circuited.
    pub(super) fn finish(&mut self) -> CResult<()> {
        let needclose = self.fs.needclose;
        let is_vararg = self.fs.f.is_vararg;
        let nparams = self.fs.f.num_params as u32;
        for pc in 0..self.fs.f.code.len() {
            let mut i = self.fs.f.code[pc];
            match i.opcode() {
                Some(OpCode::RETURN0)
                | Some(OpCode::RETURN1)
                | Some(OpCode::RETURN)
                | Some(OpCode::TAILCALL) => {
                    let op = i.opcode();
                    if matches!(op, Some(OpCode::RETURN0) | Some(OpCode::RETURN1)) {
                        if !(needclose || is_vararg) {
                            continue;
                        }
                        i = Instruction((i.0 & !0x7f) | OpCode::RETURN as u32);
                    }
                    if needclose {
                        i = i.with_k(true);
                    }
                    if is_vararg {
                        i = i.with_c(nparams + 1);
                    }
                    self.fs.f.code[pc] = i;
                }
                Some(OpCode::JMP) => {
                    let target = self.final_target(pc);
                    self.fix_jump(pc, target as i32)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Follows a chain of jumps (bounded) to its final destination.
    fn final_target(&self, mut i: usize) -> usize {
        for _ in 0..100 {
            let ins = match self.fs.f.code.get(i) {
                Some(ins) => *ins,
                None => break,
            };
            if ins.opcode() != Some(OpCode::JMP) {
                break;
            }
            let next = i as i64 + ins.sj() as i64 + 1;
            if next < 0 || next as usize > self.fs.f.code.len() {
                break;
            }
            i = next as usize;
        }
        i
    }
}

/// Whether `i` fits a signed Bx operand.
pub(super) fn fits_bx(i: i64) -> bool {
    -(OFFSET_SBX as i64) <= i && i <= (MAX_BX as i64 - OFFSET_SBX as i64)
}

/// `ceil(log2(x))` for `x >= 1`.
fn ceil_log2(x: u32) -> u32 {
    let mut l = 0;
    let mut v = x - 1;
    while v > 0 {
        l += 1;
        v >>= 1;
    }
    l
}
