"""python_module.py NAGC_PY_DIR LIB PROGRAM — the Python module against the program and by hand."""
import subprocess
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import nagc  # noqa: E402

lib, program = sys.argv[2], sys.argv[3]
m = nagc.Model(lib)
assert (m.P, m.input_size, m.output_size) == (9, 2, 1), (m.P, m.input_size, m.output_size)
assert m.params == [("dense#1.W", (3, 2), 0), ("dense#2.W", (1, 3), 6)], m.params
assert m.algebraic_class == "polynomial" and m.expected_dimension == 3

rng = np.random.default_rng(3)
theta, X = rng.uniform(-1, 1, 9), rng.uniform(-1, 1, (40, 2))
W1, W2 = theta[:6].reshape(3, 2), theta[6:].reshape(1, 3)

# eval: by hand, and the program's own output on the same files.
y = m.eval(theta, X)
assert np.allclose(y, ((X @ W1.T) ** 2) @ W2.T, rtol=1e-13, atol=0)
np.savetxt("t.txt", theta[None, :], fmt="%.17g")
np.savetxt("x.txt", X, fmt="%.17g")
out = subprocess.run([program, "eval", "--theta", "t.txt", "--x", "x.txt"], capture_output=True, text=True, check=True)
assert np.array_equal(np.loadtxt(out.stdout.splitlines()).reshape(-1, 1), y)

# Jacobians by hand: d/dW2 = (W1 x)^2, d/dW1[i, j] = 2 W2[i] (W1 x)_i x_j; d/dx = 2 W1^T (W2^T * W1 x).
J = m.jac(theta, X)
h = X @ W1.T
dW1 = ((2 * W2 * h)[:, :, None] * X[:, None, :]).reshape(40, 6)
assert np.allclose(J[:, 0, :], np.concatenate([dW1, h ** 2], axis=1), rtol=1e-12)
Jx = m.jac(theta, X, wrt="x")
assert np.allclose(Jx[:, 0, :], (2 * W2 * h) @ W1, rtol=1e-12)
# Directional derivatives agree with the Jacobians; the Hessian in x is 2 W1^T diag(W2) W1.
v = rng.uniform(-1, 1, 9)
assert np.allclose(m.jvp(theta, X, v)[:, 0], J[:, 0, :] @ v, rtol=1e-12)
assert np.allclose(m.vjp(theta, X, np.ones(1)), J[:, 0, :], rtol=1e-12)
assert np.allclose(m.hess(theta, X, wrt="x")[0], 2 * W1.T @ np.diag(W2[0]) @ W1, rtol=1e-12)

# The dimension report into Python: cases.md row 1.
report = m.dim(exact=True, floating=True)
assert report["dimension"] == 3 and report["certified"] and report["float_rank"] == 3, report
print("python module: ok")
