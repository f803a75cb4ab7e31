//! Lexer tests: string and numeral literals compared with lua5.4 (the
//! expected values were produced by evaluating the same literals in lua5.4).

use super::ast::ExprKind;
use super::parse;

/// The value of `return <literal>`.
fn literal(src: &[u8]) -> ExprKind {
    let mut text = b"return ".to_vec();
    text.extend_from_slice(src);
    match parse(&text, b"=input") {
        Ok(c) => c
            .body
            .ret
            .map(|r| r.exprs[0].kind.clone())
            .unwrap_or(ExprKind::Nil),
        Err(e) => panic!("{:?}: {}", String::from_utf8_lossy(src), e.message),
    }
}

/// (literal source, lua5.4's string bytes)
const STRINGS: &[(&[u8], &[u8])] = &[
    (b"\x22abc\x22", b"abc"),
    (b"'abc'", b"abc"),
    (b"\x22\x5ca\x5cb\x5cf\x5cn\x5cr\x5ct\x5cv\x5c\x5c\x5c\x22\x5c'\x22", b"\x07\x08\x0c\x0a\x0d\x09\x0b\x5c\x22'"),
    (b"\x22a\x5c\x0ab\x22", b"a\x0ab"),
    (b"\x22a\x5c\x0d\x0ab\x22", b"a\x0ab"),
    (b"\x22a\x5c\x0a\x0db\x22", b"a\x0ab"),
    (b"\x22a\x5c\x0db\x22", b"a\x0ab"),
    (b"\x22\x5cz   \x0a    x\x22", b"x"),
    (b"\x22a\x5cz\x0a  \x0a  b\x22", b"ab"),
    (b"\x22\x5cx41\x5cx4a\x5cx4A\x5cxff\x5cx00\x22", b"AJJ\xff\x00"),
    (b"\x22\x5c0\x5c1\x5c12\x5c123\x5c255\x5c0011\x22", b"\x00\x01\x0c{\xff\x011"),
    (b"\x22\x5cu{0}\x5cu{7F}\x5cu{80}\x5cu{7FF}\x5cu{800}\x5cu{FFFF}\x5cu{10000}\x5cu{10FFFF}\x5cu{110000}\x5cu{7FFFFFFF}\x5cu{00000041}\x22", b"\x00\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\xf4\x90\x80\x80\xfd\xbf\xbf\xbf\xbf\xbfA"),
    (b"[[abc]]", b"abc"),
    (b"[[\x0aabc]]", b"abc"),
    (b"[[\x0d\x0aabc]]", b"abc"),
    (b"[[\x0a\x0aabc]]", b"\x0aabc"),
    (b"[==[a]]b]=]c]==]", b"a]]b]=]c"),
    (b"[[a\x0d\x0ab\x0a\x0dc\x0dd\x0ae]]", b"a\x0ab\x0ac\x0ad\x0ae"),
    (b"[=[\x0a]=]", b""),
    (b"[[]]", b""),
    (b"\x22\x22", b""),
    (b"''", b""),
    (b"\x22'\x22", b"'"),
    (b"'\x22'", b"\x22"),
    (b"[[\x5cn]]", b"\x5cn"),
    (b"\x22\x5c65\x5c066\x5c0677\x22", b"ABC7"),
    (b"\x22tab\x09inside\x22", b"tab\x09inside"),
];

/// (numeral, is integer, lua5.4's value bits)
const NUMBERS: &[(&str, bool, u64)] = &[
    ("0", true, 0x0),
    ("1", true, 0x1),
    ("3", true, 0x3),
    ("345", true, 0x159),
    ("0xff", true, 0xff),
    ("0XFF", true, 0xff),
    ("0xA", true, 0xa),
    ("0Xa", true, 0xa),
    ("0x7fffffffffffffff", true, 0x7fffffffffffffff),
    ("0xffffffffffffffff", true, 0xffffffffffffffff),
    ("0x10000000000000000", true, 0x0),
    ("0x1ffffffffffffffff", true, 0xffffffffffffffff),
    ("9223372036854775807", true, 0x7fffffffffffffff),
    ("9223372036854775808", false, 0x43e0000000000000),
    ("18446744073709551616", false, 0x43f0000000000000),
    ("1e1", false, 0x4024000000000000),
    ("1E1", false, 0x4024000000000000),
    ("1e+1", false, 0x4024000000000000),
    ("1e-1", false, 0x3fb999999999999a),
    (".5", false, 0x3fe0000000000000),
    ("5.", false, 0x4014000000000000),
    ("3.14159", false, 0x400921f9f01b866e),
    ("0.1", false, 0x3fb999999999999a),
    ("1e308", false, 0x7fe1ccf385ebc8a0),
    ("1e309", false, 0x7ff0000000000000),
    ("2e-324", false, 0x0000000000000000),
    ("4.9e-324", false, 0x0000000000000001),
    ("0xA.8p1", false, 0x4035000000000000),
    ("0x.1p4", false, 0x3ff0000000000000),
    ("0x1p-1074", false, 0x0000000000000001),
    ("0x1P+4", false, 0x4030000000000000),
    ("0x.8", false, 0x3fe0000000000000),
    ("0xA.", false, 0x4024000000000000),
    ("0x1.fffffffffffffp1023", false, 0x7fefffffffffffff),
    ("0x1p1024", false, 0x7ff0000000000000),
    ("0x123456789abcdef0123p0", false, 0x44723456789abcdf),
    ("0x.000000000000000000001p100", false, 0x40f0000000000000),
    ("123456789012345678901234567890", false, 0x45f8ee90ff6c373e),
    (
        "0.000000000000000000000000000001",
        false,
        0x39b4484bfeebc2a0,
    ),
    ("1.7976931348623157e308", false, 0x7fefffffffffffff),
    ("2.2250738585072014e-308", false, 0x0010000000000000),
];

#[test]
fn strings_match_lua() {
    for (src, want) in STRINGS {
        match literal(src) {
            ExprKind::Str(s) => assert_eq!(&*s, *want, "{:?}", String::from_utf8_lossy(src)),
            k => panic!("{k:?}"),
        }
    }
}

#[test]
fn numbers_match_lua() {
    for (src, is_int, bits) in NUMBERS {
        match literal(src.as_bytes()) {
            ExprKind::Int(i) => {
                assert!(*is_int, "{src} should be a float");
                assert_eq!(i as u64, *bits, "{src}");
            }
            ExprKind::Float(f) => {
                assert!(!*is_int, "{src} should be an integer");
                assert_eq!(f.to_bits(), *bits, "{src}: {f}");
            }
            k => panic!("{src}: {k:?}"),
        }
    }
}

#[test]
fn line_counting() {
    // \n, \r, \r\n and \n\r each count as one line break.
    for (src, line) in [
        ("\n\n\nx = ", 4),
        ("\r\r\rx = ", 4),
        ("\r\n\r\nx = ", 3),
        ("\n\r\n\rx = ", 3),
        ("\n\n\r\rx = ", 4),
        ("--[[\n\n]]x = ", 3),
        ("x = [[\n\r\n\n]] ..", 4),
        ("x = '\\\n\\\r\\\r\n' ..", 4),
        ("-- c\n-- d\r\nx = ", 3),
    ] {
        let e = parse(src.as_bytes(), b"=input").err().map(|e| e.message);
        let want = format!("input:{line}: unexpected symbol near <eof>");
        assert_eq!(e.as_deref(), Some(want.as_str()), "{src:?}");
    }
}

#[test]
fn tokens_in_messages() {
    use super::token::{Keyword, Token};
    assert_eq!(Token::Eof.describe(), "<eof>");
    assert_eq!(Token::Keyword(Keyword::End).describe(), "'end'");
    assert_eq!(Token::Char(b'=').describe(), "'='");
    assert_eq!(Token::Char(1).describe(), "'<\\1>'");
    assert_eq!(Token::Concat.describe(), "'..'");
    assert_eq!(Token::DbColon.describe(), "'::'");
}
