//! The interactive mode of `lunette` (`-i`, or no arguments on a terminal),
//! behaving like lua 5.4's: each line is first tried as an expression
//! (`return line;`) whose values are printed, else as a statement continued
//! over more lines (`>>` prompt) while the chunk only fails by reaching
//! `<eof>`; `_PROMPT`/`_PROMPT2` replace the prompts; a leading `=` means
//! `return`. Errors are printed without the program name.
//!
//! On a terminal lines are read with line editing and a history kept in
//! `~/.lunette_history` (Ctrl-C at the prompt drops the input being typed,
//! Ctrl-D ends the loop). Otherwise lines are read from stdin and echoed
//! after their prompt, as lua does when it reads a pipe.

use crate::chunk::{docall, error_text, message, report};
use lunette::{LuaError, RawValue as Value, Vm};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{Config, Editor};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// Name of the history file kept in the user's home directory.
pub const HISTORY_FILE: &str = ".lunette_history";

/// What reading one line gave.
enum Read {
    /// A line, without its newline.
    Line(Vec<u8>),
    /// End of input (Ctrl-D on a terminal).
    Eof,
    /// Ctrl-C at the prompt: drop what was typed so far.
    Cancel,
}

/// Where the lines come from.
enum Input {
    /// A terminal: line editing and a history file.
    Editor {
        /// The line editor.
        editor: Box<Editor<(), FileHistory>>,
        /// The history file, when there is a home directory.
        history: Option<PathBuf>,
    },
    /// A pipe or file on stdin; `echo` repeats each line after its prompt.
    Plain {
        /// Whether to echo lines (stdin is not a terminal).
        echo: bool,
    },
}

impl Input {
    /// The line editor when stdin and stdout are terminals, else plain stdin.
    fn new() -> Input {
        let stdin_tty = std::io::stdin().is_terminal();
        if stdin_tty && std::io::stdout().is_terminal() {
            let config = Config::builder()
                .max_history_size(1000)
                .map(|b| b.auto_add_history(false).build());
            if let Ok(Ok(mut editor)) = config.map(Editor::with_config) {
                let history = history_path();
                if let Some(p) = &history {
                    // a missing or unreadable history file is not an error
                    let _ = editor.load_history(p);
                }
                return Input::Editor {
                    editor: Box::new(editor),
                    history,
                };
            }
        }
        Input::Plain { echo: !stdin_tty }
    }

    /// Shows `prompt` and reads one line.
    fn read(&mut self, prompt: &[u8]) -> Read {
        match self {
            Input::Editor { editor, .. } => {
                let prompt = String::from_utf8_lossy(prompt).into_owned();
                match editor.readline(prompt.as_str()) {
                    Ok(line) => Read::Line(line.into_bytes()),
                    Err(ReadlineError::Interrupted) => Read::Cancel,
                    Err(_) => Read::Eof,
                }
            }
            Input::Plain { echo } => {
                let mut out = std::io::stdout();
                let _ = out.write_all(prompt);
                let _ = out.flush();
                let mut line = Vec::new();
                match std::io::stdin().lock().read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => Read::Eof,
                    Ok(_) => {
                        if line.last() == Some(&b'\n') {
                            line.pop();
                        }
                        if *echo {
                            line.push(b'\n');
                            let _ = out.write_all(&line);
                            let _ = out.flush();
                            line.pop();
                        }
                        Read::Line(line)
                    }
                }
            }
        }
    }

    /// Keeps a complete chunk in the history (and its file).
    fn save(&mut self, chunk: &[u8]) {
        if let Input::Editor { editor, history } = self {
            let text = String::from_utf8_lossy(chunk);
            if editor.add_history_entry(text.as_ref()).unwrap_or(false) {
                if let Some(p) = history {
                    let _ = editor.append_history(p);
                }
            }
        }
    }
}

/// `$HOME/.lunette_history`, if there is a home directory.
fn history_path() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(HISTORY_FILE))
}

/// The prompt: the global `_PROMPT` (`_PROMPT2` for continuation lines)
/// through `tostring`, or the default `> ` / `>> `.
fn prompt(vm: &mut Vm, first: bool) -> Vec<u8> {
    let (name, default) = if first {
        ("_PROMPT", "> ")
    } else {
        ("_PROMPT2", ">> ")
    };
    match vm.get_global(name) {
        Value::Nil => default.as_bytes().to_vec(),
        v => match vm.tostring(v) {
            Ok(Value::Str(s)) => s.as_bytes().to_vec(),
            _ => Vec::new(),
        },
    }
}

/// What one turn of the loop read.
enum Loaded {
    /// A compiled chunk to run.
    Chunk(Value),
    /// A syntax error to report.
    Error(LuaError),
    /// Input dropped by Ctrl-C.
    Nothing,
    /// End of input.
    Eof,
}

/// Whether a compile error only says the chunk ended too early.
fn incomplete(e: &LuaError) -> bool {
    e.value.as_str().is_some_and(|m| m.ends_with(b"<eof>"))
}

/// Reads and compiles one entry: an expression line, or a statement over as
/// many lines as it needs.
fn load_entry(vm: &mut Vm, input: &mut Input) -> Loaded {
    lunette::stdlib::io::flush_stdout(vm);
    let p = prompt(vm, true);
    let mut line = match input.read(&p) {
        Read::Line(l) => l,
        Read::Eof => return Loaded::Eof,
        Read::Cancel => return Loaded::Nothing,
    };
    if let Some(rest) = line.strip_prefix(b"=") {
        line = [b"return ".as_slice(), rest].concat();
    }
    let as_return = [b"return ".as_slice(), &line, b";"].concat();
    if let Ok(f) = lunette::load_text(vm, &as_return, b"=stdin") {
        if !line.is_empty() {
            input.save(&line);
        }
        return Loaded::Chunk(f);
    }
    let mut chunk = line;
    loop {
        match lunette::load_text(vm, &chunk, b"=stdin") {
            Ok(f) => {
                input.save(&chunk);
                return Loaded::Chunk(f);
            }
            Err(e) if incomplete(&e) => {
                let p = prompt(vm, false);
                match input.read(&p) {
                    Read::Line(more) => {
                        chunk.push(b'\n');
                        chunk.extend_from_slice(&more);
                    }
                    Read::Eof => {
                        input.save(&chunk);
                        return Loaded::Error(e);
                    }
                    Read::Cancel => return Loaded::Nothing,
                }
            }
            Err(e) => {
                input.save(&chunk);
                return Loaded::Error(e);
            }
        }
    }
}

/// Prints the values an entry returned with the global `print`.
fn print_results(vm: &mut Vm, results: &[Value]) {
    if results.is_empty() {
        return;
    }
    let print = vm.get_global("print");
    if let Err(e) = vm.pcall_function(print, results) {
        let msg = error_text(vm, e.value);
        message(vm, None, &format!("error calling 'print' ({msg})"));
    }
}

/// Runs the read-eval-print loop until end of input.
pub fn run(vm: &mut Vm) {
    let mut input = Input::new();
    loop {
        match load_entry(vm, &mut input) {
            Loaded::Chunk(f) => match docall(vm, f, &[]) {
                Ok(results) => print_results(vm, &results),
                Err(e) => {
                    report(vm, None, e);
                }
            },
            Loaded::Error(e) => {
                report(vm, None, e);
            }
            Loaded::Nothing => {}
            Loaded::Eof => break,
        }
    }
    lunette::stdlib::io::flush_stdout(vm);
    println!();
}
