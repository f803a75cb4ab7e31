//! The quicksort behind `table.sort`, written over an abstract array so
//! the same code sorts through metamethods or in tests. It follows the
//! structure of Lua 5.4's sort (median of three, pivot parked at `up - 1`,
//! bounds checks that detect an inconsistent comparator), recursing only
//! into the smaller half so the depth stays logarithmic.

/// What the sort needs from the array it sorts (1-based indices).
pub trait SortAccess {
    /// The element type.
    type Elem: Copy;
    /// The error type (a Lua error in practice).
    type Error;
    /// `a[i]`.
    fn get(&mut self, i: i64) -> Result<Self::Elem, Self::Error>;
    /// `a[i] = v`.
    fn set(&mut self, i: i64, v: Self::Elem) -> Result<(), Self::Error>;
    /// Whether `a < b` by the order in use.
    fn less(&mut self, a: Self::Elem, b: Self::Elem) -> Result<bool, Self::Error>;
    /// The `invalid order function for sorting` error.
    fn invalid_order(&mut self) -> Self::Error;
    /// A pseudo-random number for pivot choice on unbalanced partitions.
    fn random(&mut self) -> u64;
}

/// Below this size the middle element is the pivot.
const RANDOM_PIVOT_LIMIT: i64 = 100;

fn swap<A: SortAccess>(a: &mut A, i: i64, j: i64) -> Result<(), A::Error> {
    let x = a.get(i)?;
    let y = a.get(j)?;
    a.set(i, y)?;
    a.set(j, x)
}

/// Sorts `a[lo..=up]`.
pub fn sort<A: SortAccess>(a: &mut A, lo: i64, up: i64) -> Result<(), A::Error> {
    sort_range(a, lo, up, 0)
}

fn sort_range<A: SortAccess>(
    a: &mut A,
    mut lo: i64,
    mut up: i64,
    mut rnd: u64,
) -> Result<(), A::Error> {
    while lo < up {
        // order the two ends
        let x = a.get(lo)?;
        let y = a.get(up)?;
        if a.less(y, x)? {
            a.set(lo, y)?;
            a.set(up, x)?;
        }
        if up - lo == 1 {
            return Ok(());
        }
        let p = if up - lo < RANDOM_PIVOT_LIMIT || rnd == 0 {
            lo + (up - lo) / 2
        } else {
            let quarter = (up - lo) / 4;
            (rnd % (quarter as u64 * 2)) as i64 + lo + quarter
        };
        // median of three at p
        let vp = a.get(p)?;
        let vlo = a.get(lo)?;
        if a.less(vp, vlo)? {
            a.set(p, vlo)?;
            a.set(lo, vp)?;
        } else {
            let vup = a.get(up)?;
            if a.less(vup, vp)? {
                a.set(p, vup)?;
                a.set(up, vp)?;
            }
        }
        if up - lo == 2 {
            return Ok(());
        }
        let pivot = a.get(p)?;
        let before_up = a.get(up - 1)?;
        a.set(p, before_up)?;
        a.set(up - 1, pivot)?;
        let mid = partition(a, lo, up, pivot)?;
        let smaller;
        if mid - lo < up - mid {
            sort_range(a, lo, mid - 1, rnd)?;
            smaller = mid - lo;
            lo = mid + 1;
        } else {
            sort_range(a, mid + 1, up, rnd)?;
            smaller = up - mid;
            up = mid - 1;
        }
        if (up - lo) / 128 > smaller {
            rnd = a.random();
        }
    }
    Ok(())
}

/// Splits `a[lo..=up]` around `pivot` (stored at `up - 1`); returns the
/// pivot's final index.
fn partition<A: SortAccess>(a: &mut A, lo: i64, up: i64, pivot: A::Elem) -> Result<i64, A::Error> {
    let mut i = lo;
    let mut j = up - 1;
    loop {
        loop {
            i += 1;
            let v = a.get(i)?;
            if !a.less(v, pivot)? {
                break;
            }
            if i == up - 1 {
                return Err(a.invalid_order());
            }
        }
        loop {
            j -= 1;
            let v = a.get(j)?;
            if !a.less(pivot, v)? {
                break;
            }
            if j < i {
                return Err(a.invalid_order());
            }
        }
        if j < i {
            swap(a, up - 1, i)?;
            return Ok(i);
        }
        swap(a, i, j)?;
    }
}

#[cfg(test)]
mod tests {
    use super::{sort, SortAccess};

    struct Ints<F: FnMut(i64, i64) -> bool> {
        items: Vec<i64>,
        less: F,
        calls: usize,
    }

    impl<F: FnMut(i64, i64) -> bool> SortAccess for Ints<F> {
        type Elem = i64;
        type Error = &'static str;
        fn get(&mut self, i: i64) -> Result<i64, &'static str> {
            self.items
                .get((i - 1) as usize)
                .copied()
                .ok_or("out of range")
        }
        fn set(&mut self, i: i64, v: i64) -> Result<(), &'static str> {
            match self.items.get_mut((i - 1) as usize) {
                Some(slot) => {
                    *slot = v;
                    Ok(())
                }
                None => Err("out of range"),
            }
        }
        fn less(&mut self, a: i64, b: i64) -> Result<bool, &'static str> {
            self.calls += 1;
            Ok((self.less)(a, b))
        }
        fn invalid_order(&mut self) -> &'static str {
            "invalid order function for sorting"
        }
        fn random(&mut self) -> u64 {
            12345
        }
    }

    fn run<F: FnMut(i64, i64) -> bool>(items: Vec<i64>, less: F) -> Result<Vec<i64>, &'static str> {
        let n = items.len() as i64;
        let mut a = Ints {
            items,
            less,
            calls: 0,
        };
        sort(&mut a, 1, n)?;
        Ok(a.items)
    }

    #[test]
    fn sorts_integers() {
        let mut seed = 7u64;
        let v: Vec<i64> = (0..5000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 40) as i64 % 1000
            })
            .collect();
        let mut expected = v.clone();
        expected.sort();
        assert_eq!(run(v.clone(), |a, b| a < b), Ok(expected.clone()));
        expected.reverse();
        assert_eq!(run(v, |a, b| a > b), Ok(expected));
        let sorted: Vec<i64> = (1..=1000).collect();
        assert_eq!(run(sorted.clone(), |a, b| a < b), Ok(sorted));
        assert_eq!(run(vec![5; 300], |a, b| a < b), Ok(vec![5; 300]));
    }

    #[test]
    fn inconsistent_comparator_fails_or_ends() {
        let v: Vec<i64> = (0..500).collect();
        assert_eq!(
            run(v.clone(), |_, _| true),
            Err("invalid order function for sorting")
        );
        // `<=` is not a strict order; it must end (with or without error)
        let _ = run(vec![3; 500], |a, b| a <= b);
        let mut flip = false;
        let _ = run(v, move |_, _| {
            flip = !flip;
            flip
        });
    }
}
