//! The disassembler: `luac -l` style listings of prototypes.

use super::proto::Proto;

/// Renders a listing of `proto` and (recursively) its nested prototypes.
pub fn listing(proto: &Proto) -> String {
    let mut out = String::new();
    for (pc, ins) in proto.code.iter().enumerate() {
        out.push_str(&format!(
            "\t{}\t[{}]\t{:?}\n",
            pc + 1,
            proto.line_at(pc).unwrap_or(0),
            ins
        ));
    }
    for p in &proto.protos {
        out.push_str(&listing(p));
    }
    out
}
