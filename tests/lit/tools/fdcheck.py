"""fdcheck.py LIB [--seed S] [-D ...] — a compiled library's derivatives against finite differences.

Loads LIB (nagc FILE --emit=lib) with python/nagc.py, draws theta and one
sample x uniformly from [-0.8, 0.8] (numpy seed S), and checks jac --wrt
theta and --wrt x against central differences of the library's own eval
(step 1e-6), and the Hessians of output 0 in theta and in x against central
differences of the compiled Jacobian, all to a relative error of 1e-6 of
max(1, |J|). Prints "fd: ok (worst relative error E)" or what differs, and
exits 1 on a mismatch. Used by random_networks.py and the family tests.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "python"))
import nagc  # noqa: E402
from reference import relative_error  # noqa: E402


def central(f, base, h=1e-6):
    """Columns (f(base + h e_i) - f(base - h e_i)) / 2h."""
    cols = []
    for i in range(len(base)):
        up, dn = base.copy(), base.copy()
        up[i] += h
        dn[i] -= h
        cols.append((f(up) - f(dn)) / (2 * h))
    return np.array(cols).T


def check(lib_path, rng, tol=1e-6):
    """None or what differs, and the worst relative error seen."""
    m = nagc.Model(lib_path)
    theta = rng.uniform(-0.8, 0.8, m.P)
    x = rng.uniform(-0.8, 0.8, (1, m.input_size))
    worst = 0.0
    for wrt, base in (("theta", theta), ("x", x[0])):
        if base.size == 0:
            continue
        if wrt == "theta":
            f = lambda t: m.eval(t, x)[0]  # noqa: E731
            jac = lambda t: m.jac(t, x, wrt="theta")[0][0]  # noqa: E731
            J, H = m.jac(theta, x, wrt="theta")[0], m.hess(theta, x, wrt="theta")[0]
        else:
            f = lambda v: m.eval(theta, v.reshape(1, -1))[0]  # noqa: E731
            jac = lambda v: m.jac(theta, v.reshape(1, -1), wrt="x")[0][0]  # noqa: E731
            J, H = m.jac(theta, x, wrt="x")[0], m.hess(theta, x, wrt="x")[0]
        for what, got, want in (("jac", J, central(f, base)), ("hess", H, central(jac, base))):
            err = relative_error(got, want)
            worst = max(worst, err)
            if not np.all(np.isfinite(got)) or err > tol:
                return f"{what}_{wrt} differs from finite differences by {err:.2g}", worst
    return None, worst


def main():
    lib = sys.argv[1]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    problem, worst = check(lib, np.random.default_rng(seed))
    if problem:
        print(f"fd: {problem}")
        return 1
    print(f"fd: ok (worst relative error {worst:.1g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
