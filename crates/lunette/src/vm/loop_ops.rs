//! Numeric `for` loops: `FORPREP` precomputes the iteration count of an
//! integer loop (so `FORLOOP` never overflows) or converts a float loop's
//! values; `FORLOOP` for float loops.
//!
//! Register layout from `R[A]`: internal index, iteration count (integer
//! loops) or limit (float loops), step, control variable.

use super::error::LuaResult;
use super::state::Vm;
use super::value::Value;
use crate::number::{value_to_number, Number};

/// The limit of an integer loop as an integer, or `None` when the loop
/// must not run at all.
fn int_limit(init: i64, limit: Number, step: i64) -> Option<i64> {
    let lim = match limit {
        Number::Int(i) => i,
        Number::Float(f) => {
            let g = if step < 0 { f.ceil() } else { f.floor() };
            match crate::number::float_to_int_exact(g) {
                Some(i) => i,
                None => {
                    // out of the integer range (or NaN)
                    if 0.0 < f {
                        if step < 0 {
                            return None;
                        }
                        i64::MAX
                    } else {
                        if step > 0 {
                            return None;
                        }
                        i64::MIN
                    }
                }
            }
        }
    };
    let skip = if step > 0 { init > lim } else { init < lim };
    if skip {
        None
    } else {
        Some(lim)
    }
}

/// The iterations after the first of an integer loop from `init` to
/// `lim` by `step` (non-zero; the loop runs at least once), as an
/// unsigned count stored in an integer (Lua's `forprep`).
#[inline(always)]
fn iteration_count(init: i64, lim: i64, step: i64) -> i64 {
    let count = if step > 0 {
        let c = (lim as u64).wrapping_sub(init as u64);
        if step != 1 {
            c / (step as u64)
        } else {
            c
        }
    } else {
        let c = (init as u64).wrapping_sub(lim as u64);
        c / ((-(step + 1)) as u64 + 1)
    };
    count as i64
}

impl Vm {
    #[cold]
    #[inline(never)]
    fn for_error(&mut self, what: &str, v: Value) -> super::error::LuaError {
        let t = self.type_name_meta(v);
        self.rt_error(&format!("bad 'for' {what} (number expected, got {t})"))
    }

    /// `FORPREP` on registers at stack index `ra`; returns true when the
    /// loop must be skipped. An all-integer loop is prepared here, anything
    /// else in `for_prep_general`.
    #[inline(never)]
    pub(crate) fn for_prep(&mut self, ra: usize) -> LuaResult<bool> {
        if let Some([Value::Int(init), Value::Int(limit), Value::Int(step), ctl]) =
            self.stack.get_mut(ra..ra + 4)
        {
            let (init, step) = (*init, *step);
            if step != 0 {
                *ctl = Value::Int(init);
                let skip = if step > 0 {
                    init > *limit
                } else {
                    init < *limit
                };
                if skip {
                    return Ok(true);
                }
                // the limit's register becomes the count
                *limit = iteration_count(init, *limit, step);
                return Ok(false);
            }
        }
        self.for_prep_general(ra)
    }

    /// `for_prep` for float loops, a limit to convert, errors.
    #[inline(never)]
    fn for_prep_general(&mut self, ra: usize) -> LuaResult<bool> {
        let init = self.stack[ra];
        let limit = self.stack[ra + 1];
        let step = self.stack[ra + 2];
        if let (Value::Int(init), Value::Int(step)) = (init, step) {
            if step == 0 {
                return Err(self.rt_error("'for' step is zero"));
            }
            self.stack[ra + 3] = Value::Int(init);
            let lim = match value_to_number(&limit) {
                Some(n) => n,
                None => return Err(self.for_error("limit", limit)),
            };
            let Some(lim) = int_limit(init, lim, step) else {
                return Ok(true);
            };
            self.stack[ra + 1] = Value::Int(iteration_count(init, lim, step));
            return Ok(false);
        }
        let Some(lim) = value_to_number(&limit) else {
            return Err(self.for_error("limit", limit));
        };
        let Some(st) = value_to_number(&step) else {
            return Err(self.for_error("step", step));
        };
        let Some(ini) = value_to_number(&init) else {
            return Err(self.for_error("initial value", init));
        };
        let (lim, st, ini) = (lim.as_f64(), st.as_f64(), ini.as_f64());
        if st == 0.0 {
            return Err(self.rt_error("'for' step is zero"));
        }
        let skip = if 0.0 < st { lim < ini } else { ini < lim };
        if skip {
            return Ok(true);
        }
        self.stack[ra] = Value::Float(ini);
        self.stack[ra + 1] = Value::Float(lim);
        self.stack[ra + 2] = Value::Float(st);
        self.stack[ra + 3] = Value::Float(ini);
        Ok(false)
    }

    /// `FORLOOP` step of an integer or float loop at `ra`; returns true
    /// when the loop continues.
    #[inline(always)]
    pub(crate) fn for_loop(&mut self, ra: usize) -> bool {
        if let Value::Int(count) = self.stack[ra + 1] {
            if count as u64 > 0 {
                let step = match self.stack[ra + 2] {
                    Value::Int(s) => s,
                    _ => 0,
                };
                let idx = match self.stack[ra] {
                    Value::Int(i) => i.wrapping_add(step),
                    _ => 0,
                };
                Value::store_int(&mut self.stack[ra + 1], (count as u64 - 1) as i64);
                Value::store_int(&mut self.stack[ra], idx);
                Value::store_int(&mut self.stack[ra + 3], idx);
                return true;
            }
            return false;
        }
        self.float_for_loop(ra)
    }

    #[inline(never)]
    fn float_for_loop(&mut self, ra: usize) -> bool {
        let get = |v: Value| match v {
            Value::Float(f) => f,
            Value::Int(i) => i as f64,
            _ => f64::NAN,
        };
        let step = get(self.stack[ra + 2]);
        let limit = get(self.stack[ra + 1]);
        let idx = get(self.stack[ra]) + step;
        let go = if 0.0 < step {
            idx <= limit
        } else {
            limit <= idx
        };
        if go {
            Value::store_float(&mut self.stack[ra], idx);
            Value::store_float(&mut self.stack[ra + 3], idx);
        }
        go
    }
}
