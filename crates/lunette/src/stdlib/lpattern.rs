//! The Lua pattern matcher (manual §6.4.1), as a pure function over bytes.
//!
//! A `Matcher` holds the subject, the pattern and the capture table of the
//! match in progress. Matching is backtracking; the recursion depth is
//! bounded by `MAX_MATCH_DEPTH` (deeper patterns raise `pattern too complex`)
//! and single-item repetitions (`*`, `+`, `-`) loop instead of recursing
//! once per repetition. Errors are the message texts Lua raises; the caller
//! adds the position prefix.

/// Maximum number of captures in one pattern.
pub const MAX_CAPTURES: usize = 32;

/// Maximum nesting of the matcher's recursive calls.
const MAX_MATCH_DEPTH: usize = 200;

/// The pattern escape character.
const ESC: u8 = b'%';

/// Characters that make a pattern more than a plain substring.
const SPECIALS: &[u8] = b"^$*+?.([%-";

/// A pattern error (see `PatError::message` for Lua's text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatError {
    /// `%` at the end of the pattern.
    EndsWithEscape,
    /// `[` without its `]`.
    MissingBracket,
    /// `%f` not followed by `[`.
    FrontierWithoutSet,
    /// `%b` without its two characters.
    BalanceArguments,
    /// A back-reference or capture index that names no closed capture
    /// (the value is the 1-based index as written).
    InvalidCaptureIndex(i32),
    /// `)` with no open capture.
    InvalidPatternCapture,
    /// A capture still open when the match ended.
    UnfinishedCapture,
    /// More than `MAX_CAPTURES` captures.
    TooManyCaptures,
    /// Matching recursed deeper than the limit.
    TooComplex,
    /// The matcher took `step_limit` steps (the caller charges the
    /// instruction budget and may retry with a larger allowance).
    StepLimit,
}

impl PatError {
    /// Lua's message for the error.
    pub fn message(self) -> String {
        match self {
            PatError::EndsWithEscape => "malformed pattern (ends with '%')".into(),
            PatError::MissingBracket => "malformed pattern (missing ']')".into(),
            PatError::FrontierWithoutSet => "missing '[' after '%f' in pattern".into(),
            PatError::BalanceArguments => "malformed pattern (missing arguments to '%b')".into(),
            PatError::InvalidCaptureIndex(i) => format!("invalid capture index %{i}"),
            PatError::InvalidPatternCapture => "invalid pattern capture".into(),
            PatError::UnfinishedCapture => "unfinished capture".into(),
            PatError::TooManyCaptures => "too many captures".into(),
            PatError::TooComplex => "pattern too complex".into(),
            PatError::StepLimit => "pattern matching step limit".into(),
        }
    }
}

/// Result of matcher steps.
pub type PatResult<T> = Result<T, PatError>;

/// Internal "no match" end offset (offsets never reach it).
const NO_MATCH: usize = usize::MAX;

/// The state of one capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CapKind {
    /// Opened by `(` and not closed yet.
    Unfinished,
    /// A position capture `()`.
    Position,
    /// A closed capture of this many bytes.
    Len(usize),
}

/// One capture: where it starts in the subject and what it holds.
#[derive(Clone, Copy, Debug)]
pub struct Capture {
    /// Start offset in the subject.
    pub start: usize,
    /// Kind (and length).
    pub kind: CapKind,
}

/// The value of a capture once a match succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureValue<'a> {
    /// A substring of the subject.
    Str(&'a [u8]),
    /// A position capture (1-based offset).
    Pos(usize),
}

/// Matching state for one subject and one pattern.
pub struct Matcher<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    depth_left: usize,
    /// Number of captures opened so far.
    pub level: usize,
    captures: [Capture; MAX_CAPTURES],
    /// Steps taken (pattern items tried, characters scanned by repetitions).
    pub steps: u64,
    /// Steps after which matching stops with `PatError::StepLimit`.
    pub step_limit: u64,
}

/// Whether `pat` contains no pattern special character (plain search).
pub fn has_no_specials(pat: &[u8]) -> bool {
    !pat.iter().any(|c| SPECIALS.contains(c))
}

/// Offset of the first occurrence of `needle` in `hay`.
pub fn find_plain(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if needle.len() > hay.len() {
        return None;
    }
    let first = needle[0];
    let rest = &needle[1..];
    let last_start = hay.len() - needle.len();
    let mut i = 0;
    while i <= last_start {
        match hay[i..=last_start].iter().position(|&c| c == first) {
            None => return None,
            Some(off) => {
                let at = i + off;
                if &hay[at + 1..at + needle.len()] == rest {
                    return Some(at);
                }
                i = at + 1;
            }
        }
    }
    None
}

/// Class bits of every byte (C-locale classification).
const CLASS_BITS: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut bits = 0u16;
        if c.is_ascii_alphabetic() {
            bits |= 1;
        }
        if c < 32 || c == 127 {
            bits |= 2;
        }
        if c.is_ascii_digit() {
            bits |= 4;
        }
        if c >= 33 && c <= 126 {
            bits |= 8;
        }
        if c.is_ascii_lowercase() {
            bits |= 16;
        }
        if c.is_ascii_punctuation() {
            bits |= 32;
        }
        if c == b' ' || (c >= 9 && c <= 13) {
            bits |= 64;
        }
        if c.is_ascii_uppercase() {
            bits |= 128;
        }
        if c.is_ascii_alphanumeric() {
            bits |= 256;
        }
        if c.is_ascii_hexdigit() {
            bits |= 512;
        }
        if c == 0 {
            bits |= 1024;
        }
        t[i] = bits;
        i += 1;
    }
    t
};

/// Whether byte `c` belongs to class letter `cl` (`a`, `d`, `S`, ...);
/// other letters stand for themselves. C-locale (ASCII) classification.
#[inline]
pub fn match_class(c: u8, cl: u8) -> bool {
    let bit = match cl | 0x20 {
        b'a' => 1,
        b'c' => 2,
        b'd' => 4,
        b'g' => 8,
        b'l' => 16,
        b'p' => 32,
        b's' => 64,
        b'u' => 128,
        b'w' => 256,
        b'x' => 512,
        b'z' => 1024,
        _ => return cl == c,
    };
    let res = CLASS_BITS[c as usize] & bit != 0;
    if cl.is_ascii_uppercase() {
        !res
    } else {
        res
    }
}

impl<'a> Matcher<'a> {
    /// A matcher of `pat` against `src`.
    pub fn new(src: &'a [u8], pat: &'a [u8]) -> Matcher<'a> {
        Matcher {
            src,
            pat,
            depth_left: MAX_MATCH_DEPTH,
            level: 0,
            captures: [Capture {
                start: 0,
                kind: CapKind::Unfinished,
            }; MAX_CAPTURES],
            steps: 0,
            step_limit: u64::MAX,
        }
    }

    /// The subject string.
    #[inline]
    pub fn subject(&self) -> &'a [u8] {
        self.src
    }

    /// When every match starting at pattern offset `p0` must begin with
    /// one occurrence of a single-character class, that class's span; scans
    /// use it to skip subject positions cheaply.
    pub fn start_filter(&self, p0: usize) -> Option<(usize, usize)> {
        // captures opening at the start consume nothing: the first item
        // after them starts the match (`()` position captures included)
        let mut p0 = p0;
        while self.pat.get(p0) == Some(&b'(') {
            p0 += if self.pat_at(p0 + 1) == b')' { 2 } else { 1 };
        }
        let c = *self.pat.get(p0)?;
        let next = self.pat_at(p0 + 1);
        match c {
            b'(' | b')' => return None,
            b'$' if p0 + 1 == self.pat.len() => return None,
            ESC if matches!(next, b'b' | b'f' | b'0'..=b'9') => return None,
            _ => {}
        }
        let ep = self.class_end(p0).ok()?;
        if ep < self.pat.len() && matches!(self.pat[ep], b'*' | b'?' | b'-') {
            return None;
        }
        Some((p0, ep))
    }

    /// Whether a match may start at `s` given `start_filter`'s result.
    #[inline]
    pub fn may_start_at(&self, filter: Option<(usize, usize)>, s: usize) -> bool {
        match filter {
            Some((p, ep)) => self.single_match(s, p, ep),
            None => true,
        }
    }

    /// Forgets captures of a previous attempt.
    #[inline]
    pub fn reset(&mut self) {
        self.level = 0;
        self.depth_left = MAX_MATCH_DEPTH;
    }

    /// Tries to match the pattern from offset `p` at subject offset `s`;
    /// returns the end offset of the match.
    pub fn match_at(&mut self, s: usize, p: usize) -> PatResult<Option<usize>> {
        let e = self.do_match(s, p)?;
        Ok((e != NO_MATCH).then_some(e))
    }

    /// Number of values a successful match yields: the captures, or the
    /// whole match when there are none (`whole` says one is available).
    pub fn capture_count(&self, whole: bool) -> usize {
        if self.level == 0 && whole {
            1
        } else {
            self.level
        }
    }

    /// Capture `i` (0-based) of the match `s..e`; index 0 with no captures
    /// means the whole match.
    pub fn capture(&self, i: usize, s: usize, e: usize) -> PatResult<CaptureValue<'a>> {
        if i >= self.level {
            if i != 0 {
                return Err(PatError::InvalidCaptureIndex(i as i32 + 1));
            }
            return Ok(CaptureValue::Str(&self.src[s..e]));
        }
        let cap = self.captures[i];
        match cap.kind {
            CapKind::Unfinished => Err(PatError::UnfinishedCapture),
            CapKind::Position => Ok(CaptureValue::Pos(cap.start + 1)),
            CapKind::Len(l) => Ok(CaptureValue::Str(&self.src[cap.start..cap.start + l])),
        }
    }

    #[inline(always)]
    fn pat_at(&self, i: usize) -> u8 {
        self.pat.get(i).copied().unwrap_or(0)
    }

    fn do_match(&mut self, s: usize, p: usize) -> PatResult<usize> {
        if self.depth_left == 0 {
            return Err(PatError::TooComplex);
        }
        self.depth_left -= 1;
        self.steps += 1;
        if self.steps > self.step_limit {
            self.depth_left += 1;
            return Err(PatError::StepLimit);
        }
        let r = self.match_body(s, p);
        self.depth_left += 1;
        r
    }

    fn match_body(&mut self, mut s: usize, mut p: usize) -> PatResult<usize> {
        let src = self.src;
        let plen = self.pat.len();
        loop {
            if p >= plen {
                return Ok(s);
            }
            match self.pat[p] {
                b'(' => {
                    return if self.pat_at(p + 1) == b')' {
                        self.start_capture(s, p + 2, CapKind::Position)
                    } else {
                        self.start_capture(s, p + 1, CapKind::Unfinished)
                    };
                }
                b')' => return self.end_capture(s, p + 1),
                b'$' if p + 1 == plen => {
                    return Ok(if s == src.len() { s } else { NO_MATCH });
                }
                ESC if p + 1 < plen => match self.pat[p + 1] {
                    b'b' => {
                        let ns = self.match_balance(s, p + 2)?;
                        if ns == NO_MATCH {
                            return Ok(NO_MATCH);
                        }
                        s = ns;
                        p += 4;
                        continue;
                    }
                    b'f' => {
                        p += 2;
                        if self.pat_at(p) != b'[' || p >= plen {
                            return Err(PatError::FrontierWithoutSet);
                        }
                        let ep = self.class_end(p)?;
                        let prev = if s == 0 { 0 } else { src[s - 1] };
                        let cur = src.get(s).copied().unwrap_or(0);
                        if !self.match_bracket_class(prev, p, ep - 1)
                            && self.match_bracket_class(cur, p, ep - 1)
                        {
                            p = ep;
                            continue;
                        }
                        return Ok(NO_MATCH);
                    }
                    d @ b'0'..=b'9' => {
                        let ns = self.match_capture(s, d)?;
                        if ns == NO_MATCH {
                            return Ok(NO_MATCH);
                        }
                        s = ns;
                        p += 2;
                        continue;
                    }
                    _ => {}
                },
                _ => {}
            }
            let ep = self.class_end(p)?;
            let matched = self.single_match(s, p, ep);
            match self.pat_at(ep) {
                b'?' if ep < plen => {
                    if matched {
                        let r = self.do_match(s + 1, ep + 1)?;
                        if r != NO_MATCH {
                            return Ok(r);
                        }
                    }
                    p = ep + 1;
                }
                b'+' if ep < plen => {
                    return if matched {
                        self.max_expand(s + 1, p, ep)
                    } else {
                        Ok(NO_MATCH)
                    };
                }
                b'*' if ep < plen => return self.max_expand(s, p, ep),
                b'-' if ep < plen => return self.min_expand(s, p, ep),
                _ => {
                    if !matched {
                        return Ok(NO_MATCH);
                    }
                    s += 1;
                    p = ep;
                }
            }
        }
    }

    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> PatResult<usize> {
        let mut i = 0;
        while self.single_match(s + i, p, ep) {
            i += 1;
        }
        self.steps += i as u64 / 8;
        loop {
            let r = self.do_match(s + i, ep + 1)?;
            if r != NO_MATCH {
                return Ok(r);
            }
            if i == 0 {
                return Ok(NO_MATCH);
            }
            i -= 1;
        }
    }

    fn min_expand(&mut self, mut s: usize, p: usize, ep: usize) -> PatResult<usize> {
        loop {
            let r = self.do_match(s, ep + 1)?;
            if r != NO_MATCH {
                return Ok(r);
            }
            if self.single_match(s, p, ep) {
                s += 1;
            } else {
                return Ok(NO_MATCH);
            }
        }
    }

    fn start_capture(&mut self, s: usize, p: usize, kind: CapKind) -> PatResult<usize> {
        if self.level >= MAX_CAPTURES {
            return Err(PatError::TooManyCaptures);
        }
        self.captures[self.level] = Capture { start: s, kind };
        self.level += 1;
        let r = self.do_match(s, p)?;
        if r == NO_MATCH {
            self.level -= 1;
        }
        Ok(r)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> PatResult<usize> {
        let l = self.capture_to_close()?;
        self.captures[l].kind = CapKind::Len(s - self.captures[l].start);
        let r = self.do_match(s, p)?;
        if r == NO_MATCH {
            self.captures[l].kind = CapKind::Unfinished;
        }
        Ok(r)
    }

    fn capture_to_close(&self) -> PatResult<usize> {
        (0..self.level)
            .rev()
            .find(|&l| self.captures[l].kind == CapKind::Unfinished)
            .ok_or(PatError::InvalidPatternCapture)
    }

    fn match_capture(&mut self, s: usize, digit: u8) -> PatResult<usize> {
        let l = digit as i64 - b'1' as i64;
        if l < 0 || l >= self.level as i64 || self.captures[l as usize].kind == CapKind::Unfinished
        {
            return Err(PatError::InvalidCaptureIndex(l as i32 + 1));
        }
        let cap = self.captures[l as usize];
        if let CapKind::Len(len) = cap.kind {
            if self.src.len() - s >= len
                && self.src[cap.start..cap.start + len] == self.src[s..s + len]
            {
                return Ok(s + len);
            }
        }
        Ok(NO_MATCH)
    }

    fn match_balance(&self, s: usize, p: usize) -> PatResult<usize> {
        if p + 1 >= self.pat.len() {
            return Err(PatError::BalanceArguments);
        }
        let (open, close) = (self.pat[p], self.pat[p + 1]);
        if s >= self.src.len() || self.src[s] != open {
            return Ok(NO_MATCH);
        }
        let mut depth = 1usize;
        for (i, &c) in self.src.iter().enumerate().skip(s + 1) {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            } else if c == open {
                depth += 1;
            }
        }
        Ok(NO_MATCH)
    }

    /// Offset just after the single-character class starting at `p`.
    fn class_end(&self, p: usize) -> PatResult<usize> {
        let pat = self.pat;
        let c = pat[p];
        let mut p = p + 1;
        if c == ESC {
            if p >= pat.len() {
                return Err(PatError::EndsWithEscape);
            }
            return Ok(p + 1);
        }
        if c == b'[' {
            if self.pat_at(p) == b'^' && p < pat.len() {
                p += 1;
            }
            loop {
                if p >= pat.len() {
                    return Err(PatError::MissingBracket);
                }
                let cc = pat[p];
                p += 1;
                if cc == ESC && p < pat.len() {
                    p += 1;
                }
                if p < pat.len() && pat[p] == b']' {
                    return Ok(p + 1);
                }
            }
        }
        Ok(p)
    }

    #[inline(always)]
    fn single_match(&self, s: usize, p: usize, ep: usize) -> bool {
        let Some(&c) = self.src.get(s) else {
            return false;
        };
        match self.pat[p] {
            b'.' => true,
            ESC => match_class(c, self.pat_at(p + 1)),
            b'[' => self.match_bracket_class(c, p, ep - 1),
            pc => pc == c,
        }
    }

    /// Whether `c` is in the set `[...]` spanning `p..=ec` (`ec` at `]`).
    fn match_bracket_class(&self, c: u8, p: usize, ec: usize) -> bool {
        let mut p = p + 1;
        let mut sig = true;
        if self.pat_at(p) == b'^' {
            sig = false;
            p += 1;
        }
        while p < ec {
            let pc = self.pat[p];
            if pc == ESC {
                p += 1;
                if match_class(c, self.pat_at(p)) {
                    return sig;
                }
                p += 1;
            } else if self.pat_at(p + 1) == b'-' && p + 2 < ec {
                if pc <= c && c <= self.pat[p + 2] {
                    return sig;
                }
                p += 3;
            } else {
                if pc == c {
                    return sig;
                }
                p += 1;
            }
        }
        !sig
    }
}

/// Finds the first match of `m`'s pattern (from pattern offset `p0`) at a
/// subject offset `at..` that does not end at `last` (the end of the
/// previous match: `gsub` and `gmatch` reject an empty match there); only
/// offset `at` is tried when `anchored`. Returns the match bounds.
pub fn find_next(
    m: &mut Matcher<'_>,
    mut at: usize,
    p0: usize,
    anchored: bool,
    last: Option<usize>,
) -> PatResult<Option<(usize, usize)>> {
    // one position only when anchored: no filter needed
    let filter = if anchored { None } else { m.start_filter(p0) };
    loop {
        if m.may_start_at(filter, at) {
            m.reset();
            let e = m.do_match(at, p0)?;
            if e != NO_MATCH && Some(e) != last {
                return Ok(Some((at, e)));
            }
        }
        at += 1;
        if anchored || at > m.src.len() {
            return Ok(None);
        }
    }
}

/// Finds the first match of `pat` in `src` starting at offset `init`
/// (handling a leading `^` anchor). On success returns the match bounds and
/// leaves the captures in the returned matcher.
pub fn find_match<'a>(
    src: &'a [u8],
    pat: &'a [u8],
    init: usize,
) -> PatResult<Option<(Matcher<'a>, usize, usize)>> {
    let mut m = Matcher::new(src, pat);
    Ok(find_in(&mut m, init)?.map(|(s, e)| (m, s, e)))
}

/// Finds the first match of `m`'s pattern in its subject from offset
/// `init` (see `find_match`); returns the match bounds.
pub fn find_in(m: &mut Matcher<'_>, init: usize) -> PatResult<Option<(usize, usize)>> {
    let anchored = m.pat.first() == Some(&b'^');
    let p0 = usize::from(anchored);
    let filter = if anchored { None } else { m.start_filter(p0) };
    let mut s = init;
    loop {
        if m.may_start_at(filter, s) {
            m.reset();
            let e = m.do_match(s, p0)?;
            if e != NO_MATCH {
                return Ok(Some((s, e)));
            }
        }
        s += 1;
        if anchored || s > m.src.len() {
            return Ok(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(src: &str, pat: &str) -> PatResult<Option<(usize, usize, Vec<String>)>> {
        let Some((m, s, e)) = find_match(src.as_bytes(), pat.as_bytes(), 0)? else {
            return Ok(None);
        };
        let mut caps = Vec::new();
        for i in 0..m.capture_count(true) {
            caps.push(match m.capture(i, s, e)? {
                CaptureValue::Str(b) => String::from_utf8_lossy(b).into_owned(),
                CaptureValue::Pos(p) => p.to_string(),
            });
        }
        Ok(Some((s + 1, e, caps)))
    }

    #[test]
    fn basics() {
        assert_eq!(first("hello world", "o w").unwrap().unwrap().0, 5);
        assert_eq!(
            first("hello world", "(h)(.-)o").unwrap().unwrap().2,
            vec!["h", "ell"]
        );
        assert_eq!(first("  x", "^%s*()").unwrap().unwrap().2, vec!["3"]);
        assert_eq!(
            first("f(a(b)c)d", "%b()").unwrap().unwrap().2,
            vec!["(a(b)c)"]
        );
        assert_eq!(
            first("THE (quick) fox", "%f[%a]%a+").unwrap().unwrap().2,
            vec!["THE"]
        );
        assert_eq!(first("abcabc", "(abc)%1").unwrap().unwrap().1, 6);
        assert_eq!(first("a]b", "[]]").unwrap().unwrap().0, 2);
        assert_eq!(first("x-y", "[a%-]").unwrap().unwrap().0, 2);
        assert_eq!(first("abc", "c$").unwrap().unwrap().0, 3);
        assert!(first("abc", "^b").unwrap().is_none());
    }

    fn err(src: &str, pat: &str) -> String {
        first(src, pat).unwrap_err().message()
    }

    #[test]
    fn errors() {
        assert_eq!(err("a", "%"), "malformed pattern (ends with '%')");
        assert_eq!(err("a", "[a"), "malformed pattern (missing ']')");
        assert_eq!(err("a", "%f"), "missing '[' after '%f' in pattern");
        assert_eq!(err("a", "%1"), "invalid capture index %1");
        assert_eq!(err("a", "a)"), "invalid pattern capture");
        assert_eq!(err("a", "(a"), "unfinished capture");
        assert_eq!(err("a", &"()".repeat(33)), "too many captures");
        let long = "a".repeat(300);
        assert_eq!(err(&long, &"a?".repeat(300)), "pattern too complex");
    }
}
