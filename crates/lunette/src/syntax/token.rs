//! Tokens produced by the lexer, and their spelling in error messages.

use super::ast::Name;

/// A Lua token.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// End of input.
    Eof,
    /// A name (identifier).
    Name(Name),
    /// A string literal (contents, escapes already processed).
    Str(Name),
    /// An integer numeral.
    Int(i64),
    /// A float numeral.
    Float(f64),
    /// A reserved word.
    Keyword(Keyword),
    /// `//`
    IDiv,
    /// `..`
    Concat,
    /// `...`
    Dots,
    /// `==`
    Eq,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `~=`
    Ne,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `::`
    DbColon,
    /// Any single-byte token (`+`, `(`, `=`, ... and stray bytes like `@`).
    Char(u8),
}

/// Lua's reserved words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// `and`
    And,
    /// `break`
    Break,
    /// `do`
    Do,
    /// `else`
    Else,
    /// `elseif`
    Elseif,
    /// `end`
    End,
    /// `false`
    False,
    /// `for`
    For,
    /// `function`
    Function,
    /// `goto`
    Goto,
    /// `if`
    If,
    /// `in`
    In,
    /// `local`
    Local,
    /// `nil`
    Nil,
    /// `not`
    Not,
    /// `or`
    Or,
    /// `repeat`
    Repeat,
    /// `return`
    Return,
    /// `then`
    Then,
    /// `true`
    True,
    /// `until`
    Until,
    /// `while`
    While,
}

/// Every keyword with its spelling.
const KEYWORDS: [(&str, Keyword); 22] = [
    ("and", Keyword::And),
    ("break", Keyword::Break),
    ("do", Keyword::Do),
    ("else", Keyword::Else),
    ("elseif", Keyword::Elseif),
    ("end", Keyword::End),
    ("false", Keyword::False),
    ("for", Keyword::For),
    ("function", Keyword::Function),
    ("goto", Keyword::Goto),
    ("if", Keyword::If),
    ("in", Keyword::In),
    ("local", Keyword::Local),
    ("nil", Keyword::Nil),
    ("not", Keyword::Not),
    ("or", Keyword::Or),
    ("repeat", Keyword::Repeat),
    ("return", Keyword::Return),
    ("then", Keyword::Then),
    ("true", Keyword::True),
    ("until", Keyword::Until),
    ("while", Keyword::While),
];

impl Keyword {
    /// The keyword spelled by `word`, if any.
    pub fn from_bytes(word: &[u8]) -> Option<Keyword> {
        // Keywords are 2 to 8 bytes long and start with a lowercase letter
        // from a small set: reject most names without a search.
        if !(2..=8).contains(&word.len())
            || !matches!(
                word[0],
                b'a' | b'b'
                    | b'd'
                    | b'e'
                    | b'f'
                    | b'g'
                    | b'i'
                    | b'l'
                    | b'n'
                    | b'o'
                    | b'r'
                    | b't'
                    | b'u'
                    | b'w'
            )
        {
            return None;
        }
        KEYWORDS
            .iter()
            .find(|(s, _)| s.as_bytes() == word)
            .map(|&(_, k)| k)
    }

    /// The keyword's spelling.
    pub fn as_str(self) -> &'static str {
        KEYWORDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |&(s, _)| s)
    }
}

impl Token {
    /// The token as Lua names it in "X expected" messages: quoted symbols
    /// and keywords (`'='`, `'end'`), bare classes (`<eof>`, `<name>`,
    /// `<string>`, `<number>`, `<integer>`).
    pub fn describe(&self) -> String {
        match self {
            Token::Eof => "<eof>".into(),
            Token::Name(_) => "<name>".into(),
            Token::Str(_) => "<string>".into(),
            Token::Int(_) => "<integer>".into(),
            Token::Float(_) => "<number>".into(),
            Token::Keyword(k) => format!("'{}'", k.as_str()),
            Token::IDiv => "'//'".into(),
            Token::Concat => "'..'".into(),
            Token::Dots => "'...'".into(),
            Token::Eq => "'=='".into(),
            Token::Ge => "'>='".into(),
            Token::Le => "'<='".into(),
            Token::Ne => "'~='".into(),
            Token::Shl => "'<<'".into(),
            Token::Shr => "'>>'".into(),
            Token::DbColon => "'::'".into(),
            Token::Char(c) => {
                if (0x20..0x7f).contains(c) {
                    format!("'{}'", *c as char)
                } else {
                    format!("'<\\{c}>'")
                }
            }
        }
    }

    /// Whether the token carries source text that messages quote verbatim
    /// (names, strings and numerals).
    pub fn has_text(&self) -> bool {
        matches!(
            self,
            Token::Name(_) | Token::Str(_) | Token::Int(_) | Token::Float(_)
        )
    }

    /// Whether this is the keyword `k`.
    pub fn is_kw(&self, k: Keyword) -> bool {
        matches!(self, Token::Keyword(x) if *x == k)
    }

    /// Whether this is the single-byte token `c`.
    pub fn is_char(&self, c: u8) -> bool {
        matches!(self, Token::Char(x) if *x == c)
    }
}
