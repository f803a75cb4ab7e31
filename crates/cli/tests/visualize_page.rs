//! `lunette --visualize`: the generated page replays the run in headless
//! Chromium (Debian's `chromium`, driven through the DevTools protocol by
//! the `headless_chrome` crate). For each example program the page must
//! load from `file://` without console errors or network requests, step
//! forward through the instructions in the order `lunette --trace` lists
//! them (highlighted instruction and line), show the registers the trace
//! says were written, and return to the same state when stepping back.
//!
//! `LUNETTE_VISUALIZER_SCREENSHOT=path.png` also saves a screenshot of the
//! fib page (the README's picture). Without Chromium the browser test is
//! skipped unless `LUNETTE_REQUIRE_REFERENCE=1` (set by `.ci/run`).

mod common;

use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";

use common::observe_programs as programs;

fn lunette(args: &[&str]) -> Output {
    common::lunette_in(&programs(), args)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lunette-viz-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// One executed instruction as `--trace` reports it.
#[derive(Debug, Clone)]
struct Step {
    func: String,
    pc: u32,
    line: u32,
    /// Registers written just before this instruction, as the trace line
    /// before it says (`R3=10` -> (3, "10")).
    written: Vec<(usize, String)>,
}

fn parse_writes(field: Option<&str>) -> Vec<(usize, String)> {
    let Some(w) = field.and_then(|f| f.strip_prefix("=> ")) else {
        return Vec::new();
    };
    // values never contain " R<digit>=" except inside strings, which the
    // example programs keep short and plain
    let mut out = Vec::new();
    for part in w.split(" R") {
        let part = part.strip_prefix('R').unwrap_or(part);
        if let Some((r, v)) = part.split_once('=') {
            if let Ok(r) = r.parse() {
                out.push((r, v.to_string()));
            }
        }
    }
    out
}

/// The trace of `prog`: every instruction with the writes reported just
/// before it.
fn trace(prog: &str) -> Vec<Step> {
    let out = lunette(&["--trace", prog]);
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut steps = Vec::new();
    let mut last_writes = Vec::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        let writes = parse_writes(f.iter().rev().find(|x| x.starts_with("=> ")).copied());
        if f[3] == "(return)" {
            last_writes = writes;
            continue;
        }
        steps.push(Step {
            func: f[0].to_string(),
            pc: f[1].parse().unwrap(),
            line: f[2].trim_matches(['[', ']']).parse().unwrap(),
            written: std::mem::take(&mut last_writes),
        });
        last_writes = writes;
    }
    steps
}

fn visualize(prog: &str, dir: &Path, extra: &[&str]) -> (PathBuf, Output) {
    let page = dir.join(prog.replace(".lua", ".html"));
    let mut args = vec!["--visualize", page.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(prog);
    let out = lunette(&args);
    assert!(out.status.success(), "{out:?}");
    (page, out)
}

const PROGRAMS: [&str; 5] = [
    "fib.lua",
    "counter.lua",
    "generator.lua",
    "metamethod.lua",
    "pcall.lua",
];

#[test]
fn pages_are_self_contained_and_runs_unchanged() {
    let dir = scratch("pages");
    for prog in PROGRAMS {
        let plain = lunette(&[prog]);
        let (page, out) = visualize(prog, &dir, &[]);
        assert_eq!(out.stdout, plain.stdout, "{prog}: output changed");
        let html = std::fs::read_to_string(&page).unwrap();
        for banned in ["http://", "https://", "<link", "src=\""] {
            assert!(!html.contains(banned), "{prog}: page refers to {banned}");
        }
        let n = trace(prog).len();
        assert!(
            html.contains(&format!("\"total\":{n},")),
            "{prog}: {n} steps"
        );
    }
}

#[test]
fn long_runs_are_cut_and_pages_stay_small() {
    let dir = scratch("limit");
    let script = dir.join("loop.lua");
    std::fs::write(
        &script,
        "local t, s = {}, 0\nfor i = 1, 40000 do\n  t[i % 50 + 1] = i\n  s = s + i\nend\nprint(s)\n",
    )
    .unwrap();
    let page = dir.join("loop.html");
    let out = lunette(&[
        "--visualize",
        page.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "800020000\n");
    let size = std::fs::metadata(&page).unwrap().len();
    eprintln!("100000-step page: {size} bytes");
    assert!(size < 20 * 1024 * 1024, "{size} bytes");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("\"limit\":100000,"));
    assert!(html.contains("\"cut\":{\"pc\":"), "recording cut");
    // the run went on past the limit
    let total: u64 = html
        .split("\"total\":")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(total > 200_000, "{total}");

    let (small, out) = visualize("fib.lua", &dir, &["--visualize-limit", "50"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "8\n");
    let html = std::fs::read_to_string(small).unwrap();
    assert!(html.contains("\"limit\":50,") && html.contains("\"cut\":{"));
}

/// Headless Chromium, or `None` (test skipped) when it is not installed.
fn browser(profile: &Path) -> Option<Browser> {
    if !Path::new(CHROMIUM).exists() {
        if std::env::var_os("LUNETTE_REQUIRE_REFERENCE").is_some_and(|v| v == "1") {
            panic!("{CHROMIUM} is required (apt-get install chromium)");
        }
        eprintln!("skipped: {CHROMIUM} not installed");
        return None;
    }
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let opts = LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(CHROMIUM.into()),
        user_data_dir: Some(profile.to_path_buf()),
        window_size: Some((1280, 760)),
        args,
        idle_browser_timeout: Duration::from_secs(600),
        ..LaunchOptions::default()
    };
    Some(Browser::new(opts).expect("cannot start chromium"))
}

fn js(tab: &Tab, expr: &str) -> serde_json::Value {
    tab.evaluate(expr, false)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// What the page shows: highlighted pc and line, counter, registers.
#[derive(Debug, PartialEq)]
struct Shown {
    pc: String,
    line: String,
    counter: String,
    regs: String,
    changed: Vec<(usize, String)>,
    threads: usize,
}

fn shown(tab: &Tab) -> Shown {
    let v = js(
        tab,
        r#"JSON.stringify({
            pc: (document.querySelector('#listing .cur') || {dataset: {}}).dataset.pc || '',
            line: (document.querySelector('#source .cur') || {dataset: {}}).dataset.line || '',
            counter: document.getElementById('counter').textContent,
            regs: document.getElementById('regs').innerText,
            changed: [...document.querySelectorAll('#regs tr.changed')].map(
                r => [+r.dataset.reg, r.querySelector('td.val').innerText.split('\n')[0]]),
            threads: document.querySelectorAll('#stack .thread').length,
        })"#,
    );
    let v: serde_json::Value = serde_json::from_str(v.as_str().unwrap()).unwrap();
    Shown {
        pc: v["pc"].as_str().unwrap().to_string(),
        line: v["line"].as_str().unwrap().to_string(),
        counter: v["counter"].as_str().unwrap().to_string(),
        regs: v["regs"].as_str().unwrap().to_string(),
        changed: v["changed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c[0].as_u64().unwrap() as usize,
                    c[1].as_str().unwrap().to_string(),
                )
            })
            .collect(),
        threads: v["threads"].as_u64().unwrap() as usize,
    }
}

/// Whether a value text is the same in every run (not an address).
fn stable(v: &str) -> bool {
    !v.contains("0x")
}

fn check_step(prog: &str, tab: &Tab, k: usize, s: &Step, total: usize) -> Shown {
    let now = shown(tab);
    let at = format!("{prog} step {} ({s:?}): {now:?}", k + 1);
    assert_eq!(now.pc, s.pc.to_string(), "{at}");
    assert_eq!(now.line, s.line.to_string(), "{at}");
    assert!(
        now.counter
            .starts_with(&format!("instruction {} of {total} ", k + 1)),
        "{at}"
    );
    let regs: Vec<usize> = now.changed.iter().map(|c| c.0).collect();
    let want: Vec<usize> = s.written.iter().map(|w| w.0).collect();
    assert_eq!(regs, want, "changed registers, {at}");
    for ((_, shown), (_, traced)) in now.changed.iter().zip(&s.written) {
        if stable(traced) {
            assert_eq!(shown, traced, "{at}");
        } else {
            assert_eq!(shown.split(": ").next(), traced.split(": ").next(), "{at}");
        }
    }
    now
}

#[test]
fn pages_replay_the_trace_in_chromium() {
    let dir = scratch("chromium");
    // the runs first, so the browser is never left idle
    let runs: Vec<(&str, Vec<Step>, PathBuf)> = PROGRAMS
        .iter()
        .map(|&prog| (prog, trace(prog), visualize(prog, &dir, &[]).0))
        .collect();
    let Some(browser) = browser(&dir.join("profile")) else {
        return;
    };
    // one tab for every page
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(60));
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = errors.clone();
    tab.add_event_listener(Arc::new(
        move |ev: &headless_chrome::protocol::cdp::types::Event| {
            let d = format!("{ev:?}");
            let bad = d.starts_with("RuntimeExceptionThrown")
                || (d.starts_with("RuntimeConsoleAPICalled") && d.contains("Error"))
                || (d.starts_with("LogEntryAdded") && d.contains("level: Error"));
            if bad {
                sink.lock().unwrap().push(d);
            }
        },
    ))
    .unwrap();
    tab.enable_runtime().unwrap();
    tab.enable_log().unwrap();
    for (prog, steps, page) in runs {
        errors.lock().unwrap().clear();
        let url = format!("file://{}", page.display());
        tab.navigate_to(&url)
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        tab.wait_for_element("#regs tr").unwrap();
        // offline: nothing but the page itself was fetched
        let fetched = js(&tab, "performance.getEntriesByType('resource').length");
        assert_eq!(fetched, serde_json::json!(0), "{prog}");

        let total = steps.len();
        let first = check_step(prog, &tab, 0, &steps[0], total);
        let n = total.min(40);
        let mut states = vec![first];
        for (k, s) in steps.iter().enumerate().take(n).skip(1) {
            tab.press_key("ArrowRight").unwrap();
            states.push(check_step(prog, &tab, k, s, total));
        }
        // step back returns to the very same states
        for k in (0..n - 1).rev().step_by(9) {
            let target = &states[k];
            while shown(&tab).counter != target.counter {
                tab.press_key("ArrowLeft").unwrap();
            }
            assert_eq!(&shown(&tab), target, "{prog}: step back to {}", k + 1);
        }
        // the coroutine's steps show both threads' frames
        if prog == "generator.lua" {
            let k = steps.iter().position(|s| s.func.starts_with('<')).unwrap();
            js(
                &tab,
                &format!("(() => {{ const s = document.getElementById('scrub'); s.value = {k}; s.dispatchEvent(new Event('input')); return 1; }})()"),
            );
            let now = check_step(prog, &tab, k, &steps[k], total);
            assert_eq!(now.threads, 2, "{now:?}");
        }
        // step over a call: from main's first CALL to the instruction after it
        if let Some(k) = steps.iter().position(|s| {
            s.func == "main" && s.pc > 1 && {
                let i = steps.iter().position(|t| std::ptr::eq(t, s)).unwrap();
                steps.get(i + 1).is_some_and(|t| t.func != "main")
            }
        }) {
            js(
                &tab,
                &format!("(() => {{ const s = document.getElementById('scrub'); s.value = {k}; s.dispatchEvent(new Event('input')); return 1; }})()"),
            );
            tab.press_key("ArrowDown").unwrap();
            let back = steps[k + 1..]
                .iter()
                .position(|t| t.func == "main")
                .unwrap()
                + k
                + 1;
            check_step(prog, &tab, back, &steps[back], total);
        }
        if prog == "fib.lua" {
            if let Some(out) = std::env::var_os("LUNETTE_VISUALIZER_SCREENSHOT") {
                js(&tab, "(() => { const s = document.getElementById('scrub'); s.value = 40; s.dispatchEvent(new Event('input')); return 1; })()");
                let png = tab
                    .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
                    .unwrap();
                std::fs::write(out, png).unwrap();
            }
        }
        std::thread::sleep(Duration::from_millis(100));
        let errs = errors.lock().unwrap();
        assert!(errs.is_empty(), "{prog}: console errors: {errs:?}");
    }
}
