//! Bytecode: the one opcode table, instruction encoding, function
//! prototypes, binary chunks (dump/load), the verifier and the disassembler.
//!
//! This module is the contract between the compiler (which produces
//! `Proto`s) and the VM (which runs them after `verify` accepted them).

pub mod chunkid;
pub mod disasm;
pub mod dump;
pub mod opcode;
pub mod proto;
pub mod verify;

pub use opcode::{Instruction, OpCode, TagMethod};
pub use proto::{Constant, LocVar, Proto, UpvalDesc};
