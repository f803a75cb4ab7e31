//! The concatenation operator over a run of values (`CONCAT A B`): strings
//! and numbers joined in one pass, `__concat` applied pairwise from the
//! right as Lua does.

use super::error::LuaResult;
use super::state::Vm;
use super::value::Value;
use crate::bytecode::TagMethod;

/// Whether `v` concatenates without a metamethod.
#[inline]
pub(crate) fn is_stringish(v: &Value) -> bool {
    matches!(v, Value::Str(_) | Value::Int(_) | Value::Float(_))
}

/// Bytes `push_text` appends for `v` (an upper bound for numbers).
#[inline]
pub(crate) fn text_len(v: &Value) -> usize {
    match v {
        Value::Str(s) => s.len(),
        _ => 64,
    }
}

/// Appends the text of a string or number.
pub(crate) fn push_text(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Str(s) => out.extend_from_slice(s.as_bytes()),
        Value::Int(i) => {
            let mut buf = [0u8; crate::number::INT_TEXT_MAX];
            out.extend_from_slice(crate::number::int_text(*i, &mut buf));
        }
        Value::Float(f) => out.extend_from_slice(crate::number::fmt_float(*f).as_bytes()),
        _ => {}
    }
}

impl Vm {
    /// `v[1] .. v[2] .. ...` with `__concat` (right associative). A type
    /// error names the offending value by its index in `vals` (the
    /// interpreter passes the registers `R[A] .. R[A+B-1]` in order).
    pub fn concat(&mut self, vals: &[Value]) -> LuaResult<Value> {
        match vals {
            [] => return Ok(self.new_str(b"")),
            [v] => return Ok(*v),
            _ => {}
        }
        let mut work: Vec<Value> = vals.to_vec();
        let mut top = work.len();
        while top > 1 {
            let p1 = work[top - 2];
            let p2 = work[top - 1];
            if is_stringish(&p1) && is_stringish(&p2) {
                let mut n = 2;
                while n < top && is_stringish(&work[top - n - 1]) {
                    n += 1;
                }
                let need = work[top - n..top]
                    .iter()
                    .fold(0usize, |acc, v| acc.saturating_add(text_len(v)));
                let mut out = self.scratch_buffer(need)?;
                for v in &work[top - n..top] {
                    push_text(&mut out, v);
                }
                self.charge(out.len() / 16)?;
                work[top - n] = self.new_string_scratch(out);
                top -= n - 1;
            } else {
                let f = self.concat_handler(p1, p2, top)?;
                work[top - 2] = self.call_meta1(f, &[p1, p2])?;
                top -= 1;
            }
        }
        Ok(work[0])
    }
}

impl Vm {
    /// The `__concat` metamethod for joining `p1 .. p2` (the top two of
    /// `top` values), first operand's first; the `attempt to concatenate`
    /// error (naming the offending operand) when neither has one.
    pub(crate) fn concat_handler(&mut self, p1: Value, p2: Value, top: usize) -> LuaResult<Value> {
        let mut f = self.metamethod(p1, TagMethod::Concat);
        if f.is_nil() {
            f = self.metamethod(p2, TagMethod::Concat);
        }
        if f.is_nil() {
            let (bad, idx) = if is_stringish(&p1) {
                (p2, top - 1)
            } else {
                (p1, top - 2)
            };
            return Err(self.type_error(bad, "concatenate", u8::try_from(idx).ok()));
        }
        Ok(f)
    }
}
