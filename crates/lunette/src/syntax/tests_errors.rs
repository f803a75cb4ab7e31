//! Error messages compared with lua5.4's (expected strings were produced by
//! running the same inputs through `load(s, "=input")` in lua5.4).

use super::parse;

/// (source, lua5.4's message)
const CASES: &[(&[u8], &str)] = &[
    (b"\x22abc", "input:1: unfinished string near <eof>"),
    (
        b"\x22abc\x0a\x22",
        "input:1: unfinished string near '\u{22}abc'",
    ),
    (b"x = 3x", "input:1: malformed number near '3x'"),
    (
        b"x = \x22a\x5cqb\x22",
        "input:1: invalid escape sequence near '\u{22}a\u{5c}q'",
    ),
    (
        b"x = \x22\x5c300\x22",
        "input:1: decimal escape too large near '\u{22}\u{5c}300\u{22}'",
    ),
    (
        b"x=\x22\x5cu{80000000}\x22",
        "input:1: UTF-8 value too large near '\u{22}\u{5c}u{80000000'",
    ),
    (
        b"x = [==[ abc",
        "input:1: unfinished long string (starting at line 1) near <eof>",
    ),
    (
        b"x = [=",
        "input:1: invalid long string delimiter near '[='",
    ),
    (
        b"x=\x22\x5cxZZ\x22",
        "input:1: hexadecimal digit expected near '\u{22}\u{5c}xZ'",
    ),
    (
        b"x=\x22\x5cx5\x22",
        "input:1: hexadecimal digit expected near '\u{22}\u{5c}x5\u{22}'",
    ),
    (
        b"x=\x22\x5cu123\x22",
        "input:1: missing '{' near '\u{22}\u{5c}u1'",
    ),
    (
        b"x=\x22\x5cu{12\x22",
        "input:1: missing '}' near '\u{22}\u{5c}u{12\u{22}'",
    ),
    (
        b"x=\x22\x5cu{}\x22",
        "input:1: hexadecimal digit expected near '\u{22}\u{5c}u{}'",
    ),
    (
        b"x = \x22a\x5ctb\x5cq\x22",
        "input:1: invalid escape sequence near '\u{22}a\u{09}b\u{5c}q'",
    ),
    (b"x = 3..2", "input:1: malformed number near '3..2'"),
    (b"x = 0x", "input:1: malformed number near '0x'"),
    (b"x = 1e", "input:1: malformed number near '1e'"),
    (b"x = 1e+", "input:1: malformed number near '1e+'"),
    (b"x = .5e", "input:1: malformed number near '.5e'"),
    (b"a = 1 b", "input:1: syntax error near <eof>"),
    (b"x = ", "input:1: unexpected symbol near <eof>"),
    (b"x = +", "input:1: unexpected symbol near '+'"),
    (b"f(", "input:1: unexpected symbol near <eof>"),
    (b"function f() ", "input:1: 'end' expected near <eof>"),
    (
        b"function f()\x0a\x0a",
        "input:3: 'end' expected (to close 'function' at line 1) near <eof>",
    ),
    (b"if x", "input:1: 'then' expected near <eof>"),
    (
        b"if x\x0athen",
        "input:2: 'end' expected (to close 'if' at line 1) near <eof>",
    ),
    (b"local", "input:1: <name> expected near <eof>"),
    (b"local 1", "input:1: <name> expected near '1'"),
    (b"local x <foo> = 1", "input:1: unknown attribute 'foo'"),
    (
        b"local x <close>, y <close> = 1,2",
        "input:1: multiple to-be-closed variables in local list",
    ),
    (
        b"x = (1\x0a\x0a",
        "input:3: ')' expected (to close '(' at line 1) near <eof>",
    ),
    (b"return 1 end", "input:1: <eof> expected near 'end'"),
    (b"x", "input:1: syntax error near <eof>"),
    (b"x.y", "input:1: syntax error near <eof>"),
    (b"f() = 1", "input:1: syntax error near '='"),
    (
        b"function f() return ... end",
        "input:1: cannot use '...' outside a vararg function near '...'",
    ),
    (b"x = {1,2", "input:1: '}' expected near <eof>"),
    (b"::a", "input:1: '::' expected near <eof>"),
    (b"goto 1", "input:1: <name> expected near '1'"),
    (b"for x do", "input:1: '=' or 'in' expected near 'do'"),
    (b"for x = 1 do end", "input:1: ',' expected near 'do'"),
    (b"for a,b = 1,2 do end", "input:1: 'in' expected near '='"),
    (
        b"x = \x22\x5cz  \x0a  abc",
        "input:2: unfinished string near <eof>",
    ),
    (b"\x01", "input:1: unexpected symbol near '<\u{5c}1>'"),
    (b"x = @", "input:1: unexpected symbol near '@'"),
    (b"x = ~= 1", "input:1: unexpected symbol near '~='"),
    (b"x = 1 == == 2", "input:1: unexpected symbol near '=='"),
    (
        b"x = \x22\x5c256\x22",
        "input:1: decimal escape too large near '\u{22}\u{5c}256\u{22}'",
    ),
    (
        b"x = [[\x0aabc",
        "input:2: unfinished long string (starting at line 1) near <eof>",
    ),
    (
        b"--[==[ unfinished",
        "input:1: unfinished long comment (starting at line 1) near <eof>",
    ),
    (b"x = \x22abc\x5c", "input:1: unfinished string near <eof>"),
    (b"x = 'abc", "input:1: unfinished string near <eof>"),
    (
        b"a.b:c = 1",
        "input:1: function arguments expected near '='",
    ),
    (b"a:b", "input:1: function arguments expected near <eof>"),
    (b"return return", "input:1: unexpected symbol near 'return'"),
    (b"x = function", "input:1: '(' expected near <eof>"),
    (b"local function 1", "input:1: <name> expected near '1'"),
    (b"local function f", "input:1: '(' expected near <eof>"),
    (b"x = 0x1p", "input:1: malformed number near '0x1p'"),
    (b"x = 0x.p1", "input:1: malformed number near '0x.p1'"),
    (b"x=1 x=2 @", "input:1: unexpected symbol near '@'"),
    (b"repeat x = 1", "input:1: 'until' expected near <eof>"),
    (b"while 1 do", "input:1: 'end' expected near <eof>"),
    (b"x = {[1]}", "input:1: '=' expected near '}'"),
    (b"x = {a = }", "input:1: unexpected symbol near '}'"),
    (b"x = a.1", "input:1: unexpected symbol near '.1'"),
    (
        b"x = a:b",
        "input:1: function arguments expected near <eof>",
    ),
    (
        b"x = a:b.c",
        "input:1: function arguments expected near '.'",
    ),
    (
        b"x = \x22\x5cu{FFFFFFFFFFF}\x22",
        "input:1: UTF-8 value too large near '\u{22}\u{5c}u{FFFFFFFF'",
    ),
    (
        b"x = 12345678901234567890abc",
        "input:1: malformed number near '12345678901234567890abc'",
    ),
    (
        b"x = 'a\x5c\x0d\x0ab' + 1 +",
        "input:2: unexpected symbol near <eof>",
    ),
    (b"#!/bin", "input:1: unexpected symbol near '#'"),
    (b"break break x", "input:1: syntax error near <eof>"),
    (b"x = y z", "input:1: syntax error near <eof>"),
    (b"local x <const = 1", "input:1: '>' expected near '='"),
    (b"for 1 = 1 do end", "input:1: <name> expected near '1'"),
    (
        b"if x then else elseif end",
        "input:1: 'end' expected near 'elseif'",
    ),
    (b"x = \x00", "input:1: unexpected symbol"),
    (
        b"x = \x22\x5cxg\x22",
        "input:1: hexadecimal digit expected near '\u{22}\u{5c}xg'",
    ),
    (
        b"x = [[",
        "input:1: unfinished long string (starting at line 1) near <eof>",
    ),
    (b"x = 1 .. 2 ..", "input:1: unexpected symbol near <eof>"),
    (
        b"f{}{}\x22\x22 \x22\x22(",
        "input:1: unexpected symbol near <eof>",
    ),
    (b"x = nil.x", "input:1: unexpected symbol near '.'"),
    (b"x = true()", "input:1: unexpected symbol near ')'"),
    (
        b"x = \x22a\x22 \x22b\x22",
        "input:1: unexpected symbol near '\u{22}b\u{22}'",
    ),
    (b"x = \x22a\x22.b", "input:1: unexpected symbol near '.'"),
    (b"x = {} .x", "input:1: unexpected symbol near '.'"),
    (
        b"do local x <close> = 1 end goto",
        "input:1: <name> expected near <eof>",
    ),
    (
        b"local a <const>, b <close>, c <close> = 1",
        "input:1: multiple to-be-closed variables in local list",
    ),
    (
        b"x = \x22a\x00b\x0a\x22",
        "input:1: unfinished string near '\u{22}a'",
    ),
    (b"x = \xc8", "input:1: unexpected symbol near '<\u{5c}200>'"),
    (
        b"f(\x0a1,\x0a2",
        "input:3: ')' expected (to close '(' at line 1) near <eof>",
    ),
    (
        b"a.b.c(\x0a1",
        "input:2: ')' expected (to close '(' at line 1) near <eof>",
    ),
    (
        b"x = {\x0a1,\x0a2",
        "input:3: '}' expected (to close '{' at line 1) near <eof>",
    ),
    (
        b"while x do\x0a\x0ax()",
        "input:3: 'end' expected (to close 'while' at line 1) near <eof>",
    ),
    (
        b"repeat\x0a\x0a",
        "input:3: 'until' expected (to close 'repeat' at line 1) near <eof>",
    ),
    (
        b"for i=1,2 do\x0a\x0a",
        "input:3: 'end' expected (to close 'for' at line 1) near <eof>",
    ),
    (
        b"for k in x do\x0a",
        "input:2: 'end' expected (to close 'for' at line 1) near <eof>",
    ),
    (
        b"if x then\x0aelseif y then\x0aelse\x0a",
        "input:4: 'end' expected (to close 'if' at line 1) near <eof>",
    ),
    (
        b"function f(a,\x0a1)",
        "input:2: <name> or '...' expected near '1'",
    ),
    (
        b"function f(a, ...,b) end",
        "input:1: ')' expected near ','",
    ),
    (
        b"x = [==[\x0aabc]=]\x0a]==] y",
        "input:3: syntax error near <eof>",
    ),
    (b"--[[ a\x0ab\x0ac ]] x", "input:3: syntax error near <eof>"),
    (
        b"x = 1\x0a--[[\x0a\x0a",
        "input:4: unfinished long comment (starting at line 2) near <eof>",
    ),
    (
        b"local function f() end end",
        "input:1: <eof> expected near 'end'",
    ),
    (b"(f)", "input:1: syntax error near <eof>"),
    (b"a, b", "input:1: '=' expected near <eof>"),
    (b"a, f() = 1", "input:1: syntax error near '='"),
    (b"a, (b) = 1", "input:1: syntax error near '='"),
    (b"x = 0x1.8p", "input:1: malformed number near '0x1.8p'"),
    (b"x = 1.2.3", "input:1: malformed number near '1.2.3'"),
    (b"x = 0xg", "input:1: malformed number near '0xg'"),
    (
        b"x = \x22\x5cu{7F}\x5cu",
        "input:1: missing '{' near '\u{22}\u{7f}\u{5c}u'",
    ),
    (b"x = {a\x0a=}", "input:2: unexpected symbol near '}'"),
    (
        b"x = {a\x0a\x0a",
        "input:3: '}' expected (to close '{' at line 1) near <eof>",
    ),
    (b"local t = {\x0a[1\x0a", "input:3: ']' expected near <eof>"),
    (b"x = 1 +\x0a\x0a", "input:3: unexpected symbol near <eof>"),
    (
        b"local function f() return 1; 2 end",
        "input:1: 'end' expected near '2'",
    ),
    (
        b"return 1; return 2",
        "input:1: <eof> expected near 'return'",
    ),
    (b"for i=1 do", "input:1: ',' expected near 'do'"),
    (
        b"x = a.b.c:d",
        "input:1: function arguments expected near <eof>",
    ),
    (b"a.b = 1 = 2", "input:1: unexpected symbol near '='"),
    (b"(a) = 1", "input:1: syntax error near '='"),
    (
        b"x = \xc3\xa9",
        "input:1: unexpected symbol near '<\u{5c}195>'",
    ),
    (b"x = 1e1e1", "input:1: malformed number near '1e1e1'"),
    (
        b"x = function(a, b c) end",
        "input:1: ')' expected near 'c'",
    ),
    (
        b"function f(...) local function g() return ... end end",
        "input:1: cannot use '...' outside a vararg function near '...'",
    ),
    (
        b"x = [==[ ]=] ]==",
        "input:1: unfinished long string (starting at line 1) near <eof>",
    ),
    (
        b"--[==[ \x0a ]] \x0a",
        "input:3: unfinished long comment (starting at line 1) near <eof>",
    ),
    (b"\x22abc\x5c\x0a", "input:2: unfinished string near <eof>"),
    (
        b"x = '\x5cx'",
        "input:1: hexadecimal digit expected near ''\u{5c}x''",
    ),
    (b"x = 'a\x5c", "input:1: unfinished string near <eof>"),
    (b"x = 3 .. 4 ..", "input:1: unexpected symbol near <eof>"),
    (b"x = 0x1e+1 +", "input:1: unexpected symbol near <eof>"),
    (b"x = 1 + + 2", "input:1: unexpected symbol near '+'"),
    (b"local a.b = 1", "input:1: unexpected symbol near '.'"),
    (b"local a, = 1", "input:1: <name> expected near '='"),
    (b"local a = 1,", "input:1: unexpected symbol near <eof>"),
    (b"function (x) end", "input:1: <name> expected near '('"),
    (b"function a.b.() end", "input:1: <name> expected near '('"),
    (b"function a:() end", "input:1: <name> expected near '('"),
    (b"x = {,}", "input:1: unexpected symbol near ','"),
    (b"x = {1,,2}", "input:1: unexpected symbol near ','"),
    (b"x = {;}", "input:1: unexpected symbol near ';'"),
    (
        b"x = f{}.a.b{}:c\x22\x22 + ",
        "input:1: unexpected symbol near <eof>",
    ),
    (b"return -", "input:1: unexpected symbol near <eof>"),
    (b"x = 1 x = 2 3", "input:1: unexpected symbol near '3'"),
    (b"do end end", "input:1: <eof> expected near 'end'"),
    (
        b"while true do end end",
        "input:1: <eof> expected near 'end'",
    ),
    (b"if 1 then end else", "input:1: <eof> expected near 'else'"),
    (
        b"for k,v in pairs(t) end",
        "input:1: 'do' expected near 'end'",
    ),
    (b"for k,v in do end", "input:1: unexpected symbol near 'do'"),
    (b"repeat until", "input:1: unexpected symbol near <eof>"),
    (b"x = {[1] = 2 3}", "input:1: '}' expected near '3'"),
    (b"goto = 1", "input:1: <name> expected near '='"),
    (b"local goto = 1", "input:1: <name> expected near 'goto'"),
    (b"x.goto = 1", "input:1: <name> expected near 'goto'"),
    (b"x = a.and", "input:1: <name> expected near 'and'"),
    (b"x = a:or()", "input:1: <name> expected near 'or'"),
    (b"local function end", "input:1: <name> expected near 'end'"),
    (b"x = f(1,)", "input:1: unexpected symbol near ')'"),
    (b"x = f(,1)", "input:1: unexpected symbol near ','"),
    (b"x = f(1 2)", "input:1: ')' expected near '2'"),
    (
        b"f \x22a\x22 \x22b\x22 {1} \x22c\x22 2",
        "input:1: unexpected symbol near '2'",
    ),
    (b"x = 2^^2", "input:1: unexpected symbol near '^'"),
    (b"x = 1 < < 2", "input:1: unexpected symbol near '<'"),
    (b"x = ~ ~ ~", "input:1: unexpected symbol near <eof>"),
    (
        b"local x <const>, y <const> = 1 2",
        "input:1: unexpected symbol near '2'",
    ),
    (
        b"local x < const > = 1 y",
        "input:1: syntax error near <eof>",
    ),
    (
        b"local x <const> <close> = 1",
        "input:1: unexpected symbol near '<'",
    ),
    (b"local x <close  = 1", "input:1: '>' expected near '='"),
    (b"local x <1> = 1", "input:1: <name> expected near '1'"),
    (
        b"x = ...\x0afunction f() return ... end",
        "input:2: cannot use '...' outside a vararg function near '...'",
    ),
    (
        b"\x0a\x0a\x0a  x = (",
        "input:4: unexpected symbol near <eof>",
    ),
    (
        b"x = [[\x0a\x0a\x0a",
        "input:4: unfinished long string (starting at line 1) near <eof>",
    ),
    (
        b"x = \x22\x5cu{7FFFFFFF}\x22 \x22",
        "input:1: unfinished string near <eof>",
    ),
    (
        b"x = 1\x0a\x0a\x0a\x0a::",
        "input:5: <name> expected near <eof>",
    ),
    (b"x = 0x", "input:1: malformed number near '0x'"),
    (b"x = 0xx", "input:1: malformed number near '0xx'"),
    (b"x = 0x1.2.3", "input:1: malformed number near '0x1.2.3'"),
    (b"x = .e5", "input:1: unexpected symbol near '.'"),
    (b"x = 1..", "input:1: malformed number near '1..'"),
    (b"x = 1...2", "input:1: malformed number near '1...2'"),
    (b"x = 0x.", "input:1: malformed number near '0x.'"),
    (b"x = 0x.p", "input:1: malformed number near '0x.p'"),
    (b"x = 1e+-1", "input:1: malformed number near '1e+'"),
    (b"x = 08.5e", "input:1: malformed number near '08.5e'"),
    (b"x = 1_000", "input:1: malformed number near '1_'"),
    (b"x = 0b101", "input:1: malformed number near '0b101'"),
    (b"x = 1i", "input:1: malformed number near '1i'"),
    (b"x = 3.0f", "input:1: malformed number near '3.0f'"),
    (b"x = 0xep1 +", "input:1: unexpected symbol near <eof>"),
    (b"x = 0x1P-", "input:1: malformed number near '0x1P-'"),
    (
        b"x = \x22\x5c400\x22",
        "input:1: decimal escape too large near '\u{22}\u{5c}400\u{22}'",
    ),
    (
        b"x = \x22\x5c25a\x5c256\x22",
        "input:1: decimal escape too large near '\u{22}\u{19}a\u{5c}256\u{22}'",
    ),
    (
        b"x = \x22\x5cxAg\x22",
        "input:1: hexadecimal digit expected near '\u{22}\u{5c}xAg'",
    ),
    (
        b"x = \x22\x5cu{ }\x22",
        "input:1: hexadecimal digit expected near '\u{22}\u{5c}u{ '",
    ),
    (
        b"x = \x22\x5cu{41 }\x22",
        "input:1: missing '}' near '\u{22}\u{5c}u{41 '",
    ),
    (
        b"x = \x22\x5cu{41\x22",
        "input:1: missing '}' near '\u{22}\u{5c}u{41\u{22}'",
    ),
    (
        b"x = \x22\x5cu41}\x22",
        "input:1: missing '{' near '\u{22}\u{5c}u4'",
    ),
    (
        b"x = \x22\x5cU{41}\x22",
        "input:1: invalid escape sequence near '\u{22}\u{5c}U'",
    ),
    (
        b"x = \x22\x5cz\x5cq\x22",
        "input:1: invalid escape sequence near '\u{22}\u{5c}q'",
    ),
    (
        b"x = \x22\x5c\x09\x22",
        "input:1: invalid escape sequence near '\u{22}\u{5c}\u{09}'",
    ),
    (b"x =\x0a(", "input:2: unexpected symbol near <eof>"),
    (
        b"f(\x0a  a,\x0a  b,\x0a  c\x0a",
        "input:5: ')' expected (to close '(' at line 1) near <eof>",
    ),
    (
        b"f\x0a(\x0a  a\x0a",
        "input:4: ')' expected (to close '(' at line 1) near <eof>",
    ),
    (
        b"x = a.b\x0a.c\x0a:d\x0a",
        "input:4: function arguments expected near <eof>",
    ),
    (
        b"if a then b() elseif c then d() else e() end f() =",
        "input:1: syntax error near '='",
    ),
    (
        b"x = {\x0a  a = 1,\x0a  b = 2\x0a  c = 3\x0a}",
        "input:4: '}' expected (to close '{' at line 1) near 'c'",
    ),
    (
        b"return\x0a1\x0a,\x0a",
        "input:4: unexpected symbol near <eof>",
    ),
    (b"::lbl", "input:1: '::' expected near <eof>"),
    (b":: lbl ;", "input:1: '::' expected near ';'"),
    (b"goto\x0a\x0a", "input:3: <name> expected near <eof>"),
    (b"break = 1", "input:1: unexpected symbol near '='"),
    (b"local break", "input:1: <name> expected near 'break'"),
    (b"x = not not", "input:1: unexpected symbol near <eof>"),
    (b"x = - -", "input:1: unexpected symbol near <eof>"),
    (b"x = # #", "input:1: unexpected symbol near <eof>"),
    (
        b"local function f(a, a) end x =",
        "input:1: unexpected symbol near <eof>",
    ),
    (b"goto", "input:1: <name> expected near <eof>"),
    (b"x = {[1] 2}", "input:1: '=' expected near '2'"),
    (
        b"x = f:g\x22s\x22 + 1 1",
        "input:1: unexpected symbol near '1'",
    ),
    (b"function a.b:c.d() end", "input:1: '(' expected near '.'"),
    (b"function a:b:c() end", "input:1: '(' expected near ':'"),
    (b"x = a..b..", "input:1: unexpected symbol near <eof>"),
    (b"x = not", "input:1: unexpected symbol near <eof>"),
    (b"x = #", "input:1: unexpected symbol near <eof>"),
    (b"x = - - - ", "input:1: unexpected symbol near <eof>"),
    (b"x = 2^^3", "input:1: unexpected symbol near '^'"),
    (b"x = \x22\x0d", "input:1: unfinished string near '\u{22}'"),
    (
        b"x = \x22\x5c\x0d\x0a\x5c\x0a\x0d\x22y",
        "input:3: syntax error near <eof>",
    ),
    (
        b"x = [[\x0d\x0a\x0d\x0aabc",
        "input:3: unfinished long string (starting at line 1) near <eof>",
    ),
    (
        b"for i = 1, 2, 3, 4 do end",
        "input:1: 'do' expected near ','",
    ),
    (
        b"local t = {f = function() end, g = 2; 3} 1",
        "input:1: unexpected symbol near '1'",
    ),
    (b"return;;", "input:1: <eof> expected near ';'"),
    (b"return 1,", "input:1: unexpected symbol near <eof>"),
    (b"return (1", "input:1: ')' expected near <eof>"),
    (b"::x:: ::y", "input:1: '::' expected near <eof>"),
    (b"if then end", "input:1: unexpected symbol near 'then'"),
    (b"else", "input:1: <eof> expected near 'else'"),
    (b"end", "input:1: <eof> expected near 'end'"),
    (b"until x", "input:1: <eof> expected near 'until'"),
    (b"elseif", "input:1: <eof> expected near 'elseif'"),
];

#[test]
fn messages_match_lua() {
    let mut failures = Vec::new();
    for (src, expected) in CASES {
        let got = match parse(src, b"=input") {
            Ok(_) => "<ok>".to_string(),
            Err(e) => e.message,
        };
        if got != *expected {
            failures.push(format!(
                "{:?}: got {got:?}, want {expected:?}",
                String::from_utf8_lossy(src)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
