//! Calendar arithmetic and `strftime` for `os.date`/`os.time`, without
//! libc. Only UTC is known: "local time" is UTC too (the machines lunette
//! runs on are set to UTC; time zones are not read), and the locale is "C".

/// A broken-down time (like C's `struct tm`, with real years and months).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime {
    /// The year (e.g. 2026).
    pub year: i64,
    /// Month, 1..=12.
    pub month: i64,
    /// Day of the month, 1..=31.
    pub day: i64,
    /// Hour, 0..=23.
    pub hour: i64,
    /// Minute, 0..=59.
    pub min: i64,
    /// Second, 0..=60.
    pub sec: i64,
    /// Day of the week, 0 = Sunday.
    pub wday: i64,
    /// Day of the year, 1..=366.
    pub yday: i64,
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count from 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// The broken-down UTC time of `t` seconds since the epoch; `None` when
/// the year does not fit C's `int` (as `gmtime` fails).
pub fn from_timestamp(t: i64) -> Option<DateTime> {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if year - 1900 > i64::from(i32::MAX) || year - 1900 < i64::from(i32::MIN) {
        return None;
    }
    Some(DateTime {
        year,
        month,
        day,
        hour: secs / 3600,
        min: secs % 3600 / 60,
        sec: secs % 60,
        wday: (days + 4).rem_euclid(7),
        yday: days - days_from_civil(year, 1, 1) + 1,
    })
}

/// The timestamp of possibly out-of-range fields, normalised like
/// `mktime` (month 13 is January of the next year, ...). `None` on overflow.
pub fn to_timestamp(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> Option<i64> {
    let m0 = month.checked_sub(1)?;
    let y = year.checked_add(m0.div_euclid(12))?;
    let m = m0.rem_euclid(12) + 1;
    if y.abs() > 1 << 40 {
        return None;
    }
    let days = days_from_civil(y, m, 1).checked_add(day.checked_sub(1)?)?;
    days.checked_mul(86_400)?
        .checked_add(hour.checked_mul(3600)?)?
        .checked_add(min.checked_mul(60)?)?
        .checked_add(sec)
}

const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Whether `spec` (the text after `%`) starts with a conversion C99 allows;
/// returns its length (1 or 2).
pub fn conversion_len(spec: &[u8]) -> Option<usize> {
    const ONE: &[u8] = b"aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
    const TWO: [&[u8]; 19] = [
        b"Ec", b"EC", b"Ex", b"EX", b"Ey", b"EY", b"Od", b"Oe", b"OH", b"OI", b"Om", b"OM", b"OS",
        b"Ou", b"OU", b"OV", b"Ow", b"OW", b"Oy",
    ];
    let first = *spec.first()?;
    if ONE.contains(&first) {
        return Some(1);
    }
    if spec.len() >= 2 && TWO.contains(&&spec[..2]) {
        return Some(2);
    }
    None
}

/// ISO 8601 week-based year and week number.
fn iso_week(d: &DateTime) -> (i64, i64) {
    let wday_mon = (d.wday + 6) % 7; // Monday = 0
    let yday0 = d.yday - 1;
    let mut year = d.year;
    let mut week = (yday0 - wday_mon + 10) / 7;
    if week < 1 {
        year -= 1;
        let prev_len = if is_leap(year) { 366 } else { 365 };
        week = (yday0 + prev_len - wday_mon + 10) / 7;
    } else {
        let len = if is_leap(year) { 366 } else { 365 };
        if week == 53 && yday0 - wday_mon + 3 >= len {
            // the week's Thursday falls in the next year
            year += 1;
            week = 1;
        }
    }
    (year, week)
}

/// Appends conversion `c` (the letter after `%`, modifiers dropped) of `d`.
fn convert(out: &mut String, c: u8, d: &DateTime, utc: bool) {
    use std::fmt::Write;
    let hour12 = if d.hour % 12 == 0 { 12 } else { d.hour % 12 };
    let _ = match c {
        b'a' => write!(out, "{}", &DAY_NAMES[d.wday as usize][..3]),
        b'A' => write!(out, "{}", DAY_NAMES[d.wday as usize]),
        b'b' | b'h' => write!(out, "{}", &MONTH_NAMES[(d.month - 1) as usize][..3]),
        b'B' => write!(out, "{}", MONTH_NAMES[(d.month - 1) as usize]),
        b'c' => {
            convert(out, b'a', d, utc);
            out.push(' ');
            convert(out, b'b', d, utc);
            out.push(' ');
            convert(out, b'e', d, utc);
            out.push(' ');
            convert(out, b'T', d, utc);
            out.push(' ');
            convert(out, b'Y', d, utc);
            Ok(())
        }
        b'C' => write!(out, "{:02}", d.year.div_euclid(100)),
        b'd' => write!(out, "{:02}", d.day),
        b'D' | b'x' => write!(
            out,
            "{:02}/{:02}/{:02}",
            d.month,
            d.day,
            d.year.rem_euclid(100)
        ),
        b'e' => write!(out, "{:2}", d.day),
        b'F' => write!(out, "{}-{:02}-{:02}", d.year, d.month, d.day),
        b'g' => write!(out, "{:02}", iso_week(d).0.rem_euclid(100)),
        b'G' => write!(out, "{}", iso_week(d).0),
        b'H' => write!(out, "{:02}", d.hour),
        b'I' => write!(out, "{hour12:02}"),
        b'j' => write!(out, "{:03}", d.yday),
        b'm' => write!(out, "{:02}", d.month),
        b'M' => write!(out, "{:02}", d.min),
        b'n' => out.write_char('\n'),
        b'p' => write!(out, "{}", if d.hour < 12 { "AM" } else { "PM" }),
        b'r' => write!(
            out,
            "{hour12:02}:{:02}:{:02} {}",
            d.min,
            d.sec,
            if d.hour < 12 { "AM" } else { "PM" }
        ),
        b'R' => write!(out, "{:02}:{:02}", d.hour, d.min),
        b'S' => write!(out, "{:02}", d.sec),
        b't' => write!(out, "\t"),
        b'T' | b'X' => write!(out, "{:02}:{:02}:{:02}", d.hour, d.min, d.sec),
        b'u' => write!(out, "{}", if d.wday == 0 { 7 } else { d.wday }),
        b'U' => write!(out, "{:02}", (d.yday - 1 + 7 - d.wday) / 7),
        b'V' => write!(out, "{:02}", iso_week(d).1),
        b'w' => write!(out, "{}", d.wday),
        b'W' => write!(out, "{:02}", (d.yday - 1 + 7 - (d.wday + 6) % 7) / 7),
        b'y' => write!(out, "{:02}", d.year.rem_euclid(100)),
        b'Y' => write!(out, "{}", d.year),
        b'z' => write!(out, "+0000"),
        b'Z' => write!(out, "{}", if utc { "GMT" } else { "UTC" }),
        _ => write!(out, "%"),
    };
}

/// Formats `d` with a `strftime` format; `Err(rest)` names the invalid
/// conversion (the format text after its `%`).
pub fn format(fmt: &[u8], d: &DateTime, utc: bool) -> Result<Vec<u8>, Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            out.push(fmt[i]);
            i += 1;
            continue;
        }
        let spec = &fmt[i + 1..];
        let n = conversion_len(spec).ok_or_else(|| spec.to_vec())?;
        let mut piece = String::new();
        convert(&mut piece, spec[n - 1], d, utc);
        out.extend_from_slice(piece.as_bytes());
        i += 1 + n;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 59, 365, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn formats_like_c_locale() {
        // 2026-11-25 06:43:09 UTC, a Wednesday
        let d = from_timestamp(1_795_588_989).unwrap_or_else(|| unreachable!());
        let f = |s: &str| {
            String::from_utf8(format(s.as_bytes(), &d, true).unwrap_or_default())
                .unwrap_or_default()
        };
        assert_eq!(f("%c"), "Wed Nov 25 06:43:09 2026");
        assert_eq!(
            f("%Y-%m-%d %H:%M:%S %j %a %A %b %B"),
            "2026-11-25 06:43:09 329 Wed Wednesday Nov November"
        );
        assert_eq!(
            f("%x %X %p %I %y %C %e %u %w %%"),
            "11/25/26 06:43:09 AM 06 26 20 25 3 3 %"
        );
        assert_eq!(f("%U %W %V %G %g"), "47 47 48 2026 26");
        assert_eq!(format(b"%Ez", &d, true), Err(b"Ez".to_vec()));
        assert_eq!(format(b"%Ex", &d, true), Ok(b"11/25/26".to_vec()));
    }

    #[test]
    fn normalises_like_mktime() {
        let t = to_timestamp(2000, 13, 1, 12, 0, 0);
        assert_eq!(t, to_timestamp(2001, 1, 1, 12, 0, 0));
        assert_eq!(to_timestamp(1970, 1, 1, 0, 0, 0), Some(0));
        assert_eq!(to_timestamp(1970, 1, 0, 0, 0, 0), Some(-86_400));
    }
}
