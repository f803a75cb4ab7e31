//! `lunette --visualize OUT.html`: records the run and writes one
//! self-contained page (inline CSS, JS and data; no network) that replays
//! it step by step: source, bytecode listing, registers, call stack,
//! constants and upvalues, with play/step/step-back controls.

mod json;
mod recorder;

use json::{raw_array, str as json_str, string_array};
use lunette::bytecode::disasm::{constant_text, instruction_line};
use lunette::bytecode::Proto;
use recorder::{Data, Recorder};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;
use std::rc::Rc;

/// Steps recorded when `--visualize-limit` is not given.
pub const DEFAULT_LIMIT: usize = 100_000;

/// The page template; `/*LUNETTE_DATA*/` is replaced by the recording.
const PAGE: &str = include_str!("visualize/page.html");

/// A recording in progress.
pub struct Recording {
    out: String,
    data: Rc<RefCell<Data>>,
}

impl Recording {
    /// Starts a recording of at most `limit` steps, written to `out` at the
    /// end; the returned observer must be installed in the VM.
    pub fn start(out: String, limit: usize) -> (Recording, Recorder) {
        let data = Rc::new(RefCell::new(Data::new(limit)));
        (
            Recording {
                out,
                data: data.clone(),
            },
            Recorder(data),
        )
    }

    /// Writes the page.
    pub fn write_page(&self) -> std::io::Result<()> {
        let page = render(&self.data.borrow(), &self.out);
        std::fs::write(&self.out, page)
    }
}

/// The text of a chunk's source: the file of an `@name` chunk, the string
/// itself for a chunk loaded from a string, none for `=name` chunks.
fn source_text(source: &[u8]) -> Option<String> {
    match source.first() {
        Some(b'@') => {
            let path = String::from_utf8_lossy(&source[1..]).into_owned();
            let bytes = std::fs::read(path).ok()?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
        Some(b'=') | Some(0x1b) | None => None,
        Some(_) => Some(String::from_utf8_lossy(source).into_owned()),
    }
}

/// One prototype as the page uses it.
fn proto_json(p: &Proto, src: Option<usize>) -> String {
    let chunk = lunette::bytecode::chunkid::chunk_id(&p.source);
    let head = format!(
        "{} <{}:{},{}> ({} instructions)",
        if p.line_defined == 0 {
            "main"
        } else {
            "function"
        },
        chunk,
        p.line_defined,
        p.last_line_defined,
        p.code.len()
    );
    let code: Vec<String> = (0..p.code.len())
        .map(|pc| instruction_line(p, pc))
        .collect();
    let lines: Vec<String> = (0..p.code.len())
        .map(|pc| p.line_at(pc).unwrap_or(0).to_string())
        .collect();
    let k: Vec<String> = p.constants.iter().map(constant_text).collect();
    let up: Vec<String> = p
        .upvalues
        .iter()
        .map(|u| {
            u.name
                .as_deref()
                .map_or("-".into(), |n| String::from_utf8_lossy(n).into_owned())
        })
        .collect();
    let loc: Vec<String> = p
        .locvars
        .iter()
        .map(|l| {
            format!(
                "[{},{},{}]",
                json_str(&String::from_utf8_lossy(&l.name)),
                l.start_pc,
                l.end_pc
            )
        })
        .collect();
    format!(
        "{{\"h\":{},\"src\":{},\"ld\":{},\"nregs\":{},\"code\":{},\"lines\":[{}],\"k\":{},\"up\":{},\"loc\":{}}}",
        json_str(&head),
        src.map_or("-1".to_string(), |s| s.to_string()),
        p.line_defined,
        p.max_stack,
        string_array(&code),
        lines.join(","),
        string_array(&k),
        string_array(&up),
        raw_array(&loc)
    )
}

/// The whole page for recording `d` (written to `out`).
fn render(d: &Data, out: &str) -> String {
    let mut sources: Vec<(String, Option<String>)> = Vec::new();
    let mut source_ids: HashMap<Vec<u8>, Option<usize>> = HashMap::new();
    let mut protos = Vec::new();
    for p in &d.protos {
        let src = *source_ids.entry(p.source.to_vec()).or_insert_with(|| {
            source_text(&p.source).map(|text| {
                sources.push((lunette::bytecode::chunkid::chunk_id(&p.source), Some(text)));
                sources.len() - 1
            })
        });
        protos.push(proto_json(p, src));
    }
    let sources: Vec<String> = sources
        .iter()
        .map(|(name, text)| {
            format!(
                "{{\"name\":{},\"text\":{}}}",
                json_str(name),
                json_str(text.as_deref().unwrap_or(""))
            )
        })
        .collect();
    let title = std::path::Path::new(out)
        .file_name()
        .map_or("lunette".into(), |n| n.to_string_lossy().into_owned());
    let mut data = String::new();
    let _ = write!(
        data,
        "{{\"title\":{},\"limit\":{},\"total\":{},\"cut\":{},\"protos\":{},\"sources\":{},\"values\":{},\"stacks\":{},\"contents\":{},\"steps\":[{}]}}",
        json_str(&title),
        d.limit,
        d.total,
        d.cut.as_deref().unwrap_or("null"),
        raw_array(&protos),
        raw_array(&sources),
        string_array(d.values.items()),
        raw_array(d.stacks.items()),
        raw_array(d.contents.items()),
        d.steps
    );
    PAGE.replacen("/*LUNETTE_DATA*/", &data, 1)
}
