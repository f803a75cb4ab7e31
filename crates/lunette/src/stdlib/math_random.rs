//! The pseudo-random generator of `math.random`: xoshiro256**, seeded and
//! projected into intervals the way Lua 5.4 does, so that a given seed
//! gives the same sequence as the reference interpreter.

/// The generator's 256-bit state.
#[derive(Clone, Debug)]
pub struct Xoshiro {
    state: [u64; 4],
}

impl Xoshiro {
    /// A generator seeded with `(n1, n2)` as `math.randomseed(n1, n2)`.
    pub fn seeded(n1: u64, n2: u64) -> Xoshiro {
        let mut g = Xoshiro {
            state: [n1, 0xff, n2, 0],
        };
        for _ in 0..16 {
            g.next_u64();
        }
        g
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = self.state;
        let out = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let s2 = s2 ^ s0;
        let s3 = s3 ^ s1;
        self.state = [s0 ^ s3, s1 ^ s2, s2 ^ (s1 << 17), s3.rotate_left(45)];
        out
    }

    /// Random bits as a float in `[0, 1)` (the top 53 bits).
    pub fn to_unit_float(bits: u64) -> f64 {
        (bits >> 11) as f64 * (0.5 / (1u64 << 52) as f64)
    }

    /// Maps `bits` into `[0, n]` without bias, drawing again when the
    /// masked value falls above `n`.
    pub fn project(&mut self, bits: u64, n: u64) -> u64 {
        if n & n.wrapping_add(1) == 0 {
            return bits & n;
        }
        let mut mask = n;
        let mut shift = 1;
        while shift < 64 {
            mask |= mask >> shift;
            shift *= 2;
        }
        let mut r = bits & mask;
        while r > n {
            r = self.next_u64() & mask;
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::Xoshiro;

    #[test]
    fn matches_reference_sequence() {
        // lua5.4: math.randomseed(42); math.random(), math.random(10),
        // math.random(0), math.random(-5, 5)
        let mut g = Xoshiro::seeded(42, 0);
        let f = Xoshiro::to_unit_float(g.next_u64());
        assert_eq!(format!("{f:.14}"), "0.93081217803957");
        let b = g.next_u64();
        assert_eq!(g.project(b, 9) + 1, 2);
        assert_eq!(g.next_u64() as i64, -8358531260401861301);
        let b = g.next_u64();
        assert_eq!(g.project(b, 10) as i64 - 5, 0);
    }

    #[test]
    fn projection_stays_in_range() {
        let mut g = Xoshiro::seeded(1, 2);
        for n in [0u64, 1, 2, 5, 6, 100, u64::MAX, u64::MAX / 3] {
            for _ in 0..50 {
                let b = g.next_u64();
                assert!(g.project(b, n) <= n);
            }
        }
    }
}
