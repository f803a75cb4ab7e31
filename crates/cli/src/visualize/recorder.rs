//! The `--visualize` recorder: an observer that stores each executed
//! instruction as a compact step.
//!
//! Values, call stacks and table contents are interned in pools (a step
//! names them by number), and a step stores only the slots of the window
//! (the frame's registers followed by the closure's upvalues) that differ
//! from the previous step's window, so a page can rebuild any step by
//! replaying deltas from a checkpoint. A step is the JSON array
//! `[proto, pc, stack, [slot, value, ...], changed, [table, content, ...]?]`
//! where `changed` is 0 when the step runs in the same frame as the one
//! before (the changed registers are then the delta's) and otherwise the
//! list of registers that differ from when that frame last ran (a call's
//! results).

use super::json::{str as json_str, Pool};
use crate::frames::{same_value, value_text, window, written_regs, FrameNames};
use lunette::bytecode::Proto;
use lunette::vm::call::Callee;
use lunette::vm::observe::Observer;
use lunette::{RawValue as Value, Vm};
use std::collections::HashMap;
use std::fmt::Write;
use std::rc::Rc;

/// Innermost frames of a thread shown per step.
const MAX_FRAMES: usize = 40;
/// Tables whose contents are tracked per step.
const MAX_TABLES: usize = 12;
/// Entries shown per table.
const MAX_ENTRIES: usize = 12;
/// Nesting of table contents shown.
const MAX_DEPTH: usize = 2;

/// (thread, depth, base) of a frame.
type FrameKey = (usize, usize, usize);

/// A frame's base, registers, and the instruction it was left by.
type Snapshot = (usize, Vec<Value>, Rc<Proto>, usize);

/// Everything recorded so far.
pub struct Data {
    /// Most steps recorded.
    pub limit: usize,
    /// Steps recorded (each a JSON array, comma-separated).
    pub steps: String,
    /// Number of steps recorded.
    pub nsteps: usize,
    /// Instructions executed in all (also past the limit).
    pub total: u64,
    /// Where the recording was cut (JSON object), if it was.
    pub cut: Option<String>,
    /// Prototypes seen, in id order.
    pub protos: Vec<Rc<Proto>>,
    proto_ids: HashMap<usize, usize>,
    /// Value texts (kind letter + text).
    pub values: Pool,
    /// Call stacks (JSON).
    pub stacks: Pool,
    /// Table contents (JSON).
    pub contents: Pool,
    window: Vec<usize>,
    raw: Vec<Value>,
    table_content: HashMap<usize, usize>,
    /// Registers of frames left by a call or thread switch, with their
    /// base and the instruction they left by.
    snapshots: HashMap<(usize, usize), Snapshot>,
    /// The previous step's proto and pc.
    prev_at: Option<(Rc<Proto>, usize)>,
    prev: Option<FrameKey>,
    names: FrameNames,
}

impl Data {
    /// An empty recording of at most `limit` steps.
    pub fn new(limit: usize) -> Data {
        let mut values = Pool::default();
        values.intern("xnil".into());
        Data {
            limit,
            steps: String::new(),
            nsteps: 0,
            total: 0,
            cut: None,
            protos: Vec::new(),
            proto_ids: HashMap::new(),
            values,
            stacks: Pool::default(),
            contents: Pool::default(),
            window: Vec::new(),
            raw: Vec::new(),
            table_content: HashMap::new(),
            snapshots: HashMap::new(),
            prev: None,
            prev_at: None,
            names: FrameNames::default(),
        }
    }

    fn proto_id(&mut self, p: &Rc<Proto>) -> usize {
        let key = Rc::as_ptr(p) as usize;
        if let Some(&id) = self.proto_ids.get(&key) {
            return id;
        }
        let id = self.protos.len();
        self.protos.push(p.clone());
        self.proto_ids.insert(key, id);
        id
    }

    /// The pool id of a value (closures name their prototype).
    fn value_id(&mut self, v: Value) -> usize {
        let kind = match v {
            Value::Nil => 'x',
            Value::Bool(_) => 'b',
            Value::Int(_) => 'i',
            Value::Float(_) => 'f',
            Value::Str(_) => 's',
            Value::Table(_) => 't',
            Value::LuaFn(_) => 'F',
            Value::Native(_) => 'B',
            Value::Thread(_) => 'T',
            _ => 'u',
        };
        let mut text = format!("{kind}{}", value_text(v));
        if let Value::LuaFn(cl) = v {
            let pid = self.proto_id(&cl.proto.proto);
            let _ = write!(text, "|{pid}");
        }
        self.values.intern(text)
    }

    /// Bounded contents of table `v`: `[[key, value, nested?], ..., "..."?]`.
    fn table_json(&mut self, v: Value, depth: usize, out: &mut String) {
        let Value::Table(t) = v else {
            return;
        };
        out.push('[');
        let mut key = Value::Nil;
        let mut n = 0;
        while let Ok(Some((k, val))) = t.next(key) {
            if n > 0 {
                out.push(',');
            }
            if n == MAX_ENTRIES {
                out.push_str("\"...\"");
                break;
            }
            let kid = self.value_id(k);
            let vid = self.value_id(val);
            let _ = write!(out, "[{kid},{vid}");
            if matches!(val, Value::Table(_)) && depth + 1 < MAX_DEPTH {
                out.push(',');
                self.table_json(val, depth + 1, out);
            }
            out.push(']');
            key = k;
            n += 1;
        }
        out.push(']');
    }

    /// The call stack: `[[thread, [[proto, line, name], ...], hidden], ...]`,
    /// main thread first, the running thread last (its top line is -1:
    /// the step's pc gives it).
    fn stack_id(&mut self, vm: &Vm) -> (usize, usize) {
        let mut s = String::from("[");
        let cur = vm.current_thread;
        if cur.addr() != vm.main_thread.addr() {
            if let Ok(saved) = vm.main_thread.saved.try_borrow() {
                let frames: Vec<_> = saved.frames.iter().map(|f| (f.callee, f.pc)).collect();
                drop(saved);
                let th = vm.main_thread.addr();
                self.thread_json(&mut s, "main", &frames, th, vm, false);
                s.push(',');
            }
        }
        let label = if cur.addr() == vm.main_thread.addr() {
            "main".to_string()
        } else {
            format!("coroutine {:#x}", cur.addr())
        };
        let frames: Vec<_> = vm.frames.iter().map(|f| (f.callee, f.pc)).collect();
        self.thread_json(&mut s, &label, &frames, cur.addr(), vm, true);
        s.push(']');
        (self.stacks.intern(s), vm.frames.len())
    }

    fn thread_json(
        &mut self,
        s: &mut String,
        label: &str,
        frames: &[(Callee, usize)],
        thread: usize,
        vm: &Vm,
        running: bool,
    ) {
        let _ = write!(s, "[{},[", json_str(label));
        let hidden = frames.len().saturating_sub(MAX_FRAMES);
        for (idx, &(callee, pc)) in frames.iter().enumerate().skip(hidden) {
            if idx > hidden {
                s.push(',');
            }
            let top = running && idx + 1 == frames.len();
            let name = if running {
                self.names.name_at(vm, idx)
            } else {
                self.names.known(thread, idx).unwrap_or_else(|| "?".into())
            };
            match callee {
                Callee::Lua(cl) => {
                    let p = &cl.proto.proto;
                    let line = if top {
                        -1
                    } else {
                        p.line_at(pc.saturating_sub(1)).map_or(0, i64::from)
                    };
                    let pid = self.proto_id(p);
                    let _ = write!(s, "[{pid},{line},{}]", json_str(&name));
                }
                Callee::Native(_) => {
                    let _ = write!(s, "[-1,0,{}]", json_str(&name));
                }
            }
        }
        let _ = write!(s, "],{hidden}]");
    }

    /// Records one step: the instruction at `pc` of the running Lua frame.
    fn step(&mut self, vm: &Vm, pc: usize) {
        let Some((cl, _, base)) = vm.current_lua_frame() else {
            return;
        };
        let p = &cl.proto.proto;
        let pid = self.proto_id(p);
        let key = (vm.current_thread.addr(), vm.frames.len(), base);
        let mut slots = window(vm);
        let nregs = p.max_stack as usize;
        slots.resize(nregs, Value::Nil);
        for u in cl.upvals().iter() {
            slots.push(vm.upval_get(u.get()));
        }
        // the registers the previous instruction of this frame wrote: the
        // one just before (same frame), or the call it left the frame by
        let same_frame = self.prev == Some(key);
        let changed: Vec<usize> = if same_frame {
            match &self.prev_at {
                Some((pp, ppc)) => written_regs(pp, *ppc, &self.raw, &slots[..nregs]),
                None => Vec::new(),
            }
        } else {
            if let (Some((t, d, b)), Some((pp, ppc))) = (self.prev, self.prev_at.take()) {
                let snap = (b, self.raw.clone(), pp, ppc);
                self.snapshots.insert((t, d), snap);
            }
            match self.snapshots.remove(&(key.0, key.1)) {
                Some((b, old, pp, ppc)) if b == base => {
                    written_regs(&pp, ppc, &old, &slots[..nregs])
                }
                _ => Vec::new(),
            }
        };
        self.window.resize(slots.len(), 0);
        self.raw.resize(slots.len(), Value::Nil);
        let mut delta = String::new();
        let mut delta_regs = Vec::new();
        let mut tables = Vec::new();
        for (i, v) in slots.iter().enumerate() {
            let id = if same_value(&self.raw[i], v) {
                self.window[i]
            } else {
                self.value_id(*v)
            };
            if id != self.window[i] {
                if !delta.is_empty() {
                    delta.push(',');
                }
                let _ = write!(delta, "{i},{id}");
                self.window[i] = id;
                if i < nregs {
                    delta_regs.push(i);
                }
            }
            if matches!(v, Value::Table(_))
                && tables.len() < MAX_TABLES
                && !tables
                    .iter()
                    .any(|(_, t): &(usize, Value)| t.addr() == v.addr())
            {
                tables.push((id, *v));
            }
        }
        self.raw = slots;
        let mut upd = String::new();
        for (vid, t) in tables {
            let mut c = String::new();
            self.table_json(t, 0, &mut c);
            let cid = self.contents.intern(c);
            if self.table_content.insert(t.addr(), cid) != Some(cid) {
                if !upd.is_empty() {
                    upd.push(',');
                }
                let _ = write!(upd, "{vid},{cid}");
            }
        }
        let changed = if same_frame && changed == delta_regs {
            "0".to_string()
        } else {
            let c: Vec<String> = changed.iter().map(|i| i.to_string()).collect();
            format!("[{}]", c.join(","))
        };
        let (sid, _) = self.stack_id(vm);
        if self.nsteps > 0 {
            self.steps.push(',');
        }
        let _ = write!(self.steps, "[{pid},{pc},{sid},[{delta}],{changed}");
        if !upd.is_empty() {
            let _ = write!(self.steps, ",[{upd}]");
        }
        self.steps.push(']');
        self.nsteps += 1;
        self.prev = Some(key);
        self.prev_at = Some((p.clone(), pc));
    }
}

/// The recording observer.
pub struct Recorder(pub Rc<std::cell::RefCell<Data>>);

impl Observer for Recorder {
    fn instruction(&mut self, vm: &Vm, pc: usize) {
        let mut d = self.0.borrow_mut();
        d.total += 1;
        if d.nsteps < d.limit {
            d.step(vm, pc);
        } else if d.cut.is_none() {
            let Some((cl, _, _)) = vm.current_lua_frame() else {
                return;
            };
            let p = &cl.proto.proto;
            let name = d.names.name(vm);
            let line = p.line_at(pc).map_or(0, i64::from);
            let chunk = lunette::bytecode::chunkid::chunk_id(&p.source);
            d.cut = Some(format!(
                "{{\"pc\":{},\"line\":{line},\"fn\":{},\"chunk\":{}}}",
                pc + 1,
                json_str(&name),
                json_str(&chunk)
            ));
        }
    }

    fn call(&mut self, vm: &Vm) {
        let mut d = self.0.borrow_mut();
        d.names.entered(vm);
        // a new frame: what an earlier frame at this depth left is stale
        let key = (vm.current_thread.addr(), vm.frames.len());
        d.snapshots.remove(&key);
    }
}
