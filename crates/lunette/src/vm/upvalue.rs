//! Upvalues (open while their variable is a live register, closed after)
//! and to-be-closed variables.

use super::call::Entered;
use super::error::LuaResult;
use super::function::{FnProto, LuaClosure, UpState, UpVal};
use super::state::Vm;
use super::value::Value;
use crate::bytecode::TagMethod;
use crate::gc::Gc;
use std::mem::MaybeUninit;
use std::rc::Rc;

impl Vm {
    /// The value of an upvalue.
    #[inline(always)]
    pub fn upval_get(&self, uv: Gc<UpVal>) -> Value {
        if uv.is_closed() {
            return uv.closed_value();
        }
        match uv.open_slot_in(self.current_thread) {
            Some(index) => self.stack.get(index).copied().unwrap_or_default(),
            None => self.open_elsewhere_get(uv),
        }
    }

    /// `upval_get` of an upvalue open in another thread's stack.
    #[cold]
    fn open_elsewhere_get(&self, uv: Gc<UpVal>) -> Value {
        match uv.state() {
            UpState::Open { thread, index } => self.other_thread_slot(thread, index),
            UpState::Closed(v) => v,
        }
    }

    #[cold]
    fn other_thread_slot(&self, thread: Gc<super::thread::Thread>, index: usize) -> Value {
        match thread.saved.try_borrow() {
            Ok(s) => s.stack.get(index).copied().unwrap_or_default(),
            Err(_) => Value::Nil,
        }
    }

    /// Assigns an upvalue.
    #[inline(always)]
    pub fn upval_set(&mut self, uv: Gc<UpVal>, v: Value) {
        if uv.is_closed() {
            uv.set_closed_value(v);
            self.heap.barrier(uv, v);
            return;
        }
        if let Some(index) = uv.open_slot_in(self.current_thread) {
            if let Some(slot) = self.stack.get_mut(index) {
                *slot = v;
            }
            return;
        }
        if let UpState::Open { thread, index } = uv.state() {
            if let Ok(mut s) = thread.saved.try_borrow_mut() {
                if let Some(slot) = s.stack.get_mut(index) {
                    *slot = v;
                }
            }
        }
    }

    /// The open upvalue for stack slot `index` of the running thread
    /// (created when none exists yet: one upvalue per slot).
    pub fn find_upval(&mut self, index: usize) -> Gc<UpVal> {
        let slot_of = |uv: &Gc<UpVal>| match uv.state() {
            UpState::Open { index, .. } => index,
            UpState::Closed(_) => usize::MAX,
        };
        // most captures are of the newest variables: search from the end
        let mut pos = self.open_upvals.len();
        while pos > 0 {
            let s = slot_of(&self.open_upvals[pos - 1]);
            if s == index {
                return self.open_upvals[pos - 1];
            }
            if s < index {
                break;
            }
            pos -= 1;
        }
        let uv = self.heap.alloc(UpVal::open(self.current_thread, index));
        self.open_upvals.insert(pos, uv);
        uv
    }

    /// `CLOSURE`: a closure of `proto` (a child of `parent`'s prototype)
    /// capturing the registers of the frame at `base` and `parent`'s
    /// upvalues, as `proto`'s upvalue descriptors say.
    pub(crate) fn new_closure(
        &mut self,
        parent: &LuaClosure,
        proto: Rc<FnProto>,
        base: usize,
    ) -> Gc<LuaClosure> {
        /// Upvalues gathered on the native stack: all the compiler makes.
        const ON_STACK: usize = 255;
        let descs = &proto.proto.upvalues;
        if descs.len() > ON_STACK {
            // a binary chunk may declare more
            let upvals: Vec<Gc<UpVal>> = descs
                .iter()
                .map(|d| self.capture(parent, d.in_stack, d.index, base))
                .collect();
            return LuaClosure::alloc(&mut self.heap, proto, &upvals);
        }
        let mut buf = [MaybeUninit::<Gc<UpVal>>::uninit(); ON_STACK];
        for (slot, d) in buf.iter_mut().zip(descs.iter()) {
            slot.write(self.capture(parent, d.in_stack, d.index, base));
        }
        // SAFETY: the loop initialised the first `descs.len()` elements
        // (`descs.len() <= ON_STACK`), and `MaybeUninit<T>` has `T`'s layout.
        let upvals =
            unsafe { std::slice::from_raw_parts(buf.as_ptr() as *const Gc<UpVal>, descs.len()) };
        LuaClosure::alloc(&mut self.heap, proto, upvals)
    }

    /// One upvalue of a new closure: register `index` of the frame at
    /// `base` (`in_stack`) or the enclosing closure's upvalue `index`.
    #[inline(always)]
    fn capture(
        &mut self,
        parent: &LuaClosure,
        in_stack: bool,
        index: u8,
        base: usize,
    ) -> Gc<UpVal> {
        if in_stack {
            self.find_upval(base + index as usize)
        } else {
            parent.upvals()[index as usize].get()
        }
    }

    /// Closes every open upvalue of the running thread at or above `level`.
    pub fn close_upvals(&mut self, level: usize) {
        while let Some(&uv) = self.open_upvals.last() {
            match uv.state() {
                UpState::Open { index, .. } if index >= level => {
                    let v = self.stack.get(index).copied().unwrap_or_default();
                    uv.close(v);
                    // the value leaves the stack (not traced until the
                    // atomic phase) for an object that may be black
                    self.heap.barrier(uv, v);
                    self.open_upvals.pop();
                }
                UpState::Open { .. } => break,
                UpState::Closed(_) => {
                    self.open_upvals.pop();
                }
            }
        }
    }

    /// `CLOSE` semantics for a normal exit: closes upvalues and calls
    /// `__close(v, nil)` of the to-be-closed variables at or above `level`,
    /// newest first.
    #[inline(never)]
    pub(crate) fn close_level(&mut self, level: usize) -> LuaResult<()> {
        self.close_upvals(level);
        while let Some(&slot) = self.tbc.last() {
            if slot < level {
                break;
            }
            self.tbc.pop();
            self.call_close_method(slot, None)?;
        }
        Ok(())
    }

    /// `close_level` for an instruction that can run again (`CLOSE`,
    /// `RETURN` with k): a Lua `__close` method is pushed as a frame
    /// (so it can yield) and `true` is returned; the caller must re-run the
    /// instruction once that frame returns, to close the remaining
    /// variables. Values below `keep` (results being returned) are kept.
    pub(crate) fn close_level_in_frames(
        &mut self,
        level: usize,
        keep: usize,
        cont: u32,
    ) -> LuaResult<bool> {
        self.close_upvals(level);
        // one variable per call: the instruction runs again for the next
        if let Some(&slot) = self.tbc.last().filter(|&&slot| slot >= level) {
            let v = self.stack.get(slot).copied().unwrap_or_default();
            self.tbc.pop();
            match self.close_method(v) {
                Value::LuaFn(f) => {
                    let func = self.stack.len().max(keep);
                    self.stack.resize(func, Value::Nil);
                    self.stack.push(Value::LuaFn(f));
                    self.stack.push(v);
                    self.stack.push(Value::Nil);
                    self.push_lua_frame(f, func, 2, 0)?;
                    if let Some(top) = self.frames.last_mut() {
                        top.cont = cont;
                    }
                    return Ok(true);
                }
                m => {
                    // a native method (which may yield, e.g.
                    // `coroutine.yield`): called like a CALL instruction,
                    // with the caller set to run its instruction again
                    let depth = self.frames.len();
                    let func = self.stack.len().max(keep);
                    self.stack.resize(func, Value::Nil);
                    self.stack.push(m);
                    self.stack.push(v);
                    self.stack.push(Value::Nil);
                    match self.precall(func, 2, 0) {
                        Ok(Entered::Native(_)) => {
                            self.stack.truncate(func);
                            self.rerun_instruction(depth);
                        }
                        Ok(Entered::Lua) => {
                            // a callable object: its `__call` runs as a frame
                            if let Some(top) = self.frames.last_mut() {
                                top.cont = cont;
                            }
                        }
                        Err(e) => {
                            if self.yield_request.is_some() {
                                // resumed later at the instruction again
                                self.rerun_instruction(depth);
                            }
                            return Err(e);
                        }
                    }
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Makes the Lua frame at depth `depth` (1-based count) run its last
    /// instruction again when it continues.
    fn rerun_instruction(&mut self, depth: usize) {
        if let Some(fr) = depth.checked_sub(1).and_then(|i| self.frames.get_mut(i)) {
            fr.pc = fr.pc.saturating_sub(1);
        }
    }

    /// Marks stack slot `slot` (register `reg` of the running Lua frame) as
    /// to-be-closed after checking its value.
    #[inline(never)]
    pub(crate) fn mark_tbc(&mut self, slot: usize, reg: usize) -> LuaResult<()> {
        let v = self.stack.get(slot).copied().unwrap_or_default();
        if !v.truthy() {
            return Ok(());
        }
        if self.close_method(v).is_nil() {
            let name = match self.current_lua_frame() {
                Some((cl, pc, _)) => cl
                    .proto
                    .proto
                    .local_name(reg + 1, pc)
                    .map(|n| String::from_utf8_lossy(n).into_owned()),
                None => None,
            };
            let name = name.unwrap_or_else(|| "?".to_string());
            return Err(self.rt_error(&format!("variable '{name}' got a non-closable value")));
        }
        self.tbc.push(slot);
        Ok(())
    }

    /// The `__close` metamethod of `v` (nil when absent).
    pub(crate) fn close_method_of(&mut self, v: Value) -> Value {
        self.close_method(v)
    }

    fn close_method(&mut self, v: Value) -> Value {
        match self.get_metatable(v) {
            Some(mt) => {
                let key = self.new_str(TagMethod::Close.name().as_bytes());
                mt.raw_get(key)
            }
            None => Value::Nil,
        }
    }

    /// Calls `__close(value, err)` for the variable at `slot` (`err` is nil
    /// on a normal exit).
    pub(crate) fn call_close_method(&mut self, slot: usize, err: Option<Value>) -> LuaResult<()> {
        let v = self.stack.get(slot).copied().unwrap_or_default();
        let m = self.close_method(v);
        let func = self.stack.len();
        self.stack.push(m);
        self.stack.push(v);
        self.stack.push(err.unwrap_or(Value::Nil));
        self.call_at(func, 2, 0)?;
        self.stack.truncate(func);
        Ok(())
    }
}
