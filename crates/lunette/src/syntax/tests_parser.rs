//! Parser tests: AST shapes, precedence, lines, nesting limits.
