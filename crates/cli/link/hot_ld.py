#!/usr/bin/env python3
"""Writes crates/cli/link/hot.ld, the linker script that puts the code a run
of lunette executes at the front of the binary.

Why: Linux maps a program's code lazily, but a page fault maps the whole
16-page (64 KiB) window around the faulting page, or the whole page-cache folio
it sits in, when those pages are cached. The functions a run executes are
spread over the 1.3 MB of code (the Lua VM between the REPL's line editor, the
standard library's backtrace printer, ...), so `lunette -e ""` used to map
nearly all of it: about 1.1 MB of peak RSS more than lua5.4's whole binary.
Grouped, the code a benchmark executes fits in about 400 KiB.

How: `-e ""` and every benchmark of bench/programs (small sizes) run under
callgrind, which reports each executed instruction. Every function whose code
ran is listed, also the functions inlined there (`addr2line -i`; a later build
may not inline them), most widely shared first (what `-e ""` runs leads), as a
section pattern in an output section `.text.hot` placed before `.text`
(`INSERT BEFORE .text`, understood by lld and GNU ld); the rest of the lunette
library follows. crates/cli/build.rs passes the script to the linker for the
`lunette` and `lunettec` programs. Rust compiles each function into its own
section named after its symbol; the patterns replace the hashes in symbol
names with `*`, so a new toolchain or dependency version (which changes every
hash) keeps them matching. A function that was renamed, or new code, lands
after the listed ones: rerun this script after large changes.

usage: crates/cli/link/hot_ld.py [--lunette PATH] [--out PATH]
Needs valgrind, nm and addr2line (binutils). Takes a minute or two.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PROGRAMS = os.path.join(ROOT, "bench", "programs")

# Small sizes: every code path of the program runs, in a few seconds under
# callgrind.
RUNS = [
    ("binary_trees", "8"), ("closures", "100"), ("coroutine_gen", "30000"),
    ("deep_recursion", "150000"), ("deltablue", "5"), ("fannkuch", "7"),
    ("fib", "20"), ("gc_churn", "2"), ("interp", "1"), ("json", "3"),
    ("mandelbrot", "100"), ("nbody", "10000"), ("richards", "10"),
    ("sieve", "100000"), ("spectral_norm", "50"), ("string_build", "40"),
    ("string_patterns", "30"), ("table_loop", "40"), ("table_ops", "2"),
    ("vararg", "20000"),
]


# Crates whose read-only data a script run does not read (see `main`).
COLD_CRATES = ["rustyline", "unicode_segmentation", "unicode_width", "nix", "gimli",
               "addr2line", "miniz_oxide", "rustc_demangle"]


def executed_code(lunette, args, tmp):
    """Callgrind's answer for one run: {function name: first address} and
    the set of executed instruction addresses (run-time addresses)."""
    out = os.path.join(tmp, "cg.out")
    subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=yes", "--demangle=no",
                    "--compress-strings=no", "--compress-pos=no",
                    "--callgrind-out-file=" + out, lunette] + args,
                   cwd=PROGRAMS, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    entries = {}
    addrs = set()
    fn = None
    skip = False
    with open(out, errors="replace") as f:
        for line in f:
            if line.startswith("fn="):
                # callgrind's recursion-depth suffix
                fn = re.sub(r"'\d+$", "", line[3:].strip())
            elif line.startswith("calls="):
                skip = True  # the next line is the call's inclusive cost
            elif line.startswith("0x"):
                if skip:
                    skip = False
                    continue
                addr = int(line.split()[0], 16)
                addrs.add(addr)
                if fn is not None and addr < entries.get(fn, addr + 1):
                    entries[fn] = addr
    os.remove(out)
    return entries, addrs


def text_symbols(lunette):
    """The binary's own functions: {name: address}."""
    nm = subprocess.run(["nm", lunette], capture_output=True, text=True, check=True)
    names = {}
    for line in nm.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            names[parts[2]] = int(parts[0], 16)
    return names


def load_base(entries, own):
    """Where the run mapped the binary: the most common difference between
    a function's lowest executed address and its symbol's address."""
    deltas = collections.Counter(a - own[n] for n, a in entries.items() if n in own)
    return deltas.most_common(1)[0][0] if deltas else 0


def functions_at(lunette, addrs):
    """{address: names of the functions whose code is there, the inlined
    ones included} (from the debug information: `addr2line -a -i -f`
    prints each address, then a function and a source line per inlined
    frame)."""
    text = "".join("%#x\n" % a for a in sorted(addrs))
    out = subprocess.run(["addr2line", "-a", "-i", "-f", "-e", lunette], input=text,
                         capture_output=True, text=True, check=True).stdout
    result = collections.defaultdict(set)
    addr = None
    lines = out.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("0x"):
            addr = int(lines[i], 16)
            i += 1
            continue
        if lines[i] != "??":
            result[addr].add(lines[i])
        i += 2  # the function, then its file:line
    return result


def pattern(symbol):
    """A section-name pattern for `symbol` that ignores crate hashes."""
    p = re.sub(r"\.llvm\.\d+$", "", symbol)     # ThinLTO's promotion suffix
    p = re.sub(r"17h[0-9a-f]{16}E", "17h*E", p)  # legacy mangling's hash
    p = re.sub(r"Cs[0-9a-zA-Z]+_", "Cs*_", p)    # v0 mangling's crate ids
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lunette", default=os.path.join(ROOT, "target", "release", "lunette"))
    ap.add_argument("--out", default=os.path.join(HERE, "hot.ld"))
    opts = ap.parse_args()
    lunette = os.path.abspath(opts.lunette)
    own = text_symbols(lunette)
    runs = [["-e", ""]] + [[name + ".lua", size] for name, size in RUNS]
    executed = []  # per run: the binary's executed addresses (link-time)
    with tempfile.TemporaryDirectory() as tmp:
        for i, args in enumerate(runs):
            print(f"[{i + 1}/{len(runs)}] lunette {' '.join(args)}", file=sys.stderr)
            entries, addrs = executed_code(lunette, args, tmp)
            base = load_base(entries, own)
            end = max(own.values(), default=0) + (1 << 20)
            executed.append({a - base for a in addrs if 0 <= a - base < end})
    # every function whose code ran, also where it was inlined: a later
    # build may not inline it
    names_at = functions_at(lunette, set().union(*executed))
    count = collections.Counter()
    first = {}
    for addrs in executed:
        ran = set()
        for a in sorted(addrs):
            for name in sorted(names_at.get(a, ())):
                ran.add(name)
                first.setdefault(name, len(first))
        count.update(ran)
    order = sorted(count, key=lambda n: (-count[n], first[n]))
    patterns = list(dict.fromkeys(pattern(n) for n in order))
    with open(opts.out, "w") as f:
        f.write("/* Generated by crates/cli/link/hot_ld.py: the functions that lunette -e \"\"\n"
                "   and the benchmarks execute, placed before the rest of the code so that a\n"
                "   run maps fewer pages of the binary; the read-only data of crates only\n"
                "   the REPL and panic backtraces use after the rest. Regenerate after\n"
                "   large changes. */\n")
        f.write("SECTIONS\n{\n  .text.hot : {\n")
        for p in patterns:
            # `.text.*` also takes `.text.unlikely.` (cold functions), the
            # final `*` ThinLTO's `.llvm.<n>` suffix
            f.write(f"    *(.text.*{p}*)\n")
        # then the rest of the VM library's code (its object files under
        # ThinLTO are named `<bin>-<hash>.lunette-<hash>....o`): a function
        # that a later change moves out of its callers (a new symbol, absent
        # above) lands near the hot code, not among the REPL's line editor
        # and the backtrace printer
        f.write("    *.lunette-*(.text.* .text)\n")
        f.write("  }\n}\nINSERT BEFORE .text;\n")
        # read-only data of the crates only the REPL (line editing) and
        # panic backtraces use, after the rest: the data a run reads shares
        # fewer pages
        f.write("SECTIONS\n{\n  .rodata.cold : {\n")
        for crate in COLD_CRATES:
            f.write(f"    *.{crate}-*(.rodata .rodata.*)\n")
        f.write("  }\n}\nINSERT AFTER .rodata;\n")
    print(f"{len(patterns)} patterns ({len(order)} functions) -> {opts.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
