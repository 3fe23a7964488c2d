"""benchlib.py — helpers shared by the benchmarks."""
import json
import os
import pty
import select
import signal
import subprocess
import time


def best(f, reps=7):
    """The best wall time of `reps` calls of f."""
    t = float("inf")
    for _ in range(reps):
        s = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - s)
    return t


def layers(theta, d):
    """The weight matrices of pmlp with widths d, from theta's row-major layout."""
    Ws, o = [], 0
    for i in range(len(d) - 1):
        Ws.append(theta[o:o + d[i] * d[i + 1]].reshape(d[i + 1], d[i]))
        o += d[i] * d[i + 1]
    return Ws


def write_report(out, name, data, lines):
    """OUT/NAME.json (the measurements) and OUT/NAME.md (the table in `lines`), printed."""
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(data, f, indent=2)
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, name + ".md"), "w") as f:
        f.write(text)
    print(text)


def timed(cmd, cwd, limit=None, env=None):
    """(returncode, stdout, stderr, seconds); returncode None when stopped at `limit`."""
    s = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, env=env)
    try:
        out, err = p.communicate(timeout=limit)
        return p.returncode, out, err, time.perf_counter() - s
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)  # the process group we started
        out, err = p.communicate()
        return None, out, err, time.perf_counter() - s


def timed_tty(cmd, cwd, limit):
    """(returncode, output, seconds) of cmd on a pseudo-terminal, so that a program which buffers a pipe
    (Macaulay2 does) writes line by line and the progress before a stop at `limit` is kept; None when stopped."""
    master, slave = pty.openpty()
    s = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    chunks, stopped = [], False
    while True:
        left = limit - (time.perf_counter() - s)
        if left <= 0:
            os.killpg(p.pid, signal.SIGKILL)  # the process group we started
            stopped = True
            break
        if select.select([master], [], [], min(left, 1.0))[0]:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal closed: the program ended
                break
            if not data:
                break
            chunks.append(data)
    rc = p.wait()
    t = time.perf_counter() - s
    os.close(master)
    out = b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")
    return (None if stopped else rc), out, t


def verdict(value, expected, lower=False):
    """"right" or "WRONG" against the literature's value ("-" when either is unknown)."""
    if value is None or expected is None:
        return "-"
    return ("right" if value == expected else "WRONG") + (" (lower bound)" if lower else "")


def ratios(row, limit):
    """M2 time over nagc's whole command, and over nagc's first run alone ("> x" when M2 was stopped at `limit`)."""
    if row["nagc_status"] != "ok":
        return "", ""
    t1 = row["nagc_runs"][0]["seconds"] if row["nagc_runs"] else None
    if row.get("m2_s") is not None:
        return "%.1fx" % (row["m2_s"] / row["nagc_s"]), ("%.1fx" % (row["m2_s"] / t1) if t1 else "")
    if row.get("m2_status") == "timeout":
        return "> %.1fx" % (limit / row["nagc_s"]), ("> %.1fx" % (limit / t1) if t1 else "")
    return "", ""
