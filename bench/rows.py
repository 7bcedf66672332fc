#!/usr/bin/python3
# bench/rows.py: helpers of bench/measure.
#   rows.py row NAME HYPERFINE_JSON PEAKS_FILE [TARGET]   one markdown row
#   rows.py peak RUNS CMD...                              peak RSS (KiB), median of RUNS
#   rows.py fsyncs STRACE_FILE                            fsync/fdatasync calls
#   rows.py floor FLOOR_JSON LIST_JSON DUMPJSON_JSON       the floor's paragraph
# A row: the exec floor (/bin/true, first command) and each tool's median
# above it, then mdevkit's own time against 1.3.0's and 1.2.0's, then
# peak memory.  Tools: mdevctl 1.2.0, [mdevctl 1.3.0], mdevkit (last).
import json, os, re, statistics, subprocess, sys

def fmt(s):
    if s < 0.001:
        return "%.0f µs" % (s * 1e6)
    return "%.1f ms" % (s * 1e3)

# the statistic of each command's times: median (default), min, or cpu
# (hyperfine's mean user + system time: what the tool itself spends, not
# the time it waits for a processor, which on a machine others load is
# most of the wall time; it leaves out the simulator's own time)
STAT = os.environ.get("MDEVKIT_BENCH_STAT", "median")

def stat(r):
    return r["user"] + r["system"] if STAT == "cpu" else r[STAT]

def row(name, path, peaks, target):
    res = json.load(open(path))["results"]
    floor = stat(res[0])
    tools = [stat(r) - floor for r in res[1:]]
    kit = tools[-1]
    mem = open(peaks).read().split()
    cells = [fmt(floor)] + [fmt(t) for t in tools]
    ratios = []
    for t in tools[:-1][::-1]:          # 1.3.0 first when present
        ratios.append("%.2f×" % (t / kit) if kit > 0 else "–")
    verdict = ""
    if target and len(tools) == 3:
        kind, want = target.split(":")
        want = float(want)
        r = tools[1] / kit if kit > 0 else float("inf")
        if kind == "faster":
            ok = r >= want
            verdict = ("leads, %.1f× (target %g×)" if ok else "misses: %.1f× (target %g×)") % (r, want)
        elif kind == "noslower":        # kit own time at most want × 1.3.0's
            ok = kit <= want * tools[1]
            verdict = ("no slower: 1.3.0 / mdevkit %.2f×" if ok else
                       "slower: 1.3.0 / mdevkit %.2f×") % r
        else:                           # "share": kit own time / 1.3.0's at most want
            s = kit / tools[1] if tools[1] > 0 else float("inf")
            ok = s <= want
            verdict = ("leads, %.2f of 1.3.0's time (target ≤ %g)" if ok else
                       "misses: %.2f of 1.3.0's time (target ≤ %g)") % (s, want)
        m = [float(x) for x in mem]
        if kind == "faster":
            verdict += "; memory %s" % ("lower" if m[-1] < m[1] else "NOT lower")
    print("| %s | %s | %s | %s | %s |" % (name, " | ".join(cells), " | ".join(ratios),
          " / ".join("%.1f" % (float(x) / 1024) for x in mem), verdict))

def peak(runs, cmd):
    # GNU time: a small parent, so the child's peak is the tool's own (a
    # fork of Python would count Python's pages)
    vals = []
    for _ in range(runs):
        out = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", "/dev/stdout", "sh", "-c",
                              "exec " + cmd + " >/dev/null 2>&1"], capture_output=True, text=True)
        vals.append(int(out.stdout.split()[-1]))
    return int(statistics.median(vals))

def fsyncs(path):
    n = 0
    for line in open(path):
        if re.search(r"\b(fsync|fdatasync|sync_file_range|syncfs)\(", line):
            n += 1
    return n

def floor(fpath, tpath, kpath):
    own = lambda r, i: stat(r[i]) - stat(r[0])
    f, t, k = (json.load(open(p))["results"] for p in (fpath, tpath, kpath))
    fl = own(f, 1)
    print("The floor at 10,000 definitions (bench/floor.c: readdir, then open, one read and close of "
          "every file, nothing parsed or printed) takes %.1f ms above the exec floor; with sysfs a "
          "plain directory mdevkit's "
          "`list -d` takes %.1f ms (%.2f× the floor), `list -d --dumpjson` %.1f ms (%.2f×); "
          "mdevctl 1.3.0 %.1f and %.1f ms, so 3× faster than 1.3.0 would be %.1f and %.1f ms "
          "(%.2f× and %.2f× the floor)."
          % (fl * 1e3, own(t, -1) * 1e3, own(t, -1) / fl, own(k, -1) * 1e3, own(k, -1) / fl,
             own(t, -2) * 1e3, own(k, -2) * 1e3, own(t, -2) / 3 * 1e3, own(k, -2) / 3 * 1e3,
             own(t, -2) / 3 / fl, own(k, -2) / 3 / fl))

if sys.argv[1] == "row":
    row(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else "")
elif sys.argv[1] == "peak":
    print(peak(int(sys.argv[2]), " ".join(sys.argv[3:])))
elif sys.argv[1] == "fsyncs":
    print(fsyncs(sys.argv[2]))
elif sys.argv[1] == "floor":
    floor(sys.argv[2], sys.argv[3], sys.argv[4])
