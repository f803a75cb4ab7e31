#!/usr/bin/env python3
"""Benchmark runner for lunette.

Runs each bench/programs/*.lua under lunette, lua5.4 and (when installed)
`luajit -joff`, N times each with the interpreters interleaved, and prints per
benchmark the median time of each interpreter, the ratio lua5.4 time / lunette
time (>1 means lunette is faster), the geometric mean of the ratios and the
peak RSS of each interpreter.

Every program prints a checksum. The runner checks that every interpreter
printed the same one and that it matches bench/checksums.txt (when the program
is listed there). LuaJIT is skipped for programs it cannot run (Lua 5.4 syntax
such as // or integer-only semantics); a checksum it gets wrong is reported
and its time dropped.

Time is CPU time (user + system of the child, from wait4's rusage) by default,
because the machines this runs on are shared and wall time swings with load;
--wall measures elapsed time instead. Peak RSS is /usr/bin/time's %M (see run_once).

usage: bench/run.py [-n RUNS] [--wall] [--lunette PATH] [--no-luajit]
                    [--markdown] [names...]
"""
import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PROGRAMS = os.path.join(HERE, "programs")


TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
RSS_FILE = os.path.join("/tmp", f"lunette-bench-rss-{os.getpid()}")


def run_once(cmd, script, wall):
    """Runs one program; returns (seconds, peak_rss_kb, stdout) or raises RuntimeError.

    The program runs under /usr/bin/time -f %M when that exists: Linux carries
    the pre-exec memory high-water mark of the forking process into the child's
    ru_maxrss, so a child forked straight from this (larger) Python process
    would report Python's size for small programs. The CPU time from wait4
    includes the grandchild, since time waits for it.
    """
    wrap = [TIME, "-f", "%M", "-o", RSS_FILE] if TIME else []
    t0 = time.perf_counter()
    p = subprocess.Popen(wrap + cmd + [script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         cwd=HERE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        msg = [m for m in err.decode(errors="replace").strip().splitlines()
               if not m.startswith("Command exited with")]
        raise RuntimeError(msg[-1] if msg else f"exit code {p.returncode}")
    kb = ru.ru_maxrss
    if TIME:
        try:
            with open(RSS_FILE) as f:
                kb = int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            pass
    secs = dt if wall else ru.ru_utime + ru.ru_stime
    return secs, kb, out.decode(errors="replace").strip()


def load_checksums():
    """Reads bench/checksums.txt: `name checksum...` per line."""
    sums = {}
    path = os.path.join(HERE, "checksums.txt")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    name, _, value = line.partition(" ")
                    sums[name] = value.strip()
    return sums


def norm(out):
    """Checksum text with whitespace runs (tabs from print) folded to one space."""
    return " ".join(out.split())


def fmt_time(t):
    return f"{t:8.3f}s" if t is not None else f"{'-':>9}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=5, help="runs per interpreter (median is reported)")
    ap.add_argument("--wall", action="store_true", help="measure wall time instead of CPU time")
    ap.add_argument("--lunette", default=os.path.join(ROOT, "target", "release", "lunette"))
    ap.add_argument("--no-luajit", action="store_true", help="do not run luajit -joff")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    a = ap.parse_args()

    interps = [("lunette", [a.lunette]), ("lua5.4", ["lua5.4"])]
    if not a.no_luajit and shutil.which("luajit"):
        interps.append(("luajit", ["luajit", "-joff"]))
    names = [n for n, _ in interps]
    progs = sorted(f[:-4] for f in os.listdir(PROGRAMS) if f.endswith(".lua"))
    if a.names:
        unknown = [n for n in a.names if n.removesuffix(".lua") not in progs]
        if unknown:
            sys.exit(f"unknown benchmark(s): {', '.join(unknown)}")
        progs = [p for p in progs if p in {n.removesuffix(".lua") for n in a.names}]
    expected = load_checksums()
    tty = sys.stderr.isatty()

    rows, ratios, failures = [], [], 0
    total_runs = len(progs) * a.n * len(interps)
    done = 0
    started = time.perf_counter()
    for prog in progs:
        script = os.path.join("programs", prog + ".lua")
        times = {n: [] for n in names}
        rss = {n: 0 for n in names}
        outs = {}
        skipped = {}
        for r in range(a.n):
            for name, cmd in interps:
                done += 1
                if name in skipped:
                    continue
                elapsed = time.perf_counter() - started
                eta = elapsed / max(done - 1, 1) * (total_runs - done + 1) if done > 1 else 0
                line = f"[{done}/{total_runs}] {prog}: {name} run {r + 1}/{a.n}  (eta {eta:.0f}s)"
                if tty:
                    sys.stderr.write("\r" + line.ljust(70))
                    sys.stderr.flush()
                try:
                    dt, kb, out = run_once(cmd, script, a.wall)
                except RuntimeError as e:
                    if name == "luajit":
                        skipped[name] = f"cannot run: {e}"
                        continue
                    if tty:
                        sys.stderr.write("\n")
                    sys.exit(f"{name} failed on {prog}: {e}")
                out = norm(out)
                if name in outs and outs[name] != out:
                    sys.exit(f"{name} printed different checksums on {prog}: {outs[name]!r} vs {out!r}")
                outs[name] = out
                times[name].append(dt)
                rss[name] = max(rss[name], kb)
        if tty:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()
        ref = expected.get(prog, outs.get("lua5.4"))
        for name in names:
            if name in outs and outs[name] != ref:
                if name == "luajit":
                    skipped[name] = f"wrong checksum {outs[name]!r}"
                    times[name] = []
                else:
                    failures += 1
                    print(f"CHECKSUM MISMATCH {prog}: {name} printed {outs[name]!r}, expected {ref!r}")
        if prog not in expected:
            print(f"note: {prog} has no entry in bench/checksums.txt")
        med = {n: (statistics.median(times[n]) if times[n] else None) for n in names}
        ratio = med["lua5.4"] / med["lunette"]
        ratios.append(ratio)
        jit_ratio = med["lua5.4"] / med["luajit"] if med.get("luajit") else None
        rows.append((prog, med, ratio, jit_ratio, rss))
        if not a.markdown:
            if len(rows) == 1:
                print_header(names)
            print_row(rows[-1], names)
        sys.stdout.flush()

    g = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else float("nan")
    jr = [r[3] for r in rows if r[3]]
    gj = math.exp(sum(math.log(r) for r in jr) / len(jr)) if jr else None
    if a.markdown:
        print_markdown(rows, names, g, gj, a)
    else:
        print(f"geometric mean ratio lua5.4/lunette: {g:.2f}x  (>1: lunette faster)"
              + (f";  lua5.4/luajit -joff: {gj:.2f}x over {len(jr)} programs" if gj else ""))
        worst = min(rows, key=lambda r: r[2]) if rows else None
        if worst:
            print(f"slowest relative to lua5.4: {worst[0]} {worst[2]:.2f}x")
    if failures:
        sys.exit(1)


def print_header(names):
    print(f"{'benchmark':<16}" + "".join(f"{n:>10}" for n in names)
          + f"{'lua/lun':>9}{'lua/jit':>9}   peak RSS KB (" + "/".join(names) + ")")


def print_row(row, names):
    prog, med, ratio, jit_ratio, rss = row
    cols = "".join(f"{fmt_time(med[n]):>10}" for n in names)
    jr = f"{jit_ratio:8.2f}x" if jit_ratio else f"{'-':>9}"
    print(f"{prog:<16}{cols}{ratio:8.2f}x{jr}   " + "/".join(str(rss[n] or "-") for n in names))


def machine_line():
    """Date, CPU model, cores, kernel and load: where and when the table was measured."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {cpu}, {os.cpu_count()} cores, "
            f"{os.uname().sysname} {os.uname().release}; load average at the end {load}.\n")


def print_markdown(rows, names, g, gj, a):
    kind = "wall" if a.wall else "CPU (user+sys)"
    print(machine_line())
    print(f"Median {kind} time of {a.n} runs, interleaved. Ratio = lua5.4 time / X time "
          "(>1: X is faster than lua5.4).\n")
    head = "| benchmark | " + " | ".join(names) + " | lua5.4/lunette | lua5.4/luajit | " \
        + " | ".join(f"RSS {n} (KB)" for n in names) + " |"
    print(head)
    print("|" + "---|" * (len(names) * 2 + 3))
    for prog, med, ratio, jit_ratio, rss in rows:
        cells = [f"{med[n]:.3f}" if med[n] is not None else "-" for n in names]
        jr = f"{jit_ratio:.2f}" if jit_ratio else "-"
        print(f"| {prog} | " + " | ".join(cells) + f" | {ratio:.2f} | {jr} | "
              + " | ".join(str(rss[n] or "-") for n in names) + " |")
    blanks = " | ".join("" for _ in names)
    gjs = f"{gj:.2f}" if gj else "-"
    print(f"| **geometric mean** | {blanks} | **{g:.2f}** | {gjs} | {blanks} |")

if __name__ == "__main__":
    main()
