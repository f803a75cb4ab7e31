//! Moves of a few values inside the stack without `memmove`: the
//! arguments, results and varargs of calls are usually one to four
//! values, which straight-line 16-byte loads and stores move at less cost
//! than the setup and call of `memmove`.

use super::value::Value;

/// Values at most this many move in straight-line code (`move_short`).
pub(crate) const SHORT_MOVE: usize = 8;

/// `s.copy_within(from..from + n, to)` (the ranges may overlap), in
/// straight-line code for up to `SHORT_MOVE` values. Panics, as
/// `copy_within` does, when a range is outside `s`.
#[inline(always)]
pub(crate) fn move_values(s: &mut [Value], from: usize, to: usize, n: usize) {
    let fits = from
        .max(to)
        .checked_add(n)
        .is_some_and(|end| end <= s.len());
    // a forward move is right unless the target starts inside the source
    let forward = to <= from || to >= from + n;
    if n > SHORT_MOVE || !fits || !forward {
        s.copy_within(from..from + n, to);
        return;
    }
    // SAFETY: `n <= SHORT_MOVE`, the target starts below the source or
    // after it, and `from + n`, `to + n` are at most `s.len()` (`fits`).
    unsafe { move_short(s.as_mut_ptr(), from, to, n) }
}

/// Moves the `n` values at `p + from` to `p + to`, first to last: the few
/// values of calls, returns and varargs move so at less cost than the
/// setup and call of `memmove`.
///
/// # Safety
///
/// `n <= SHORT_MOVE`; `to <= from` or `to >= from + n` (no source slot
/// is overwritten before it is read); `p + from .. p + from + n` and `p +
/// to .. p + to + n` are inside one allocation of initialised values.
#[inline(always)]
pub(crate) unsafe fn move_short(p: *mut Value, from: usize, to: usize, n: usize) {
    debug_assert!(n <= SHORT_MOVE && (to <= from || to >= from + n));
    // the loop runs to the constant `SHORT_MOVE`, so that it unrolls
    // instead of becoming a `memmove` call
    for j in 0..SHORT_MOVE {
        if j < n {
            // SAFETY: `from + j` and `to + j` are inside the caller's
            // ranges (`j < n`); values are `Copy`: a 16-byte load and store.
            unsafe { *p.add(to + j) = *p.add(from + j) };
        }
    }
}
