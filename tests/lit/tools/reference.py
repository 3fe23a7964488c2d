"""reference.py — an independent numpy evaluation of the example networks.

It knows each example's mathematics and parameter layout from its .nag
source (declaration order, row-major), written out by hand here, and never
calls nagc. Usage:

  reference.py data --seed S --params P --inputs N --samples M --theta T --x X
      writes seeded random theta (P values) and x (M rows of N) as text files
  reference.py check NETWORK [NAME=VALUE ...] --theta T --x X --y Y [--rtol R]
      recomputes f_theta(x) and compares it with the program's output Y
  reference.py randomdata --theta-seed S --x-seed R --params P --inputs N --samples M --theta T --x X
      writes what random:S and random:R give the program, as text files
  reference.py random SEED COUNT
      prints the first COUNT values of the documented random:SEED generator
  reference.py deriv NETWORK [NAME=VALUE ...] --what jac|hess|jvp|vjp|hvp --wrt theta|x
               --theta T --x X --y Y.npy [--dir D] [--cot U] [--output K] [--exact]
      checks a derivative the program computed: by central finite differences
      of the reference (relative error <= 1e-6, the tolerance of a step of
      1e-5 in the first and 1e-4 in the second derivatives), or with --exact
      by exact rational arithmetic (Fractions carrying gradients and Hessians
      through the same reference code; relative error <= 1e-12)
"""
from fractions import Fraction
import argparse
import ast
import sys

import numpy as np

MASK = (1 << 64) - 1


def splitmix(seed, count):
    """random:SEED as documented: SplitMix64 from SEED, ((z >> 11) * 2^-53) * 2 - 1."""
    s, out = seed, []
    for _ in range(count):
        s = (s + 0x9E3779B97F4A7C15) & MASK
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        out.append((z >> 11) * 2.0**-53 * 2 - 1)
    return np.array(out)


def relative_error(got, want):
    """max |got - want| / max(1, max |want|): the tolerance measure of every check here."""
    want = np.asarray(want)
    return float(np.max(np.abs(got - want))) / max(1.0, float(np.max(np.abs(want)))) if want.size else 0.0


class Params:
    """Takes consecutive parameter tensors out of theta, row-major."""

    def __init__(self, theta):
        self.theta, self.at = theta, 0

    def take(self, *shape):
        n = int(np.prod(shape))
        t = self.theta[self.at:self.at + n].reshape(shape)
        self.at += n
        return t

    def done(self):
        assert self.at == len(self.theta), f"layout uses {self.at} of {len(self.theta)} parameters"


def conv1d(w, x, s=1):
    k, n = len(w), len(x)
    return np.array([sum(w[t] * x[i * s + t] for t in range(k)) for i in range((n - k) // s + 1)])


def pmlp(theta, x, d=(2, 3, 1), r=2):
    p, h = Params(theta), x
    for l in range(1, len(d)):
        h = p.take(d[l], d[l - 1]) @ h
        if l < len(d) - 1:
            h = h ** r
    p.done()
    return h


def biased(theta, x, d0=2, d1=3, d2=1):
    p = Params(theta)
    W1, b1, W2, b2 = p.take(d1, d0), p.take(d1), p.take(d2, d1), p.take(d2)
    p.done()
    t = W1 @ x + b1
    return W2 @ (t ** 2 + t / 2) + b2


def lcn(theta, x, n=8, k1=3, k2=2, s1=1, s2=1):
    p = Params(theta)
    w1, w2 = p.take(k1), p.take(k2)
    p.done()
    return conv1d(w2, conv1d(w1, x, s1), s2)


def lightning(theta, x, d=2, t=3, a=1):
    p = Params(theta)
    Q, K, V = p.take(a, d), p.take(a, d), p.take(d, d)
    p.done()
    X = x.reshape(d, t)
    return ((V @ X) @ (K @ X).T @ (Q @ X)).reshape(-1)


def linear(theta, x, d0=4, d1=2, d2=3, d3=4):
    p = Params(theta)
    W1, W2, W3 = p.take(d1, d0), p.take(d2, d1), p.take(d3, d2)
    p.done()
    return W3 @ W2 @ W1 @ x


def poly_cnn(theta, x, n=6, k1=2, k2=2, r=2):
    p = Params(theta)
    w1, w2 = p.take(k1), p.take(k2)
    p.done()
    return conv1d(w2, conv1d(w1, x) ** r)


def rational(theta, x, d=(2, 2, 1)):
    p = Params(theta)
    W1, W2 = p.take(d[1], d[0]), p.take(d[2], d[1])
    p.done()
    t = W1 @ x
    return W2 @ ((t ** 2 + 1) / (t + 2))


def relu(theta, x, d=(2, 4, 1)):
    p = Params(theta)
    W1, b1, W2, b2 = p.take(d[1], d[0]), p.take(d[1]), p.take(d[2], d[1]), p.take(d[2])
    p.done()
    return W2 @ np.maximum(W1 @ x + b1, 0) + b2


def two_inputs(theta, xz):
    p = Params(theta)
    A, B = p.take(16, 9), p.take(16, 10)
    p.done()
    x, z = xz[:9], xz[9:]
    return (A @ x) * (B @ z) + A @ x


def every_op(theta, xm):
    p = Params(theta)
    A, w, c = p.take(3, 6), p.take(3), p.take(2)
    p.done()
    x, M = xm[:6], xm[6:].reshape(2, 3)
    h = A @ x
    u = np.tanh(h) + 1 / (1 + np.exp(h)) * np.exp(h / 4)
    v = np.maximum(h - 0.25, 0) ** 3 + 1 + h / (1 + h ** 2)
    k = conv1d(w, x, 2)
    s = np.sum(M.T @ M) + w @ w
    o = np.outer(c, k)[1]
    z = np.concatenate([u * v, o / (c[0] + 2)])
    return z * s + M[1, 2]


def mlp_degrees(theta, x, d=(3, 4, 3, 2), r=(2, 3), b=(False, False, False)):
    p, h = Params(theta), x
    for l in range(1, len(d)):
        h = p.take(d[l], d[l - 1]) @ h
        if b[l - 1]:
            h = h + p.take(d[l])
        if l < len(d) - 1:
            h = h ** r[l - 1]
    p.done()
    return h


def poly_activation(theta, x, d0=2, d1=4, d2=1, c=(0, -1, 0, 1)):
    p = Params(theta)
    W1, b1, W2, b2 = p.take(d1, d0), p.take(d1), p.take(d2, d1), p.take(d2)
    p.done()
    z = W1 @ x + b1
    return W2 @ sum(ci * z ** i for i, ci in enumerate(c)) + b2


def cnn(theta, x, n=12, k=(3, 2, 2), s=(1, 1, 1), r=(2, 2)):
    p, h = Params(theta), x
    for l in range(len(k)):
        h = conv1d(p.take(k[l]), h, s[l])
        if r and l < len(k) - 1:
            h = h ** r[l]
    p.done()
    return h


def conv2(W, X, s):  # W [co, ci, kh, kw], X [ci, h, w] -> [co, h', w']
    co, ci, kh, kw = W.shape
    _, h, w = X.shape
    oh, ow = (h - kh) // s + 1, (w - kw) // s + 1
    return np.array([[[np.sum(W[o] * X[:, i * s:i * s + kh, j * s:j * s + kw]) for j in range(ow)] for i in range(oh)]
                     for o in range(co)])


def cnn2d(theta, x, c=1, h=6, w=6, c1=2, kh=2, kw=2, s=2, r=2):
    p = Params(theta)
    W1, W2 = p.take(c1, c, kh, kw), p.take(1, c1, 2, 2)
    p.done()
    return conv2(W2, conv2(W1, x.reshape(c, h, w), s) ** r, 1).reshape(-1)


def lightning_layer(p, X, a, dv):
    d = X.shape[0]
    Q, K, V = p.take(a, d), p.take(a, d), p.take(dv, d)
    return V @ X, (K @ X).T @ (Q @ X)


def attention_deep(theta, x, d=2, t=2, a=1, layers=2):
    p, H = Params(theta), x.reshape(d, t)
    for _ in range(layers):
        VX, S = lightning_layer(p, H, a, d)
        H = VX @ S
    p.done()
    return H.reshape(-1)


def multihead(theta, x, d=4, t=3, heads=2, normalized=False):
    p, X, a = Params(theta), x.reshape(d, t), d // heads
    parts = []
    for _ in range(heads):
        VX, S = lightning_layer(p, X, a, a)
        parts.append(VX @ (S / S.sum(axis=0)) if normalized else VX @ S)
    O = p.take(d, d)
    p.done()
    return (O @ np.vstack(parts)).reshape(-1)


def softmax_attention(theta, x, d=2, t=3, a=1):
    p = Params(theta)
    VX, S = lightning_layer(p, x.reshape(d, t), a, d)
    p.done()
    E = np.exp(S)
    return (VX @ (E / E.sum(axis=0))).reshape(-1)


def activations(theta, x, kind=0, d0=2, d1=3):
    p = Params(theta)
    W1, b1, W2, b2 = p.take(d1, d0), p.take(d1), p.take(1, d1), p.take(1)
    p.done()
    z = W1 @ x + b1
    sigma = [lambda t: (t ** 2 + 1) / (t + 2), lambda t: 1 / t, lambda t: np.maximum(t, 0) - np.maximum(-t, 0) / 100,
             np.tanh, lambda t: 1 / (1 + np.exp(-t))][kind]
    return W2 @ sigma(z) + b2


def structure(theta, x):
    p = Params(theta)
    W, A, W3 = p.take(2, 2), p.take(2, 2), p.take(1, 4)
    p.done()
    shared = W @ (W @ x) ** 2
    fixed = np.array([[1, 0.5], [0, 1]]) @ shared
    return W3 @ np.concatenate([fixed, x + (A @ x) ** 2])


NETWORKS = {f.__name__: f for f in [pmlp, biased, lcn, lightning, linear, poly_cnn, rational, relu, two_inputs, every_op,
                                     mlp_degrees, poly_activation, cnn, cnn2d, attention_deep, multihead,
                                     softmax_attention, activations, structure]}


class Jet:
    """A value with its exact gradient and Hessian in n variables (Fractions)."""

    __slots__ = ("v", "g", "h")

    def __init__(self, v, g=None, h=None, n=0):
        self.v = Fraction(v)
        self.g = g if g is not None else [Fraction(0)] * n
        self.h = h if h is not None else [[Fraction(0)] * n for _ in range(n)]

    @staticmethod
    def lift(a, n):
        return a if isinstance(a, Jet) else Jet(a, n=n)

    def n(self):
        return len(self.g)

    def __add__(self, o):
        o = Jet.lift(o, self.n())
        return Jet(self.v + o.v, [a + b for a, b in zip(self.g, o.g)],
                   [[a + b for a, b in zip(r, q)] for r, q in zip(self.h, o.h)])

    __radd__ = __add__

    def __neg__(self):
        return Jet(-self.v, [-a for a in self.g], [[-a for a in r] for r in self.h])

    def __sub__(self, o):
        return self + (-Jet.lift(o, self.n()))

    def __rsub__(self, o):
        return Jet.lift(o, self.n()) - self

    def __mul__(self, o):
        if not isinstance(o, Jet):
            o = Fraction(o)
            return Jet(self.v * o, [a * o for a in self.g], [[a * o for a in r] for r in self.h])
        n = self.n()
        g = [self.v * b + o.v * a for a, b in zip(self.g, o.g)]
        h = [[self.v * o.h[i][j] + o.v * self.h[i][j] + self.g[i] * o.g[j] + o.g[i] * self.g[j] for j in range(n)]
             for i in range(n)]
        return Jet(self.v * o.v, g, h)

    __rmul__ = __mul__

    def reciprocal(self):
        n, v = self.n(), self.v
        g = [-a / v ** 2 for a in self.g]
        h = [[-self.h[i][j] / v ** 2 + 2 * self.g[i] * self.g[j] / v ** 3 for j in range(n)] for i in range(n)]
        return Jet(1 / v, g, h)

    def __truediv__(self, o):
        if not isinstance(o, Jet):
            return self * (1 / Fraction(o))
        return self * o.reciprocal()

    def __rtruediv__(self, o):
        return Jet.lift(o, self.n()) * self.reciprocal()

    def __pow__(self, k):
        out = Jet(1, n=self.n())
        for _ in range(int(k)):
            out = out * self
        return out

    def __float__(self):
        return float(self.v)


def variables(values, n, offset):
    """Jets for values[i], the variables offset .. offset + len(values) - 1 of n."""
    out = []
    for i, v in enumerate(values):
        g = [Fraction(0)] * n
        g[offset + i] = Fraction(1)
        out.append(Jet(Fraction(float(v)), g, [[Fraction(0)] * n for _ in range(n)]))
    return np.array(out, dtype=object)


def exact_point(f, theta, x, wrt):
    """f's outputs as Jets in the variables of wrt, at the exact rationals of theta and x."""
    if wrt == "theta":
        t = variables(theta, len(theta), 0)
        xx = np.array([Fraction(float(v)) for v in x], dtype=object)
    else:
        t = np.array([Fraction(float(v)) for v in theta], dtype=object)
        xx = variables(x, len(x), 0)
    return [Jet.lift(v, len(theta) if wrt == "theta" else len(x)) for v in np.atleast_1d(f(t, xx))]


def fd_jacobian(f, theta, x, wrt, h=1e-5):
    base = theta if wrt == "theta" else x
    cols = []
    for i in range(len(base)):
        step = h * max(1.0, abs(base[i]))
        up, dn = base.copy(), base.copy()
        up[i] += step
        dn[i] -= step
        fu = f(up, x) if wrt == "theta" else f(theta, up)
        fd = f(dn, x) if wrt == "theta" else f(theta, dn)
        cols.append((np.atleast_1d(fu) - np.atleast_1d(fd)) / (2 * step))
    return np.array(cols).T


def fd_hessian(f, theta, x, wrt, k, h=1e-4):
    base = theta if wrt == "theta" else x
    n = len(base)
    fk = lambda b: float(np.atleast_1d(f(b, x) if wrt == "theta" else f(theta, b))[k])
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(i, n):
            si, sj = h * max(1.0, abs(base[i])), h * max(1.0, abs(base[j]))
            def at(a, b):
                p = base.copy()
                p[i] += a * si
                p[j] += b * sj
                return fk(p)
            H[i, j] = H[j, i] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * si * sj)
    return H


def load(path):
    return np.atleast_2d(np.loadtxt(path, ndmin=2))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data")
    for k in ["seed", "params", "inputs", "samples"]:
        d.add_argument("--" + k, type=int, required=True)
    d.add_argument("--theta", required=True)
    d.add_argument("--x", required=True)
    c = sub.add_parser("check")
    c.add_argument("network", choices=sorted(NETWORKS))
    c.add_argument("args", nargs="*")
    for k in ["theta", "x", "y"]:
        c.add_argument("--" + k, required=True)
    c.add_argument("--rtol", type=float, default=1e-12)
    dv = sub.add_parser("deriv")
    dv.add_argument("network", choices=sorted(NETWORKS))
    dv.add_argument("args", nargs="*")
    dv.add_argument("--what", choices=["jac", "hess", "jvp", "vjp", "hvp"], required=True)
    dv.add_argument("--wrt", choices=["theta", "x"], default="theta")
    for k in ["theta", "x", "y"]:
        dv.add_argument("--" + k, required=True)
    dv.add_argument("--dir")
    dv.add_argument("--cot")
    dv.add_argument("--output", type=int, default=0)
    dv.add_argument("--exact", action="store_true")
    rd = sub.add_parser("randomdata")
    rd.add_argument("--theta-seed", type=int, required=True)
    rd.add_argument("--x-seed", type=int, required=True)
    for k in ["params", "inputs", "samples"]:
        rd.add_argument("--" + k, type=int, required=True)
    rd.add_argument("--theta", required=True)
    rd.add_argument("--x", required=True)
    r = sub.add_parser("random")
    r.add_argument("seed", type=int)
    r.add_argument("count", type=int)
    a = ap.parse_args()

    if a.cmd == "random":
        for v in splitmix(a.seed, a.count):
            print(repr(float(v)))
        return 0
    if a.cmd == "randomdata":  # what random:SEED gives the program, as files
        np.savetxt(a.theta, splitmix(a.theta_seed, a.params)[None, :], fmt="%.17g")
        np.savetxt(a.x, splitmix(a.x_seed, a.samples * a.inputs).reshape(a.samples, a.inputs), fmt="%.17g")
        return 0
    if a.cmd == "data":
        rng = np.random.default_rng(a.seed)
        np.savetxt(a.theta, rng.uniform(-1, 1, a.params)[None, :], fmt="%.17g")
        np.savetxt(a.x, rng.uniform(-1, 1, (a.samples, a.inputs)), fmt="%.17g")
        return 0
    if a.cmd == "deriv":
        return deriv(a)
    kwargs = {}
    for kv in a.args:
        k, v = kv.split("=", 1)
        kwargs[k] = ast.literal_eval(v)
    theta = load(a.theta).reshape(-1)
    xs, ys = load(a.x), load(a.y)
    if ys.shape[0] != xs.shape[0]:
        print(f"reference: {ys.shape[0]} output rows for {xs.shape[0]} samples")
        return 1
    worst = 0.0
    for i, (x, y) in enumerate(zip(xs, ys)):
        want = np.atleast_1d(NETWORKS[a.network](theta, x, **kwargs))
        if want.shape != y.shape:
            print(f"reference: sample {i}: {y.shape[0]} outputs, expected {want.shape[0]}")
            return 1
        err = relative_error(y, want)
        worst = max(worst, err)
        if err > a.rtol:
            print(f"reference: sample {i}: got {y}, expected {want} (relative error {err:.3g})")
            return 1
    print(f"reference: {len(xs)} samples agree (worst relative error {worst:.2g})")
    return 0


def deriv(a):
    kwargs = {}
    for kv in a.args:
        k, v = kv.split("=", 1)
        kwargs[k] = ast.literal_eval(v)
    f = lambda t, x: NETWORKS[a.network](t, x, **kwargs)
    theta = load(a.theta).reshape(-1)
    xs = load(a.x)
    got = np.load(a.y)
    dirs = load(a.dir) if a.dir else None
    cots = load(a.cot) if a.cot else None
    tol = 1e-12 if a.exact else 1e-6
    worst = 0.0
    for s_, x in enumerate(xs):
        if a.exact:
            jets = exact_point(f, theta, x, a.wrt)
            J = np.array([[float(c) for c in j.g] for j in jets])
            H = np.array([[float(c) for c in row] for row in jets[a.output].h])
        else:
            J = fd_jacobian(f, theta, x, a.wrt)
            H = fd_hessian(f, theta, x, a.wrt, a.output) if a.what in ("hess", "hvp") else None
        v = None
        if dirs is not None:
            v = dirs.reshape(-1) if a.wrt == "theta" else dirs[min(s_, len(dirs) - 1)]
        want = {"jac": lambda: J, "hess": lambda: H, "jvp": lambda: J @ v,
                "vjp": lambda: cots[min(s_, len(cots) - 1)] @ J, "hvp": lambda: H @ v}[a.what]()
        have = got[s_]
        if np.shape(have) != np.shape(want):
            print(f"reference: sample {s_}: shape {np.shape(have)}, expected {np.shape(want)}")
            return 1
        err = relative_error(have, want)
        worst = max(worst, err)
        if err > tol:
            print(f"reference: sample {s_}: {a.what} differs by {err:.3g} (relative)\ngot\n{have}\nexpected\n{want}")
            return 1
    print(f"reference: {a.what} of {len(xs)} samples agrees (worst relative error {worst:.2g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
