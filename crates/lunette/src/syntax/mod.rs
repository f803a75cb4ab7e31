//! Syntax: the lexer (bytes -> tokens) and the parser (tokens -> AST).
//!
//! Errors are Lua-style messages: `chunkid:line: msg near 'token'`.

pub mod ast;
mod expr;
pub mod lexer;
mod parser;
mod stat;
pub mod token;

#[cfg(test)]
mod tests_errors;
#[cfg(test)]
mod tests_lexer;
#[cfg(test)]
mod tests_parser;

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
pub fn parse(source: &[u8], chunkname: &[u8]) -> Result<ast::Chunk, SyntaxError> {
    let chunkid = crate::bytecode::chunkid::chunk_id(chunkname);
    parser::parse_chunk(source, chunkid)
}
