#!/usr/bin/env python3
"""Benchmark runner: runs each bench/programs/*.lua under lunette, lua5.4 and
(if present) luajit -joff, interleaved, N times each; prints the median time,
the ratio against lua5.4, peak RSS, and the geometric mean of the ratios.
Every program prints a checksum; all interpreters must agree.

usage: bench/run.py [-n RUNS] [--lunette PATH] [names...]
"""
import argparse, math, os, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_once(cmd, script):
    """Runs one program; returns (seconds, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd + [script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=HERE)
    out, err = p.communicate()
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} {script} failed: {err.decode(errors='replace')[-300:]}")
    return dt, out.decode(errors="replace").strip()


def peak_rss(cmd, script):
    """Peak RSS in KB via /usr/bin/time when available."""
    if not os.path.exists("/usr/bin/time"):
        return None
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd + [script], cwd=HERE,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        return int(p.stderr.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5, help="runs per interpreter (median is reported)")
    ap.add_argument("--lunette", default=os.path.join(ROOT, "target", "release", "lunette"))
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    interps = [("lunette", [a.lunette]), ("lua5.4", ["lua5.4"])]
    if shutil.which("luajit"):
        interps.append(("luajit", ["luajit", "-joff"]))
    progs = sorted(f for f in os.listdir(os.path.join(HERE, "programs")) if f.endswith(".lua"))
    if a.names:
        progs = [p for p in progs if p[:-4] in a.names or p in a.names]
    ratios = []
    print(f"{'benchmark':<18}" + "".join(f"{n:>12}" for n, _ in interps) + f"{'ratio':>9}  rss(lunette/lua5.4)")
    for prog in progs:
        script = os.path.join("programs", prog)
        times = {n: [] for n, _ in interps}
        sums = {}
        for r in range(a.n):
            for name, cmd in interps:
                try:
                    dt, out = run_once(cmd, script)
                except RuntimeError as e:
                    if name == "luajit":
                        times[name] = None
                        continue
                    raise
                if times[name] is None:
                    continue
                times[name].append(dt)
                sums.setdefault(name, out)
            sys.stderr.write(f"\r{prog}: run {r + 1}/{a.n} "); sys.stderr.flush()
        sys.stderr.write("\r" + " " * 40 + "\r")
        ref = sums.get("lua5.4")
        for name, s in sums.items():
            if s != ref:
                print(f"  CHECKSUM MISMATCH {prog}: {name} printed {s!r}, lua5.4 printed {ref!r}")
        med = {n: (statistics.median(t) if t else None) for n, t in times.items()}
        ratio = med["lua5.4"] / med["lunette"]
        ratios.append(ratio)
        rss_l = peak_rss([a.lunette], script)
        rss_r = peak_rss(["lua5.4"], script)
        rss = f"{rss_l}/{rss_r} KB" if rss_l and rss_r else "-"
        cols = "".join(f"{(med[n] if med[n] is not None else float('nan')):>11.3f}s" for n, _ in interps)
        print(f"{prog[:-4]:<18}{cols}{ratio:>8.2f}x  {rss}")
    if ratios:
        g = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"geometric mean speed ratio (lua5.4 time / lunette time): {g:.2f}x  (>1 means lunette is faster)")


if __name__ == "__main__":
    main()
