"""complex_check.py NAGC_PY_DIR LIB KIND — nag_NAME_eval_complex and jac_theta_complex against formulas.

KIND names the network's formula, written here from its .nag source:
  pmlp     (dense, t^3, dense, no biases), widths 3 -> 4 -> 2
  rational (dense, (t^2 + 1) / (t + 2), dense, no biases), widths 2 -> 3 -> 1
  biased   (dense with bias, t^2 + t/2, dense with bias), widths 2 -> 3 -> 1
  poly_cnn conv1d(w2, conv1d(w1, x)^2), n = 6, k1 = k2 = 2 (valid correlation)
Checks, at random complex theta and x: the values against the formula, the
Jacobian against central differences of the formula (holomorphic, so a
complex-step-free difference is accurate to ~1e-9), and the complex kernels
at real points against the real ones.
"""
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import nagc  # noqa: E402

m = nagc.Model(sys.argv[2])
kind = sys.argv[3]
rng = np.random.default_rng(7)


def params(theta):
    return {name: theta[off:off + int(np.prod(shape))].reshape(shape) for name, shape, off in m.params}


def correlate(w, u):
    k = len(w)
    return np.array([np.dot(w, u[i:i + k]) for i in range(len(u) - k + 1)])


def formula(theta, x):
    p = params(theta)
    if kind == "pmlp":
        return (p["dense#2.W"] @ (p["dense#1.W"] @ x) ** 3)
    if kind == "rational":
        t = p["dense#1.W"] @ x
        return p["dense#2.W"] @ ((t ** 2 + 1) / (t + 2))
    if kind == "biased":
        t = p["dense#1.W"] @ x + p["dense#1.b"]
        return p["dense#2.W"] @ (t ** 2 + t / 2) + p["dense#2.b"]
    if kind == "poly_cnn":
        return correlate(p["w2"], correlate(p["w1"], x) ** 2)
    raise SystemExit("unknown kind " + kind)


def crandom(*shape):
    return rng.uniform(-1, 1, shape) + 1j * rng.uniform(-1, 1, shape)


# Enough samples for full blocks and a partial one.
theta, X = crandom(m.P), crandom(13, m.input_size)
Y = m.eval(theta, X)
assert Y.dtype == np.complex128 and Y.shape == (13, m.output_size), (Y.dtype, Y.shape)
ref = np.array([formula(theta, x) for x in X]).reshape(13, m.output_size)
err = np.max(np.abs(Y - ref)) / np.max(np.abs(ref))
assert err < 1e-13, ("values", err)

J = m.jac(theta, X)
assert J.shape == (13, m.output_size, m.P), J.shape
h = 1e-5
fd = np.empty_like(J)
for k in range(m.P):
    e = np.zeros(m.P)
    e[k] = h
    fd[:, :, k] = (np.array([formula(theta + e, x) for x in X]) - np.array([formula(theta - e, x) for x in X])).reshape(
        13, m.output_size) / (2 * h)
jerr = np.max(np.abs(J - fd)) / np.max(np.abs(fd))
assert jerr < 1e-8, ("Jacobian", jerr)

# At real points the complex kernels agree with the real ones (imaginary parts 0).
tr, xr = rng.uniform(-1, 1, m.P), rng.uniform(-1, 1, (9, m.input_size))
Yc = m.eval(tr.astype(np.complex128), xr)
assert np.max(np.abs(Yc.imag)) == 0 and np.allclose(Yc.real, m.eval(tr, xr), rtol=1e-13, atol=1e-15)
Jc = m.jac(tr.astype(np.complex128), xr)
assert np.max(np.abs(Jc.imag)) == 0 and np.allclose(Jc.real, m.jac(tr, xr), rtol=1e-13, atol=1e-15)
print("complex %s: ok (values %.1e, Jacobian %.1e)" % (kind, err, jerr))
