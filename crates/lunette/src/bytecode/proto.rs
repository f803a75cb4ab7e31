//! Function prototypes: the compiler's output and the loader's input.
//!
//! A `Proto` is plain data (no heap handles), so it can be dumped, loaded,
//! verified and disassembled without a running VM. The VM turns it into a
//! runtime prototype (constants as values) once, when the chunk is loaded.

use super::opcode::Instruction;
use std::rc::Rc;

/// A constant of a prototype's constant table.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// `nil`
    Nil,
    /// `true` / `false`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (Lua strings are byte strings).
    Str(Rc<[u8]>),
}

/// How a closure finds one of its upvalues when it is created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpvalDesc {
    /// Whether the upvalue is a register of the enclosing function (true)
    /// or one of the enclosing function's upvalues (false).
    pub in_stack: bool,
    /// The register or enclosing upvalue index.
    pub index: u8,
    /// The variable kind of the captured local (`0` regular, `1` const, `2` to-be-closed, `3` compile-time constant).
    pub kind: u8,
    /// The upvalue's name (debug information; `None` when stripped).
    pub name: Option<Rc<[u8]>>,
}

/// A local variable's name and the pc range where it is active (debug information).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocVar {
    /// The variable's name.
    pub name: Rc<[u8]>,
    /// First pc where the variable is active.
    pub start_pc: u32,
    /// First pc where the variable is dead.
    pub end_pc: u32,
}

/// A compiled function.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Proto {
    /// The chunk name as given to `load` (e.g. `@file.lua`, `=stdin`, or source text).
    pub source: Rc<[u8]>,
    /// Line where the function's definition starts (0 for a main chunk).
    pub line_defined: u32,
    /// Line where the function's definition ends (0 for a main chunk).
    pub last_line_defined: u32,
    /// Number of fixed parameters.
    pub num_params: u8,
    /// Whether the function is vararg (`...`).
    pub is_vararg: bool,
    /// Number of registers the function needs.
    pub max_stack: u8,
    /// The instructions.
    pub code: Vec<Instruction>,
    /// The constants.
    pub constants: Vec<Constant>,
    /// Upvalue descriptors.
    pub upvalues: Vec<UpvalDesc>,
    /// Nested function prototypes (`CLOSURE` operand Bx indexes these).
    pub protos: Vec<Rc<Proto>>,
    /// Source line of each instruction (same length as `code`; empty when stripped).
    pub lines: Vec<u32>,
    /// Local variable debug information.
    pub locvars: Vec<LocVar>,
}

impl Proto {
    /// The source line of instruction `pc`, if line information is present.
    pub fn line_at(&self, pc: usize) -> Option<u32> {
        self.lines.get(pc).copied()
    }

    /// The name of the `n`-th (1-based) local variable active at `pc`, as
    /// `luaF_getlocalname` does: locals are listed in order of activation.
    pub fn local_name(&self, mut n: usize, pc: usize) -> Option<&[u8]> {
        for lv in &self.locvars {
            if lv.start_pc as usize > pc {
                break;
            }
            if pc < lv.end_pc as usize {
                n -= 1;
                if n == 0 {
                    return Some(&lv.name);
                }
            }
        }
        None
    }
}
