//! Binary chunks: `string.dump` output and what `load` reads back.
//!
//! The layout follows Lua 5.4's (`\x1bLua`, version 0x54, format 0, the
//! conversion-check bytes, the sizes, `0x5678` and `370.5`, then the main
//! function), except that line information is stored as one absolute line
//! per instruction. Loading never trusts the bytes: every count is read
//! from the data and checked against what remains, and the result still
//! goes through the verifier before it can run.

use super::opcode::Instruction;
use super::proto::{Constant, LocVar, Proto, UpvalDesc};
use std::rc::Rc;

/// The signature every binary chunk starts with.
pub const SIGNATURE: &[u8] = b"\x1bLua";
const VERSION: u8 = 0x54;
const FORMAT: u8 = 0;
const CHECK_DATA: &[u8] = b"\x19\x93\r\n\x1a\n";
const CHECK_INT: i64 = 0x5678;
const CHECK_NUM: f64 = 370.5;
/// Deepest nesting of functions accepted when loading.
const MAX_NESTING: usize = 200;

const TAG_NIL: u8 = 0x00;
const TAG_FALSE: u8 = 0x01;
const TAG_TRUE: u8 = 0x11;
const TAG_INT: u8 = 0x03;
const TAG_FLOAT: u8 = 0x13;
const TAG_SHORT_STR: u8 = 0x04;
const TAG_LONG_STR: u8 = 0x14;

/// Serialises `proto` (a main function) into a binary chunk; `strip`
/// leaves out debug information (lines, local and upvalue names, source).
pub fn dump(proto: &Proto, strip: bool) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(SIGNATURE);
    out.push(VERSION);
    out.push(FORMAT);
    out.extend_from_slice(CHECK_DATA);
    out.push(4);
    out.push(8);
    out.push(8);
    out.extend_from_slice(&CHECK_INT.to_le_bytes());
    out.extend_from_slice(&CHECK_NUM.to_le_bytes());
    out.push(proto.upvalues.len().min(255) as u8);
    dump_function(&mut out, proto, None, strip);
    out
}

fn put_size(out: &mut Vec<u8>, mut n: u64) {
    let mut groups = [0u8; 10];
    let mut k = 0;
    loop {
        groups[k] = (n & 0x7f) as u8;
        k += 1;
        n >>= 7;
        if n == 0 {
            break;
        }
    }
    // most significant group first; the last byte carries the end mark
    for i in (0..k).rev() {
        out.push(if i == 0 { groups[i] | 0x80 } else { groups[i] });
    }
}

fn put_string(out: &mut Vec<u8>, s: Option<&[u8]>) {
    match s {
        None => put_size(out, 0),
        Some(b) => {
            put_size(out, b.len() as u64 + 1);
            out.extend_from_slice(b);
        }
    }
}

fn dump_function(out: &mut Vec<u8>, p: &Proto, parent_source: Option<&[u8]>, strip: bool) {
    let source = if strip || parent_source == Some(&p.source[..]) {
        None
    } else {
        Some(&p.source[..])
    };
    put_string(out, source);
    put_size(out, u64::from(p.line_defined));
    put_size(out, u64::from(p.last_line_defined));
    out.push(p.num_params);
    out.push(u8::from(p.is_vararg));
    out.push(p.max_stack);
    put_size(out, p.code.len() as u64);
    for i in &p.code {
        out.extend_from_slice(&i.0.to_le_bytes());
    }
    put_size(out, p.constants.len() as u64);
    for k in &p.constants {
        match k {
            Constant::Nil => out.push(TAG_NIL),
            Constant::Bool(false) => out.push(TAG_FALSE),
            Constant::Bool(true) => out.push(TAG_TRUE),
            Constant::Int(i) => {
                out.push(TAG_INT);
                out.extend_from_slice(&i.to_le_bytes());
            }
            Constant::Float(f) => {
                out.push(TAG_FLOAT);
                out.extend_from_slice(&f.to_le_bytes());
            }
            Constant::Str(s) => {
                out.push(if s.len() <= 40 {
                    TAG_SHORT_STR
                } else {
                    TAG_LONG_STR
                });
                put_string(out, Some(s));
            }
        }
    }
    put_size(out, p.upvalues.len() as u64);
    for u in &p.upvalues {
        out.push(u8::from(u.in_stack));
        out.push(u.index);
        out.push(u.kind);
    }
    put_size(out, p.protos.len() as u64);
    for child in &p.protos {
        dump_function(out, child, Some(&p.source), strip);
    }
    // debug information
    let lines: &[u32] = if strip { &[] } else { &p.lines };
    put_size(out, lines.len() as u64);
    for &l in lines {
        put_size(out, u64::from(l));
    }
    put_size(out, 0); // no absolute line table
    let locvars: &[LocVar] = if strip { &[] } else { &p.locvars };
    put_size(out, locvars.len() as u64);
    for lv in locvars {
        put_string(out, Some(&lv.name));
        put_size(out, u64::from(lv.start_pc));
        put_size(out, u64::from(lv.end_pc));
    }
    if strip {
        put_size(out, 0);
    } else {
        put_size(out, p.upvalues.len() as u64);
        for u in &p.upvalues {
            put_string(out, u.name.as_deref());
        }
    }
}

/// The reader of a binary chunk.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Why a chunk was rejected (the text inside `bad binary format (...)`).
type Why = &'static str;

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, Why> {
        let b = *self.bytes.get(self.pos).ok_or("truncated chunk")?;
        self.pos += 1;
        Ok(b)
    }

    fn block(&mut self, n: usize) -> Result<&[u8], Why> {
        let end = self.pos.checked_add(n).ok_or("truncated chunk")?;
        let b = self.bytes.get(self.pos..end).ok_or("truncated chunk")?;
        self.pos = end;
        Ok(b)
    }

    fn size(&mut self, limit: u64) -> Result<u64, Why> {
        let mut x: u64 = 0;
        loop {
            let b = self.byte()?;
            if x > limit >> 7 {
                return Err("integer overflow");
            }
            x = (x << 7) | u64::from(b & 0x7f);
            if b & 0x80 != 0 {
                break;
            }
        }
        if x > limit {
            return Err("integer overflow");
        }
        Ok(x)
    }

    fn int(&mut self) -> Result<u32, Why> {
        Ok(self.size(u64::from(u32::MAX))? as u32)
    }

    /// A count of items each at least `min_bytes` long: bounded by the
    /// bytes left, so corrupt counts cannot cause huge allocations.
    fn count(&mut self, min_bytes: usize) -> Result<usize, Why> {
        let n = self.size(u64::from(u32::MAX))? as usize;
        let left = self.bytes.len() - self.pos;
        if n.saturating_mul(min_bytes.max(1)) > left {
            return Err("truncated chunk");
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<Option<Rc<[u8]>>, Why> {
        let n = self.size(u64::from(u32::MAX))? as usize;
        if n == 0 {
            return Ok(None);
        }
        Ok(Some(Rc::from(self.block(n - 1)?)))
    }

    fn function(&mut self, parent_source: &Rc<[u8]>, depth: usize) -> Result<Proto, Why> {
        if depth > MAX_NESTING {
            return Err("too many nested functions");
        }
        let mut p = Proto {
            source: self.string()?.unwrap_or_else(|| parent_source.clone()),
            line_defined: self.int()?,
            last_line_defined: self.int()?,
            num_params: self.byte()?,
            is_vararg: self.byte()? != 0,
            max_stack: self.byte()?,
            ..Proto::default()
        };
        let n = self.count(4)?;
        for _ in 0..n {
            let b = self.block(4)?;
            p.code
                .push(Instruction(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
        }
        let n = self.count(1)?;
        for _ in 0..n {
            let k = match self.byte()? {
                TAG_NIL => Constant::Nil,
                TAG_FALSE => Constant::Bool(false),
                TAG_TRUE => Constant::Bool(true),
                TAG_INT => {
                    let b = self.block(8)?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    Constant::Int(i64::from_le_bytes(a))
                }
                TAG_FLOAT => {
                    let b = self.block(8)?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    Constant::Float(f64::from_le_bytes(a))
                }
                TAG_SHORT_STR | TAG_LONG_STR => {
                    Constant::Str(self.string()?.ok_or("bad format for constant string")?)
                }
                _ => return Err("bad constant"),
            };
            p.constants.push(k);
        }
        let n = self.count(3)?;
        for _ in 0..n {
            p.upvalues.push(UpvalDesc {
                in_stack: self.byte()? != 0,
                index: self.byte()?,
                kind: self.byte()?,
                name: None,
            });
        }
        let n = self.count(1)?;
        for _ in 0..n {
            let child = self.function(&p.source, depth + 1)?;
            p.protos.push(Rc::new(child));
        }
        let n = self.count(1)?;
        for _ in 0..n {
            p.lines.push(self.int()?);
        }
        if !p.lines.is_empty() && p.lines.len() != p.code.len() {
            return Err("bad line information");
        }
        let n = self.count(2)?;
        for _ in 0..n {
            // absolute line pairs of PUC chunks: read and ignored
            self.int()?;
            self.int()?;
        }
        let n = self.count(3)?;
        for _ in 0..n {
            let name = self.string()?.ok_or("bad local variable name")?;
            let start_pc = self.int()?;
            let end_pc = self.int()?;
            p.locvars.push(LocVar {
                name,
                start_pc,
                end_pc,
            });
        }
        let n = self.count(1)?;
        if n > p.upvalues.len() {
            return Err("bad upvalue names");
        }
        for i in 0..n {
            let name = self.string()?;
            if let Some(u) = p.upvalues.get_mut(i) {
                u.name = name;
            }
        }
        Ok(p)
    }
}

/// The name used in load errors for `chunkname` (`lundump`'s rule).
fn error_name(chunkname: &[u8]) -> String {
    match chunkname.first() {
        Some(b'@' | b'=') => String::from_utf8_lossy(&chunkname[1..]).into_owned(),
        Some(0x1b) => "binary string".into(),
        _ => String::from_utf8_lossy(chunkname).into_owned(),
    }
}

/// Reads a binary chunk back into its main prototype. Errors are the full
/// message (`NAME: bad binary format (truncated chunk)`, ...).
pub fn undump(bytes: &[u8], chunkname: &[u8]) -> Result<Proto, String> {
    let fail = |why: &str| format!("{}: bad binary format ({why})", error_name(chunkname));
    let mut r = Reader { bytes, pos: 0 };
    let header = (|| -> Result<(), Why> {
        if r.block(SIGNATURE.len())? != SIGNATURE {
            return Err("not a binary chunk");
        }
        if r.byte()? != VERSION {
            return Err("version mismatch");
        }
        if r.byte()? != FORMAT {
            return Err("format mismatch");
        }
        if r.block(CHECK_DATA.len())? != CHECK_DATA {
            return Err("corrupted chunk");
        }
        if r.byte()? != 4 {
            return Err("Instruction size mismatch");
        }
        if r.byte()? != 8 {
            return Err("lua_Integer size mismatch");
        }
        if r.byte()? != 8 {
            return Err("lua_Number size mismatch");
        }
        let b = r.block(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        if i64::from_le_bytes(a) != CHECK_INT {
            return Err("integer format mismatch");
        }
        let b = r.block(8)?;
        a.copy_from_slice(b);
        if f64::from_le_bytes(a) != CHECK_NUM {
            return Err("float format mismatch");
        }
        r.byte()?; // number of upvalues of the main function
        Ok(())
    })();
    header.map_err(fail)?;
    let unknown: Rc<[u8]> = Rc::from(&b"=?"[..]);
    let p = r.function(&unknown, 0).map_err(fail)?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Proto {
        let child = Proto {
            source: Rc::from(&b"@x.lua"[..]),
            line_defined: 3,
            last_line_defined: 5,
            num_params: 1,
            max_stack: 2,
            code: vec![Instruction(0x0102_0304)],
            lines: vec![4],
            upvalues: vec![UpvalDesc {
                in_stack: true,
                index: 0,
                kind: 0,
                name: Some(Rc::from(&b"a"[..])),
            }],
            ..Proto::default()
        };
        Proto {
            source: Rc::from(&b"@x.lua"[..]),
            is_vararg: true,
            max_stack: 3,
            code: vec![Instruction(7), Instruction(0xffff_ffff)],
            lines: vec![1, 2],
            constants: vec![
                Constant::Nil,
                Constant::Bool(true),
                Constant::Int(-5),
                Constant::Float(2.5),
                Constant::Str(Rc::from(&b"hello"[..])),
                Constant::Str(Rc::from(&[b'z'; 100][..])),
            ],
            upvalues: vec![UpvalDesc {
                in_stack: true,
                index: 0,
                kind: 0,
                name: Some(Rc::from(&b"_ENV"[..])),
            }],
            protos: vec![Rc::new(child)],
            locvars: vec![LocVar {
                name: Rc::from(&b"v"[..]),
                start_pc: 0,
                end_pc: 2,
            }],
            ..Proto::default()
        }
    }

    #[test]
    fn round_trip() {
        let p = sample();
        let bin = dump(&p, false);
        assert_eq!(undump(&bin, b"=t"), Ok(p.clone()));
        let stripped = undump(&dump(&p, true), b"=t").unwrap_or_default();
        assert_eq!(&stripped.source[..], b"=?");
        assert!(stripped.lines.is_empty() && stripped.locvars.is_empty());
        assert_eq!(stripped.code, p.code);
    }

    #[test]
    fn rejects_damage() {
        let bin = dump(&sample(), false);
        for cut in 0..bin.len() {
            assert!(
                undump(&bin[..cut], b"=cut").is_err(),
                "accepted cut at {cut}"
            );
        }
        let mut zeros = SIGNATURE.to_vec();
        zeros.extend_from_slice(&[0; 40]);
        assert!(undump(&zeros, b"=z").is_err());
        assert_eq!(
            undump(&bin[..10], b"=cut"),
            Err("cut: bad binary format (truncated chunk)".to_string())
        );
    }
}
