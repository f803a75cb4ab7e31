//! Syntax: the lexer (bytes -> tokens) and the parser (tokens -> AST).
//!
//! Errors are Lua-style messages: `chunkid:line: msg near 'token'`.

pub mod ast;

/// A syntax error, already formatted as Lua formats it
/// (`input:3: '=' expected near 'x'`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The full message.
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parses a whole chunk. `chunkname` is the name given to `load`
/// (`@file.lua`, `=stdin`, or the source itself), used in messages.
pub fn parse(_source: &[u8], _chunkname: &[u8]) -> Result<ast::Chunk, SyntaxError> {
    todo!("parser")
}
