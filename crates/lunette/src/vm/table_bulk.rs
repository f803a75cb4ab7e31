//! Moves of many elements inside a table's array part at once, for the
//! table library's `insert` and `remove` (which shift elements by one).

use super::{array_slot, Table};
use crate::vm::value::Value;

impl Table {
    /// Moves `t[lo..=hi]` one key up (to `lo+1..=hi+1`, `up`) or down (to
    /// `lo-1..=hi-1`) when every key from the lowest to the highest one
    /// involved is in the array part and holds a non-nil value. Then the
    /// element-wise moves `t[j] = t[j -/+ 1]` of Lua's `table.insert` and
    /// `table.remove` would run no metamethod (each read finds a value,
    /// each write replaces one), so one memory move does the same. Returns
    /// false, moving nothing, otherwise.
    ///
    /// No write barrier is needed: the values stay in the same table.
    pub fn shift_present(&self, lo: i64, hi: i64, up: bool) -> bool {
        if lo > hi {
            return true;
        }
        let (first, last) = if up {
            (lo, hi.saturating_add(1))
        } else {
            (lo.saturating_sub(1), hi)
        };
        let a = self.parts_mut().array.as_mut_slice();
        let (Some(f), Some(l)) = (array_slot(first, a.len()), array_slot(last, a.len())) else {
            return false;
        };
        if a[f..=l].iter().any(|v| v.is_nil()) {
            return false;
        }
        if up {
            a.copy_within(f..l, f + 1);
        } else {
            a.copy_within(f + 1..=l, f);
        }
        true
    }
}

impl Table {
    /// Sorts `t[1..=n]` in place by `<` when all of them are in the array
    /// part and are all integers or all strings, and returns true; returns
    /// false, changing nothing, otherwise. For such values `table.sort`
    /// without a comparator runs no metamethod (each read finds a value,
    /// each write replaces one, `<` is primitive) and the order is total,
    /// so the result is the one Lua's quicksort gives (equal values are
    /// indistinguishable).
    pub fn sort_primitive(&self, n: usize) -> bool {
        let a = self.parts_mut().array.as_mut_slice();
        let Some(a) = a.get_mut(..n) else {
            return false;
        };
        match a.first() {
            Some(Value::Int(_)) if a.iter().all(|v| matches!(v, Value::Int(_))) => {
                a.sort_unstable_by_key(|v| match v {
                    Value::Int(i) => *i,
                    _ => 0,
                });
                true
            }
            Some(Value::Str(_)) if a.iter().all(|v| matches!(v, Value::Str(_))) => {
                a.sort_unstable_by(|x, y| match (x, y) {
                    (Value::Str(x), Value::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
                    _ => std::cmp::Ordering::Equal,
                });
                true
            }
            _ => false,
        }
    }
}
