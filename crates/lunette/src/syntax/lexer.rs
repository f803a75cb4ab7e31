//! The lexer: turns source bytes into tokens, one at a time.
//!
//! Like Lua's, it keeps the text of the token being read in a buffer
//! (string literals with their escapes already processed), which error
//! messages quote (`near '"abc'`). Line breaks are `\n`, `\r`, `\r\n` or
//! `\n\r`, each counted once.

use super::token::{Keyword, Token};
use super::SyntaxError;
use crate::number::{str_to_number, Number};

/// What an error message shows after `near`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Near {
    /// Nothing (no `near` part at all).
    Nothing,
    /// `<eof>`.
    Eof,
    /// The buffered token text, quoted.
    Text,
}

/// Lua's "isspace" for source text.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Letters and `_` (what may start a name).
fn is_alpha(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

/// Letters, digits and `_` (what may continue a name).
fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Formats a message the way Lua does: `chunkid:line: msg [near X]`.
pub fn format_message(chunkid: &str, line: u32, msg: &str, near: Option<&str>) -> SyntaxError {
    let message = match near {
        Some(n) => format!("{chunkid}:{line}: {msg} near {n}"),
        None => format!("{chunkid}:{line}: {msg}"),
    };
    SyntaxError { message }
}

/// The lexer state.
pub struct Lexer<'a> {
    /// The source.
    src: &'a [u8],
    /// Position of the current (not yet consumed) byte.
    pos: usize,
    /// Current line number.
    pub line: u32,
    /// Text of the token being read (or last read).
    pub buf: Vec<u8>,
    /// The chunk name as messages show it.
    pub chunkid: String,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `src`.
    pub fn new(src: &'a [u8], chunkid: String) -> Self {
        Lexer {
            src,
            pos: 0,
            line: 1,
            buf: Vec::new(),
            chunkid,
        }
    }

    /// The current byte, `None` at end of input.
    fn cur(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Moves to the next byte.
    fn advance(&mut self) {
        if self.pos < self.src.len() {
            self.pos += 1;
        }
    }

    /// Saves the current byte into the buffer and moves on.
    fn save_advance(&mut self) {
        if let Some(c) = self.cur() {
            self.buf.push(c);
        }
        self.advance();
    }

    /// Whether the current byte is `\n` or `\r`.
    fn at_newline(&self) -> bool {
        matches!(self.cur(), Some(b'\n' | b'\r'))
    }

    /// Skips one line break (`\n`, `\r`, `\r\n` or `\n\r`) and counts it.
    fn skip_newline(&mut self) {
        let first = self.cur();
        self.advance();
        if self.at_newline() && self.cur() != first {
            self.advance();
        }
        self.line = self.line.saturating_add(1);
    }

    /// The buffered text as messages quote it (cut at a zero byte, as C
    /// strings are).
    pub fn buffer_text(&self) -> String {
        let end = self
            .buf
            .iter()
            .position(|&c| c == 0)
            .unwrap_or(self.buf.len());
        format!("'{}'", String::from_utf8_lossy(&self.buf[..end]))
    }

    /// A lexical error at the current line.
    pub fn error(&self, msg: &str, near: Near) -> SyntaxError {
        let text;
        let near = match near {
            Near::Nothing => None,
            Near::Eof => Some("<eof>"),
            Near::Text => {
                text = self.buffer_text();
                Some(text.as_str())
            }
        };
        format_message(&self.chunkid, self.line, msg, near)
    }

    /// Reads the next token.
    pub fn next_token(&mut self) -> Result<Token, SyntaxError> {
        self.buf.clear();
        loop {
            let Some(c) = self.cur() else {
                return Ok(Token::Eof);
            };
            match c {
                b'\n' | b'\r' => self.skip_newline(),
                b' ' | b'\t' | 0x0b | 0x0c => self.advance(),
                b'-' => {
                    self.advance();
                    if self.cur() != Some(b'-') {
                        return Ok(Token::Char(b'-'));
                    }
                    self.advance();
                    self.skip_comment()?;
                }
                b'[' => {
                    let sep = self.skip_sep();
                    if sep >= 2 {
                        return self.read_long_string(sep, true);
                    } else if sep == 0 {
                        return Err(self.error("invalid long string delimiter", Near::Text));
                    }
                    return Ok(Token::Char(b'['));
                }
                b'=' => return Ok(self.one_or_two(b'=', Token::Eq, Token::Char(b'='))),
                b'<' => {
                    self.advance();
                    return Ok(match self.cur() {
                        Some(b'=') => {
                            self.advance();
                            Token::Le
                        }
                        Some(b'<') => {
                            self.advance();
                            Token::Shl
                        }
                        _ => Token::Char(b'<'),
                    });
                }
                b'>' => {
                    self.advance();
                    return Ok(match self.cur() {
                        Some(b'=') => {
                            self.advance();
                            Token::Ge
                        }
                        Some(b'>') => {
                            self.advance();
                            Token::Shr
                        }
                        _ => Token::Char(b'>'),
                    });
                }
                b'/' => return Ok(self.one_or_two(b'/', Token::IDiv, Token::Char(b'/'))),
                b'~' => return Ok(self.one_or_two(b'=', Token::Ne, Token::Char(b'~'))),
                b':' => return Ok(self.one_or_two(b':', Token::DbColon, Token::Char(b':'))),
                b'"' | b'\'' => return self.read_string(c),
                b'.' => {
                    self.save_advance();
                    if self.cur() == Some(b'.') {
                        self.advance();
                        if self.cur() == Some(b'.') {
                            self.advance();
                            return Ok(Token::Dots);
                        }
                        return Ok(Token::Concat);
                    }
                    if !matches!(self.cur(), Some(b'0'..=b'9')) {
                        return Ok(Token::Char(b'.'));
                    }
                    return self.read_numeral();
                }
                b'0'..=b'9' => return self.read_numeral(),
                _ if is_alpha(c) => {
                    while let Some(c) = self.cur() {
                        if !is_alnum(c) {
                            break;
                        }
                        self.save_advance();
                    }
                    if let Some(k) = Keyword::from_bytes(&self.buf) {
                        return Ok(Token::Keyword(k));
                    }
                    return Ok(Token::Name(self.buf.as_slice().into()));
                }
                _ => {
                    self.advance();
                    return Ok(Token::Char(c));
                }
            }
        }
    }

    /// After the first byte of a possibly two-byte token: `two` when the
    /// next byte is `second`, else `one`.
    fn one_or_two(&mut self, second: u8, two: Token, one: Token) -> Token {
        self.advance();
        if self.cur() == Some(second) {
            self.advance();
            two
        } else {
            one
        }
    }

    /// Skips a comment (after `--`): long if it opens with `[=*[`, else to
    /// the end of the line.
    fn skip_comment(&mut self) -> Result<(), SyntaxError> {
        if self.cur() == Some(b'[') {
            let sep = self.skip_sep();
            self.buf.clear();
            if sep >= 2 {
                self.read_long_string(sep, false)?;
                self.buf.clear();
                return Ok(());
            }
        }
        while !self.at_newline() && self.cur().is_some() {
            self.advance();
        }
        Ok(())
    }

    /// Reads `[=*[` or `]=*]` (saving it), leaving the last bracket
    /// unread. Returns the number of `=` plus 2 when well formed, 1 for a
    /// lone bracket, 0 for an unfinished `[==`.
    fn skip_sep(&mut self) -> usize {
        let bracket = self.cur();
        self.save_advance();
        let mut count = 0;
        while self.cur() == Some(b'=') {
            self.save_advance();
            count += 1;
        }
        if self.cur() == bracket {
            count + 2
        } else if count == 0 {
            1
        } else {
            0
        }
    }

    /// Reads a long string or comment whose opening `[=*` has been read
    /// (the second `[` is current). A first line break is skipped.
    fn read_long_string(&mut self, sep: usize, is_string: bool) -> Result<Token, SyntaxError> {
        let start_line = self.line;
        self.save_advance();
        if self.at_newline() {
            self.skip_newline();
        }
        loop {
            match self.cur() {
                None => {
                    let what = if is_string { "string" } else { "comment" };
                    let msg = format!("unfinished long {what} (starting at line {start_line})");
                    return Err(self.error(&msg, Near::Eof));
                }
                Some(b']') => {
                    if self.skip_sep() == sep {
                        self.save_advance();
                        break;
                    }
                }
                Some(b'\n' | b'\r') => {
                    self.buf.push(b'\n');
                    self.skip_newline();
                    if !is_string {
                        self.buf.clear();
                    }
                }
                Some(_) => {
                    if is_string {
                        self.save_advance();
                    } else {
                        self.advance();
                    }
                }
            }
        }
        if !is_string {
            return Ok(Token::Eof);
        }
        let len = self.buf.len();
        let body = self.buf.get(sep..len.saturating_sub(sep)).unwrap_or(&[]);
        Ok(Token::Str(body.into()))
    }

    /// Reads a numeral (its first digit, or `.` then a digit, is current or
    /// already saved) and converts it.
    fn read_numeral(&mut self) -> Result<Token, SyntaxError> {
        let first = self.cur();
        self.save_advance();
        let mut exponent_marks = [b'E', b'e'];
        if first == Some(b'0') && matches!(self.cur(), Some(b'x' | b'X')) {
            self.save_advance();
            exponent_marks = [b'P', b'p'];
        }
        loop {
            match self.cur() {
                Some(c) if exponent_marks.contains(&c) => {
                    self.save_advance();
                    if matches!(self.cur(), Some(b'+' | b'-')) {
                        self.save_advance();
                    }
                }
                Some(c) if c.is_ascii_hexdigit() || c == b'.' => self.save_advance(),
                _ => break,
            }
        }
        if matches!(self.cur(), Some(c) if is_alpha(c)) {
            self.save_advance();
        }
        match str_to_number(&self.buf) {
            Some(Number::Int(i)) => Ok(Token::Int(i)),
            Some(Number::Float(f)) => Ok(Token::Float(f)),
            None => Err(self.error("malformed number", Near::Text)),
        }
    }

    /// Fails with `msg` unless `ok`, first adding the current byte to the
    /// buffer so the message shows it.
    fn escape_check(&mut self, ok: bool, msg: &str) -> Result<(), SyntaxError> {
        if ok {
            return Ok(());
        }
        if self.cur().is_some() {
            self.save_advance();
        }
        Err(self.error(msg, Near::Text))
    }

    /// Saves the byte before the current one (already consumed) and checks
    /// the current one is a hex digit; returns its value.
    fn hex_digit_after_save(&mut self) -> Result<u32, SyntaxError> {
        self.save_advance();
        let digit = self.cur().and_then(|c| (c as char).to_digit(16));
        self.escape_check(digit.is_some(), "hexadecimal digit expected")?;
        Ok(digit.unwrap_or(0))
    }

    /// Removes the last `n` bytes from the buffer.
    fn unsave(&mut self, n: usize) {
        let len = self.buf.len().saturating_sub(n);
        self.buf.truncate(len);
    }

    /// Reads a short string delimited by `delim` (current).
    fn read_string(&mut self, delim: u8) -> Result<Token, SyntaxError> {
        self.save_advance();
        loop {
            let Some(c) = self.cur() else {
                return Err(self.error("unfinished string", Near::Eof));
            };
            if c == delim {
                break;
            }
            match c {
                b'\n' | b'\r' => return Err(self.error("unfinished string", Near::Text)),
                b'\\' => self.read_escape()?,
                _ => self.save_advance(),
            }
        }
        self.save_advance();
        let len = self.buf.len();
        let body = self.buf.get(1..len.saturating_sub(1)).unwrap_or(&[]);
        Ok(Token::Str(body.into()))
    }

    /// Reads an escape sequence (the `\` is current) and saves its value.
    fn read_escape(&mut self) -> Result<(), SyntaxError> {
        self.save_advance(); // keep the backslash for messages
        let Some(c) = self.cur() else {
            return Ok(()); // the caller reports the unfinished string
        };
        let value = match c {
            b'a' => 0x07,
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 0x0b,
            b'\\' | b'"' | b'\'' => c,
            b'x' => {
                let high = self.hex_digit_after_save()?;
                let low = self.hex_digit_after_save()?;
                self.unsave(2);
                (high * 16 + low) as u8
            }
            b'u' => return self.read_utf8_escape(),
            b'\n' | b'\r' => {
                self.skip_newline();
                self.unsave(1);
                self.buf.push(b'\n');
                return Ok(());
            }
            b'z' => {
                self.unsave(1);
                self.advance();
                while let Some(c) = self.cur() {
                    if !is_space(c) {
                        break;
                    }
                    if self.at_newline() {
                        self.skip_newline();
                    } else {
                        self.advance();
                    }
                }
                return Ok(());
            }
            _ => {
                self.escape_check(c.is_ascii_digit(), "invalid escape sequence")?;
                let value = self.read_decimal_escape()?;
                self.unsave(1);
                self.buf.push(value);
                return Ok(());
            }
        };
        self.advance();
        self.unsave(1);
        self.buf.push(value);
        Ok(())
    }

    /// Reads `\ddd` (up to three digits, current is the first).
    fn read_decimal_escape(&mut self) -> Result<u8, SyntaxError> {
        let mut value: u32 = 0;
        let mut count = 0;
        while count < 3 {
            match self.cur() {
                Some(d) if d.is_ascii_digit() => {
                    value = value * 10 + u32::from(d - b'0');
                    self.save_advance();
                    count += 1;
                }
                _ => break,
            }
        }
        self.escape_check(value <= 255, "decimal escape too large")?;
        self.unsave(count);
        Ok(value as u8)
    }

    /// Reads `\u{XXX}` (`u` is current) and saves the (extended) UTF-8
    /// encoding of the value.
    fn read_utf8_escape(&mut self) -> Result<(), SyntaxError> {
        let mut saved = 4; // '\', 'u', '{' and the first digit
        self.save_advance(); // the 'u'
        self.escape_check(self.cur() == Some(b'{'), "missing '{'")?;
        let mut value = self.hex_digit_after_save()?;
        loop {
            self.save_advance();
            let Some(d) = self.cur().and_then(|c| (c as char).to_digit(16)) else {
                break;
            };
            saved += 1;
            self.escape_check(value <= (0x7FFF_FFFF >> 4), "UTF-8 value too large")?;
            value = (value << 4) + d;
        }
        self.escape_check(self.cur() == Some(b'}'), "missing '}'")?;
        self.advance();
        self.unsave(saved);
        encode_utf8(value, &mut self.buf);
        Ok(())
    }
}

/// Appends the (extended, up to 6 bytes) UTF-8 encoding of `x` (< 2^31).
pub fn encode_utf8(x: u32, out: &mut Vec<u8>) {
    if x < 0x80 {
        out.push(x as u8);
        return;
    }
    // Continuation bytes first (collected backwards), then the lead byte.
    let mut tail = [0u8; 6];
    let mut n = 0;
    let mut rest = x;
    let mut max_lead: u32 = 0x3f; // largest payload that fits in the lead byte
    while rest > max_lead {
        tail[n] = 0x80 | (rest & 0x3f) as u8;
        n += 1;
        rest >>= 6;
        max_lead >>= 1;
    }
    let lead_mark = (!max_lead << 1) & 0xff;
    out.push((lead_mark | rest) as u8);
    for i in (0..n).rev() {
        out.push(tail[i]);
    }
}
