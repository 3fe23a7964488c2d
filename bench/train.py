"""train.py NAGC OUTDIR — steps per second of `train` against PyTorch float64 (or numpy), same network, data, optimizer.

A (3,4,1) t^2 network (examples/pmlp.nag -D d=[3,4,1]) on 10^4 samples,
full-batch gradient descent and Adam with the same loss L = 1/(2N) sum
|f(x_i) - y_i|^2, the same start and the same number of steps. The peer is
PyTorch (torch.float64, autograd) when /usr/bin/python3 has it, else a
hand-written numpy gradient (the baseline a user writes without nagc); the
row names which. Both runs' final losses are printed so that they can be
seen to agree. Not run by `make test`. Writes OUTDIR/train.md and .json.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import write_report  # noqa: E402

NAGC, OUT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N, STEPS, LR = 10000, 2000, 0.01
try:
    import torch
except ImportError:
    torch = None


def peer(X, Y, theta, optimizer):
    """The peer's steps per second and final loss."""
    if torch is not None:
        x, y = torch.tensor(X), torch.tensor(Y)
        t = torch.tensor(theta, requires_grad=True)
        opt = torch.optim.SGD([t], lr=LR) if optimizer == "gd" else torch.optim.Adam([t], lr=LR)
        start = time.perf_counter()
        for _ in range(STEPS):
            opt.zero_grad()
            W1, W2 = t[:12].reshape(4, 3), t[12:].reshape(1, 4)
            loss = 0.5 * torch.mean(((((x @ W1.T) ** 2) @ W2.T)[:, 0] - y) ** 2)
            loss.backward()
            opt.step()
        return STEPS / (time.perf_counter() - start), float(loss), "PyTorch %s float64" % torch.__version__
    t, m, v = theta.copy(), np.zeros_like(theta), np.zeros_like(theta)
    start = time.perf_counter()
    for k in range(STEPS):
        W1, W2 = t[:12].reshape(4, 3), t[12:].reshape(1, 4)
        z = X @ W1.T
        r = ((z ** 2) @ W2.T)[:, 0] - Y
        gW2 = (r @ z ** 2) / N
        gW1 = ((2 * r[:, None] * z * W2).T @ X) / N
        g = np.concatenate([gW1.ravel(), gW2.ravel()])
        if optimizer == "gd":
            t -= LR * g
        else:
            m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
            t -= LR * (m / (1 - 0.9 ** (k + 1))) / (np.sqrt(v / (1 - 0.999 ** (k + 1))) + 1e-8)
    W1, W2 = t[:12].reshape(4, 3), t[12:].reshape(1, 4)
    loss = 0.5 * np.mean(((((X @ W1.T) ** 2) @ W2.T)[:, 0] - Y) ** 2)
    return STEPS / (time.perf_counter() - start), loss, "numpy %s (hand-written gradient; no PyTorch here)" % np.__version__


def main():
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="nagc-train-bench-")
    prog = os.path.join(work, "p341")
    subprocess.run([NAGC, os.path.join(ROOT, "examples", "pmlp.nag"), "-D", "d=[3,4,1]", "-o", prog], check=True)
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (N, 3))
    Y = np.sin(X.sum(axis=1))
    theta = rng.uniform(-1, 1, 16)
    for name, a in (("x.npy", X), ("y.npy", Y)):
        np.save(os.path.join(work, name), a)
    np.savetxt(os.path.join(work, "t.txt"), theta, fmt="%.17g")
    rows, data = ["| optimizer | nagc steps/s | peer steps/s | ratio | nagc loss | peer loss | peer |", "|---|---|---|---|---|---|---|"], []
    for optimizer in ("gd", "adam"):
        out = subprocess.run([prog, "train", "--x", os.path.join(work, "x.npy"), "--y", os.path.join(work, "y.npy"),
                              "--theta", os.path.join(work, "t.txt"), "--optimizer", optimizer, "--lr", str(LR),
                              "--steps", str(STEPS), "--tol", "1e-300", "--no-exact", "--json"],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        rate, loss, who = peer(X, Y, theta, optimizer)
        data.append({"optimizer": optimizer, "nagc_steps_per_second": r["steps_per_second"], "peer_steps_per_second": rate,
                     "nagc_loss": r["loss"], "peer_loss": loss, "peer": who})
        rows.append("| %s | %.0f | %.0f | %.1f | %.6g | %.6g | %s |" % (optimizer, r["steps_per_second"], rate,
                                                                       r["steps_per_second"] / rate, r["loss"], loss, who))
    write_report(OUT, "train", data, ["train: (3,4,1) t^2 network, %d samples, %d full-batch steps, lr %g" % (N, STEPS, LR),
                                      ""] + rows)


if __name__ == "__main__":
    main()
