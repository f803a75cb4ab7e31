//! Chunk names as they appear in messages (`luaO_chunkid` rules).

/// Maximum length of a chunk id in messages (Lua's `LUA_IDSIZE` - 1).
pub const ID_SIZE: usize = 59;

/// The printable form of a chunk name: `=name` -> `name`, `@file` -> `file`
/// (long names keep their end, prefixed by `...`), source text ->
/// `[string "first line..."]`.
pub fn chunk_id(source: &[u8]) -> String {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match source.first() {
        Some(b'=') => {
            let rest = &source[1..];
            text(&rest[..rest.len().min(ID_SIZE)])
        }
        Some(b'@') => {
            let rest = &source[1..];
            if rest.len() <= ID_SIZE {
                text(rest)
            } else {
                format!("...{}", text(&rest[rest.len() - (ID_SIZE - 3)..]))
            }
        }
        _ => {
            const PRE: &str = "[string \"";
            const POS: &str = "\"]";
            const DOTS: &str = "...";
            let nl = source.iter().position(|&c| c == b'\n');
            let avail = ID_SIZE - PRE.len() - DOTS.len() - POS.len();
            if nl.is_none() && source.len() <= avail + DOTS.len() {
                format!("{PRE}{}{POS}", text(source))
            } else {
                let mut l = nl.unwrap_or(source.len());
                if l > avail {
                    l = avail;
                }
                format!("{PRE}{}{DOTS}{POS}", text(&source[..l]))
            }
        }
    }
}
