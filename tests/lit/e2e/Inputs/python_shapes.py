"""python_shapes.py NAGC_PY_DIR LIB2 LIB3 LIBNOINPUT — X shapes that do not match are refused; no-input networks."""
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import nagc  # noqa: E402

m2, m3, c = nagc.Model(sys.argv[2]), nagc.Model(sys.argv[3]), nagc.Model(sys.argv[4])
assert (m2.input_size, m3.input_size, c.input_size) == (2, 3, 0)


def refused(f, *args, **kw):
    try:
        f(*args, **kw)
    except ValueError as e:
        print("ValueError:", e)
        return
    raise AssertionError("accepted %r" % (args,))


t2, t3 = np.arange(1, m2.P + 1) / 7, np.arange(1, m3.P + 1) / 5
# (4, 3) for 2 inputs was 6 samples; (3, 4) for 3 inputs was 4 samples.
refused(m2.eval, t2, np.ones((4, 3)))
refused(m3.eval, t3, np.ones((3, 4)))
refused(m3.jac, t3, np.ones((3, 4)))
refused(m3.hess, t3, np.ones(4), wrt="x")
refused(m2.eval, t2, np.ones(5))
refused(m2.eval, t2, None)
refused(m2.vjp, t2, np.ones((4, 2)), np.ones((3, 1)))
refused(m2.train, np.ones((4, 2)), np.ones((3, 1)))
# The shapes that are samples are still taken: (samples, inputs) and one 1-D sample.
assert m2.eval(t2, np.ones((4, 2))).shape == (4, 1)
assert m3.eval(t3, np.ones(3)).shape == (1, 1)

# f = w * v, no inputs: by hand f(2, 3) = 6, df = (v, w) = (3, 2), d2f = [[0, 1], [1, 0]].
theta = np.array([2.0, 3.0])
assert c.eval(theta).tolist() == [[6.0]], c.eval(theta)
assert c.jac(theta).tolist() == [[[3.0, 2.0]]], c.jac(theta)
assert c.hess(theta).tolist() == [[[0.0, 1.0], [1.0, 0.0]]], c.hess(theta)
assert c.jvp(theta, direction=[1.0, 1.0]).tolist() == [[5.0]]
assert c.vjp(theta, cotangent=[2.0]).tolist() == [[6.0, 4.0]]
assert c.eval(theta, np.empty((3, 0))).tolist() == [[6.0]] * 3
refused(c.eval, theta, np.ones((2, 2)))
print("python shapes: ok")
