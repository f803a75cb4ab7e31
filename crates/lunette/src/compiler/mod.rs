//! The compiler: scopes, register allocation and code generation from the
//! AST into `Proto`s of register bytecode.

use crate::bytecode::Proto;
use crate::syntax::{ast, SyntaxError};
use std::rc::Rc;

/// Compiles a parsed chunk into the main function's prototype. Errors
/// (e.g. `attempt to assign to const variable 'x'`, goto/label errors, too
/// many registers) are formatted like syntax errors.
pub fn compile(_chunk: &ast::Chunk, _chunkname: &[u8]) -> Result<Rc<Proto>, SyntaxError> {
    todo!("compiler")
}

/// Parses and compiles source text.
pub fn compile_source(source: &[u8], chunkname: &[u8]) -> Result<Rc<Proto>, SyntaxError> {
    let chunk = crate::syntax::parse(source, chunkname)?;
    compile(&chunk, chunkname)
}
