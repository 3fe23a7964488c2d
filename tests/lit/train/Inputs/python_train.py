"""python_train.py NAGC_PY_DIR LIB PROGRAM — Model.train against the program's `train` and against numpy."""
import json
import subprocess
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import nagc  # noqa: E402

lib, program = sys.argv[2], sys.argv[3]
m = nagc.Model(lib)
rng = np.random.default_rng(11)
X = rng.uniform(-1, 1, (80, 3))
Y = np.sin(X @ np.array([1.0, -1.0, 0.5]))

# The same run in memory and from the command line: the same theta, bit for bit.
r = m.train(X, Y, optimizer="lbfgs", steps=50, seed=2, exact=False)
np.savetxt("x.txt", X, fmt="%.17g")
np.savetxt("y.txt", Y, fmt="%.17g")
out = subprocess.run([program, "train", "--x", "x.txt", "--y", "y.txt", "--optimizer", "lbfgs", "--steps", "50",
                      "--seed", "2", "--no-exact", "--json"], capture_output=True, text=True, check=True)
assert np.array_equal(r["theta"], np.array(json.loads(out.stdout)["theta"])), "in-memory and file runs differ"
assert r["optimizer"] == "lbfgs" and r["samples"] == 80 and r["P"] == 16, r

# The loss reported is the loss numpy computes at the returned theta (pmlp (3,4,1), t^2).
W1, W2 = r["theta"][:12].reshape(4, 3), r["theta"][12:].reshape(1, 4)
L = 0.5 * np.mean(((((X @ W1.T) ** 2) @ W2.T)[:, 0] - Y) ** 2)
assert abs(r["loss"] - L) <= 1e-12 * L, (r["loss"], L)

# Flow with a trajectory: an array with named columns, the conserved quantities along it.
f = m.train(X, Y, flow=True, time=2.0, tol=1e-11, record=1, theta=r["theta"], exact=False)
t = f["trajectory"]
assert t.shape[1] == len(f["columns"]) == 4 + 16 + 4, (t.shape, f["columns"])
assert f["columns"][:4] == ["step", "time", "loss", "grad_norm"] and f["columns"][-4].startswith("Q: neuron 0")
assert max(q["drift"] for q in f["conserved"]) < 1e-8 and np.allclose(t[:, -4:], t[0, -4:], rtol=0, atol=1e-8), f["conserved"]

# Errors come back as exceptions with the program's message.
try:
    m.train(X, np.full(80, np.nan))
    raise AssertionError("NaN targets were accepted")
except RuntimeError as e:
    assert "not finite" in str(e), e
print("python train: ok")
