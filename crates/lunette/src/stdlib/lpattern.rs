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

/// Result of matcher steps: error messages are Lua's texts.
pub type PatResult<T> = Result<T, String>;

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

/// Whether byte `c` belongs to class letter `cl` (`a`, `d`, `S`, ...);
/// other letters stand for themselves. C-locale (ASCII) classification.
pub fn match_class(c: u8, cl: u8) -> bool {
    let res = match cl.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c < 32 || c == 127,
        b'd' => c.is_ascii_digit(),
        b'g' => (33..=126).contains(&c),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => c == b' ' || (9..=13).contains(&c),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        b'z' => c == 0,
        _ => return cl == c,
    };
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
        }
    }

    /// The subject string.
    #[inline]
    pub fn subject(&self) -> &'a [u8] {
        self.src
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
        self.do_match(s, p)
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
                return Err(format!("invalid capture index %{}", i + 1));
            }
            return Ok(CaptureValue::Str(&self.src[s..e]));
        }
        let cap = self.captures[i];
        match cap.kind {
            CapKind::Unfinished => Err("unfinished capture".to_string()),
            CapKind::Position => Ok(CaptureValue::Pos(cap.start + 1)),
            CapKind::Len(l) => Ok(CaptureValue::Str(&self.src[cap.start..cap.start + l])),
        }
    }

    #[inline(always)]
    fn pat_at(&self, i: usize) -> u8 {
        self.pat.get(i).copied().unwrap_or(0)
    }

    fn do_match(&mut self, s: usize, p: usize) -> PatResult<Option<usize>> {
        if self.depth_left == 0 {
            return Err("pattern too complex".to_string());
        }
        self.depth_left -= 1;
        let r = self.match_body(s, p);
        self.depth_left += 1;
        r
    }

    fn match_body(&mut self, mut s: usize, mut p: usize) -> PatResult<Option<usize>> {
        let src = self.src;
        let plen = self.pat.len();
        loop {
            if p >= plen {
                return Ok(Some(s));
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
                    return Ok(if s == src.len() { Some(s) } else { None });
                }
                ESC if p + 1 < plen => match self.pat[p + 1] {
                    b'b' => match self.match_balance(s, p + 2)? {
                        Some(ns) => {
                            s = ns;
                            p += 4;
                            continue;
                        }
                        None => return Ok(None),
                    },
                    b'f' => {
                        p += 2;
                        if self.pat_at(p) != b'[' || p >= plen {
                            return Err("missing '[' after '%f' in pattern".to_string());
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
                        return Ok(None);
                    }
                    d @ b'0'..=b'9' => match self.match_capture(s, d)? {
                        Some(ns) => {
                            s = ns;
                            p += 2;
                            continue;
                        }
                        None => return Ok(None),
                    },
                    _ => {}
                },
                _ => {}
            }
            let ep = self.class_end(p)?;
            let matched = self.single_match(s, p, ep);
            match self.pat_at(ep) {
                b'?' if ep < plen => {
                    if matched {
                        if let Some(r) = self.do_match(s + 1, ep + 1)? {
                            return Ok(Some(r));
                        }
                    }
                    p = ep + 1;
                }
                b'+' if ep < plen => {
                    return if matched {
                        self.max_expand(s + 1, p, ep)
                    } else {
                        Ok(None)
                    };
                }
                b'*' if ep < plen => return self.max_expand(s, p, ep),
                b'-' if ep < plen => return self.min_expand(s, p, ep),
                _ => {
                    if !matched {
                        return Ok(None);
                    }
                    s += 1;
                    p = ep;
                }
            }
        }
    }

    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> PatResult<Option<usize>> {
        let mut i = 0;
        while self.single_match(s + i, p, ep) {
            i += 1;
        }
        loop {
            if let Some(r) = self.do_match(s + i, ep + 1)? {
                return Ok(Some(r));
            }
            if i == 0 {
                return Ok(None);
            }
            i -= 1;
        }
    }

    fn min_expand(&mut self, mut s: usize, p: usize, ep: usize) -> PatResult<Option<usize>> {
        loop {
            if let Some(r) = self.do_match(s, ep + 1)? {
                return Ok(Some(r));
            }
            if self.single_match(s, p, ep) {
                s += 1;
            } else {
                return Ok(None);
            }
        }
    }

    fn start_capture(&mut self, s: usize, p: usize, kind: CapKind) -> PatResult<Option<usize>> {
        if self.level >= MAX_CAPTURES {
            return Err("too many captures".to_string());
        }
        self.captures[self.level] = Capture { start: s, kind };
        self.level += 1;
        let r = self.do_match(s, p)?;
        if r.is_none() {
            self.level -= 1;
        }
        Ok(r)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> PatResult<Option<usize>> {
        let l = self.capture_to_close()?;
        self.captures[l].kind = CapKind::Len(s - self.captures[l].start);
        let r = self.do_match(s, p)?;
        if r.is_none() {
            self.captures[l].kind = CapKind::Unfinished;
        }
        Ok(r)
    }

    fn capture_to_close(&self) -> PatResult<usize> {
        (0..self.level)
            .rev()
            .find(|&l| self.captures[l].kind == CapKind::Unfinished)
            .ok_or_else(|| "invalid pattern capture".to_string())
    }

    fn match_capture(&mut self, s: usize, digit: u8) -> PatResult<Option<usize>> {
        let l = digit as i64 - b'1' as i64;
        if l < 0 || l >= self.level as i64 || self.captures[l as usize].kind == CapKind::Unfinished
        {
            return Err(format!("invalid capture index %{}", l + 1));
        }
        let cap = self.captures[l as usize];
        if let CapKind::Len(len) = cap.kind {
            if self.src.len() - s >= len
                && self.src[cap.start..cap.start + len] == self.src[s..s + len]
            {
                return Ok(Some(s + len));
            }
        }
        Ok(None)
    }

    fn match_balance(&self, s: usize, p: usize) -> PatResult<Option<usize>> {
        if p + 1 >= self.pat.len() {
            return Err("malformed pattern (missing arguments to '%b')".to_string());
        }
        let (open, close) = (self.pat[p], self.pat[p + 1]);
        if s >= self.src.len() || self.src[s] != open {
            return Ok(None);
        }
        let mut depth = 1usize;
        for (i, &c) in self.src.iter().enumerate().skip(s + 1) {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            } else if c == open {
                depth += 1;
            }
        }
        Ok(None)
    }

    /// Offset just after the single-character class starting at `p`.
    fn class_end(&self, p: usize) -> PatResult<usize> {
        let pat = self.pat;
        let c = pat[p];
        let mut p = p + 1;
        if c == ESC {
            if p >= pat.len() {
                return Err("malformed pattern (ends with '%')".to_string());
            }
            return Ok(p + 1);
        }
        if c == b'[' {
            if self.pat_at(p) == b'^' && p < pat.len() {
                p += 1;
            }
            loop {
                if p >= pat.len() {
                    return Err("malformed pattern (missing ']')".to_string());
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

    #[inline]
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

/// Finds the first match of `pat` in `src` starting at offset `init`
/// (handling a leading `^` anchor). On success returns the match bounds and
/// leaves the captures in the returned matcher.
pub fn find_match<'a>(
    src: &'a [u8],
    pat: &'a [u8],
    init: usize,
) -> PatResult<Option<(Matcher<'a>, usize, usize)>> {
    let anchored = pat.first() == Some(&b'^');
    let p0 = usize::from(anchored);
    let mut m = Matcher::new(src, pat);
    let mut s = init;
    loop {
        m.reset();
        if let Some(e) = m.match_at(s, p0)? {
            return Ok(Some((m, s, e)));
        }
        s += 1;
        if anchored || s > src.len() {
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

    #[test]
    fn errors() {
        assert_eq!(
            first("a", "%").unwrap_err(),
            "malformed pattern (ends with '%')"
        );
        assert_eq!(
            first("a", "[a").unwrap_err(),
            "malformed pattern (missing ']')"
        );
        assert_eq!(
            first("a", "%f").unwrap_err(),
            "missing '[' after '%f' in pattern"
        );
        assert_eq!(first("a", "%1").unwrap_err(), "invalid capture index %1");
        assert_eq!(first("a", "a)").unwrap_err(), "invalid pattern capture");
        assert_eq!(first("a", "(a").unwrap_err(), "unfinished capture");
        assert_eq!(
            first("a", &"()".repeat(33)).unwrap_err(),
            "too many captures"
        );
        let long = "a".repeat(300);
        assert_eq!(
            first(&long, &"a?".repeat(300)).unwrap_err(),
            "pattern too complex"
        );
    }
}
