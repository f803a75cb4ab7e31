//! Minimal JSON writing for the recorder: string literals safe to embed
//! in an HTML `<script>` element, and interning pools.

use std::collections::HashMap;
use std::fmt::Write;

/// `s` as a JSON string literal (`<`, `>` and `&` escaped so the text can
/// sit inside `<script>`).
pub fn str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Distinct texts, numbered in order of first appearance.
#[derive(Default)]
pub struct Pool {
    items: Vec<String>,
    ids: HashMap<String, usize>,
}

impl Pool {
    /// The number of `text`, adding it when new.
    pub fn intern(&mut self, text: String) -> usize {
        if let Some(&id) = self.ids.get(&text) {
            return id;
        }
        let id = self.items.len();
        self.items.push(text.clone());
        self.ids.insert(text, id);
        id
    }

    /// The texts in id order.
    pub fn items(&self) -> &[String] {
        &self.items
    }
}

/// A JSON array of the texts as JSON strings.
pub fn string_array<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| str(s.as_ref())).collect();
    format!("[{}]", parts.join(","))
}

/// A JSON array of texts that already are JSON.
pub fn raw_array(items: &[String]) -> String {
    format!("[{}]", items.join(","))
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_are_escaped_for_script_elements() {
        assert_eq!(
            super::str("a\"</script>\n"),
            r#""a\"\u003c/script\u003e\n""#
        );
    }
}
