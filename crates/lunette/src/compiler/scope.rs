//! Scopes: blocks, local variables (with their debug ranges), upvalue
//! resolution across nested functions, labels and gotos.

use super::expr::{ExpDesc, ExpKind};
use super::func::{BlockCnt, FuncState};
use super::{CResult, Compiler, LabelDesc, VarDesc, VarKind};
use crate::bytecode::opcode::OpCode;
use crate::bytecode::{Constant, LocVar, UpvalDesc};
use crate::syntax::ast::Name;
use std::rc::Rc;

/// Maximum number of local variables per function.
const MAX_VARS: usize = 200;
/// Maximum number of upvalues per function.
const MAX_UPVALS: usize = 255;

impl Compiler {
    // ---- variables ----

    /// Declares a new (not yet active) local variable; returns its index
    /// among the function's variables.
    pub(super) fn new_localvar(&mut self, name: Name) -> CResult<usize> {
        if self.actvar.len() + 1 - self.fs.first_local > MAX_VARS {
            return Err(self.limit_error(MAX_VARS, "local variables"));
        }
        self.actvar.push(VarDesc {
            name,
            kind: VarKind::Regular,
            reg: 0,
            debug_index: 0,
            value: Constant::Nil,
        });
        Ok(self.actvar.len() - 1 - self.fs.first_local)
    }

    /// The descriptor of variable `vidx` of the current function.
    pub(super) fn var_desc(&mut self, vidx: usize) -> &mut VarDesc {
        let i = self.fs.first_local + vidx;
        &mut self.actvar[i]
    }

    /// Register level after the first `nvar` variables.
    pub(super) fn reg_level(&self, nvar: usize) -> u32 {
        let base = self.fs.first_local;
        for i in (0..nvar).rev() {
            if let Some(v) = self.actvar.get(base + i) {
                if v.kind != VarKind::CompileTime {
                    return v.reg + 1;
                }
            }
        }
        0
    }

    /// Number of registers holding active variables.
    pub(super) fn nvarstack(&self) -> u32 {
        self.reg_level(self.fs.nactvar)
    }

    /// Activates the last `nvars` declared variables.
    pub(super) fn adjust_localvars(&mut self, nvars: usize) {
        let first = self.nvarstack();
        for reglevel in first..first + nvars as u32 {
            let vidx = self.fs.nactvar;
            self.fs.nactvar += 1;
            let name = self.var_desc(vidx).name.clone();
            let pc = self.fs.pc() as u32;
            self.fs.f.locvars.push(LocVar {
                name,
                start_pc: pc,
                end_pc: 0,
            });
            let dbg = self.fs.f.locvars.len() - 1;
            let v = self.var_desc(vidx);
            v.reg = reglevel;
            v.debug_index = dbg;
        }
    }

    /// Deactivates variables down to `tolevel`, closing their debug ranges.
    /// Returns the removed descriptors (still needed to compute the
    /// register levels of pending gotos).
    fn remove_vars(&mut self, tolevel: usize) -> Vec<VarDesc> {
        let n = self.fs.nactvar.saturating_sub(tolevel);
        let pc = self.fs.pc() as u32;
        while self.fs.nactvar > tolevel {
            self.fs.nactvar -= 1;
            let v = self.var_desc(self.fs.nactvar).clone();
            if v.kind != VarKind::CompileTime {
                if let Some(lv) = self.fs.f.locvars.get_mut(v.debug_index) {
                    lv.end_pc = pc;
                }
            }
        }
        let newlen = self.actvar.len() - n;
        self.actvar.split_off(newlen)
    }

    /// `reg_level` also seeing variables just removed by `remove_vars`.
    fn reg_level_with(&self, nvar: usize, removed: &[VarDesc]) -> u32 {
        let base = self.fs.first_local;
        for i in (0..nvar).rev() {
            let abs = base + i;
            let v = if abs < self.actvar.len() {
                self.actvar.get(abs)
            } else {
                removed.get(abs - self.actvar.len())
            };
            if let Some(v) = v {
                if v.kind != VarKind::CompileTime {
                    return v.reg + 1;
                }
            }
        }
        0
    }

    /// Errors when assigning to a read-only variable.
    pub(super) fn check_readonly(&self, e: &ExpDesc) -> CResult<()> {
        let name = match e.k {
            ExpKind::Const(abs) => self.actvar.get(abs).map(|v| v.name.clone()),
            ExpKind::Local { vidx, .. } => {
                let v = &self.actvar[self.fs.first_local + vidx];
                if v.kind != VarKind::Regular {
                    Some(v.name.clone())
                } else {
                    None
                }
            }
            ExpKind::Upval(i) => match self.fs.f.upvalues.get(i as usize) {
                Some(u) if u.kind != 0 => u.name.clone(),
                _ => None,
            },
            _ => None,
        };
        match name {
            Some(n) => Err(self.error(&format!(
                "attempt to assign to const variable '{}'",
                String::from_utf8_lossy(&n)
            ))),
            None => Ok(()),
        }
    }

    // ---- name resolution ----

    /// The function state at nesting `level` (the current one is the last).
    fn level(&self, level: usize) -> &FuncState {
        if level == self.enclosing.len() {
            &self.fs
        } else {
            &self.enclosing[level]
        }
    }

    fn level_mut(&mut self, level: usize) -> &mut FuncState {
        if level == self.enclosing.len() {
            &mut self.fs
        } else {
            &mut self.enclosing[level]
        }
    }

    /// Looks `name` up among the active locals of function `level`.
    fn search_var(&self, level: usize, name: &[u8]) -> Option<ExpKind> {
        let fs = self.level(level);
        for i in (0..fs.nactvar).rev() {
            let abs = fs.first_local + i;
            let v = &self.actvar[abs];
            if &*v.name == name {
                return Some(if v.kind == VarKind::CompileTime {
                    ExpKind::Const(abs)
                } else {
                    ExpKind::Local {
                        reg: v.reg,
                        vidx: i,
                    }
                });
            }
        }
        None
    }

    /// Marks the block declaring variable `vidx` as having a captured variable.
    fn mark_upval(&mut self, level: usize, vidx: usize) {
        let fs = self.level_mut(level);
        let mut bi = fs.blocks.len();
        while bi > 1 && fs.blocks[bi - 1].nactvar > vidx {
            bi -= 1;
        }
        if let Some(b) = fs.blocks.get_mut(bi.saturating_sub(1)) {
            b.upval = true;
        }
        fs.needclose = true;
    }

    /// Marks the current block as holding a to-be-closed variable.
    pub(super) fn mark_to_be_closed(&mut self) {
        if let Some(b) = self.fs.blocks.last_mut() {
            b.upval = true;
            b.inside_tbc = true;
        }
        self.fs.needclose = true;
    }

    /// Resolves `name` in function `level` (recursively outwards).
    fn single_var_aux(&mut self, level: usize, name: &Name, base: bool) -> CResult<ExpKind> {
        if let Some(k) = self.search_var(level, name) {
            if let ExpKind::Local { vidx, .. } = k {
                if !base {
                    self.mark_upval(level, vidx);
                }
            }
            return Ok(k);
        }
        let fs = self.level(level);
        if let Some(i) =
            fs.f.upvalues
                .iter()
                .position(|u| u.name.as_deref() == Some(&**name))
        {
            return Ok(ExpKind::Upval(i as u32));
        }
        if level == 0 {
            return Ok(ExpKind::Void);
        }
        let outer = self.single_var_aux(level - 1, name, false)?;
        let desc = match outer {
            ExpKind::Local { reg, vidx } => {
                let prev = self.level(level - 1);
                let kind = self.actvar[prev.first_local + vidx].kind as u8;
                UpvalDesc {
                    in_stack: true,
                    index: reg as u8,
                    kind,
                    name: Some(name.clone()),
                }
            }
            ExpKind::Upval(idx) => {
                let prev = self.level(level - 1);
                let kind = prev.f.upvalues.get(idx as usize).map_or(0, |u| u.kind);
                UpvalDesc {
                    in_stack: false,
                    index: idx as u8,
                    kind,
                    name: Some(name.clone()),
                }
            }
            other => return Ok(other),
        };
        if self.level(level).f.upvalues.len() + 1 > MAX_UPVALS {
            return Err(self.limit_error(MAX_UPVALS, "upvalues"));
        }
        let fs = self.level_mut(level);
        fs.f.upvalues.push(desc);
        Ok(ExpKind::Upval((fs.f.upvalues.len() - 1) as u32))
    }

    /// Resolves a variable name: local, upvalue, or `_ENV.name`.
    pub(super) fn single_var(&mut self, name: &Name) -> CResult<ExpDesc> {
        let level = self.enclosing.len();
        let k = self.single_var_aux(level, name, true)?;
        if k != ExpKind::Void {
            return Ok(ExpDesc::new(k));
        }
        let env: Name = Rc::from(&b"_ENV"[..]);
        let k = self.single_var_aux(level, &env, true)?;
        let mut var = ExpDesc::new(k);
        if var.k == ExpKind::Void {
            return Err(self.error("internal compiler error: no _ENV"));
        }
        self.exp_to_any_reg_up(&mut var)?;
        let mut key = ExpDesc::new(ExpKind::KStr(name.clone()));
        self.indexed(&mut var, &mut key)?;
        Ok(var)
    }

    // ---- blocks ----

    /// Opens a block.
    pub(super) fn enter_block(&mut self, is_loop: bool) {
        let inside_tbc = self.fs.blocks.last().is_some_and(|b| b.inside_tbc);
        self.fs.blocks.push(BlockCnt {
            nactvar: self.fs.nactvar,
            first_label: self.labels.len(),
            first_goto: self.gotos.len(),
            upval: false,
            is_loop,
            inside_tbc,
        });
    }

    /// Closes the current block: removes its variables, resolves `break`s,
    /// closes upvalues, and moves pending gotos outwards.
    pub(super) fn leave_block(&mut self) -> CResult<()> {
        let bl = match self.fs.blocks.last() {
            Some(b) => b.clone(),
            None => return Err(self.error("internal compiler error")),
        };
        let stklevel = self.reg_level(bl.nactvar);
        let removed = self.remove_vars(bl.nactvar);
        let mut hasclose = false;
        if bl.is_loop {
            let here = self.fs.cur_line;
            hasclose = self.create_label(Rc::from(&b"break"[..]), 0, false, here)?;
        }
        let has_previous = self.fs.blocks.len() > 1;
        if !hasclose && has_previous && bl.upval {
            self.code_abc(OpCode::CLOSE, stklevel, 0, 0);
        }
        self.fs.free_reg = stklevel;
        self.labels.truncate(bl.first_label);
        self.fs.blocks.pop();
        if has_previous {
            self.move_gotos_out(&bl, &removed);
        } else if let Some(gt) = self.gotos.get(bl.first_goto) {
            if self.enclosing.is_empty() {
                if let Some(l) = self.eof_line {
                    self.fs.cur_line = l;
                }
            }
            return Err(self.undef_goto(gt));
        }
        Ok(())
    }

    /// The error for a goto without a visible label.
    fn undef_goto(&self, gt: &LabelDesc) -> super::SyntaxError {
        if &*gt.name == b"break" {
            self.error(&format!("break outside loop at line {}", gt.line))
        } else {
            self.error(&format!(
                "no visible label '{}' for <goto> at line {}",
                String::from_utf8_lossy(&gt.name),
                gt.line
            ))
        }
    }

    /// Pending gotos of a closed block now belong to the enclosing block.
    fn move_gotos_out(&mut self, bl: &BlockCnt, removed: &[VarDesc]) {
        let outer_level = self.reg_level(bl.nactvar);
        for i in bl.first_goto..self.gotos.len() {
            let gl = self.reg_level_with(self.gotos[i].nactvar, removed);
            let gt = &mut self.gotos[i];
            if gl > outer_level {
                gt.close |= bl.upval;
            }
            gt.nactvar = bl.nactvar;
        }
    }

    // ---- labels and gotos ----

    /// A visible label of the current function named `name`.
    pub(super) fn find_label(&self, name: &[u8]) -> Option<LabelDesc> {
        self.labels[self.fs.first_label..]
            .iter()
            .find(|l| &*l.name == name)
            .cloned()
    }

    /// Records a pending goto.
    pub(super) fn new_goto(&mut self, name: Name, line: u32, pc: i32) {
        self.gotos.push(LabelDesc {
            name,
            line,
            pc,
            nactvar: self.fs.nactvar,
            close: false,
        });
    }

    /// Resolves the pending gotos of the current block matching `lb`;
    /// returns whether any of them needs a `CLOSE`.
    fn solve_gotos(&mut self, lb: &LabelDesc, err_line: u32) -> CResult<bool> {
        let mut i = self.fs.blocks.last().map_or(0, |b| b.first_goto);
        let mut needsclose = false;
        while i < self.gotos.len() {
            if self.gotos[i].name == lb.name {
                let gt = self.gotos.remove(i);
                needsclose |= gt.close;
                if gt.nactvar < lb.nactvar {
                    let vname = self
                        .actvar
                        .get(self.fs.first_local + gt.nactvar)
                        .map_or_else(|| Rc::from(&b"?"[..]), |v| v.name.clone());
                    return Err(self.error_at(
                        err_line,
                        &format!(
                            "<goto {}> at line {} jumps into the scope of local '{}'",
                            String::from_utf8_lossy(&gt.name),
                            gt.line,
                            String::from_utf8_lossy(&vname)
                        ),
                    ));
                }
                self.patch_list(gt.pc, lb.pc)?;
            } else {
                i += 1;
            }
        }
        Ok(needsclose)
    }

    /// Creates a label here; `last` means no statements follow it in its
    /// block (its locals are then out of scope). Returns whether a `CLOSE`
    /// was emitted.
    pub(super) fn create_label(
        &mut self,
        name: Name,
        line: u32,
        last: bool,
        err_line: u32,
    ) -> CResult<bool> {
        let pc = self.get_label();
        let mut nactvar = self.fs.nactvar;
        if last {
            nactvar = self.fs.blocks.last().map_or(0, |b| b.nactvar);
        }
        let lb = LabelDesc {
            name,
            line,
            pc,
            nactvar,
            close: false,
        };
        self.labels.push(lb.clone());
        if self.solve_gotos(&lb, err_line)? {
            let lvl = self.nvarstack();
            self.code_abc(OpCode::CLOSE, lvl, 0, 0);
            return Ok(true);
        }
        Ok(false)
    }

    /// `goto name`.
    pub(super) fn goto_stat(&mut self, name: &Name, line: u32) -> CResult<()> {
        match self.find_label(name) {
            None => {
                let j = self.jump();
                self.new_goto(name.clone(), line, j);
            }
            Some(lb) => {
                let lblevel = self.reg_level(lb.nactvar);
                if self.nvarstack() > lblevel {
                    self.code_abc(OpCode::CLOSE, lblevel, 0, 0);
                }
                let j = self.jump();
                self.patch_list(j, lb.pc)?;
            }
        }
        Ok(())
    }

    /// `::name::` (with Lua's duplicate check).
    pub(super) fn label_stat(
        &mut self,
        name: &Name,
        line: u32,
        last: bool,
        err_line: u32,
    ) -> CResult<()> {
        if let Some(lb) = self.find_label(name) {
            return Err(self.error_at(
                err_line,
                &format!(
                    "label '{}' already defined on line {}",
                    String::from_utf8_lossy(name),
                    lb.line
                ),
            ));
        }
        self.create_label(name.clone(), line, last, err_line)?;
        Ok(())
    }

    /// `break` (a goto to the enclosing loop's end).
    pub(super) fn break_stat(&mut self, line: u32) {
        let j = self.jump();
        self.new_goto(Rc::from(&b"break"[..]), line, j);
    }

    // ---- functions ----

    /// Starts a new function nested in the current one (or the main one).
    pub(super) fn open_function(&mut self) {
        self.fs.first_local = self.actvar.len();
        self.fs.first_label = self.labels.len();
        self.enter_block(false);
    }

    /// Pushes a fresh function state for a nested function.
    pub(super) fn push_function(&mut self, line: u32, last_line: u32) {
        let new = FuncState::new(
            self.chunkname.clone(),
            line,
            last_line,
            self.actvar.len(),
            self.labels.len(),
        );
        let parent = std::mem::replace(&mut self.fs, new);
        self.enclosing.push(parent);
        self.open_function();
    }

    /// Marks the function vararg and emits `VARARGPREP`.
    pub(super) fn set_vararg(&mut self, nparams: u32) {
        self.fs.f.is_vararg = true;
        self.code_abc(OpCode::VARARGPREP, nparams, 0, 0);
    }

    /// Finishes the current function (final return, block, fix-ups).
    pub(super) fn close_function(&mut self) -> CResult<()> {
        let first = self.nvarstack();
        self.ret(first, 0);
        self.leave_block()?;
        self.finish()?;
        Ok(())
    }

    /// Pops the finished nested function and returns its prototype.
    pub(super) fn pop_function(&mut self) -> CResult<crate::bytecode::Proto> {
        let parent = match self.enclosing.pop() {
            Some(p) => p,
            None => return Err(self.error("internal compiler error")),
        };
        let child = std::mem::replace(&mut self.fs, parent);
        Ok(child.f)
    }
}
