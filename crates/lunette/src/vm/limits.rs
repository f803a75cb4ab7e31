//! Host limits on a running state: the instruction budget, the Lua call
//! depth, and the interrupt handle another thread (or a signal handler)
//! uses to stop a running script.
//!
//! Cost model. The interpreter does not count every instruction: it charges
//! the budget where control can come back to code already run — backward
//! jumps (`JMP` back, `FORLOOP`, `TFORLOOP`, charged the length of the loop
//! body they jump over) and Lua calls (charged the callee's code length, an
//! upper bound of the straight-line code it can run). Code between two such
//! points is straight-line and bounded by the function's length, so every
//! executed instruction is paid for at most once more than it ran. Builtins
//! whose work is not bounded by their argument count (pattern matching,
//! `string.rep`, `table.concat`, `table.sort`, ...) charge in proportion to
//! the work they do with [`Vm::charge`].
//!
//! The hot path is one subtraction and one sign test of `LimitState::fuel`;
//! fuel is handed out in slices of [`FUEL_SLICE`], and the slow path that
//! refills it is where the interrupt request (an atomic written by
//! [`InterruptHandle`]) and the real budget are checked. With no limit set
//! the slow path still runs once per slice, which bounds the latency of an
//! interrupt.
//!
//! Uncatchable stops. Exhausting the budget or an [`InterruptHandle::interrupt`]
//! sets a sticky stop reason: while it is set, protected calls (`pcall`,
//! `xpcall`, `coroutine.resume`, a loader's reader) do not catch the error,
//! and every later check raises it again, so Lua code cannot continue past
//! it. The host clears it with [`Vm::begin_host_run`] before its next entry.

use super::error::{LuaError, LuaResult};
use super::state::Vm;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

/// Fuel handed to the hot counter per refill (also the instruction-count
/// latency of an interrupt when no budget is set).
pub const FUEL_SLICE: i64 = 4096;

/// Message of the error raised when the instruction budget runs out.
pub const INSTRUCTION_LIMIT_MESSAGE: &str = "instruction limit exceeded";
/// Message of the uncatchable error raised by [`InterruptHandle::interrupt`].
pub const INTERRUPTED_MESSAGE: &str = "interrupted";
/// Message of the catchable error raised by
/// [`InterruptHandle::interrupt_catchable`] (as `lua.c` does on Ctrl-C).
pub const CATCHABLE_INTERRUPT_MESSAGE: &str = "interrupted!";

const REQ_NONE: u8 = 0;
const REQ_CATCHABLE: u8 = 1;
const REQ_STOP: u8 = 2;

/// Why a run was stopped by the host's limits (an uncatchable error).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StopReason {
    /// The instruction budget ran out.
    InstructionLimit,
    /// [`InterruptHandle::interrupt`] was called.
    Interrupted,
}

impl StopReason {
    /// The error message raised for this stop.
    pub fn message(self) -> &'static str {
        match self {
            StopReason::InstructionLimit => INSTRUCTION_LIMIT_MESSAGE,
            StopReason::Interrupted => INTERRUPTED_MESSAGE,
        }
    }
}

/// A handle that stops the state's running script from any thread.
///
/// Requests are a single atomic store, safe to make from a signal handler.
/// A request made while no script runs stays pending and stops the next
/// run at its first check (see [`InterruptHandle::clear`]).
///
/// ```
/// let vm = lunette::Vm::new();
/// let h = vm.interrupt_handle();
/// std::thread::spawn(move || h.interrupt()).join().unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    request: Arc<AtomicU8>,
}

impl InterruptHandle {
    /// Requests an uncatchable stop: the running script raises an error
    /// (`interrupted`) that `pcall` and coroutines do not catch, at its
    /// next check (a loop back-edge, a call, or a builtin's charge).
    pub fn interrupt(&self) {
        self.request.store(REQ_STOP, Ordering::Relaxed);
    }

    /// Requests a catchable stop: the running script raises the ordinary
    /// Lua error `interrupted!` at its next check, as the standalone `lua`
    /// does on Ctrl-C (a `pcall` catches it). Async-signal-safe.
    pub fn interrupt_catchable(&self) {
        self.request.store(REQ_CATCHABLE, Ordering::Relaxed);
    }

    /// Withdraws a pending request.
    pub fn clear(&self) {
        self.request.store(REQ_NONE, Ordering::Relaxed);
    }

    /// Whether a request is pending (not yet seen by the state).
    pub fn is_pending(&self) -> bool {
        self.request.load(Ordering::Relaxed) != REQ_NONE
    }
}

/// The limit state of a `Vm`.
#[derive(Debug)]
pub struct LimitState {
    /// Hot counter: charges subtract from it; below zero the slow path runs.
    pub(crate) fuel: i64,
    /// Budget left beyond `fuel` in this run (`None` = unlimited).
    reserve: Option<u64>,
    /// The configured budget of one host run.
    budget: Option<u64>,
    /// Frames of one thread past which a Lua call raises `stack overflow`.
    pub(crate) max_frames: usize,
    /// Pending interrupt request (`REQ_*`), shared with the handles.
    request: Arc<AtomicU8>,
    /// The sticky reason of an uncatchable stop in flight.
    stop: Option<StopReason>,
}

impl Default for LimitState {
    fn default() -> Self {
        LimitState {
            fuel: FUEL_SLICE,
            reserve: None,
            budget: None,
            max_frames: usize::MAX,
            request: Arc::new(AtomicU8::new(REQ_NONE)),
            stop: None,
        }
    }
}

impl LimitState {
    /// Whether an uncatchable stop is in flight (protected calls must let
    /// the error through).
    #[inline]
    pub fn uncatchable(&self) -> bool {
        self.stop.is_some()
    }

    /// The uncatchable stop in flight, if any.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.stop
    }
}

impl Vm {
    /// A handle that interrupts this state's running script from another
    /// thread or a signal handler.
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle {
            request: Arc::clone(&self.limits.request),
        }
    }

    /// Sets the instruction budget of each host run (`None` = unlimited);
    /// takes effect at the next [`Vm::begin_host_run`].
    pub fn set_instruction_limit(&mut self, budget: Option<u64>) {
        self.limits.budget = budget;
    }

    /// Sets the maximum number of call frames of one thread (`None` =
    /// unlimited); a Lua call past it raises `stack overflow` (catchable,
    /// like Lua's own).
    pub fn set_call_depth_limit(&mut self, depth: Option<usize>) {
        self.limits.max_frames = depth.unwrap_or(usize::MAX);
    }

    /// Starts a host run: clears a previous uncatchable stop and gives the
    /// run its full instruction budget. (A pending interrupt request stays.)
    pub fn begin_host_run(&mut self) {
        self.limits.stop = None;
        self.limits.reserve = self.limits.budget;
        // the first check refills from the reserve
        self.limits.fuel = 0;
    }

    /// The uncatchable stop in flight, if any (see the module docs).
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.limits.stop
    }

    /// Instructions left in this run's budget (`None` when unlimited).
    pub fn instructions_left(&self) -> Option<u64> {
        self.limits
            .reserve
            .map(|r| (r as i64).saturating_add(self.limits.fuel).max(0) as u64)
    }

    /// Charges `n` units of work to the instruction budget; raises the
    /// limit error (or a pending interrupt) when it runs out. Builtins call
    /// this in proportion to the work they do.
    #[inline]
    pub fn charge(&mut self, n: usize) -> LuaResult<()> {
        if self.spend(n) {
            return self.out_of_fuel();
        }
        Ok(())
    }

    /// Hot-path charge: subtracts `n` and says whether the slow path
    /// ([`Vm::out_of_fuel`]) must run.
    #[inline(always)]
    pub(crate) fn spend(&mut self, n: usize) -> bool {
        let n = n.min(i64::MAX as usize) as i64;
        self.limits.fuel = self.limits.fuel.saturating_sub(n);
        self.limits.fuel < 0
    }

    /// Hot-path charge of a small amount (a loop body's length, a callee's
    /// code length): a plain subtraction and sign test, for the
    /// interpreter's back-edges and calls.
    ///
    /// It cannot wrap: `fuel` is only ever set to a value `>= i64::MIN / 2`
    /// (refills `>= 0`, `stop_error`'s `i64::MIN / 2`) and lowered by
    /// `spend` (saturating) or by this function (less than 2^32); once it
    /// is negative the caller runs the slow path, which sets it again
    /// before any further charge.
    #[inline(always)]
    pub(crate) fn spend_small(&mut self, n: u32) -> bool {
        self.limits.fuel = self.limits.fuel.wrapping_sub(n as i64);
        self.limits.fuel < 0
    }

    /// Checks made when a Lua frame is about to be pushed: the call depth
    /// limit and the charge of the callee's code length.
    #[inline(always)]
    pub(crate) fn check_lua_call(&mut self, code_len: u32) -> LuaResult<()> {
        let out = self.spend_small(code_len);
        if out || self.frames.len() >= self.limits.max_frames {
            return self.call_limit_slow();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn call_limit_slow(&mut self) -> LuaResult<()> {
        if self.frames.len() >= self.limits.max_frames {
            return Err(self.stack_overflow());
        }
        self.out_of_fuel()
    }

    /// The slow path of a charge: re-raises a stop in flight, serves an
    /// interrupt request, and refills the hot counter from the budget or
    /// raises the limit error when it is spent.
    #[cold]
    #[inline(never)]
    pub fn out_of_fuel(&mut self) -> LuaResult<()> {
        if let Some(reason) = self.limits.stop {
            return Err(self.stop_error(reason));
        }
        match self.limits.request.swap(REQ_NONE, Ordering::Relaxed) {
            REQ_STOP => return Err(self.raise_stop(StopReason::Interrupted)),
            REQ_CATCHABLE => {
                // keep the rest of the slice (the error may be caught)
                self.limits.fuel = self.limits.fuel.max(0);
                let v = self.new_str(CATCHABLE_INTERRUPT_MESSAGE.as_bytes());
                return Err(LuaError::new(v));
            }
            _ => {}
        }
        let fuel = self.limits.fuel;
        match self.limits.reserve {
            None => {
                self.limits.fuel = FUEL_SLICE;
                Ok(())
            }
            Some(reserve) => {
                // what is left once the overdraft is paid
                let left = (reserve.min(i64::MAX as u64) as i64).saturating_add(fuel);
                if left < 0 {
                    self.limits.reserve = Some(0);
                    return Err(self.raise_stop(StopReason::InstructionLimit));
                }
                let take = left.min(FUEL_SLICE);
                self.limits.fuel = take;
                self.limits.reserve = Some((left - take) as u64);
                Ok(())
            }
        }
    }

    /// The slow path of a loop back-edge charge: `out_of_fuel`, then, the
    /// back-edge being a safe point, the allocation check with the table
    /// growth reported since the last one (so that a loop that only grows
    /// a table still meets the memory ceiling).
    #[cold]
    #[inline(never)]
    pub(crate) fn backedge_slow(&mut self) -> LuaResult<()> {
        self.out_of_fuel()?;
        self.heap.absorb_growth();
        self.gc_check()
    }

    /// Starts an uncatchable stop for `reason` and returns its error.
    pub fn raise_stop(&mut self, reason: StopReason) -> LuaError {
        self.limits.stop = Some(reason);
        self.stop_error(reason)
    }

    /// The error of a stop: the message with the position of the running
    /// Lua code; every later check fails too (the fuel stays negative).
    fn stop_error(&mut self, reason: StopReason) -> LuaError {
        self.limits.fuel = i64::MIN / 2;
        let level = match self.frames.last().map(|f| f.callee) {
            Some(super::call::Callee::Native(_)) => 1,
            _ => 0,
        };
        self.error_at_level(reason.message(), level)
    }
}

#[cfg(test)]
mod tests {
    use crate::vm::{Value, Vm};

    fn run(vm: &mut Vm, src: &str) -> Result<Vec<Value>, String> {
        vm.begin_host_run();
        let f = crate::load_text(vm, src.as_bytes(), b"=t").map_err(|e| format!("{:?}", e))?;
        vm.pcall_function(f, &[])
            .map_err(|e| String::from_utf8_lossy(e.value.as_str().unwrap_or(b"?")).into_owned())
    }

    fn state() -> Vm {
        let mut vm = Vm::new();
        crate::stdlib::open_libs(&mut vm);
        vm
    }

    #[test]
    fn budget_stops_loops_through_pcall() {
        let mut vm = state();
        vm.set_instruction_limit(Some(100_000));
        let e = run(
            &mut vm,
            "for i = 1, 100 do pcall(function() while true do end end) end",
        )
        .unwrap_err();
        assert!(e.contains("instruction limit"), "{e}");
        // usable afterwards, with a fresh budget
        let ok = run(
            &mut vm,
            "local s = 0 for i = 1, 1000 do s = s + i end return s",
        )
        .unwrap();
        assert!(matches!(ok[..], [Value::Int(500500)]));
    }

    #[test]
    fn catchable_interrupt_is_caught_by_pcall() {
        let mut vm = state();
        let h = vm.interrupt_handle();
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(30));
            h.interrupt_catchable();
        });
        let r = run(
            &mut vm,
            "local ok, e = pcall(function() while true do end end) return e",
        )
        .unwrap();
        t.join().unwrap();
        assert_eq!(r[0].as_str(), Some(&b"interrupted!"[..]));
    }

    #[test]
    fn uncatchable_interrupt_passes_coroutines() {
        let mut vm = state();
        let h = vm.interrupt_handle();
        h.interrupt();
        let e = run(
            &mut vm,
            "local co = coroutine.wrap(function() while true do end end)
             for i = 1, 10 do pcall(co) end return 1",
        )
        .unwrap_err();
        assert!(e.contains("interrupted"), "{e}");
        assert!(run(&mut vm, "return 1").is_ok());
    }

    #[test]
    fn call_depth_limit_is_stack_overflow() {
        let mut vm = state();
        vm.set_call_depth_limit(Some(50));
        let r = run(
            &mut vm,
            "local function f(n) return 1 + f(n + 1) end
             local ok, e = pcall(f, 1) return e",
        )
        .unwrap();
        let msg = String::from_utf8_lossy(r[0].as_str().unwrap()).into_owned();
        assert!(msg.contains("stack overflow"), "{msg}");
    }
}
