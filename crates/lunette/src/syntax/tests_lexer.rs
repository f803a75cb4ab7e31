//! Lexer tests: every literal form.
