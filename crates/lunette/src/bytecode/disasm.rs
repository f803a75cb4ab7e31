//! The disassembler: `luac -l` style listings of prototypes.
//!
//! Operands are printed from the opcode table's format (`Format`) plus a
//! small operand-shape rule per opcode family; comments (`; "x"`,
//! `; to 7`, `; 1 in 2 out`...) follow per-shape rules like `luac -l`.

use super::opcode::{Format, Instruction, OpCode, TagMethod, MAX_C};
use super::proto::{Constant, Proto};
use std::fmt::Write;

/// Renders a listing of `proto` and (recursively) its nested prototypes,
/// like `luac -l`.
pub fn listing(proto: &Proto) -> String {
    let mut out = String::new();
    print_function(&mut out, proto, true, false);
    out
}

/// Renders a detailed listing (`luac -l -l`): each function followed by
/// its constants, locals and upvalues tables.
pub fn listing_full(proto: &Proto) -> String {
    let mut out = String::new();
    print_function(&mut out, proto, true, true);
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn source_name(p: &Proto) -> String {
    match p.source.first() {
        Some(b'@') | Some(b'=') => String::from_utf8_lossy(&p.source[1..]).into_owned(),
        Some(0x1b) => "(bstring)".into(),
        _ => "(string)".into(),
    }
}

fn print_function(out: &mut String, p: &Proto, main: bool, full: bool) {
    let addr = p as *const Proto as usize;
    let _ = writeln!(
        out,
        "\n{} <{}:{},{}> ({} instruction{} at {:#x})",
        if main { "main" } else { "function" },
        source_name(p),
        p.line_defined,
        p.last_line_defined,
        p.code.len(),
        plural(p.code.len()),
        addr
    );
    let _ = writeln!(
        out,
        "{}{} param{}, {} slot{}, {} upvalue{}, {} local{}, {} constant{}, {} function{}",
        p.num_params,
        if p.is_vararg { "+" } else { "" },
        plural(p.num_params as usize),
        p.max_stack,
        plural(p.max_stack as usize),
        p.upvalues.len(),
        plural(p.upvalues.len()),
        p.locvars.len(),
        plural(p.locvars.len()),
        p.constants.len(),
        plural(p.constants.len()),
        p.protos.len(),
        plural(p.protos.len())
    );
    for pc in 0..p.code.len() {
        out.push_str(&instruction_line(p, pc));
        out.push('\n');
    }
    if full {
        let _ = writeln!(out, "constants ({}) for {:#x}:", p.constants.len(), addr);
        for (i, k) in p.constants.iter().enumerate() {
            let tag = match k {
                Constant::Nil => "N",
                Constant::Bool(_) => "B",
                Constant::Int(_) => "I",
                Constant::Float(_) => "F",
                Constant::Str(_) => "S",
            };
            let _ = writeln!(out, "\t{}\t{}\t{}", i, tag, constant_text(k));
        }
        let _ = writeln!(out, "locals ({}) for {:#x}:", p.locvars.len(), addr);
        for (i, lv) in p.locvars.iter().enumerate() {
            let _ = writeln!(
                out,
                "\t{}\t{}\t{}\t{}",
                i,
                String::from_utf8_lossy(&lv.name),
                lv.start_pc + 1,
                lv.end_pc + 1
            );
        }
        let _ = writeln!(out, "upvalues ({}) for {:#x}:", p.upvalues.len(), addr);
        for (i, u) in p.upvalues.iter().enumerate() {
            let _ = writeln!(
                out,
                "\t{}\t{}\t{}\t{}",
                i,
                u.name
                    .as_deref()
                    .map_or("-".into(), |n| String::from_utf8_lossy(n).into_owned()),
                u.in_stack as u8,
                u.index
            );
        }
    }
    for sub in &p.protos {
        print_function(out, sub, false, full);
    }
}

/// A constant as `luac` prints it (strings quoted and escaped).
pub fn constant_text(k: &Constant) -> String {
    match k {
        Constant::Nil => "nil".into(),
        Constant::Bool(b) => b.to_string(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => crate::number::fmt_float(*f),
        Constant::Str(s) => {
            let mut t = String::from("\"");
            for &c in s.iter() {
                match c {
                    b'"' => t.push_str("\\\""),
                    b'\\' => t.push_str("\\\\"),
                    7 => t.push_str("\\a"),
                    8 => t.push_str("\\b"),
                    12 => t.push_str("\\f"),
                    b'\n' => t.push_str("\\n"),
                    b'\r' => t.push_str("\\r"),
                    b'\t' => t.push_str("\\t"),
                    11 => t.push_str("\\v"),
                    32..=126 => t.push(c as char),
                    _ => {
                        let _ = write!(t, "\\{c:03}");
                    }
                }
            }
            t.push('"');
            t
        }
    }
}

/// Which operands an instruction prints (beyond its raw format).
#[derive(Clone, Copy, PartialEq)]
#[allow(clippy::upper_case_acronyms)]
enum Shape {
    A,
    AB,
    ABC,
    ABCk,
    ABCk01,
    ABsC,
    AsBCk,
    ABk,
    AsBk,
    Ak,
    AC,
    ABx,
    AsBx,
    None,
    Ax,
    SJ,
}

fn shape(op: OpCode) -> Shape {
    use OpCode::*;
    if op == LOADKX {
        return Shape::A;
    }
    match op.format() {
        Format::ABx => return Shape::ABx,
        Format::AsBx => return Shape::AsBx,
        Format::Ax => return Shape::Ax,
        Format::SJ => return Shape::SJ,
        Format::ABC => {}
    }
    match op {
        LOADFALSE | LFALSESKIP | LOADTRUE | CLOSE | TBC | RETURN1 | VARARGPREP => Shape::A,
        MOVE | LOADNIL | GETUPVAL | SETUPVAL | UNM | BNOT | NOT | LEN | CONCAT => Shape::AB,
        SETTABUP | SETTABLE | SETI | SETFIELD | SELF | TAILCALL | RETURN => Shape::ABCk,
        MMBINK => Shape::ABCk01,
        ADDI | SHRI | SHLI => Shape::ABsC,
        MMBINI => Shape::AsBCk,
        EQ | LT | LE | EQK | TESTSET => Shape::ABk,
        EQI | LTI | LEI | GTI | GEI => Shape::AsBk,
        TEST => Shape::Ak,
        TFORCALL | VARARG => Shape::AC,
        RETURN0 => Shape::None,
        _ => Shape::ABC,
    }
}

fn kstr(p: &Proto, i: u32) -> String {
    p.constants
        .get(i as usize)
        .map_or("?".into(), constant_text)
}

fn upname(p: &Proto, i: u32) -> String {
    p.upvalues
        .get(i as usize)
        .and_then(|u| u.name.as_deref())
        .map_or("-".into(), |n| String::from_utf8_lossy(n).into_owned())
}

fn event(c: u32) -> &'static str {
    TagMethod::from_u32(c).map_or("?", |t| t.name())
}

/// One listing line: `\tPC\t[LINE]\tOPNAME\tARGS\t; comment`.
pub fn instruction_line(p: &Proto, pc: usize) -> String {
    let i: Instruction = p.code[pc];
    let line = p.line_at(pc).map_or("-".to_string(), |l| l.to_string());
    let op = match i.opcode() {
        Some(op) => op,
        None => return format!("\t{}\t[{}]\t<bad opcode {}>", pc + 1, line, i.op_bits()),
    };
    let (a, b, c, k) = (i.a(), i.b(), i.c(), i.k());
    let ks = if k { "k" } else { "" };
    let args = match shape(op) {
        Shape::A => format!("{a}"),
        Shape::AB => format!("{a} {b}"),
        Shape::ABC => format!("{a} {b} {c}"),
        Shape::ABCk => format!("{a} {b} {c}{ks}"),
        Shape::ABCk01 => format!("{a} {b} {c} {}", k as u8),
        Shape::ABsC => format!("{a} {b} {}", i.sc()),
        Shape::AsBCk => format!("{a} {} {c} {}", i.sb(), k as u8),
        Shape::ABk => format!("{a} {b} {}", k as u8),
        Shape::AsBk => format!("{a} {} {}", i.sb(), k as u8),
        Shape::Ak => format!("{a} {}", k as u8),
        Shape::AC => format!("{a} {c}"),
        Shape::ABx => format!("{a} {}", i.bx()),
        Shape::AsBx => format!("{a} {}", i.sbx()),
        Shape::None => String::new(),
        Shape::Ax => format!("{}", i.ax()),
        Shape::SJ => format!("{}", i.sj()),
    };
    let rk = |c: u32| if k { kstr(p, c) } else { String::new() };
    let target = |off: i64| pc as i64 + 2 + off;
    use OpCode::*;
    let comment = match op {
        LOADK => kstr(p, i.bx()),
        LOADKX => kstr(p, p.code.get(pc + 1).map_or(u32::MAX, |e| e.ax())),
        LOADNIL => format!("{} out", b + 1),
        GETUPVAL | SETUPVAL => upname(p, b),
        GETTABUP => format!("{} {}", upname(p, b), kstr(p, c)),
        SETTABUP => {
            let v = rk(c);
            let mut s = format!("{} {}", upname(p, a), kstr(p, b));
            if !v.is_empty() {
                s.push(' ');
                s.push_str(&v);
            }
            s
        }
        GETFIELD => kstr(p, c),
        SETFIELD => {
            let v = rk(c);
            let mut s = kstr(p, b);
            if !v.is_empty() {
                s.push(' ');
                s.push_str(&v);
            }
            s
        }
        SETTABLE | SETI | SELF => rk(c),
        NEWTABLE => {
            let extra = p.code.get(pc + 1).map_or(0, |e| if k { e.ax() } else { 0 });
            format!("{}", c + extra * (MAX_C + 1))
        }
        ADDK | SUBK | MULK | MODK | POWK | DIVK | IDIVK | BANDK | BORK | BXORK => kstr(p, c),
        MMBIN => event(c).to_string(),
        MMBINI => format!("{}{}", event(c), if k { " flip" } else { "" }),
        MMBINK => format!(
            "{} {}{}",
            event(c),
            kstr(p, b),
            if k { " flip" } else { "" }
        ),
        EQK => kstr(p, b),
        JMP => format!("to {}", target(i.sj() as i64)),
        CALL => format!(
            "{} in {} out",
            if b == 0 {
                "all".into()
            } else {
                (b - 1).to_string()
            },
            if c == 0 {
                "all".into()
            } else {
                (c - 1).to_string()
            }
        ),
        TAILCALL => format!("{} in", b as i64 - 1),
        RETURN => format!(
            "{} out",
            if b == 0 {
                "all".into()
            } else {
                (b - 1).to_string()
            }
        ),
        FORLOOP | TFORLOOP => format!("to {}", pc as i64 + 2 - i.bx() as i64),
        FORPREP => format!("exit to {}", pc as i64 + 3 + i.bx() as i64),
        TFORPREP => format!("to {}", pc as i64 + 2 + i.bx() as i64),
        SETLIST => {
            if k {
                let extra = p.code.get(pc + 1).map_or(0, |e| e.ax());
                format!("{}", c + extra * (MAX_C + 1))
            } else {
                String::new()
            }
        }
        CLOSURE => {
            let sub = p
                .protos
                .get(i.bx() as usize)
                .map_or(0, |s| &**s as *const Proto as usize);
            format!("{sub:#x}")
        }
        VARARG => {
            if c == 0 {
                "all out".into()
            } else {
                format!("{} out", c - 1)
            }
        }
        _ => String::new(),
    };
    let mut s = format!("\t{}\t[{}]\t{:<9}\t{}", pc + 1, line, op.name(), args);
    if !comment.is_empty() {
        s.push_str("\t; ");
        s.push_str(&comment);
    }
    s
}
