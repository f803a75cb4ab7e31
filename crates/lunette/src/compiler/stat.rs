//! Compiling AST statements: assignments, locals, calls, control flow,
//! loops, function definitions, returns, labels and gotos.

use super::expr::{ExpDesc, ExpKind};
use super::func::NO_JUMP;
use super::{CResult, Compiler, VarKind};
use crate::bytecode::opcode::{OpCode, MAX_BX};
use crate::syntax::ast::{self, Attrib, Block, Expr, Name, Stat, StatKind};
use std::rc::Rc;

impl Compiler {
    /// Compiles the statements of a block (in the current scope).
    /// `in_repeat` is set for a `repeat` body (labels before `until` are
    /// not at the block's end).
    pub(super) fn stat_list(&mut self, block: &Block, in_repeat: bool) -> CResult<()> {
        self.stats(&block.stats, block.ret.as_ref(), in_repeat, None)
    }

    /// Compiles a function's (or the main chunk's) body, whose closing
    /// token is on `end_line`.
    pub(super) fn body_stat_list(&mut self, block: &Block, end_line: u32) -> CResult<()> {
        self.stats(&block.stats, block.ret.as_ref(), false, Some(end_line))
    }

    /// Compiles statements and an optional final `return`.
    fn stats(
        &mut self,
        stats: &[Stat],
        ret: Option<&ast::Return>,
        in_repeat: bool,
        end_line: Option<u32>,
    ) -> CResult<()> {
        for (i, st) in stats.iter().enumerate() {
            if let StatKind::Label(name) = &st.kind {
                // Lua checks a label once the no-op statements after it
                // are skipped: errors name the line of the next token.
                let next = stats[i + 1..]
                    .iter()
                    .find(|s| !matches!(s.kind, StatKind::Empty | StatKind::Label(_)));
                let last = !in_repeat && ret.is_none() && next.is_none();
                let err_line = next
                    .map(|s| s.line)
                    .or(ret.map(|r| r.line))
                    .or(end_line)
                    .unwrap_or(st.line)
                    .max(st.line);
                self.enter_level()?;
                self.see_line(st.line);
                self.label_stat(name, st.line, last, err_line)?;
                self.fs.free_reg = self.nvarstack();
                self.leave_level();
                continue;
            }
            self.statement(st)?;
        }
        if let Some(r) = ret {
            self.see_line(r.line);
            self.ret_stat(r)?;
            self.fs.free_reg = self.nvarstack();
        }
        Ok(())
    }

    /// A block in its own scope.
    fn block(&mut self, block: &Block) -> CResult<()> {
        self.enter_block(false);
        self.stat_list(block, false)?;
        self.at_line(block.end_line);
        self.leave_block()
    }

    fn statement(&mut self, st: &Stat) -> CResult<()> {
        self.enter_level()?;
        // (what follows a statement's last expression is not tracked)
        self.follow = None;
        self.see_line(st.line);
        let line = st.line;
        match &st.kind {
            StatKind::Empty => {}
            StatKind::Assign { targets, exprs } => self.assign(targets, exprs)?,
            StatKind::Call(e) => {
                let v = self.suffixed(e)?;
                match v.k {
                    ExpKind::Call(pc) => {
                        let i = self.ins(pc).with_c(1);
                        self.set_ins(pc, i);
                    }
                    _ => return Err(self.error("syntax error")),
                }
            }
            StatKind::Label(name) => self.label_stat(name, line, false, line)?,
            StatKind::Break => self.break_stat(line),
            StatKind::Goto(name) => self.goto_stat(name, line)?,
            StatKind::Do(b) => self.block(b)?,
            StatKind::While {
                cond,
                body,
                cond_end,
                end_line,
            } => {
                let init = self.get_label();
                let exit = self.cond(cond, *cond_end)?;
                self.enter_block(true);
                self.block(body)?;
                self.jump_to(init)?;
                self.at_line(*end_line);
                self.leave_block()?;
                self.patch_to_here(exit)?;
            }
            StatKind::Repeat {
                body,
                cond,
                cond_end,
            } => self.repeat_stat(body, cond, *cond_end)?,
            StatKind::If { conds, else_block } => self.if_stat(conds, else_block.as_ref())?,
            StatKind::NumFor {
                var,
                start,
                limit,
                step,
                body,
                end_line,
            } => {
                self.enter_block(true);
                self.fornum(var, start, limit, step.as_ref(), body, line)?;
                self.at_line(*end_line);
                self.leave_block()?;
            }
            StatKind::GenFor {
                names,
                exprs,
                body,
                end_line,
            } => {
                self.enter_block(true);
                self.forlist(names, exprs, body)?;
                self.at_line(*end_line);
                self.leave_block()?;
            }
            StatKind::Function { path, method, func } => {
                self.func_stat(path, method.as_ref(), func, line)?
            }
            StatKind::LocalFunction { name, func } => {
                let fvar = self.fs.nactvar;
                self.new_localvar(name.clone())?;
                self.adjust_localvars(1);
                self.function_body(func)?;
                let dbg = self.var_desc(fvar).debug_index;
                let pc = self.fs.pc() as u32;
                if let Some(lv) = self.fs.f.locvars.get_mut(dbg) {
                    lv.start_pc = pc;
                }
            }
            StatKind::Local { names, exprs } => self.local_stat(names, exprs)?,
        }
        self.fs.free_reg = self.nvarstack();
        self.leave_level();
        Ok(())
    }

    /// A condition whose last token is on `end_line`: returns the jump
    /// list taken when it is false.
    fn cond(&mut self, e: &Expr, end_line: u32) -> CResult<i32> {
        let mut v = self.expr(e)?;
        self.at_line(end_line);
        if v.k == ExpKind::Nil {
            v.k = ExpKind::False;
        }
        self.go_if_true(&mut v)?;
        Ok(v.f)
    }

    /// Adjusts `nexps` values (last one pending in `e`) to `nvars`.
    fn adjust_assign(&mut self, nvars: usize, nexps: usize, e: &mut ExpDesc) -> CResult<()> {
        let needed = nvars as i64 - nexps as i64;
        if needed > 0 {
            // fail before encoding operands that cannot fit
            self.check_stack((needed as u32).min(1000))?;
        }
        if e.is_multi() {
            let extra = (needed + 1).max(0);
            self.set_returns(e, extra as i32)?;
        } else {
            if e.k != ExpKind::Void {
                self.exp_to_next_reg(e)?;
            }
            if needed > 0 {
                let fr = self.fs.free_reg;
                self.code_nil(fr, needed as u32);
            }
        }
        if needed > 0 {
            self.reserve_regs(needed as u32)?;
        } else {
            self.fs.free_reg = (self.fs.free_reg as i64 + needed) as u32;
        }
        Ok(())
    }

    /// Protects earlier table targets whose table or key is the variable
    /// `v` being assigned in the same statement (uses a copy).
    fn check_conflict(&mut self, lhs: &mut [ExpDesc], v: &ExpDesc) -> CResult<()> {
        let extra = self.fs.free_reg;
        let mut conflict = false;
        for lh in lhs.iter_mut() {
            match lh.k {
                ExpKind::IndexUp { t, idx } if v.k == ExpKind::Upval(t) => {
                    conflict = true;
                    lh.k = ExpKind::IndexStr { t: extra, idx };
                }
                ExpKind::Indexed { t, idx } => {
                    if let ExpKind::Local { reg, .. } = v.k {
                        let nt = if t == reg { extra } else { t };
                        let ni = if idx == reg { extra } else { idx };
                        if nt != t || ni != idx {
                            conflict = true;
                        }
                        lh.k = ExpKind::Indexed { t: nt, idx: ni };
                    }
                }
                ExpKind::IndexI { t, idx } => {
                    if let ExpKind::Local { reg, .. } = v.k {
                        if t == reg {
                            conflict = true;
                            lh.k = ExpKind::IndexI { t: extra, idx };
                        }
                    }
                }
                ExpKind::IndexStr { t, idx } => {
                    if let ExpKind::Local { reg, .. } = v.k {
                        if t == reg {
                            conflict = true;
                            lh.k = ExpKind::IndexStr { t: extra, idx };
                        }
                    }
                }
                _ => {}
            }
        }
        if conflict {
            match v.k {
                ExpKind::Local { reg, .. } => {
                    self.code_abc(OpCode::MOVE, extra, reg, 0);
                }
                ExpKind::Upval(u) => {
                    self.code_abc(OpCode::GETUPVAL, extra, u, 0);
                }
                _ => {}
            }
            self.reserve_regs(1)?;
        }
        Ok(())
    }

    /// `t1, t2, ... = e1, e2, ...`
    fn assign(&mut self, targets: &[Expr], exprs: &[Expr]) -> CResult<()> {
        let mut lhs: Vec<ExpDesc> = Vec::with_capacity(targets.len());
        for (i, t) in targets.iter().enumerate() {
            let v = self.suffixed(t)?;
            if !v.is_var() {
                return Err(self.error("syntax error"));
            }
            if i > 0 && !v.is_indexed() {
                self.check_conflict(&mut lhs, &v)?;
            }
            self.check_readonly(&v)?;
            lhs.push(v);
        }
        if lhs.is_empty() {
            return Err(self.error("syntax error"));
        }
        let nvars = lhs.len();
        let (nexps, mut e) = self.exp_list(exprs)?;
        let mut rest = nvars;
        if nexps != nvars {
            self.adjust_assign(nvars, nexps, &mut e)?;
        } else {
            self.set_one_ret(&mut e);
            let var = lhs[nvars - 1].clone();
            self.store_var(&var, &mut e)?;
            rest = nvars - 1;
        }
        for var in lhs[..rest].iter().rev() {
            let mut e = ExpDesc::new(ExpKind::NonReloc(self.fs.free_reg.saturating_sub(1)));
            self.store_var(var, &mut e)?;
        }
        Ok(())
    }

    /// `local n1 <attr>, ... = e1, ...`
    fn local_stat(&mut self, names: &[(Name, Attrib)], exprs: &[Expr]) -> CResult<()> {
        let mut toclose: Option<usize> = None;
        let mut vidx = 0;
        for (i, (name, attrib)) in names.iter().enumerate() {
            vidx = self.new_localvar(name.clone())?;
            let kind = match attrib {
                Attrib::None => VarKind::Regular,
                Attrib::Const => VarKind::Const,
                Attrib::Close => VarKind::ToClose,
            };
            self.var_desc(vidx).kind = kind;
            if kind == VarKind::ToClose {
                if toclose.is_some() {
                    return Err(self.error("multiple to-be-closed variables in local list"));
                }
                toclose = Some(self.fs.nactvar + i);
            }
        }
        let nvars = names.len();
        let (nexps, mut e) = self.exp_list(exprs)?;
        let folded = if nvars == nexps && self.var_desc(vidx).kind == VarKind::Const {
            self.exp_to_const(&e)
        } else {
            None
        };
        if let Some(value) = folded {
            let v = self.var_desc(vidx);
            v.kind = VarKind::CompileTime;
            v.value = value;
            self.adjust_localvars(nvars - 1);
            self.fs.nactvar += 1;
        } else {
            self.adjust_assign(nvars, nexps, &mut e)?;
            self.adjust_localvars(nvars);
        }
        if let Some(level) = toclose {
            self.mark_to_be_closed();
            let r = self.reg_level(level);
            self.code_abc(OpCode::TBC, r, 0, 0);
        }
        Ok(())
    }

    /// `function a.b.c:m() ... end`
    fn func_stat(
        &mut self,
        path: &[Name],
        method: Option<&Name>,
        func: &Rc<ast::FuncBody>,
        line: u32,
    ) -> CResult<()> {
        let first = match path.first() {
            Some(n) => n,
            None => return Err(self.error("syntax error")),
        };
        let mut v = self.single_var(first)?;
        for name in path[1..].iter().chain(method) {
            self.exp_to_any_reg_up(&mut v)?;
            let mut key = ExpDesc::new(ExpKind::KStr(name.clone()));
            self.indexed(&mut v, &mut key)?;
        }
        let mut b = self.function_body(func)?;
        self.check_readonly(&v)?;
        self.store_var(&v, &mut b)?;
        self.fix_line(line);
        Ok(())
    }

    /// `return e1, ...`
    fn ret_stat(&mut self, r: &ast::Return) -> CResult<()> {
        let mut first = self.nvarstack();
        self.follow = None;
        let nret: i32;
        if r.exprs.is_empty() {
            nret = 0;
        } else {
            let (n, mut e) = self.exp_list(&r.exprs)?;
            if e.is_multi() {
                self.set_multret(&mut e)?;
                let inside_tbc = self.fs.blocks.last().is_some_and(|b| b.inside_tbc);
                if let ExpKind::Call(pc) = e.k {
                    if n == 1 && !inside_tbc {
                        let i = self.ins(pc);
                        let i =
                            crate::bytecode::Instruction((i.0 & !0x7f) | OpCode::TAILCALL as u32);
                        self.set_ins(pc, i);
                    }
                }
                nret = -1;
            } else if n == 1 {
                first = self.exp_to_any_reg(&mut e)?;
                nret = 1;
            } else {
                self.exp_to_next_reg(&mut e)?;
                nret = n as i32;
            }
        }
        self.ret(first, nret);
        Ok(())
    }

    /// `if ... then ... elseif ... else ... end`
    fn if_stat(&mut self, conds: &[(Expr, Block)], else_block: Option<&Block>) -> CResult<()> {
        let mut escape = NO_JUMP;
        let n = conds.len();
        for (i, (c, body)) in conds.iter().enumerate() {
            let followed = i + 1 < n || else_block.is_some();
            self.test_then_block(c, body, followed, &mut escape)?;
        }
        if let Some(b) = else_block {
            self.block(b)?;
        }
        self.patch_to_here(escape)
    }

    fn test_then_block(
        &mut self,
        c: &Expr,
        body: &Block,
        followed: bool,
        escape: &mut i32,
    ) -> CResult<()> {
        let mut v = self.expr(c)?;
        self.at_line(body.start_line);
        let jf;
        let starts_with_break = matches!(body.stats.first(), Some(s) if s.kind == StatKind::Break);
        let mut rest_from = 0;
        if starts_with_break {
            let line = body.stats[0].line;
            self.go_if_false(&mut v)?;
            self.enter_block(false);
            self.new_goto(Rc::from(&b"break"[..]), line, v.t);
            if body.stats.len() == 1 && body.ret.is_none() {
                return self.leave_block();
            }
            jf = self.jump();
            rest_from = 1;
        } else {
            self.go_if_true(&mut v)?;
            self.enter_block(false);
            jf = v.f;
        }
        self.stats(&body.stats[rest_from..], body.ret.as_ref(), false, None)?;
        self.at_line(body.end_line);
        self.leave_block()?;
        if followed {
            let j = self.jump();
            self.concat_jumps(escape, j)?;
        }
        self.patch_to_here(jf)
    }

    /// `repeat ... until cond`
    fn repeat_stat(&mut self, body: &Block, cond: &Expr, cond_end: u32) -> CResult<()> {
        let init = self.get_label();
        self.enter_block(true);
        self.enter_block(false);
        self.stat_list(body, true)?;
        let mut exit = self.cond(cond, cond_end)?;
        let scope = match self.fs.blocks.last() {
            Some(b) => b.clone(),
            None => return Err(self.error("internal compiler error")),
        };
        self.leave_block()?;
        if scope.upval {
            let normal = self.jump();
            self.patch_to_here(exit)?;
            let lvl = self.reg_level(scope.nactvar);
            self.code_abc(OpCode::CLOSE, lvl, 0, 0);
            exit = self.jump();
            self.patch_to_here(normal)?;
        }
        self.patch_list(exit, init)?;
        self.leave_block()
    }

    /// Evaluates one `for` control expression into the next register.
    fn exp1(&mut self, e: &Expr) -> CResult<()> {
        let mut v = self.expr(e)?;
        self.exp_to_next_reg(&mut v)
    }

    /// Patches a `FORPREP`/`FORLOOP`-style Bx jump.
    fn fix_for_jump(&mut self, pc: usize, dest: usize, back: bool) -> CResult<()> {
        let mut offset = dest as i64 - (pc as i64 + 1);
        if back {
            offset = -offset;
        }
        if !(0..=MAX_BX as i64).contains(&offset) {
            return Err(self.error("control structure too long"));
        }
        let i = self.ins(pc).with_bx(offset as u32);
        self.set_ins(pc, i);
        Ok(())
    }

    /// The body of a `for` loop with its prep/loop instructions.
    fn for_body(
        &mut self,
        base: u32,
        line: u32,
        nvars: usize,
        generic: bool,
        body: &Block,
    ) -> CResult<()> {
        let (prep_op, loop_op) = if generic {
            (OpCode::TFORPREP, OpCode::TFORLOOP)
        } else {
            (OpCode::FORPREP, OpCode::FORLOOP)
        };
        let prep = self.code_abx(prep_op, base, 0);
        self.enter_block(false);
        self.adjust_localvars(nvars);
        self.reserve_regs(nvars as u32)?;
        self.block(body)?;
        self.at_line(body.end_line);
        self.leave_block()?;
        let here = self.get_label() as usize;
        self.fix_for_jump(prep, here, false)?;
        if generic {
            self.code_abc(OpCode::TFORCALL, base, 0, nvars as u32);
            self.fix_line(line);
        }
        let endfor = self.code_abx(loop_op, base, 0);
        self.fix_for_jump(endfor, prep + 1, true)?;
        self.fix_line(line);
        Ok(())
    }

    fn fornum(
        &mut self,
        var: &Name,
        start: &Expr,
        limit: &Expr,
        step: Option<&Expr>,
        body: &Block,
        line: u32,
    ) -> CResult<()> {
        let base = self.fs.free_reg;
        let state: Name = Rc::from(&b"(for state)"[..]);
        for _ in 0..3 {
            self.new_localvar(state.clone())?;
        }
        self.new_localvar(var.clone())?;
        self.exp1(start)?;
        self.exp1(limit)?;
        match step {
            Some(s) => self.exp1(s)?,
            None => {
                let fr = self.fs.free_reg;
                self.code_int(fr, 1)?;
                self.reserve_regs(1)?;
            }
        }
        self.adjust_localvars(3);
        self.for_body(base, line, 1, false, body)
    }

    fn forlist(&mut self, names: &[Name], exprs: &[Expr], body: &Block) -> CResult<()> {
        let base = self.fs.free_reg;
        let state: Name = Rc::from(&b"(for state)"[..]);
        for _ in 0..4 {
            self.new_localvar(state.clone())?;
        }
        for n in names {
            self.new_localvar(n.clone())?;
        }
        let line = exprs.first().map_or(self.fs.cur_line, |e| e.line);
        let (nexps, mut e) = self.exp_list(exprs)?;
        self.adjust_assign(4, nexps, &mut e)?;
        self.adjust_localvars(4);
        self.mark_to_be_closed();
        self.check_stack(3)?;
        self.for_body(base, line, names.len(), true, body)
    }
}
