//! The pattern-matching functions of the `string` library: `find`, `match`,
//! `gmatch` and `gsub`, built on the pure matcher in `lpattern`.

use super::lpattern::PatResult;
use super::lpattern::{
    find_in, find_next, find_plain, has_no_specials, CaptureValue, Matcher, PatError,
};
use super::string::start_pos;
use crate::vm::{Args, LuaResult, Value, Vm};

/// Turns a capture into a Lua value.
fn capture_value(vm: &mut Vm, c: CaptureValue<'_>) -> Value {
    match c {
        CaptureValue::Str(b) => vm.new_str(b),
        CaptureValue::Pos(p) => Value::Int(p as i64),
    }
}

/// Pushes the captures of the match `s..e` (the whole match when the
/// pattern has none and `whole`); returns how many were pushed.
fn push_captures(
    vm: &mut Vm,
    m: &Matcher<'_>,
    s: usize,
    e: usize,
    whole: bool,
) -> LuaResult<usize> {
    let n = m.capture_count(whole);
    for i in 0..n {
        let c = m
            .capture(i, s, e)
            .map_err(|msg| vm.native_error(&msg.message()))?;
        let v = capture_value(vm, c);
        vm.push(v);
    }
    Ok(n)
}

fn find_aux(vm: &mut Vm, args: Args, find: bool) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let p = vm.check_str(args, 2)?;
    let init_arg = vm.opt_int(args, 3, 1)?;
    let (src, pat) = (s.as_bytes(), p.as_bytes());
    let init = start_pos(init_arg, src.len()) - 1;
    if init > src.len() {
        vm.push(Value::Nil);
        return Ok(1);
    }
    if find && (vm.arg(args, 4).truthy() || has_no_specials(pat)) {
        if let Some(off) = find_plain(&src[init..], pat) {
            vm.push(Value::Int((init + off + 1) as i64));
            vm.push(Value::Int((init + off + pat.len()) as i64));
            return Ok(2);
        }
    } else {
        let mut m = Matcher::new(src, pat);
        match metered(vm, &mut m, |m| find_in(m, init))? {
            Err(msg) => return Err(vm.native_error(&msg.message())),
            Ok(Some((st, e))) => {
                if find {
                    vm.push(Value::Int(st as i64 + 1));
                    vm.push(Value::Int(e as i64));
                    return Ok(push_captures(vm, &m, st, e, false)? + 2);
                }
                return push_captures(vm, &m, st, e, true);
            }
            Ok(None) => {}
        }
    }
    vm.push(Value::Nil);
    Ok(1)
}

/// Runs one matching attempt under the instruction budget (vm/limits.rs):
/// the matcher stops after an allowance of steps, which are charged to the
/// VM (raising the limit error or a pending interrupt); the attempt then
/// restarts with four times the allowance. Matching is pure, so a restart
/// gives the same result, and the total work stays under 4/3 of the last run.
fn metered<T>(
    vm: &mut Vm,
    m: &mut Matcher<'_>,
    mut attempt: impl FnMut(&mut Matcher<'_>) -> PatResult<T>,
) -> LuaResult<PatResult<T>> {
    let mut allowance: u64 = 1 << 12;
    loop {
        m.steps = 0;
        m.step_limit = allowance;
        let r = attempt(m);
        vm.charge(m.steps as usize)?;
        match r {
            Err(PatError::StepLimit) => allowance = allowance.saturating_mul(4),
            other => return Ok(other),
        }
    }
}

/// `string.find(s, pattern [, init [, plain]])`.
pub fn str_find(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    find_aux(vm, args, true)
}

/// `string.match(s, pattern [, init])`.
pub fn str_match(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    find_aux(vm, args, false)
}

/// Upvalue slots of a `gmatch` iterator.
const GM_SUBJECT: usize = 0;
const GM_PATTERN: usize = 1;
const GM_POS: usize = 2;
const GM_LAST: usize = 3;

/// `string.gmatch(s, pattern [, init])`: returns the iterator.
pub fn str_gmatch(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let p = vm.check_str(args, 2)?;
    let init_arg = vm.opt_int(args, 3, 1)?;
    let mut init = start_pos(init_arg, s.len()) - 1;
    if init > s.len() {
        init = s.len() + 1;
    }
    let f = vm.new_native_with_upvalues(
        "gmatch_aux",
        gmatch_step,
        vec![
            Value::Str(s),
            Value::Str(p),
            Value::Int(init as i64),
            Value::Int(-1),
        ],
    );
    vm.push(f);
    Ok(1)
}

/// One step of a `gmatch` iterator.
fn gmatch_step(vm: &mut Vm, _args: Args) -> LuaResult<usize> {
    let (Value::Str(s), Value::Str(p), Value::Int(pos), Value::Int(last)) = (
        vm.current_native_upvalue(GM_SUBJECT),
        vm.current_native_upvalue(GM_PATTERN),
        vm.current_native_upvalue(GM_POS),
        vm.current_native_upvalue(GM_LAST),
    ) else {
        return Ok(0);
    };
    let src = s.as_bytes();
    let mut m = Matcher::new(src, p.as_bytes());
    let at = pos.max(0) as usize;
    let last = usize::try_from(last).ok();
    if at <= src.len() {
        match metered(vm, &mut m, |m| find_next(m, at, 0, false, last))? {
            Err(msg) => return Err(vm.native_error(&msg.message())),
            Ok(Some((st, e))) => {
                vm.set_current_native_upvalue(GM_POS, Value::Int(e as i64));
                vm.set_current_native_upvalue(GM_LAST, Value::Int(e as i64));
                return push_captures(vm, &m, st, e, true);
            }
            Ok(None) => {}
        }
    }
    vm.set_current_native_upvalue(GM_POS, Value::Int(src.len() as i64 + 1));
    Ok(0)
}

/// What `gsub` replaces matches with.
enum Replacement<'a> {
    /// A string with `%n` references.
    Text(&'a [u8]),
    /// A table indexed by the first capture.
    Table(Value),
    /// A function called with the captures.
    Function(Value),
}

/// Appends the expansion of replacement text `repl` for the match `s..e`.
fn add_text(
    vm: &mut Vm,
    out: &mut Vec<u8>,
    m: &Matcher<'_>,
    s: usize,
    e: usize,
    repl: &[u8],
) -> LuaResult<()> {
    let mut i = 0;
    while i < repl.len() {
        let Some(off) = repl[i..].iter().position(|&c| c == b'%') else {
            vm.try_extend(out, &repl[i..])?;
            break;
        };
        vm.try_extend(out, &repl[i..i + off])?;
        let at = i + off + 1;
        match repl.get(at).copied() {
            Some(b'%') => out.push(b'%'),
            Some(d @ b'0'..=b'9') => {
                let c = if d == b'0' {
                    CaptureValue::Str(&m.subject()[s..e])
                } else {
                    m.capture((d - b'1') as usize, s, e)
                        .map_err(|msg| vm.native_error(&msg.message()))?
                };
                match c {
                    CaptureValue::Str(b) => vm.try_extend(out, b)?,
                    CaptureValue::Pos(p) => {
                        let mut buf = [0u8; crate::number::INT_TEXT_MAX];
                        vm.try_extend(out, crate::number::int_text(p as i64, &mut buf))?
                    }
                }
            }
            _ => return Err(vm.native_error("invalid use of '%' in replacement string")),
        }
        i = at + 1;
    }
    Ok(())
}

/// Appends the replacement of the match `s..e`; returns whether the
/// subject changed (a false/nil result keeps the original text).
fn add_value(
    vm: &mut Vm,
    out: &mut Vec<u8>,
    m: &Matcher<'_>,
    s: usize,
    e: usize,
    repl: &Replacement<'_>,
) -> LuaResult<bool> {
    let result = match repl {
        Replacement::Text(t) => {
            add_text(vm, out, m, s, e, t)?;
            return Ok(true);
        }
        Replacement::Table(t) => {
            let c = m
                .capture(0, s, e)
                .map_err(|msg| vm.native_error(&msg.message()))?;
            let key = capture_value(vm, c);
            vm.index(*t, key)?
        }
        Replacement::Function(f) => {
            let n = m.capture_count(true);
            let mut cargs = [Value::Nil; super::lpattern::MAX_CAPTURES];
            for (i, slot) in cargs.iter_mut().enumerate().take(n) {
                let c = m
                    .capture(i, s, e)
                    .map_err(|msg| vm.native_error(&msg.message()))?;
                *slot = capture_value(vm, c);
            }
            vm.call_function_1(*f, &cargs[..n])?
        }
    };
    match result {
        Value::Nil | Value::Bool(false) => {
            vm.try_extend(out, &m.subject()[s..e])?;
            Ok(false)
        }
        Value::Str(r) => {
            vm.try_extend(out, r.as_bytes())?;
            Ok(true)
        }
        v @ (Value::Int(_) | Value::Float(_)) => {
            let r = vm.number_to_str(v);
            vm.try_extend(out, r.as_bytes())?;
            Ok(true)
        }
        other => {
            let msg = format!("invalid replacement value (a {})", other.type_name());
            Err(vm.native_error(&msg))
        }
    }
}

/// `string.gsub(s, pattern, repl [, n])`.
pub fn str_gsub(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let s = vm.check_str(args, 1)?;
    let p = vm.check_str(args, 2)?;
    let (src, pat) = (s.as_bytes(), p.as_bytes());
    let repl_arg = vm.arg(args, 3);
    let max_n = vm.opt_int(args, 4, src.len() as i64 + 1)?;
    let repl_str;
    let repl = match repl_arg {
        Value::Str(r) => {
            repl_str = r;
            Replacement::Text(repl_str.as_bytes())
        }
        Value::Int(_) | Value::Float(_) => {
            repl_str = vm.number_to_str(repl_arg);
            Replacement::Text(repl_str.as_bytes())
        }
        Value::Table(_) => Replacement::Table(repl_arg),
        Value::LuaFn(_) | Value::Native(_) => Replacement::Function(repl_arg),
        _ => return Err(vm.type_arg_error(args, 3, "string/function/table")),
    };
    let anchored = pat.first() == Some(&b'^');
    let p0 = usize::from(anchored);
    let mut m = Matcher::new(src, pat);
    // built in the heap's reusable buffer (a replacement function using
    // it meanwhile gets a fresh one)
    let mut out = vm.heap.take_scratch();
    let mut copied = 0;
    let mut at = 0;
    let mut last: Option<usize> = None;
    let mut n: i64 = 0;
    let mut changed = false;
    while n < max_n {
        // the next match from `at` (positions that cannot start one are
        // skipped inside the matcher)
        let r = metered(vm, &mut m, |m| find_next(m, at, p0, anchored, last))?
            .map_err(|msg| vm.native_error(&msg.message()))?;
        let Some((st, e)) = r else {
            break;
        };
        n += 1;
        vm.try_extend(&mut out, &src[copied..st])?;
        changed |= add_value(vm, &mut out, &m, st, e, &repl)?;
        at = e;
        copied = e;
        last = Some(e);
        if anchored || at > src.len() {
            break;
        }
    }
    if changed {
        vm.try_extend(&mut out, &src[copied..])?;
        let v = vm.new_string_scratch(out);
        vm.push(v);
    } else {
        vm.heap.put_scratch(out);
        vm.push(Value::Str(s));
    }
    vm.push(Value::Int(n));
    Ok(2)
}
