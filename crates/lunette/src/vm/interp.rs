//! The interpreter loop: one `match` over the opcode, fast paths inline,
//! slow paths through the semantics layer (`vm/meta.rs`).
//!
//! Lua-to-Lua calls and returns never recurse on the Rust stack: `CALL`
//! pushes a frame and jumps to `'frame` to load it; `RETURN` pops and
//! continues in the caller. `execute(stop_at)` returns when the frame at
//! depth `stop_at` returns (a re-entry from Rust waits for exactly that).
//!
//! Register, constant, upvalue and code access is unchecked (`reg!`,
//! `kst!`, `upv!`, the fetch): frame entry guarantees that the stack is
//! at least `base + max_stack` long, and the verifier's contract
//! (bytecode/verify.rs V2-V9) proves every operand and jump target in
//! range. Only verified code runs; debug builds assert each access.

use super::call::{Callee, Entered, Frame, Recovery, CONT_RECOVER};
use super::error::{LuaError, LuaResult};
use super::fastops::{arith_store, equals_fast, less_equal_fast, less_than_fast};
use super::function::{FieldSlots, FnProto, LuaClosure};
use super::hook::{MASK_COUNT, MASK_LINE, MASK_OBSERVE};
use super::meta_frames::{CONT_COND, CONT_DISCARD, CONT_SET_REG};
use super::meta_frames::{CONT_RERUN, CONT_RERUN_TOP};
use super::state::Vm;
use super::string::LuaStr;
use super::table::Table;
use super::value::Value;
use crate::bytecode::opcode::{MAX_C, NUM_OPCODES};
use crate::bytecode::{Instruction, OpCode, TagMethod};
use crate::gc::Gc;

/// Hook bits the loop top acts on: they select the traced loop variant.
const TRACE_MASK: u8 = MASK_LINE | MASK_COUNT | MASK_OBSERVE;

/// Why a loop variant returned.
enum Exit {
    /// The frame at depth `stop_at` returned.
    Done,
    /// The hook mask changed: run the other variant (the pc is saved).
    Switch,
}

/// `t[n]` raw, out of line: keeps the table code out of the interpreter
/// loop's frame (its native stack use bounds the re-entry depth).
#[inline(never)]
fn table_get_int(t: &Table, n: i64) -> Value {
    t.raw_get_int(n)
}

/// `t[n] = v` raw, out of line (see `table_get_int`).
#[inline(never)]
fn table_set_int(t: &Table, n: i64, v: Value) -> Result<usize, super::table::TableError> {
    t.try_set_int(n, v)
}

/// One step of a generic `for` whose iterator is the builtin `next` (as
/// `pairs` returns it) or `ipairs`' iterator, over table `t` with control
/// value `ctl`: `Some(Some((key, value)))` for the next entry,
/// `Some(None)` at the end, `None` when the iterator must really be
/// called (another function, a metatable for `ipairs`, an invalid key for
/// `next`: the call raises the error).
#[inline]
fn builtin_iteration(
    nc: Gc<super::function::NativeClosure>,
    t: &Table,
    ctl: &Value,
) -> Option<Option<(Value, Value)>> {
    use crate::stdlib::base::{ipairs_aux, next};
    type F = super::function::NativeFn;
    if std::ptr::fn_addr_eq(nc.f, next as F) {
        return t.next(*ctl).ok();
    }
    if std::ptr::fn_addr_eq(nc.f, ipairs_aux as F) && t.metatable().is_none() {
        if let Value::Int(n) = *ctl {
            let k = n.wrapping_add(1);
            let v = t.raw_get_int(k);
            return Some(if v.is_nil() {
                None
            } else {
                Some((Value::Int(k), v))
            });
        }
    }
    None
}

/// Looks `key` up through the `__index` tables above `t` (a class and its
/// ancestors, up to `MAX_CLASS_DEPTH` levels) after a raw miss in `t`:
/// `Some(value)` when found or when the chain ends without a metatable
/// or `__index` (nil), `None` when a function `__index` or a deeper chain
/// needs the general path. Class levels use the instruction's predicted
/// slots (`index_name` is the interned `"__index"`).
#[inline]
fn method_lookup(
    t: &Table,
    key: Gc<LuaStr>,
    slots: &FieldSlots,
    index_name: Gc<LuaStr>,
) -> Option<Value> {
    const MAX_CLASS_DEPTH: usize = 4;
    let mut cur = t.metatable();
    for _ in 0..MAX_CLASS_DEPTH {
        let Some(mt) = cur else {
            return Some(Value::Nil);
        };
        let cls = match mt.index_method_cached(index_name, &slots.index) {
            Value::Nil => return Some(Value::Nil),
            Value::Table(cls) => cls,
            _ => return None,
        };
        let v = cls.raw_get_str_cached(key, &slots.key);
        if !v.is_nil() {
            return Some(v);
        }
        cur = cls.metatable();
    }
    None
}

impl Vm {
    #[inline(never)]
    fn bad_code(&mut self, what: &str) -> LuaError {
        self.rt_error(&format!("bad bytecode ({what})"))
    }

    /// Runs Lua frames until the frame at depth `stop_at` returns. The top
    /// frame must be a Lua frame. Its results are left at its function
    /// slot, the stack ending after them. Errors are caught by the
    /// innermost protected-call marker at or above `stop_at`.
    pub(crate) fn execute(&mut self, stop_at: usize) -> LuaResult<()> {
        loop {
            let Err(e) = self.run(stop_at) else {
                return Ok(());
            };
            if self.meta_frame_pushed {
                // not an error: a metamethod frame to run (see meta_frames.rs)
                self.meta_frame_pushed = false;
                continue;
            }
            if self.recovery_pending {
                // a `__close` frame of an error recovery returned: go on
                self.recovery_pending = false;
                let m = self.frames.len() - 1;
                let mk = self.frames[m];
                let err = self.stack.get(mk.func + 1).copied().unwrap_or_default();
                if self.recover_and_finish(stop_at, m, LuaError::new(err))? {
                    return Ok(());
                }
                continue;
            }
            if self.yield_request.is_some() || self.limits.uncatchable() {
                return Err(e);
            }
            let Some(m) = (stop_at..self.frames.len())
                .rev()
                .find(|&i| self.frames[i].protect != 0)
            else {
                return Err(e);
            };
            if self.recover_and_finish(stop_at, m, e)? {
                return Ok(());
            }
        }
    }

    /// Recovers from an error at marker `m` and finishes the markers that
    /// completed; `Ok(true)` when the run down to `stop_at` is over.
    fn recover_and_finish(&mut self, stop_at: usize, m: usize, e: LuaError) -> LuaResult<bool> {
        let mk = self.frames[m];
        let got = match self.recover(m, e) {
            Recovery::Done(n) => n,
            Recovery::Pushed => return Ok(false),
        };
        let (func, nres, got) = self.finish_markers(stop_at, mk.func, mk.nresults, got);
        if self.frames.len() <= stop_at {
            return Ok(true);
        }
        if nres < 0 {
            self.mtop = func + got;
        }
        Ok(false)
    }

    /// The interpreter proper (see `execute`): runs the loop variant the
    /// hook mask asks for, switching when a call-out changes it.
    fn run(&mut self, stop_at: usize) -> LuaResult<()> {
        loop {
            let exit = if self.hooks.mask & TRACE_MASK != 0 {
                self.run_loop::<true>(stop_at)?
            } else {
                self.run_loop::<false>(stop_at)?
            };
            if let Exit::Done = exit {
                return Ok(());
            }
        }
    }

    /// One variant of the loop. `TRACED` runs the line/count hooks and the
    /// observer before every instruction; the untraced variant has no
    /// per-instruction test at all (its fetch-decode-dispatch is the only
    /// loop top, which lets the compiler copy it into every handler). The
    /// hook mask changes only in call-outs, so the untraced loop looks at
    /// it after an instruction that called out and at every frame load,
    /// and returns `Exit::Switch` (pc saved) when the other variant must
    /// take over.
    #[inline(never)]
    fn run_loop<const TRACED: bool>(&mut self, stop_at: usize) -> LuaResult<Exit> {
        // The running frame's hot state, kept in locals: its closure, code
        // and constants, the pc and the address of register 0 (see
        // `refresh!`). Everything else about the frame (its stack base,
        // the end of its window, its index) is read from the frame record,
        // the top of `frames`, when a slower path needs it: few values
        // live across the dispatch leave the handlers registers to work
        // in. `'frame` loads the locals from the top frame; CALL and RETURN
        // set them directly on their fast paths. The closure reference is
        // made from a raw pointer: the closure is the callee of the top
        // frame, which the collector treats as a root while the frame
        // exists, and it owns its prototype (code and constants).
        let mut cl: &LuaClosure;
        let mut code: *const Instruction;
        let mut k: *const Value;
        let mut pc: usize;
        let mut regs: *mut Value;
        // Set by `protect!` and the other call-outs of an instruction;
        // without one, the hook mask cannot have changed.
        let mut called_out: bool;

        // Points `cl`, `code` and `k` at closure `$g`.
        macro_rules! load_closure {
            ($g:expr) => {{
                let p: *const LuaClosure = &*$g;
                // SAFETY: the closure is the callee of the frame being
                // loaded (a collector root while that frame exists, and
                // these references are not used after it is popped: every
                // pop is followed by a reload); `proto` and its `Rc<Proto>`
                // are owned by the closure, immutable and never moved, and
                // the closure's `code` and `constants` point into them.
                cl = unsafe { &*p };
                code = cl.code;
                k = cl.constants;
            }};
        }
        // The running function's runtime prototype.
        macro_rules! fp {
            () => {
                (&*cl.proto)
            };
        }
        // The running frame's record: the top frame.
        macro_rules! cur_frame {
            () => {{
                debug_assert!(!self.frames.is_empty());
                // SAFETY: the running frame is the top frame while its
                // instructions run (frames pushed by call-outs are popped
                // before control comes back here; CALL and RETURN reload
                // the locals when they push or pop).
                unsafe { self.frames.last().unwrap_unchecked() }
            }};
        }
        // Stack index of register 0 of the running frame.
        macro_rules! base {
            () => {
                cur_frame!().base
            };
        }
        // `base!()` computed from `regs` (no load of the frame record):
        // only where `regs` is fresh, i.e. before the instruction's first
        // call-out.
        macro_rules! base_now {
            () => {{
                let b =
                    (regs as usize - self.stack.as_ptr() as usize) / std::mem::size_of::<Value>();
                debug_assert_eq!(b, base!());
                b
            }};
        }
        // End of the running frame's register window.
        macro_rules! frame_top {
            () => {
                base!() + fp!().max_stack as usize
            };
        }
        // Index of the running frame in `frames`.
        macro_rules! fi {
            () => {
                self.frames.len() - 1
            };
        }
        // The `EXTRAARG` at index `x` (after LOADKX, NEWTABLE, SETLIST with
        // k), unchecked.
        macro_rules! extra_arg {
            ($x:expr) => {{
                let idx: usize = $x;
                debug_assert!(idx < fp!().proto.code.len(), "EXTRAARG missing");
                // SAFETY: verifier V7: LOADKX, NEWTABLE and SETLIST with k
                // are followed by an EXTRAARG, so index `pc` (the
                // instruction after the one being run) is inside the code.
                unsafe { *code.add(idx) }.ax()
            }};
        }
        // Register `x` of this frame, unchecked, through `regs`.
        macro_rules! reg {
            ($x:expr) => {
                *{
                    let x = $x as usize;
                    debug_assert!(base!() + x < self.stack.len(), "register outside the frame");
                    debug_assert!(
                        std::ptr::eq(regs, self.stack.as_ptr().wrapping_add(base!())),
                        "stale register pointer (missing refresh! after a call-out)"
                    );
                    // SAFETY: verifier V3 proves every register operand
                    // `< max_stack`, and `stack.len() >= frame_top =
                    // base + max_stack` holds while this frame runs: it
                    // is established at `'frame` (the resize above), only
                    // natives called by CALL/TFORCALL may leave the stack
                    // shorter (both resize back right after), and every
                    // other callee (metamethods, hooks) pushes above the
                    // current length and truncates back to it. `regs` is
                    // `stack.as_mut_ptr() + base`, re-derived by
                    // `refresh!` after every call-out that can grow
                    // (reallocate) or swap the stack, so it points into
                    // the live buffer.
                    unsafe { &mut *regs.add(x) }
                }
            };
        }
        // Re-reads the hot locals after a call-out.
        macro_rules! refresh {
            () => {{
                regs = self.stack.as_mut_ptr().wrapping_add(base!());
            }};
        }
        // Saves the pc, runs a call-out, refreshes the hot locals and
        // notes the call-out (the instruction ends with the check for
        // a changed hook mask).
        macro_rules! protect {
            ($e:expr) => {{
                savepc!();
                let r = $e;
                refresh!();
                called_out = true;
                r
            }};
        }
        // Constant `x` of this function, unchecked.
        macro_rules! kst {
            ($x:expr) => {
                *{
                    let idx = $x as usize;
                    debug_assert!(idx < fp!().constants.len(), "constant out of range");
                    // SAFETY: verifier V4: every constant operand is
                    // `< constants.len()`; `k` points at the constants.
                    unsafe { &*k.add(idx) }
                }
            };
        }
        // Upvalue `x` of this closure, unchecked.
        macro_rules! upv {
            ($x:expr) => {{
                let idx = $x as usize;
                debug_assert!(idx < cl.upvals().len(), "upvalue out of range");
                // SAFETY: verifier V5: every upvalue operand is `<
                // upvalues.len()` of the prototype, and a closure has
                // exactly one cell per upvalue descriptor
                // (`LuaClosure::alloc`), starting at `upval_cells`.
                unsafe { cl.upvals().get_unchecked(idx) }.get()
            }};
        }
        // The predicted hash slots of the instruction being run.
        macro_rules! slots {
            () => {{
                debug_assert!(pc - 1 < fp!().field_slots.len());
                // SAFETY: `field_slots` has one cell per instruction
                // (built with `code.len()` in load.rs) and `pc - 1` is
                // the index of the instruction being run (see the fetch).
                unsafe { fp!().field_slots.get_unchecked(pc - 1) }
            }};
        }
        macro_rules! rkc {
            ($i:expr) => {
                if $i.k() {
                    kst!($i.c())
                } else {
                    reg!($i.c())
                }
            };
        }
        macro_rules! savepc {
            () => {{
                debug_assert!(!self.frames.is_empty());
                // SAFETY: as `cur_frame!`: the running frame is the top one.
                unsafe { self.frames.last_mut().unwrap_unchecked() }.pc = pc
            }};
        }
        // arithmetic with a fast path; on failure the next MMBIN runs
        macro_rules! arith {
            ($op:expr, $x:expr, $y:expr, $a:expr) => {{
                let (x, y) = ($x, $y);
                if arith_store($op, x, y, &mut reg!($a)) {
                    pc += 1;
                }
            }};
        }
        macro_rules! cond_jump {
            ($cond:expr, $i:expr) => {{
                if $cond != $i.k() {
                    pc += 1;
                }
            }};
        }
        macro_rules! compare {
            ($fast:ident, $op:expr, $x:expr, $y:expr, $k:expr) => {{
                match $fast(&$x, &$y) {
                    Some(c) => c,
                    None => {
                        let (x, y) = ($x, $y);
                        protect!(self.compare_slow($op, x, y, $k)?)
                    }
                }
            }};
        }
        macro_rules! compare_imm {
                ($i:expr, $int_op:tt, $slow:expr, $swap:expr) => {{
                    let sb = $i.sb();
                    match reg!($i.a()) {
                        Value::Int(x) => x $int_op sb as i64,
                        Value::Float(f) => f $int_op sb as f64,
                        other => {
                            let imm = if $i.c() != 0 {
                                Value::Float(sb as f64)
                            } else {
                                Value::Int(sb as i64)
                            };
                            if $swap {
                                protect!(self.compare_slow($slow, imm, other, $i.k())?)
                            } else {
                                protect!(self.compare_slow($slow, other, imm, $i.k())?)
                            }
                        }
                    }
                }};
            }
        'frame: loop {
            if TRACED != (self.hooks.mask & TRACE_MASK != 0) {
                return Ok(Exit::Switch);
            }
            // only the fields needed here are read (no copy of the frame)
            let Some(fr) = self.frames.last() else {
                return Err(self.bad_code("no frame"));
            };
            let clg = match fr.callee {
                Callee::Lua(cl) => cl,
                Callee::Native(_) => return Err(self.bad_code("native frame in interpreter")),
            };
            let frame_base = fr.base;
            pc = fr.pc;
            load_closure!(clg);
            let frame_end = frame_base + fp!().max_stack as usize;
            if self.stack.len() < frame_end {
                self.stack.resize(frame_end, Value::Nil);
            }
            if pc == 0
                && self.hooks.mask != 0
                && !fp!().is_vararg
                && !std::mem::take(&mut self.entry_hook_done)
            {
                let tail = cur_frame!().is_tail;
                self.hook_call(tail)?;
                if TRACED != (self.hooks.mask & TRACE_MASK != 0) {
                    // the hook changed the mask: the other variant runs
                    // this frame from its first instruction, without the
                    // call hook
                    self.entry_hook_done = true;
                    return Ok(Exit::Switch);
                }
            }
            regs = self.stack.as_mut_ptr().wrapping_add(frame_base);

            // returns `n` values starting at stack index `src`
            macro_rules! do_return {
                ($src:expr, $n:expr) => {{
                    let (src, n) = ($src, $n);
                    if self.hooks.mask != 0 {
                        savepc!();
                        if self.stack.len() < src + n {
                            self.stack.resize(src + n, Value::Nil);
                        }
                        self.hook_return(src, n)?;
                    }
                    debug_assert!(!self.frames.is_empty());
                    let nf = self.frames.len() - 1;
                    // SAFETY: the returning frame is the top frame (as
                    // `cur_frame!`), so `nf` is its index; `Frame` is
                    // `Copy`, so shortening the vector drops nothing.
                    let fr = unsafe {
                        let fr = *self.frames.get_unchecked(nf);
                        self.frames.set_len(nf);
                        fr
                    };
                    if nf > stop_at {
                        // SAFETY: `nf > stop_at >= 0`, so `nf - 1` is the
                        // index of the caller's frame, below the length.
                        if let Frame {
                            callee: Callee::Lua(ccl),
                            base: cbase,
                            pc: cpc,
                            code: ccode,
                            ..
                        } = *unsafe { self.frames.get_unchecked(nf - 1) }
                        {
                            // back into a Lua caller of this run
                            let got = self.return_to_lua(fr.func, src, n, fr.nresults);
                            if fr.nresults < 0 {
                                self.mtop = fr.func + got;
                            }
                            if fr.cont != 0 {
                                self.finish_meta_frame(fr.cont, fr.func);
                                continue 'frame;
                            }
                            if self.hooks.mask != 0 {
                                continue 'frame;
                            }
                            // the caller's state, without `'frame`'s checks:
                            // no call-out happened since the caller's CALL
                            pc = cpc;
                            load_closure!(ccl);
                            // the same pointer, from the record just read
                            // (one load less before the next fetch)
                            debug_assert!(std::ptr::eq(code, ccode));
                            code = ccode;
                            let frame_top = cbase + cl.max_stack as usize;
                            if self.stack.len() < frame_top {
                                // a native called by the callee may have
                                // left the stack shorter than the caller's window
                                self.stack.resize(frame_top, Value::Nil);
                            }
                            regs = self.stack.as_mut_ptr().wrapping_add(cbase);
                            continue;
                        }
                    }
                    if fr.cont == CONT_RECOVER {
                        // a __close run by error recovery: the marker below goes on
                        self.stack.truncate(fr.func);
                        self.recovery_pending = true;
                        return Err(LuaError::new(Value::Nil));
                    }
                    let got = self.move_results(fr.func, src, n, fr.nresults);
                    let (func, nres, got) = self.finish_markers(stop_at, fr.func, fr.nresults, got);
                    if self.frames.len() <= stop_at {
                        return Ok(Exit::Done);
                    }
                    if nres < 0 {
                        self.mtop = func + got;
                    }
                    continue 'frame;
                }};
            }

            loop {
                called_out = false;
                if TRACED && self.hooks.mask & TRACE_MASK != 0 {
                    // the hook sees the instruction about to run as current
                    let fi = fi!();
                    self.frames[fi].pc = pc + 1;
                    self.hook_trace(pc)?;
                    refresh!();
                }
                debug_assert!(pc < fp!().proto.code.len(), "pc out of range");
                // SAFETY: pc stays inside the code: execution starts at 0
                // (V9: code is non-empty), every jump target is inside
                // (V6), a test's skip lands on its JMP and LOADKX/NEWTABLE/
                // SETLIST skip their EXTRAARG (V7), and the last
                // instruction is a return or jump (V9), so falling through
                // never runs off the end. Saved pcs are such indices too.
                let i = unsafe { *code.add(pc) };
                pc += 1;
                let a = i.a() as usize;
                let bits = i.op_bits();
                debug_assert!((bits as usize) < NUM_OPCODES, "invalid opcode");
                // SAFETY: `OpCode` is `repr(u8)` with the discriminants
                // 0..NUM_OPCODES in order (generated by `opcodes!`), and
                // verifier V2 proves every opcode field is one of them.
                let op: OpCode = unsafe { std::mem::transmute::<u8, OpCode>(bits) };
                match op {
                    OpCode::MOVE => reg!(a) = reg!(i.b()),
                    OpCode::LOADI => Value::store_int(&mut reg!(a), i.sbx() as i64),
                    OpCode::LOADF => Value::store_float(&mut reg!(a), i.sbx() as f64),
                    OpCode::LOADK => reg!(a) = kst!(i.bx()),
                    OpCode::LOADKX => {
                        let ax = extra_arg!(pc);
                        pc += 1;
                        reg!(a) = kst!(ax);
                    }
                    OpCode::LOADFALSE => Value::store_bool(&mut reg!(a), false),
                    OpCode::LFALSESKIP => {
                        Value::store_bool(&mut reg!(a), false);
                        pc += 1;
                    }
                    OpCode::LOADTRUE => Value::store_bool(&mut reg!(a), true),
                    OpCode::LOADNIL => {
                        for j in a..=a + i.b() as usize {
                            Value::store_nil(&mut reg!(j));
                        }
                    }
                    OpCode::GETUPVAL => {
                        // copied memory to memory (no value in registers)
                        let uv = upv!(i.b());
                        let idx = uv.slot_hint();
                        if idx < self.stack.len() && uv.is_open_in(self.current_thread) {
                            reg!(a) = self.stack[idx];
                            continue;
                        }
                        if uv.is_closed() {
                            reg!(a) = uv.closed_value();
                            continue;
                        }
                        reg!(a) = self.upval_get(uv);
                    }
                    OpCode::SETUPVAL => {
                        let v = reg!(a);
                        self.upval_set(upv!(i.b()), v);
                    }
                    OpCode::GETTABUP => {
                        let t = self.upval_get(upv!(i.b()));
                        if let (Value::Table(tb), Value::Str(ks)) = (t, kst!(i.c())) {
                            let v = tb.raw_get_str_cached(ks, &slots!().key);
                            if !v.is_nil() {
                                Value::store(&mut reg!(a), v);
                                continue;
                            }
                        }
                        let key = kst!(i.c());
                        let v = protect!(self.get_fast_or_index(t, key, a as u32)?);
                        reg!(a) = v;
                    }
                    OpCode::GETTABLE => {
                        if let Value::Table(tb) = reg!(i.b()) {
                            if let Value::Int(n) = reg!(i.c()) {
                                if let Some(v) = tb.array_get(n) {
                                    if !v.is_nil() || tb.metatable().is_none() {
                                        Value::store(&mut reg!(a), *v);
                                        continue;
                                    }
                                }
                                let v = table_get_int(&tb, n);
                                if !v.is_nil() || tb.metatable().is_none() {
                                    Value::store(&mut reg!(a), v);
                                    continue;
                                }
                            } else if let Value::Str(ks) = reg!(i.c()) {
                                let v = tb.get_str(ks);
                                if !v.is_nil() || tb.metatable().is_none() {
                                    Value::store(&mut reg!(a), v);
                                    continue;
                                }
                            }
                        }
                        let (t, key) = (reg!(i.b()), reg!(i.c()));
                        let v = protect!(self.get_fast_or_index(t, key, a as u32)?);
                        reg!(a) = v;
                    }
                    OpCode::GETI => {
                        let key = i.c() as i64;
                        if let Value::Table(tb) = reg!(i.b()) {
                            if let Some(v) = tb.array_get(key) {
                                if !v.is_nil() || tb.metatable().is_none() {
                                    Value::store(&mut reg!(a), *v);
                                    continue;
                                }
                            }
                            let v = table_get_int(&tb, key);
                            if !v.is_nil() || tb.metatable().is_none() {
                                Value::store(&mut reg!(a), v);
                                continue;
                            }
                        }
                        let t = reg!(i.b());
                        let v = protect!(self.index_slow(t, Value::Int(key), a as u32)?);
                        reg!(a) = v;
                    }
                    OpCode::GETFIELD => {
                        if let Value::Table(tb) = reg!(i.b()) {
                            if let Value::Str(ks) = kst!(i.c()) {
                                let v = tb.raw_get_str_cached(ks, &slots!().key);
                                if !v.is_nil() || tb.metatable().is_none() {
                                    Value::store(&mut reg!(a), v);
                                    continue;
                                }
                                // absent from an object: look in its class chain
                                if let Some(v) =
                                    method_lookup(&tb, ks, slots!(), self.tm_name(TagMethod::Index))
                                {
                                    Value::store(&mut reg!(a), v);
                                    continue;
                                }
                            }
                        }
                        let (t, key) = (reg!(i.b()), kst!(i.c()));
                        let v = protect!(self.get_fast_or_index(t, key, a as u32)?);
                        reg!(a) = v;
                    }
                    OpCode::SETTABUP => {
                        let t = self.upval_get(upv!(a));
                        let (key, v) = (kst!(i.b()), rkc!(i));
                        protect!(self.set_fast_or_index(t, key, v)?);
                    }
                    OpCode::SETTABLE => {
                        if let (Value::Table(tb), Value::Int(n)) = (reg!(a), reg!(i.b())) {
                            if tb.array_store(n, &rkc!(i)) {
                                continue;
                            }
                            if tb.metatable().is_none() {
                                let v = rkc!(i);
                                let grown =
                                    table_set_int(&tb, n, v).map_err(|e| self.raw_set_error(e))?;
                                if grown != 0 {
                                    // no Lua code runs: no refresh, no hook check
                                    savepc!();
                                    self.table_grew(grown)?;
                                }
                                continue;
                            }
                        }
                        let (t, key, v) = (reg!(a), reg!(i.b()), rkc!(i));
                        protect!(self.set_fast_or_index(t, key, v)?);
                    }
                    OpCode::SETI => {
                        let (t, v) = (reg!(a), rkc!(i));
                        let key = i.b() as i64;
                        if let Value::Table(tb) = t {
                            if tb.array_store(key, &v) {
                                continue;
                            }
                            if tb.metatable().is_none() || !table_get_int(&tb, key).is_nil() {
                                let grown = table_set_int(&tb, key, v)
                                    .map_err(|e| self.raw_set_error(e))?;
                                if grown != 0 {
                                    // no Lua code runs: no refresh, no hook check
                                    savepc!();
                                    self.table_grew(grown)?;
                                }
                                continue;
                            }
                        }
                        protect!(self.set_index_slow(t, Value::Int(key), v)?);
                    }
                    OpCode::SETFIELD => {
                        if let (Value::Table(tb), Value::Str(ks)) = (reg!(a), kst!(i.b())) {
                            // an existing field needs no metamethod check
                            if tb.raw_replace_str_cached(ks, rkc!(i), &slots!().key) {
                                continue;
                            }
                        }
                        let (t, key, v) = (reg!(a), kst!(i.b()), rkc!(i));
                        protect!(self.set_fast_or_index(t, key, v)?);
                    }
                    OpCode::NEWTABLE => {
                        let extra = extra_arg!(pc);
                        pc += 1;
                        reg!(a) = self.op_newtable(i, extra);
                        protect!(self.gc_check()?);
                    }
                    OpCode::SELF => {
                        let t = reg!(i.b());
                        let key = rkc!(i);
                        reg!(a + 1) = t;
                        if let (Value::Table(tb), Value::Str(ks)) = (t, key) {
                            // a method: usually absent from the object and
                            // found in the table its metatable's `__index` is
                            let v = tb.raw_get_str(key);
                            if !v.is_nil() {
                                Value::store(&mut reg!(a), v);
                                continue;
                            }
                            if let Some(v) =
                                method_lookup(&tb, ks, slots!(), self.tm_name(TagMethod::Index))
                            {
                                Value::store(&mut reg!(a), v);
                                continue;
                            }
                        }
                        let v = protect!(self.get_fast_or_index(t, key, a as u32)?);
                        reg!(a) = v;
                    }
                    OpCode::ADDI => {
                        arith!(TagMethod::Add, reg!(i.b()), Value::Int(i.sc() as i64), a)
                    }
                    OpCode::ADDK => arith!(TagMethod::Add, reg!(i.b()), kst!(i.c()), a),
                    OpCode::SUBK => arith!(TagMethod::Sub, reg!(i.b()), kst!(i.c()), a),
                    OpCode::MULK => arith!(TagMethod::Mul, reg!(i.b()), kst!(i.c()), a),
                    OpCode::MODK => arith!(TagMethod::Mod, reg!(i.b()), kst!(i.c()), a),
                    OpCode::POWK => arith!(TagMethod::Pow, reg!(i.b()), kst!(i.c()), a),
                    OpCode::DIVK => arith!(TagMethod::Div, reg!(i.b()), kst!(i.c()), a),
                    OpCode::IDIVK => arith!(TagMethod::IDiv, reg!(i.b()), kst!(i.c()), a),
                    OpCode::BANDK => arith!(TagMethod::BAnd, reg!(i.b()), kst!(i.c()), a),
                    OpCode::BORK => arith!(TagMethod::BOr, reg!(i.b()), kst!(i.c()), a),
                    OpCode::BXORK => arith!(TagMethod::BXor, reg!(i.b()), kst!(i.c()), a),
                    OpCode::SHRI => {
                        arith!(TagMethod::Shr, reg!(i.b()), Value::Int(i.sc() as i64), a)
                    }
                    OpCode::SHLI => {
                        arith!(TagMethod::Shl, Value::Int(i.sc() as i64), reg!(i.b()), a)
                    }
                    OpCode::ADD => arith!(TagMethod::Add, reg!(i.b()), reg!(i.c()), a),
                    OpCode::SUB => arith!(TagMethod::Sub, reg!(i.b()), reg!(i.c()), a),
                    OpCode::MUL => arith!(TagMethod::Mul, reg!(i.b()), reg!(i.c()), a),
                    OpCode::MOD => arith!(TagMethod::Mod, reg!(i.b()), reg!(i.c()), a),
                    OpCode::POW => arith!(TagMethod::Pow, reg!(i.b()), reg!(i.c()), a),
                    OpCode::DIV => arith!(TagMethod::Div, reg!(i.b()), reg!(i.c()), a),
                    OpCode::IDIV => arith!(TagMethod::IDiv, reg!(i.b()), reg!(i.c()), a),
                    OpCode::BAND => arith!(TagMethod::BAnd, reg!(i.b()), reg!(i.c()), a),
                    OpCode::BOR => arith!(TagMethod::BOr, reg!(i.b()), reg!(i.c()), a),
                    OpCode::BXOR => arith!(TagMethod::BXor, reg!(i.b()), reg!(i.c()), a),
                    OpCode::SHL => arith!(TagMethod::Shl, reg!(i.b()), reg!(i.c()), a),
                    OpCode::SHR => arith!(TagMethod::Shr, reg!(i.b()), reg!(i.c()), a),
                    OpCode::MMBIN | OpCode::MMBINI | OpCode::MMBINK => {
                        debug_assert!(pc >= 2);
                        // SAFETY: verifier V7: every MMBIN* directly
                        // follows an arithmetic instruction, so `pc - 2`
                        // (the instruction before it) is inside the code.
                        let dst = unsafe { *code.add(pc - 2) }.a();
                        let x = reg!(a);
                        let y = match i.opcode() {
                            Some(OpCode::MMBIN) => reg!(i.b()),
                            Some(OpCode::MMBINI) => Value::Int(i.sb() as i64),
                            _ => kst!(i.b()),
                        };
                        // MMBINI/MMBINK with k: the constant was the left operand
                        let (x, y) = if i.opcode() != Some(OpCode::MMBIN) && i.k() {
                            (y, x)
                        } else {
                            (x, y)
                        };
                        protect!(self.op_mmbin(i, x, y, dst)?);
                    }
                    OpCode::UNM => {
                        let v = reg!(i.b());
                        let r = match v {
                            Value::Int(x) => Value::Int(x.wrapping_neg()),
                            Value::Float(f) => Value::Float(-f),
                            _ => {
                                protect!(self.arith_slow(TagMethod::Unm, v, v, a as u32)?)
                            }
                        };
                        Value::store(&mut reg!(a), r);
                    }
                    OpCode::BNOT => {
                        let v = reg!(i.b());
                        let r = match v {
                            Value::Int(x) => Value::Int(!x),
                            _ => {
                                protect!(self.arith_slow(TagMethod::BNot, v, v, a as u32)?)
                            }
                        };
                        Value::store(&mut reg!(a), r);
                    }
                    OpCode::NOT => Value::store_bool(&mut reg!(a), !reg!(i.b()).truthy()),
                    OpCode::LEN => {
                        let v = reg!(i.b());
                        let r = match v {
                            Value::Str(s) => Value::Int(s.len() as i64),
                            Value::Table(t) if t.metatable().is_none() => Value::Int(t.len()),
                            _ => {
                                protect!(self.len_slow(v, a as u32)?)
                            }
                        };
                        Value::store(&mut reg!(a), r);
                    }
                    OpCode::CONCAT => {
                        let n = i.b() as usize;
                        savepc!();
                        self.op_concat(fi!(), base!(), a, n)?;
                        protect!(self.gc_check()?);
                    }
                    OpCode::CLOSE => {
                        let (base, frame_top) = (base!(), frame_top!());
                        if protect!(self.close_level_in_frames(base + a, frame_top, CONT_RERUN)?) {
                            // CLOSE runs again after the __close frame returns
                            continue 'frame;
                        }
                    }
                    OpCode::TBC => {
                        let base = base!();
                        protect!(self.mark_tbc(base + a, a)?);
                    }
                    OpCode::JMP => {
                        let sj = i.sj();
                        pc = (pc as isize + sj as isize) as usize;
                        // a backward jump pays for the loop body (vm/limits.rs)
                        if sj < 0 && self.spend_small(sj.unsigned_abs()) {
                            protect!(self.backedge_slow()?);
                        }
                    }
                    OpCode::EQ => {
                        let c = compare!(equals_fast, OpCode::EQ, reg!(a), reg!(i.b()), i.k());
                        cond_jump!(c, i)
                    }
                    OpCode::LT => {
                        let c = compare!(less_than_fast, OpCode::LT, reg!(a), reg!(i.b()), i.k());
                        cond_jump!(c, i)
                    }
                    OpCode::LE => {
                        let c = compare!(less_equal_fast, OpCode::LE, reg!(a), reg!(i.b()), i.k());
                        cond_jump!(c, i)
                    }
                    OpCode::EQK => {
                        let c = reg!(a).raw_eq(&kst!(i.b()));
                        cond_jump!(c, i)
                    }
                    OpCode::EQI => {
                        let sb = i.sb();
                        let c = match reg!(a) {
                            Value::Int(x) => x == sb as i64,
                            Value::Float(f) => f == sb as f64,
                            _ => false,
                        };
                        cond_jump!(c, i)
                    }
                    OpCode::LTI => {
                        let c = compare_imm!(i, <, OpCode::LT, false);
                        cond_jump!(c, i)
                    }
                    OpCode::LEI => {
                        let c = compare_imm!(i, <=, OpCode::LE, false);
                        cond_jump!(c, i)
                    }
                    OpCode::GTI => {
                        let c = compare_imm!(i, >, OpCode::LT, true);
                        cond_jump!(c, i)
                    }
                    OpCode::GEI => {
                        let c = compare_imm!(i, >=, OpCode::LE, true);
                        cond_jump!(c, i)
                    }
                    OpCode::TEST => cond_jump!(reg!(a).truthy(), i),
                    OpCode::TESTSET => {
                        let v = reg!(i.b());
                        if v.truthy() != i.k() {
                            pc += 1;
                        } else {
                            reg!(a) = v;
                        }
                    }
                    OpCode::CALL => {
                        let func = base_now!() + a;
                        let b = i.b() as usize;
                        let nargs = if b != 0 {
                            b - 1
                        } else {
                            self.mtop.saturating_sub(func + 1)
                        };
                        let nres = i.c() as i32 - 1;
                        savepc!();
                        if let Value::LuaFn(ncl) = reg!(a) {
                            // the common case, without `precall`'s dispatch
                            self.enter_lua(ncl, func, nargs, nres)?;
                            if self.hooks.mask != 0 {
                                // the call hook runs at `'frame`
                                continue 'frame;
                            }
                            // the new frame's state, without `'frame`'s
                            // checks (`enter_lua` made the stack long enough)
                            pc = 0;
                            load_closure!(ncl);
                            regs = self.stack.as_mut_ptr().wrapping_add(func + 1);
                            continue;
                        }
                        if let Value::Native(nc) = reg!(a) {
                            // a builtin with a fast path, when no hook
                            // watches calls
                            if let (Some(fast), 0) = (nc.fast, self.hooks.mask) {
                                let args = if b != 0 {
                                    debug_assert!(base_now!() + a + 1 + nargs <= self.stack.len());
                                    // SAFETY: verifier V3: a CALL with B != 0
                                    // has its argument window `A+1..A+B`
                                    // inside the frame's registers.
                                    Some(unsafe {
                                        std::slice::from_raw_parts(regs.add(a + 1), nargs)
                                    })
                                } else {
                                    // up to the top the previous instruction
                                    // set (`f(...)`, `f(g())`)
                                    self.stack.get(func + 1..func + 1 + nargs)
                                };
                                if let Some(v) = args.and_then(|args| fast(args, nres == 1)) {
                                    Value::store(&mut reg!(a), v);
                                    if nres < 0 {
                                        self.mtop = func + 1;
                                    }
                                    // more results wanted than one: nil
                                    // (V3: the result window is in the frame)
                                    for j in 1..nres.max(1) as usize {
                                        Value::store_nil(&mut reg!(a + j));
                                    }
                                    continue;
                                }
                            }
                        }
                        match self.precall(func, nargs, nres)? {
                            Entered::Lua => continue 'frame,
                            Entered::Native(n) => {
                                if nres < 0 {
                                    self.mtop = func + n;
                                }
                                let frame_top = frame_top!();
                                if self.stack.len() < frame_top {
                                    self.stack.resize(frame_top, Value::Nil);
                                }
                                refresh!();
                                called_out = true;
                            }
                        }
                    }
                    OpCode::TAILCALL => {
                        let base = base_now!();
                        let func = base + a;
                        savepc!();
                        match self.op_tailcall(i, func, base)? {
                            None => continue 'frame,
                            Some(n) => do_return!(func, n),
                        }
                    }
                    OpCode::RETURN => {
                        let base = base_now!();
                        let ra = base + a;
                        let b = i.b() as usize;
                        let n = if b != 0 {
                            b - 1
                        } else {
                            self.mtop.saturating_sub(ra)
                        };
                        if i.k() {
                            savepc!();
                            // RETURN runs again after a __close frame returns;
                            // open results keep their top through it
                            let top_rel = (ra + n).saturating_sub(base);
                            if b == 0 && top_rel > 0xffff {
                                self.close_level(base)?;
                            } else {
                                let cont = if b == 0 {
                                    CONT_RERUN_TOP | top_rel as u32
                                } else {
                                    CONT_RERUN
                                };
                                if self.close_level_in_frames(
                                    base,
                                    (ra + n).max(frame_top!()),
                                    cont,
                                )? {
                                    continue 'frame;
                                }
                            }
                        }
                        do_return!(ra, n)
                    }
                    OpCode::RETURN0 => do_return!(base_now!() + a, 0),
                    OpCode::RETURN1 => do_return!(base_now!() + a, 1),
                    OpCode::FORLOOP => {
                        // the integer loop inline (FORPREP made R[A+1] the
                        // remaining count and R[A+2] the step, both integers)
                        let go = if let (Value::Int(count), Value::Int(step), Value::Int(idx)) =
                            (reg!(a + 1), reg!(a + 2), reg!(a))
                        {
                            if count as u64 > 0 {
                                let idx = idx.wrapping_add(step);
                                Value::set_int_payload(&mut reg!(a + 1), (count as u64 - 1) as i64);
                                Value::set_int_payload(&mut reg!(a), idx);
                                Value::store_int(&mut reg!(a + 3), idx);
                                true
                            } else {
                                false
                            }
                        } else {
                            self.for_loop(base!() + a)
                        };
                        if go {
                            pc -= i.bx() as usize;
                            if self.spend_small(i.bx()) {
                                protect!(self.backedge_slow()?);
                            }
                        }
                    }
                    OpCode::FORPREP => {
                        let base = base!();
                        if protect!(self.for_prep(base + a)?) {
                            pc += i.bx() as usize + 1;
                        }
                    }
                    OpCode::TFORPREP => {
                        let base = base!();
                        protect!(self.mark_tbc(base + a + 3, a + 3)?);
                        pc += i.bx() as usize;
                    }
                    OpCode::TFORCALL => {
                        // `next` (pairs) and ipairs' iterator over a table
                        // step here, without a call, when no hook watches
                        // calls; anything else is called below
                        if self.hooks.mask == 0 {
                            if let (Value::Native(nc), Value::Table(t)) = (reg!(a), reg!(a + 1)) {
                                if let Some(step) = builtin_iteration(nc, &t, &reg!(a + 2)) {
                                    let nvars = i.c() as usize;
                                    match step {
                                        Some((key, val)) => {
                                            Value::store(&mut reg!(a + 4), key);
                                            if nvars >= 2 {
                                                Value::store(&mut reg!(a + 5), val);
                                            }
                                        }
                                        None => Value::store_nil(&mut reg!(a + 4)),
                                    }
                                    for j in 2..nvars {
                                        Value::store_nil(&mut reg!(a + 4 + j));
                                    }
                                    continue;
                                }
                            }
                        }
                        let ra = base!() + a;
                        if self.stack.len() < ra + 7 {
                            // the call window may reach past the frame
                            self.stack.resize(ra + 7, Value::Nil);
                        }
                        self.stack.copy_within(ra..ra + 3, ra + 4);
                        savepc!();
                        match self.precall(ra + 4, 2, i.c() as i32)? {
                            Entered::Lua => continue 'frame,
                            Entered::Native(_) => {
                                let frame_top = frame_top!();
                                if self.stack.len() < frame_top {
                                    self.stack.resize(frame_top, Value::Nil);
                                }
                                refresh!();
                                called_out = true;
                            }
                        }
                    }
                    OpCode::TFORLOOP => {
                        let v = reg!(a + 4);
                        if !v.is_nil() {
                            reg!(a + 2) = v;
                            pc -= i.bx() as usize;
                            if self.spend_small(i.bx()) {
                                protect!(self.backedge_slow()?);
                            }
                        }
                    }
                    OpCode::SETLIST => {
                        let extra = if i.k() {
                            pc += 1;
                            extra_arg!(pc - 1)
                        } else {
                            0
                        };
                        let base = base!();
                        protect!(self.op_setlist(i, base + a, extra)?);
                    }
                    OpCode::CLOSURE => {
                        let base = base!();
                        reg!(a) = self.op_closure(cl, fp!(), i.bx() as usize, base);
                        protect!(self.gc_check()?);
                    }
                    OpCode::VARARG => {
                        let (fi, base) = (fi!(), base!());
                        protect!(self.op_vararg(i, fi, base)?);
                    }
                    OpCode::VARARGPREP => {
                        savepc!();
                        let fi = fi!();
                        let moved = self.op_varargprep(a, fi, fp!().max_stack as usize)?;
                        if self.hooks.mask != 0 {
                            let tail = self.frames[fi].is_tail;
                            self.hook_call(tail)?;
                            self.hook_vararg_entered();
                            called_out = true;
                        }
                        if moved {
                            continue 'frame;
                        }
                        refresh!();
                    }
                    OpCode::EXTRAARG => {
                        savepc!();
                        return Err(self.bad_code("EXTRAARG executed"));
                    }
                }
                if !TRACED && called_out && self.hooks.mask & TRACE_MASK != 0 {
                    savepc!();
                    return Ok(Exit::Switch);
                }
            }
        }
    }

    /// Moves the `n` results at `src..` of a returning frame to `func..`
    /// for a Lua caller that wants `wanted` (-1: all); returns how many
    /// are there now. The stack keeps (at least) its length.
    #[inline(always)]
    fn return_to_lua(&mut self, func: usize, src: usize, n: usize, wanted: i32) -> usize {
        match wanted {
            0 => 0,
            _ if n >= 1 && (wanted == 1 || (wanted < 0 && n == 1)) => {
                // the common `return x` into `y = f()`, or into `g(f())`
                // (all results wanted, one given)
                debug_assert!(func < src && src < self.stack.len());
                // SAFETY: `src` is a register of the returning frame (RETURN
                // and RETURN1 return from their register A), below its
                // window's end, which is within the stack; `func` is below
                // `src`.
                unsafe {
                    let p = self.stack.as_mut_ptr();
                    *p.add(func) = *p.add(src);
                }
                1
            }
            _ => self.move_results_keep(func, src, n, wanted),
        }
    }

    #[inline(never)]
    fn op_newtable(&mut self, i: Instruction, extra: u32) -> Value {
        let b = i.b();
        let mut asize = i.c() as usize;
        if i.k() {
            asize += extra as usize * (MAX_C as usize + 1);
        }
        let hsize = if b > 0 { 1usize << (b - 1).min(24) } else { 0 };
        Value::Table(self.new_table(asize.min(1 << 24), hsize))
    }

    /// `MMBIN*`: the metamethod of event `C` (or the arithmetic error)
    /// for operands `x`, `y`; the result goes to register `dst` (the
    /// arithmetic instruction's A).
    #[inline(never)]
    fn op_mmbin(&mut self, i: Instruction, x: Value, y: Value, dst: u32) -> LuaResult<()> {
        let Some(tm) = TagMethod::from_u32(i.c()) else {
            return Err(self.bad_code("MMBIN event"));
        };
        let base = self.frames.last().map_or(0, |f| f.base);
        if self.in_coroutine() {
            let name = tm.name().as_bytes();
            let mut h = self.meta_value(x, name);
            if h.is_nil() {
                h = self.meta_value(y, name);
            }
            if let Value::LuaFn(f) = h {
                return Err(self.push_meta_frame(f, &[x, y], CONT_SET_REG | dst)?);
            }
        }
        let v = self.arith(tm, x, y)?;
        self.stack[base + dst as usize] = v;
        Ok(())
    }

    /// `TAILCALL`: `None` when a Lua frame replaced the current one,
    /// `Some(n)` when a native ran and left `n` results at `func`.
    #[inline(never)]
    fn op_tailcall(
        &mut self,
        i: Instruction,
        func: usize,
        base: usize,
    ) -> LuaResult<Option<usize>> {
        let b = i.b() as usize;
        let mut nargs = if b != 0 {
            b - 1
        } else {
            self.mtop.saturating_sub(func + 1)
        };
        if i.k() {
            self.close_upvals(base);
        }
        let mut tries = 0;
        loop {
            match self.stack[func] {
                Value::LuaFn(ncl) => {
                    let Some(fr) = self.frames.pop() else {
                        return Err(self.bad_code("no frame"));
                    };
                    let dst = fr.func;
                    let end = func + 1 + nargs;
                    if end > self.stack.len() || dst > func {
                        return Err(self.bad_code("tail call outside the stack"));
                    }
                    // the function and arguments move down to `dst..`
                    super::value_moves::move_values(&mut self.stack, func, dst, nargs + 1);
                    self.enter_lua_as(ncl, dst, nargs, fr.nresults, true, fr.cont)?;
                    return Ok(None);
                }
                Value::Native(nc) => {
                    if super::call::protect_kind(nc).is_some() {
                        // a protected call cannot replace the frame: call
                        // it; the RETURN after this TAILCALL returns its
                        // results
                        return match self.precall(func, nargs, -1)? {
                            Entered::Lua => Ok(None),
                            Entered::Native(n) => Ok(Some(n)),
                        };
                    }
                    return Ok(Some(self.call_native(nc, func, nargs, -1)?));
                }
                _ => {
                    tries += 1;
                    if tries > 100 {
                        return Err(self.rt_error("'__call' chain too long; possible loop"));
                    }
                    nargs = self.insert_call_handler(func, nargs)?;
                }
            }
        }
    }

    #[inline(never)]
    fn op_setlist(&mut self, i: Instruction, ra: usize, extra: u32) -> LuaResult<()> {
        let b = i.b() as usize;
        let n = if b != 0 {
            b
        } else {
            self.mtop.saturating_sub(ra + 1)
        };
        let last = i.c() as usize + extra as usize * (MAX_C as usize + 1);
        if let Value::Table(t) = self.stack[ra] {
            let items = self.stack.get(ra + 1..ra + 1 + n).unwrap_or(&[]);
            let grown = t
                .set_list(last as i64 + 1, items)
                .map_err(|_| self.memory_error())?;
            if grown != 0 {
                self.table_grew(grown)?;
            }
        }
        Ok(())
    }

    #[inline(never)]
    fn op_closure(&mut self, cl: &LuaClosure, fp: &FnProto, idx: usize, base: usize) -> Value {
        Value::LuaFn(self.new_closure(cl, fp.children[idx].clone(), base))
    }

    #[inline(never)]
    fn op_vararg(&mut self, i: Instruction, fi: usize, base: usize) -> LuaResult<()> {
        /// `VARARG` in general: a fixed count, a stack to grow, many
        /// values or malformed code.
        #[cold]
        #[inline(never)]
        fn general(vm: &mut Vm, i: Instruction, nextra: usize, base: usize) -> LuaResult<()> {
            use super::value_moves::{move_short, SHORT_MOVE};
            let ra = base + i.a() as usize;
            let Some(src) = base.checked_sub(nextra) else {
                return Err(vm.bad_code("VARARG before VARARGPREP"));
            };
            let wanted = i.c() as usize;
            // `n` registers from `ra` get the first `copied` extra
            // arguments, then nil
            let (n, copied) = if wanted == 0 {
                let end = ra + nextra;
                if end > vm.stack_limit {
                    return Err(vm.stack_overflow());
                }
                let len = vm.stack.len();
                if len < end && ra <= len && nextra <= SHORT_MOVE {
                    // the stack grows by the values moved into the new
                    // slots (after a native call shortened it): no nil fill
                    vm.stack.reserve(end - len);
                    // SAFETY: `nextra <= SHORT_MOVE`; the source `src ..
                    // base` is inside the stack and below the target `ra ..
                    // end`, which is inside the allocation (reserved) and
                    // covers every slot from the old length to `end`, so
                    // those are initialised when the length becomes `end`.
                    unsafe {
                        move_short(vm.stack.as_mut_ptr(), src, ra, nextra);
                        vm.stack.set_len(end);
                    }
                    vm.mtop = end;
                    return Ok(());
                }
                if len < end {
                    vm.stack.resize(end, Value::Nil);
                }
                vm.mtop = end;
                (nextra, nextra)
            } else {
                (wanted - 1, nextra.min(wanted - 1))
            };
            // the extra arguments end at `base <= ra`: below the registers
            let Some(s) = vm.stack.get_mut(src..ra + n) else {
                return Err(vm.bad_code("VARARG outside the stack"));
            };
            super::value_moves::move_values(s, 0, ra - src, copied);
            s[ra - src + copied..].fill(Value::Nil);
            Ok(())
        }
        use super::value_moves::{move_short, SHORT_MOVE};
        let nextra = self.frames[fi].nvarargs as usize;
        let ra = base + i.a() as usize;
        let end = ra + nextra;
        // the common case: all the extra arguments (`f(...)`), a few, into
        // registers inside the stack
        if i.c() == 0
            && nextra <= SHORT_MOVE
            && nextra <= base
            && end <= self.stack.len()
            && end <= self.stack_limit
        {
            self.mtop = end;
            // SAFETY: `nextra <= SHORT_MOVE`; the source `base - nextra ..
            // base` and the target `ra .. end` end at most at `end`, inside
            // the stack.
            unsafe { move_short(self.stack.as_mut_ptr(), base - nextra, ra, nextra) };
            return Ok(());
        }
        general(self, i, nextra, base)
    }

    /// `VARARGPREP`: moves the fixed parameters above the extra arguments;
    /// returns true when the frame's base moved (reload the frame).
    #[inline(never)]
    fn op_varargprep(&mut self, nparams: usize, fi: usize, max_stack: usize) -> LuaResult<bool> {
        /// The move when the stack must grow first or the parameters are many.
        #[cold]
        #[inline(never)]
        fn general(vm: &mut Vm, nparams: usize, fi: usize, need: usize) -> LuaResult<bool> {
            if need > vm.stack_limit {
                return Err(vm.stack_overflow());
            }
            if vm.stack.len() < need {
                vm.stack.resize(need, Value::Nil);
            }
            let fr = &mut vm.frames[fi];
            let new_base = fr.base + fr.nvarargs as usize + nparams;
            super::value_moves::move_values(&mut vm.stack, fr.base, new_base, nparams);
            fr.base = new_base;
            Ok(true)
        }
        let fr = &mut self.frames[fi];
        let nargs = fr.nvarargs as usize;
        let nextra = nargs.saturating_sub(nparams);
        fr.nvarargs = nextra as u32;
        if nextra == 0 {
            return Ok(false);
        }
        let base = fr.base;
        let new_base = base + nargs;
        let need = new_base + max_stack;
        if nparams <= super::value_moves::SHORT_MOVE
            && need <= self.stack.len()
            && need <= self.stack_limit
        {
            // SAFETY: `nparams <= SHORT_MOVE`; the target starts after the
            // source (`nargs > nparams`) and ends at most at `need`, inside
            // the stack.
            unsafe {
                super::value_moves::move_short(self.stack.as_mut_ptr(), base, new_base, nparams)
            };
            fr.base = new_base;
            return Ok(true);
        }
        general(self, nparams, fi, need)
    }

    /// `t[key]` with a raw fast path for tables.
    #[inline(never)]
    fn get_fast_or_index(&mut self, t: Value, key: Value, dst: u32) -> LuaResult<Value> {
        if let Value::Table(tb) = t {
            let v = tb.raw_get(key);
            if !v.is_nil() {
                return Ok(v);
            }
            let Some(mt) = tb.metatable() else {
                return Ok(v);
            };
            // `__index` is a table (a class): one level here, without
            // looking the key up in `t` again
            match mt.tag_method_str(TagMethod::Index, self.tm_name(TagMethod::Index)) {
                Value::Nil => return Ok(Value::Nil),
                Value::Table(cls) => {
                    let v = cls.raw_get(key);
                    if !v.is_nil() || cls.metatable().is_none() {
                        return Ok(v);
                    }
                    return self.index_slow(Value::Table(cls), key, dst);
                }
                _ => {}
            }
        }
        self.index_slow(t, key, dst)
    }

    #[inline(never)]
    fn index_slow(&mut self, t: Value, key: Value, dst: u32) -> LuaResult<Value> {
        if let Value::Table(tb) = t {
            if self.in_coroutine() && tb.raw_get(key).is_nil() {
                let h = self.meta_value(t, b"__index");
                if let Value::LuaFn(f) = h {
                    return Err(self.push_meta_frame(f, &[t, key], CONT_SET_REG | dst)?);
                }
            }
        }
        self.index(t, key)
    }

    #[inline(never)]
    fn set_index_slow(&mut self, t: Value, key: Value, v: Value) -> LuaResult<()> {
        if let Value::Table(tb) = t {
            if self.in_coroutine() && tb.raw_get(key).is_nil() {
                let h = self.meta_value(t, b"__newindex");
                if let Value::LuaFn(f) = h {
                    return Err(self.push_meta_frame(f, &[t, key, v], CONT_DISCARD)?);
                }
            }
        }
        self.set_index(t, key, v)
    }

    #[inline(never)]
    fn compare_slow(&mut self, op: OpCode, x: Value, y: Value, k: bool) -> LuaResult<bool> {
        if self.in_coroutine() {
            let event: &[u8] = match op {
                OpCode::EQ => b"__eq",
                OpCode::LT => b"__lt",
                _ => b"__le",
            };
            let both_objects = matches!(
                (x, y),
                (Value::Table(_), Value::Table(_)) | (Value::UserData(_), Value::UserData(_))
            );
            if op != OpCode::EQ || both_objects {
                let mut h = self.meta_value(x, event);
                if h.is_nil() {
                    h = self.meta_value(y, event);
                }
                if let Value::LuaFn(f) = h {
                    let cont = CONT_COND | k as u32;
                    return Err(self.push_meta_frame(f, &[x, y], cont)?);
                }
            }
        }
        match op {
            OpCode::EQ => self.equals(x, y),
            OpCode::LT => self.less_than(x, y),
            _ => self.less_equal(x, y),
        }
    }

    #[inline(never)]
    fn arith_slow(&mut self, tm: TagMethod, x: Value, y: Value, dst: u32) -> LuaResult<Value> {
        if self.in_coroutine() {
            if let Value::LuaFn(f) = self.meta_value(x, tm.name().as_bytes()) {
                return Err(self.push_meta_frame(f, &[x, y], CONT_SET_REG | dst)?);
            }
        }
        self.arith(tm, x, y)
    }

    #[inline(never)]
    fn len_slow(&mut self, v: Value, dst: u32) -> LuaResult<Value> {
        if self.in_coroutine() {
            if let Value::LuaFn(f) = self.meta_value(v, b"__len") {
                return Err(self.push_meta_frame(f, &[v, v], CONT_SET_REG | dst)?);
            }
        }
        self.len(v)
    }

    /// `t[key] = v` with a raw fast path for tables.
    #[inline(never)]
    fn set_fast_or_index(&mut self, t: Value, key: Value, v: Value) -> LuaResult<()> {
        if let Value::Table(tb) = t {
            if tb.metatable().is_none() || !tb.raw_get(key).is_nil() {
                return match tb.try_set(key, v) {
                    Ok(0) => Ok(()),
                    Ok(grown) => self.table_grew(grown),
                    Err(e) => Err(self.raw_set_error(e)),
                };
            }
        }
        self.set_index_slow(t, key, v)
    }

    #[inline(never)]
    fn raw_set_error(&mut self, e: super::table::TableError) -> LuaError {
        match e {
            super::table::TableError::NilKey => self.rt_error("table index is nil"),
            super::table::TableError::NanKey => self.rt_error("table index is NaN"),
            super::table::TableError::NoMemory => self.memory_error(),
        }
    }
}
