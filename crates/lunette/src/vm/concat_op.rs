//! The `CONCAT` instruction: joins registers `R[A..A+n)` from the right, in
//! place, as Lua does. A `__concat` metamethod that is a Lua function runs
//! as a frame inside coroutines (so it can yield): the remaining count is
//! kept in the frame (`concat_left`) and `CONCAT` runs again when the
//! metamethod frame returns (`CONT_CONCAT`).

use super::concat::{is_stringish, push_text, text_len};
use super::error::LuaResult;
use super::meta_frames::CONT_CONCAT;
use super::state::Vm;
use super::value::Value;

impl Vm {
    /// Runs `CONCAT A B` of frame `fi`; the result is left in `R[A]`.
    pub(crate) fn op_concat(
        &mut self,
        fi: usize,
        base: usize,
        a: usize,
        b: usize,
    ) -> LuaResult<()> {
        let first = base + a;
        let mut top = match self.frames[fi].concat_left {
            0 => b,
            left => {
                self.frames[fi].concat_left = 0;
                left as usize
            }
        };
        while top > 1 {
            let p1 = self.stack[first + top - 2];
            let p2 = self.stack[first + top - 1];
            if is_stringish(&p1) && is_stringish(&p2) {
                let mut k = 2;
                while k < top && is_stringish(&self.stack[first + top - k - 1]) {
                    k += 1;
                }
                let need = self.stack[first + top - k..first + top]
                    .iter()
                    .fold(0usize, |acc, v| acc.saturating_add(text_len(v)));
                let mut out = self.scratch_buffer(need)?;
                for v in &self.stack[first + top - k..first + top] {
                    push_text(&mut out, v);
                }
                self.charge(out.len() / 16)?;
                self.stack[first + top - k] = self.new_string_scratch(out);
                top -= k - 1;
                continue;
            }
            let f = self.concat_handler(p1, p2, top)?;
            let dst = a + top - 2;
            if let (Value::LuaFn(cl), true) = (f, self.in_coroutine()) {
                if let (Ok(left), Ok(reg)) = (u16::try_from(top - 1), u16::try_from(dst)) {
                    self.frames[fi].concat_left = left;
                    let sentinel = self.push_meta_frame(cl, &[p1, p2], CONT_CONCAT | reg as u32)?;
                    return Err(sentinel);
                }
            }
            self.stack[base + dst] = self.call_meta1(f, &[p1, p2])?;
            top -= 1;
        }
        Ok(())
    }
}
