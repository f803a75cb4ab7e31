//! The collector's tuning parameters, as `collectgarbage` sets and reports
//! them (Lua 5.4's encoding: pause and step multipliers are kept in a byte
//! as a quarter of the percentage, so values read back are multiples of 4).

/// Collector mode and parameters.
#[derive(Clone, Copy, Debug)]
pub struct Tuning {
    /// Whether the collector is in generational mode (else incremental).
    pub generational: bool,
    /// Pause, a quarter of the percentage (50 = 200%): a cycle starts when
    /// the heap reaches `pause * 4`% of the size that survived the last one.
    pub pause: u8,
    /// Step multiplier, a quarter of the percentage.
    pub stepmul: u8,
    /// Step size, as log2 of bytes.
    pub stepsize: i32,
    /// Generational minor multiplier (percentage).
    pub minormul: i32,
    /// Generational major multiplier, a quarter of the percentage.
    pub majormul: u8,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            // the reference lua5.4 (5.4.4) reports generational as the mode
            // before the first switch
            generational: true,
            pause: 50,
            stepmul: 25,
            stepsize: 13,
            minormul: 20,
            majormul: 25,
        }
    }
}

/// Stores a percentage the way Lua 5.4 does (a quarter of it, in a byte).
fn encode(v: i64) -> u8 {
    ((v as i32) / 4) as u8
}

/// Reads back a stored percentage.
fn decode(p: u8) -> i64 {
    p as i64 * 4
}

impl Tuning {
    /// `collectgarbage("setpause", v)`: sets the pause, returns the previous one.
    pub fn set_pause(&mut self, v: i64) -> i64 {
        decode(std::mem::replace(&mut self.pause, encode(v)))
    }

    /// `collectgarbage("setstepmul", v)`: sets the step multiplier, returns
    /// the previous one.
    pub fn set_stepmul(&mut self, v: i64) -> i64 {
        decode(std::mem::replace(&mut self.stepmul, encode(v)))
    }

    /// `collectgarbage("incremental", pause, stepmul, stepsize)`: switches
    /// to incremental mode (zero arguments keep their setting); returns
    /// whether the previous mode was generational.
    pub fn incremental(&mut self, pause: i64, stepmul: i64, stepsize: i64) -> bool {
        if pause != 0 {
            self.pause = encode(pause);
        }
        if stepmul != 0 {
            self.stepmul = encode(stepmul);
        }
        if stepsize != 0 {
            self.stepsize = stepsize as i32;
        }
        std::mem::replace(&mut self.generational, false)
    }

    /// `collectgarbage("generational", minormul, majormul)`: switches to
    /// generational mode; returns whether the previous mode was generational.
    pub fn generational(&mut self, minormul: i64, majormul: i64) -> bool {
        if minormul != 0 {
            self.minormul = minormul as i32;
        }
        if majormul != 0 {
            self.majormul = encode(majormul);
        }
        std::mem::replace(&mut self.generational, true)
    }

    /// The pause as a percentage.
    pub fn pause_percent(&self) -> usize {
        decode(self.pause) as usize
    }

    /// The step multiplier as a percentage.
    pub fn stepmul_percent(&self) -> usize {
        decode(self.stepmul) as usize
    }
}
