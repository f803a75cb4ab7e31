//! `lunette --trace[=FILTER]`: every executed instruction on stderr.
//!
//! One line per instruction, written before the next one runs:
//! `FUNCTION<TAB>PC<TAB>[LINE]<TAB>OPCODE<TAB>OPERANDS[<TAB>; COMMENT][<TAB>=> WRITES]`
//! where the part after `FUNCTION` is the instruction as `lunettec -l`
//! prints it and `WRITES` lists the registers of the instruction's frame
//! whose value it changed (`R3=10 R4="x"`). A call's results reach the
//! caller only when the callee returns: they are reported then, on a line
//! `FUNCTION<TAB>PC<TAB>[LINE]<TAB>(return)<TAB>=> WRITES` naming the call.
//!
//! Filters: `--trace=NAME` keeps the instructions of functions called
//! `NAME` (as the calling code names them; `main` is the main chunk),
//! `--trace=A-B` (or `--trace=A`) those on source lines A to B.

use crate::frames::{value_text, window, written_regs, FrameNames};
use lunette::bytecode::disasm::instruction_line;
use lunette::bytecode::Proto;
use lunette::vm::observe::Observer;
use lunette::{RawValue as Value, Vm};
use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;

/// Which instructions `--trace` prints.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceFilter {
    /// Every instruction.
    All,
    /// Instructions of functions with this name.
    Function(String),
    /// Instructions on source lines in this inclusive range.
    Lines(u32, u32),
}

impl TraceFilter {
    /// Parses the text after `--trace=`.
    pub fn parse(s: &str) -> TraceFilter {
        let num = |t: &str| t.trim().parse::<u32>().ok();
        if let Some(n) = num(s) {
            return TraceFilter::Lines(n, n);
        }
        if let Some((a, b)) = s.split_once('-') {
            if let (Some(a), Some(b)) = (num(a), num(b)) {
                return TraceFilter::Lines(a.min(b), a.max(b));
            }
        }
        if s.is_empty() {
            TraceFilter::All
        } else {
            TraceFilter::Function(s.to_string())
        }
    }
}

/// The instruction printed last, waiting for its effects.
struct Pending {
    /// (thread, depth, base) of its frame.
    frame: (usize, usize, usize),
    /// The text before the writes.
    text: String,
    /// The frame's registers before it ran.
    before: Vec<Value>,
    /// Its prototype and pc.
    proto: Rc<Proto>,
    pc: usize,
}

/// The tracer (an [`Observer`]).
pub struct Tracer {
    filter: TraceFilter,
    names: FrameNames,
    pending: Option<Pending>,
    /// Frames suspended in a call (or a thread switch): their call line
    /// and registers, by (thread, depth).
    suspended: HashMap<(usize, usize), Pending>,
    out: Box<dyn Write>,
}

impl Tracer {
    /// A tracer printing to stderr.
    pub fn new(filter: TraceFilter) -> Tracer {
        Tracer::with_output(filter, Box::new(std::io::stderr()))
    }

    /// A tracer printing to `out`.
    pub fn with_output(filter: TraceFilter, out: Box<dyn Write>) -> Tracer {
        Tracer {
            filter,
            names: FrameNames::default(),
            pending: None,
            suspended: HashMap::new(),
            out,
        }
    }

    fn emit(&mut self, line: &str) {
        // one write per line: nothing is lost if the program exits abruptly
        let _ = self.out.write_all(line.as_bytes());
    }

    /// Prints the pending instruction, with its writes when its frame is
    /// `now` (the frame of the instruction about to run), else keeps it as
    /// a suspended call.
    fn settle(&mut self, vm: &Vm, now: Option<(usize, usize, usize)>) {
        let Some(p) = self.pending.take() else {
            return;
        };
        if Some(p.frame) == now {
            let w = writes(&p, &window(vm));
            let line = format!("{}{w}\n", p.text);
            self.emit(&line);
        } else {
            let line = format!("{}\n", p.text);
            self.emit(&line);
            let (t, d, _) = p.frame;
            self.suspended.insert((t, d), p);
        }
    }

    /// Reports a suspended call's results when its frame runs again.
    fn resume(&mut self, vm: &Vm, now: (usize, usize, usize)) {
        let (t, d, _) = now;
        if self.suspended.is_empty() {
            return;
        }
        // calls left by an error below this frame never return
        self.suspended.retain(|&(st, sd), _| st != t || sd <= d);
        let Some(p) = self.suspended.remove(&(t, d)) else {
            return;
        };
        if p.frame != now {
            return;
        }
        let w = writes(&p, &window(vm));
        let head = p.text.split('\t').take(3).collect::<Vec<_>>().join("\t");
        let line = format!("{head}\t(return){w}\n");
        self.emit(&line);
    }

    fn wanted(&self, name: &str, line: Option<u32>) -> bool {
        match &self.filter {
            TraceFilter::All => true,
            TraceFilter::Function(f) => f == name,
            TraceFilter::Lines(a, b) => line.is_some_and(|l| *a <= l && l <= *b),
        }
    }
}

/// ` => R1=2 R3="x"` for the registers the instruction wrote, or "".
fn writes(p: &Pending, after: &[Value]) -> String {
    let mut out = String::new();
    for i in written_regs(&p.proto, p.pc, &p.before, after) {
        out.push_str(if out.is_empty() { "\t=> " } else { " " });
        out.push_str(&format!("R{i}={}", value_text(after[i])));
    }
    out
}

impl Observer for Tracer {
    fn instruction(&mut self, vm: &Vm, pc: usize) {
        let Some((cl, _, base)) = vm.current_lua_frame() else {
            return;
        };
        let frame = (vm.current_thread.addr(), vm.frames.len(), base);
        self.settle(vm, Some(frame));
        self.resume(vm, frame);
        let p = &cl.proto.proto;
        if pc >= p.code.len() {
            return;
        }
        let name = self.names.name(vm);
        if !self.wanted(&name, p.line_at(pc)) {
            return;
        }
        self.pending = Some(Pending {
            frame,
            text: format!("{name}{}", instruction_line(p, pc)),
            before: window(vm),
            proto: p.clone(),
            pc,
        });
    }

    fn call(&mut self, vm: &Vm) {
        self.names.entered(vm);
        // a new frame: a call left at this depth earlier never returns here
        let key = (vm.current_thread.addr(), vm.frames.len());
        self.suspended.remove(&key);
    }
}

impl Drop for Tracer {
    fn drop(&mut self) {
        if let Some(p) = self.pending.take() {
            let line = format!("{}\n", p.text);
            self.emit(&line);
        }
        let _ = self.out.flush();
    }
}
