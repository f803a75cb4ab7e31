//! The observation flags of `lunette` (long options, before the script):
//! `--trace[=FILTER]`, `--stats`, `--visualize OUT.html` and
//! `--visualize-limit N`. They install host observers (`vm/observe.rs`)
//! for the whole run and report when it ends.

use crate::stats::Stats;
use crate::trace::{TraceFilter, Tracer};
use crate::visualize::{Recording, DEFAULT_LIMIT};
use lunette::vm::observe::Observer;
use lunette::Vm;
use std::io::Write;

/// Help lines for the observation flags (for `--help`).
pub const HELP: &str = "\
  --trace[=F]   print each executed instruction to stderr; F = a function
                name (e.g. fib, main) or a line range A-B (or one line A)
  --stats       print execution statistics to stderr after the run
  --visualize OUT.html
                record the run into a step-through page OUT.html
  --visualize-limit N
                record at most N instructions (default 100000)
";

/// The observation flags given.
#[derive(Debug, Default)]
pub struct ToolOpts {
    /// `--trace`, with its filter.
    pub trace: Option<TraceFilter>,
    /// `--stats`.
    pub stats: bool,
    /// `--visualize OUT`.
    pub visualize: Option<String>,
    /// `--visualize-limit N`.
    pub visualize_limit: Option<usize>,
}

/// Why a long flag was refused.
#[derive(Debug, PartialEq)]
pub enum FlagError {
    /// Not an observation flag.
    Unknown,
    /// The flag needs an argument (or a valid one).
    NeedsArgument(String),
}

impl ToolOpts {
    /// Parses the long flag `argv[*i]`, moving `*i` past a separate argument.
    pub fn parse(&mut self, argv: &[String], i: &mut usize) -> Result<(), FlagError> {
        let a = argv.get(*i).map(String::as_str).unwrap_or("");
        let mut value = |flag: &str| -> Result<String, FlagError> {
            *i += 1;
            argv.get(*i)
                .cloned()
                .ok_or_else(|| FlagError::NeedsArgument(flag.to_string()))
        };
        match a {
            "--trace" => self.trace = Some(TraceFilter::All),
            "--stats" => self.stats = true,
            "--visualize" => self.visualize = Some(value(a)?),
            "--visualize-limit" => {
                let n = value(a)?;
                let n = n
                    .parse()
                    .map_err(|_| FlagError::NeedsArgument(a.to_string()))?;
                self.visualize_limit = Some(n);
            }
            _ => {
                if let Some(f) = a.strip_prefix("--trace=") {
                    self.trace = Some(TraceFilter::parse(f));
                } else if let Some(f) = a.strip_prefix("--visualize=") {
                    self.visualize = Some(f.to_string());
                } else {
                    return Err(FlagError::Unknown);
                }
            }
        }
        Ok(())
    }

    /// Installs the observers the flags ask for.
    pub fn install(&self, vm: &mut Vm) -> Active {
        let mut observers: Vec<Box<dyn Observer>> = Vec::new();
        if let Some(f) = &self.trace {
            observers.push(Box::new(Tracer::new(f.clone())));
        }
        let stats = self.stats.then(|| {
            let (s, counter) = Stats::start(vm);
            observers.push(Box::new(counter));
            s
        });
        let visualize = self.visualize.as_ref().map(|out| {
            let limit = self.visualize_limit.unwrap_or(DEFAULT_LIMIT);
            let (rec, recorder) = Recording::start(out.clone(), limit);
            observers.push(Box::new(recorder));
            rec
        });
        match observers.len() {
            0 => {}
            1 => {
                vm.set_observer(observers.pop());
            }
            _ => {
                vm.set_observer(Some(Box::new(Several(observers))));
            }
        }
        Active { stats, visualize }
    }
}

/// Observers installed for the run.
pub struct Active {
    stats: Option<Stats>,
    visualize: Option<Recording>,
}

impl Active {
    /// Removes the observers and reports (stats on stderr, the page file).
    pub fn finish(self, vm: &mut Vm) {
        // dropping the observers flushes the tracer
        drop(vm.set_observer(None));
        if let Some(s) = &self.stats {
            let text = s.report(vm);
            lunette::stdlib::io::flush_stdout(vm);
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
        if let Some(r) = self.visualize {
            if let Err(e) = r.write_page() {
                let _ = writeln!(std::io::stderr(), "lunette: --visualize: {e}");
            }
        }
    }
}

/// Several observers, called in turn.
struct Several(Vec<Box<dyn Observer>>);

impl Observer for Several {
    fn instruction(&mut self, vm: &Vm, pc: usize) {
        for o in &mut self.0 {
            o.instruction(vm, pc);
        }
    }

    fn call(&mut self, vm: &Vm) {
        for o in &mut self.0 {
            o.call(vm);
        }
    }
}
