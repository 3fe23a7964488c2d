"""span_ref.py — an independent exact reference for the span and the dimension of a neurovariety.

For a few families of algebraic networks, written out by hand from the mathematics and from the
parameter layout of their .nag programs (declaration order, row-major), and never calling nagc,
it computes over a prime field F_p (Python integers, random points from a seeded generator):

  span       the dimension of the linear span of the function space {f_theta}: the rank of the
             evaluation matrix E[i, (j, o)] = f_{theta_i}(x_j)_o at random theta_i, x_j;
  dimension  the generic rank of the Jacobian of (f_theta(x_1), ..., f_theta(x_N)) in theta at a
             random theta (forward-mode dual numbers over F_p, exact);
  symmetry_dimension  the rank of the tangent vectors of the known continuous symmetries at that
             theta (neuron rescalings for t^r, GL(d_l) on linear hidden layers, GL(a) and V-K
             scaling in lightning attention, filter rescalings in a CNN);
  rank_bound (linear chains) k (d_in + d_out - k) with k the least width: the dimension of the
             matrices of rank <= k;
  expected_dimension  the least of the upper bounds P - symmetry_dimension, span, rank_bound.

Each is computed for two primes with two seeds; the larger rank is kept (an F_p rank at random
points can only err low) and a disagreement is reported ("agree": false).

Saturation (why the ranks are the true ones with high probability):
  rows    theta samples: R random points of the image span a space that grows by one with each
          new point until it is the whole span, so a rank <= R - margin means the rows saturated;
  points  x samples, added one at a time: while the restriction to the points is not injective
          on the span (or on the row space of the Jacobian), one more random point raises the
          rank, so the points are grown until `margin_points` consecutive points add nothing.
R is doubled (and the computation restarted) until the row condition holds.

Command line:
  span_ref.py mlp --widths 3,3,1 --act 0,1,0,1      sigma(t) = sum_k c_k t^k (c_0 first)
  span_ref.py mlp --widths 6,3,1 --r 2              sigma(t) = t^r (examples/pmlp.nag)
  span_ref.py linear --widths 3,1,2,4               examples/linear.nag, stdlib nn.linear
  span_ref.py lightning --d 3 --t 2 --a 2 [--dv D]  examples/lightning.nag (dv = d there)
  span_ref.py cnn --n 4 --filters 2,3 --r 2         examples/poly_cnn.nag, examples/cnn.nag
      each prints JSON {"family", "P", "span", "dimension", "symmetry_dimension",
      "expected_dimension", "bounds", "agree", "runs": [per prime/seed], ...};
      options --seed S (first seed; the second is S + 1), --no-span, --margin M
  span_ref.py linear-symmetry-tangents --widths 4,2,3,5 (--theta-json FILE | --theta random:S)
      prints {"P", "tangents": [[P floats], ...], "names": [...]}: at theta, the tangent vectors
      (0, ..., E W_l, -W_{l+1} E, ..., 0) of GL(d_l) on every hidden layer l, E = e_a e_b^T, in the
      layout W1, W2, ..., WL (row-major). FILE holds a JSON list of P numbers (or {"theta": [...]}).
  span_ref.py compare DIM_JSON REF_JSON [--defect D] [--expected E]
      checks nagc's `dim --json` against this tool's output: P, span, dimension equal; fills is
      (dimension == span); defect == expected_dimension - dimension; and the given defect and
      expected dimension (from the literature). Prints one "ok" line, or the mismatches and exits 1.
  span_ref.py selftest
      asserts the literature values (see SELFTEST below).
"""
from fractions import Fraction
import argparse
import json
import os
import random
import sys

P1 = (1 << 61) - 1   # Mersenne prime
P2 = (1 << 62) - 57  # prime (checked by is_prime in selftest)


# ---------------------------------------------------------------- field helpers

def is_prime(n):
    """Deterministic Miller-Rabin for n < 3.3e24."""
    if n < 2:
        return False
    small = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
    for q in small:
        if n % q == 0:
            return n == q
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in small:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def to_fp(c, p):
    """A rational (int, Fraction or string like '1/2') as an element of F_p."""
    c = Fraction(c)
    return c.numerator * pow(c.denominator, -1, p) % p


class Dual:
    """a + sum_k g_k eps_k over F_p with eps_j eps_k = 0: value and gradient, for exact Jacobians."""
    __slots__ = ("v", "g", "p")

    def __init__(self, v, g, p):
        self.v, self.g, self.p = v % p, g, p

    def _lift(self, o):
        return o if isinstance(o, Dual) else Dual(o, [0] * len(self.g), self.p)

    def __add__(self, o):
        o, p = self._lift(o), self.p
        return Dual(self.v + o.v, [(a + b) % p for a, b in zip(self.g, o.g)], p)

    __radd__ = __add__

    def __neg__(self):
        p = self.p
        return Dual(-self.v, [(-a) % p for a in self.g], p)

    def __sub__(self, o):
        return self + (-self._lift(o))

    def __rsub__(self, o):
        return self._lift(o) - self

    def __mul__(self, o):
        p = self.p
        if not isinstance(o, Dual):
            o %= p
            return Dual(self.v * o, [a * o % p for a in self.g], p)
        a, b = self.v, o.v
        return Dual(a * b, [(a * y + b * x) % p for x, y in zip(self.g, o.g)], p)

    __rmul__ = __mul__

    def __pow__(self, k):
        assert isinstance(k, int) and k >= 0
        out = self._lift(1)
        for _ in range(k):
            out = out * self
        return out

    def __mod__(self, p):
        return self


def red(v, p):
    return v % p


def matvec(W, x, p):
    return [red(sum(w * xi for w, xi in zip(row, x)), p) for row in W]


def matmul(A, B, p):
    Bt = list(zip(*B))
    return [[red(sum(a * b for a, b in zip(row, col)), p) for col in Bt] for row in A]


def transpose(A):
    return [list(r) for r in zip(*A)]


def power(t, k, p):
    out = 1
    for _ in range(k):
        out = red(out * t, p)
    return out


def conv1d(w, x, p, s=1):
    k, n = len(w), len(x)
    return [red(sum(w[t] * x[i * s + t] for t in range(k)), p) for i in range((n - k) // s + 1)]


class Params:
    """Consecutive parameter tensors out of theta, row-major (the .nag layout)."""

    def __init__(self, theta):
        self.theta, self.at = theta, 0

    def vec(self, n):
        v = self.theta[self.at:self.at + n]
        self.at += n
        return list(v)

    def mat(self, m, n):
        return [self.vec(n) for _ in range(m)]

    def done(self):
        assert self.at == len(self.theta), f"layout uses {self.at} of {len(self.theta)} parameters"


# ---------------------------------------------------------------- families
#
# Each family has: n_params, n_inputs, n_outputs, f(theta, x, p) -> list of outputs (generic over
# ints mod p and Duals), and symmetry_tangents(theta, p) -> list of P-vectors mod p.


class MLP:
    """f = W_L sigma(... sigma(W_1 x)), W_l : R[d_l, d_{l-1}], no biases, sigma(t) = sum_k c_k t^k.

    Layout (examples/pmlp.nag, stdlib nn.dense(bias: false) and an `act` MLP): W_1, ..., W_L."""

    def __init__(self, widths, coeffs):
        self.d = list(widths)
        self.c = [Fraction(c) for c in coeffs]
        while len(self.c) > 1 and self.c[-1] == 0:
            self.c.pop()
        self.P = sum(self.d[l] * self.d[l - 1] for l in range(1, len(self.d)))
        self.n_in, self.n_out = self.d[0], self.d[-1]

    def monomial(self):
        """r if sigma = c t^r (c != 0), else None."""
        nz = [k for k, c in enumerate(self.c) if c != 0]
        return nz[0] if len(nz) == 1 else None

    def sigma(self, t, cp, p):
        out, tk = 0, 1
        for k, c in enumerate(cp):
            if k:
                tk = red(tk * t, p)
            if c:
                out = out + c * tk
        return red(out, p)

    def f(self, theta, x, p):
        cp = [to_fp(c, p) for c in self.c]
        r = self.monomial()
        pr, h = Params(theta), list(x)
        for l in range(1, len(self.d)):
            h = matvec(pr.mat(self.d[l], self.d[l - 1]), h, p)
            if l < len(self.d) - 1:
                if r is not None and cp[r] == 1:
                    h = [power(t, r, p) for t in h]
                else:
                    h = [self.sigma(t, cp, p) for t in h]
        pr.done()
        return h

    def offsets(self):
        off, out = 0, []
        for l in range(1, len(self.d)):
            out.append(off)
            off += self.d[l] * self.d[l - 1]
        return out

    def symmetry_tangents(self, theta, p):
        r = self.monomial()
        if r is None or r == 0:
            return []  # sigma not homogeneous: no continuous rescaling keeps f
        if r == 1:
            return LinearChain(self.d).symmetry_tangents(theta, p)
        # neuron i of hidden layer l: row i of W_l times lam, column i of W_{l+1} times lam^-r
        off, d, out = self.offsets(), self.d, []
        for l in range(1, len(d) - 1):
            for i in range(d[l]):
                v = [0] * self.P
                for j in range(d[l - 1]):
                    k = off[l - 1] + i * d[l - 1] + j
                    v[k] = theta[k]
                for o in range(d[l + 1]):
                    k = off[l] + o * d[l] + i
                    v[k] = (-r * theta[k]) % p
                out.append(v)
        return out


class LinearChain:
    """f = W_L ... W_1 x, W_l : R[d_l, d_{l-1}] (examples/linear.nag: W1, W2, W3; nn.linear)."""

    def __init__(self, widths):
        self.d = list(widths)
        self.P = sum(self.d[l] * self.d[l - 1] for l in range(1, len(self.d)))
        self.n_in, self.n_out = self.d[0], self.d[-1]

    def f(self, theta, x, p):
        pr, h = Params(theta), list(x)
        for l in range(1, len(self.d)):
            h = matvec(pr.mat(self.d[l], self.d[l - 1]), h, p)
        pr.done()
        return h

    def rank_bound(self):
        k = min(self.d)
        return k * (self.d[0] + self.d[-1] - k)

    def matrices(self, theta):
        pr, Ws = Params(theta), []
        for l in range(1, len(self.d)):
            Ws.append(pr.mat(self.d[l], self.d[l - 1]))
        pr.done()
        return Ws

    def symmetry_tangents(self, theta, p=None, names=None):
        """GL(d_l) on hidden layer l: W_l -> A W_l, W_{l+1} -> W_{l+1} A^-1; at A = 1 + s E,
        E = e_a e_b^T, the tangent is (E W_l, -W_{l+1} E). Works over F_p (p given) or floats."""
        d, Ws = self.d, self.matrices(theta)
        off = MLP(d, [0, 1]).offsets()
        out = []
        for l in range(1, len(d) - 1):
            Wl, Wn = Ws[l - 1], Ws[l]  # W_l : d_l x d_{l-1};  W_{l+1} : d_{l+1} x d_l
            for a in range(d[l]):
                for b in range(d[l]):
                    v = [0] * self.P
                    for j in range(d[l - 1]):  # (E W_l)[a, j] = W_l[b, j]
                        v[off[l - 1] + a * d[l - 1] + j] = Wl[b][j]
                    for o in range(d[l + 1]):  # (-W_{l+1} E)[o, b] = -W_{l+1}[o, a]
                        v[off[l] + o * d[l] + b] = -Wn[o][a]
                    if p is not None:
                        v = [x % p for x in v]
                    out.append(v)
                    if names is not None:
                        names.append(f"GL({d[l]}) on hidden layer {l}: E = e{a} e{b}^T")
        return out


class Lightning:
    """f(X) = (V X) (K X)^T (Q X), X : R[d, t], Q, K : R[a, d], V : R[dv, d]; output dv x t row-major.

    Layout (examples/lightning.nag, stdlib attention.lightning): Q, K, V."""

    def __init__(self, d, t, a, dv=None):
        self.dd, self.t, self.a = d, t, a
        self.dv = d if dv is None else dv
        self.P = 2 * a * d + self.dv * d
        self.n_in, self.n_out = d * t, self.dv * t

    def split(self, theta):
        pr = Params(theta)
        Q, K, V = pr.mat(self.a, self.dd), pr.mat(self.a, self.dd), pr.mat(self.dv, self.dd)
        pr.done()
        return Q, K, V

    def f(self, theta, x, p):
        Q, K, V = self.split(theta)
        X = [list(x[i * self.t:(i + 1) * self.t]) for i in range(self.dd)]
        S = matmul(transpose(matmul(K, X, p)), matmul(Q, X, p), p)  # t x t
        Y = matmul(matmul(V, X, p), S, p)
        return [y for row in Y for y in row]

    def symmetry_tangents(self, theta, p):
        # (K, Q) -> (A K, A^-T Q) keeps K^T Q: tangent K -> E K, Q -> -E^T Q;
        # (K, V) -> (K / lam, lam V): tangent K -> -K, V -> V.
        Q, K, V = self.split(theta)
        a, d = self.a, self.dd
        qo, ko, vo = 0, a * d, 2 * a * d
        out = []
        for i in range(a):
            for j in range(a):
                v = [0] * self.P
                for c in range(d):
                    v[ko + i * d + c] = K[j][c]          # (E K)[i, c], E = e_i e_j^T
                    v[qo + j * d + c] = -Q[i][c] % p     # (-E^T Q)[j, c]
                out.append(v)
        v = [0] * self.P
        for k in range(ko, vo):
            v[k] = -theta[k] % p
        for k in range(vo, self.P):
            v[k] = theta[k]
        out.append(v)
        return out


class CNN:
    """1-D convolutions with filters k_1..k_L, strides s_l, t^r between layers (none: an LCN).

    Layout (examples/poly_cnn.nag: w1, w2; examples/cnn.nag, nn.cnn): w_1, ..., w_L."""

    def __init__(self, n, filters, r, strides=None):
        self.n, self.k = n, list(filters)
        self.s = list(strides) if strides else [1] * len(self.k)
        # the power after each layer but the last; 1 (nothing) for a linear convolutional network
        if isinstance(r, list):
            self.r = list(r) if r else [1] * (len(self.k) - 1)
        else:
            self.r = [r] * (len(self.k) - 1)
        assert len(self.r) == len(self.k) - 1, "one degree per hidden layer"
        self.P = sum(self.k)
        self.n_in = n
        m = n
        for k, s in zip(self.k, self.s):
            assert m >= k, f"filter of length {k} longer than its input of length {m}"
            m = (m - k) // s + 1
        self.n_out = m

    def f(self, theta, x, p):
        pr, h = Params(theta), list(x)
        for l, k in enumerate(self.k):
            h = conv1d(pr.vec(k), h, p, self.s[l])
            if l < len(self.k) - 1 and self.r[l] != 1:
                h = [power(t, self.r[l], p) for t in h]
        pr.done()
        return h

    def symmetry_tangents(self, theta, p):
        # w_l -> lam w_l, w_{l+1} -> lam^-r w_{l+1} (lam^-1 for a linear layer)
        out, off = [], [sum(self.k[:l]) for l in range(len(self.k))]
        for l in range(len(self.k) - 1):
            v = [0] * self.P
            for i in range(self.k[l]):
                v[off[l] + i] = theta[off[l] + i]
            for i in range(self.k[l + 1]):
                v[off[l + 1] + i] = -self.r[l] * theta[off[l + 1] + i] % p
            out.append(v)
        return out


# ---------------------------------------------------------------- ranks mod p

class Echelon:
    """An incrementally built row-echelon basis of a subspace of F_p^n (pivot -> normalized row)."""

    def __init__(self, p):
        self.p, self.rows = p, {}

    def add(self, v):
        """Reduces v against the basis; adds it if independent. Returns True if the rank grew."""
        p = self.p
        v = [x % p for x in v]
        for piv, row in self.rows.items():
            c = v[piv]
            if c:
                v = [(a - c * b) % p for a, b in zip(v, row)]
        for i, c in enumerate(v):
            if c:
                inv = pow(c, -1, p)
                row = [a * inv % p for a in v]
                # keep the basis fully reduced so each pivot appears in one row only
                for piv in list(self.rows):
                    e = self.rows[piv][i]
                    if e:
                        self.rows[piv] = [(a - e * b) % p for a, b in zip(self.rows[piv], row)]
                self.rows[i] = row
                return True
        return False

    def rank(self):
        return len(self.rows)


def rank_mod_p(vectors, p):
    e = Echelon(p)
    for v in vectors:
        e.add(v)
    return e.rank()


def span_rank(net, p, seed, margin=4, margin_points=2, start=16):
    """Rank of E[i, (j, o)] = f_{theta_i}(x_j)_o, grown until saturated (see the module doc)."""
    R = start
    while True:
        rng = random.Random(f"span {seed} {p} {R}")
        thetas = [[rng.randrange(p) for _ in range(net.P)] for _ in range(R)]
        e, idle, points = Echelon(p), 0, 0
        while idle < margin_points and e.rank() <= R - margin:
            x = [rng.randrange(p) for _ in range(net.n_in)]
            cols = list(zip(*[net.f(th, x, p) for th in thetas]))  # O columns of length R
            grew = False
            for c in cols:
                grew |= e.add(list(c))
            idle = 0 if grew else idle + 1
            points += 1
        if e.rank() <= R - margin:
            return e.rank(), {"thetas": R, "points": points}
        R *= 2


def jacobian_rank(net, p, seed, margin_points=2):
    """Generic rank of d/dtheta (f_theta(x_1), ..., f_theta(x_N)) at a random theta, N grown until
    margin_points consecutive points add nothing (or the rank is P). Returns (rank, theta, info)."""
    rng = random.Random(f"jacobian {seed} {p}")
    theta = [rng.randrange(p) for _ in range(net.P)]
    dual = [Dual(t, [1 if k == i else 0 for k in range(net.P)], p) for i, t in enumerate(theta)]
    e, idle, points = Echelon(p), 0, 0
    while idle < margin_points and e.rank() < net.P:
        x = [rng.randrange(p) for _ in range(net.n_in)]
        grew = False
        for y in net.f(dual, x, p):
            grew |= e.add(y.g if isinstance(y, Dual) else [0] * net.P)
        idle = 0 if grew else idle + 1
        points += 1
    return e.rank(), theta, {"points": points}


def analyse(net, seed=1, want_span=True, margin=4):
    runs = []
    for p, s in ((P1, seed), (P2, seed + 1)):
        run = {"prime": p, "seed": s}
        if want_span:
            run["span"], run["span_samples"] = span_rank(net, p, s, margin=margin)
        run["dimension"], theta, run["jacobian_samples"] = jacobian_rank(net, p, s)
        run["symmetry_dimension"] = rank_mod_p(net.symmetry_tangents(theta, p), p)
        runs.append(run)
    out = {"P": net.P}
    agree = True
    for key in ("span", "dimension", "symmetry_dimension"):
        vals = [r[key] for r in runs if key in r]
        if vals:
            out[key] = max(vals)
            agree &= len(set(vals)) == 1
    bounds = {"P_minus_symmetries": net.P - out["symmetry_dimension"]}
    if want_span:
        bounds["span"] = out["span"]
    if isinstance(net, LinearChain) or (isinstance(net, MLP) and net.monomial() == 1):
        bounds["rank_bound"] = out["rank_bound"] = LinearChain(net.d).rank_bound()
    out["bounds"] = bounds
    out["expected_dimension"] = min(bounds.values())
    out["defect"] = out["expected_dimension"] - out["dimension"]
    if want_span:
        out["fills"] = out["dimension"] == out["span"]
    out["agree"] = agree
    out["runs"] = runs
    if not agree:
        print("span_ref: warning: the two primes/seeds disagree: " + json.dumps(runs), file=sys.stderr)
    return out


# ---------------------------------------------------------------- float tangents (linear chains)

def splitmix(seed, count):
    """random:SEED as documented (README): SplitMix64 from SEED, ((z >> 11) * 2^-53) * 2 - 1."""
    mask, s, out = (1 << 64) - 1, seed, []
    for _ in range(count):
        s = (s + 0x9E3779B97F4A7C15) & mask
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        out.append((z >> 11) * 2.0**-53 * 2 - 1)
    return out


def linear_tangents(widths, theta):
    """Float tangent vectors of GL(d_l) on every hidden layer of the chain at theta, with names."""
    net = LinearChain(widths)
    theta = [float(t) for t in theta]
    assert len(theta) == net.P, f"theta has {len(theta)} values, the chain {widths} has P = {net.P}"
    names = []
    vecs = net.symmetry_tangents(theta, None, names)
    return {"P": net.P, "tangents": vecs, "names": names}


def read_theta(args_theta, args_json, P):
    if args_json:
        with open(args_json) as fh:
            t = json.load(fh)
        if isinstance(t, dict):
            t = t["theta"]
        return [float(v) for v in t][:P]  # a longer list: theta is its first P values
    if args_theta and args_theta.startswith("random:"):
        return splitmix(int(args_theta[7:]), P)
    raise SystemExit("span_ref: give --theta-json FILE or --theta random:S")


# ---------------------------------------------------------------- compare with nagc

def compare(dim, ref, defect=None, expected=None):
    """Mismatches between nagc's `dim --json` (dim) and this tool's output (ref)."""
    bad = []

    def want(key, value):
        if key not in dim:
            bad.append(f"nagc's dim --json has no '{key}'")
        elif dim[key] != value:
            bad.append(f"{key}: nagc {dim[key]!r}, reference {value!r}")

    want("P", ref["P"])
    want("dimension", ref["dimension"])
    if "span" in ref:
        want("span", ref["span"])
        want("fills", ref["dimension"] == ref["span"])
    if "expected_dimension" in dim and "defect" in dim:
        if dim["defect"] != dim["expected_dimension"] - dim.get("dimension", 0):
            bad.append(f"defect {dim['defect']} != expected_dimension {dim['expected_dimension']} - dimension")
    if defect is not None:
        want("defect", defect)
        if ref.get("defect") != defect:
            bad.append(f"the reference's own defect {ref.get('defect')} is not the literature's {defect}")
    if expected is not None:
        want("expected_dimension", expected)
        if ref.get("expected_dimension") != expected:
            bad.append(f"the reference's own expected dimension {ref.get('expected_dimension')} "
                       f"is not the literature's {expected}")
    if not ref.get("agree", True):
        bad.append("the reference's two primes/seeds disagree")
    return bad


# ---------------------------------------------------------------- self-test

# (family, constructor args, span, dimension, extra checks): literature values (../shared/cases.md,
# issue 12, the formulas cited there).
SELFTEST = [
    ("mlp (3,3,1) t^3 + t", lambda: MLP([3, 3, 1], [0, 1, 0, 1]), 13, 12, {}),
    ("mlp (2,4,1) t^2 + 1", lambda: MLP([2, 4, 1], [1, 0, 1]), 4, 4, {}),
    ("linear 3 -> 1 -> 2 -> 4", lambda: LinearChain([3, 1, 2, 4]), 12, 6, {"rank_bound": 6, "expected_dimension": 6}),
    ("lightning d=3 t=2 a=2", lambda: Lightning(3, 2, 2), 54, 16, {"symmetry_dimension": 5}),
    ("cnn n=4 filters (2,3) r=2", lambda: CNN(4, [2, 3], 2), 7, 4, {"expected_dimension": 4}),
    ("mlp (3,4,1) t^3 + t", lambda: MLP([3, 4, 1], [0, 1, 0, 1]), 13, 13, {}),
    ("mlp (3,6,1) t^2 + 1", lambda: MLP([3, 6, 1], [1, 0, 1]), 7, 7, {}),
    ("linear 4 -> 2 -> 3 -> 5", lambda: LinearChain([4, 2, 3, 5]), 20, 14,
     {"rank_bound": 14, "expected_dimension": 14, "symmetry_dimension": 13, "P": 29}),
    ("lightning d=4 t=3 a=1", lambda: Lightning(4, 3, 1), 160, 22, {"expected_dimension": 22}),
    ("cnn n=4 filters (3,2) r=2", lambda: CNN(4, [3, 2], 2), 9, 4, {}),
    ("mlp (6,3,1) t^2", lambda: MLP([6, 3, 1], [0, 0, 1]), 21, 15, {"expected_dimension": 18, "defect": 3}),
    ("mlp (2,3,1) t^2", lambda: MLP([2, 3, 1], [0, 0, 1]), 3, 3, {"fills": True}),
    # a few more rows of cases.md, cheap ones
    ("mlp (2,3,1) t^4", lambda: MLP([2, 3, 1], [0, 0, 0, 0, 1]), 5, 5, {}),
    ("linear (4,2,3,4)", lambda: LinearChain([4, 2, 3, 4]), 16, 12, {"expected_dimension": 12}),
    ("lcn n=10 filters (4,3,2)", lambda: CNN(10, [4, 3, 2], []), 7, 7, {"fills": True}),
    ("cnn n=8 filters (3,3) r=2", lambda: CNN(8, [3, 3], 2), None, 5, {"expected_dimension": 5}),
]


def selftest(verbose=True):
    assert is_prime(P1) and is_prime(P2), "P1, P2 must be prime"
    failures = []
    for name, make, span, dim, extra in SELFTEST:
        out = analyse(make(), seed=1)
        got = {"span": out["span"], "dimension": out["dimension"]}
        want = {"span": span, "dimension": dim}
        if span is None:
            del got["span"], want["span"]
        for k, v in extra.items():
            got[k], want[k] = out[k], v
        ok = got == want and out["agree"]
        if verbose:
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {json.dumps(got)}" + ("" if ok else f" want {json.dumps(want)}")
                  + ("" if out["agree"] else " (primes disagree)"))
        if not ok:
            failures.append(name)
    # Layout and formula: each evaluator agrees (mod p, at small integer points, where nothing wraps)
    # with reference.py's numpy evaluators, written separately from the same .nag sources.
    ok, msg = layout_check()
    if verbose:
        print(f"{'ok  ' if ok else 'FAIL'} evaluators agree with reference.py {msg}")
    if not ok:
        failures.append("layout")
    # GL tangents: 13 independent directions for 4 -> 2 -> 3 -> 5, and they lie in the kernel of
    # the float differential (V3 W2 W1 + W3 V2 W1 + W3 W2 V1 = 0).
    import numpy as np
    th = splitmix(5, 29)
    T = np.array(linear_tangents([4, 2, 3, 5], th)["tangents"])
    W = [np.array(th[0:8]).reshape(2, 4), np.array(th[8:14]).reshape(3, 2), np.array(th[14:29]).reshape(5, 3)]
    res = max(np.abs(differential_linear(W, v)).max() for v in T)
    ok = np.linalg.matrix_rank(T) == 13 and res < 1e-12
    if verbose:
        print(f"{'ok  ' if ok else 'FAIL'} linear-symmetry-tangents 4,2,3,5: 13 independent tangents, residual {res:.1e}")
    if not ok:
        failures.append("tangents")
    if failures:
        raise AssertionError("selftest failed: " + ", ".join(failures))
    if verbose:
        print("selftest: all passed")


def layout_check():
    import numpy as np
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import reference as R

    def act_mlp(theta, x, d, c):  # no reference.py function for a bias-free general sigma
        at, h = 0, x
        for l in range(1, len(d)):
            W = theta[at:at + d[l] * d[l - 1]].reshape(d[l], d[l - 1])
            at += W.size
            h = W @ h
            if l < len(d) - 1:
                h = sum(ci * h ** i for i, ci in enumerate(c))
        return h

    cases = [
        (MLP([3, 4, 2], [0, 0, 1]), lambda th, x: R.pmlp(th, x, d=(3, 4, 2), r=2)),
        (MLP([2, 3, 2, 1], [0, 0, 0, 1]), lambda th, x: R.pmlp(th, x, d=(2, 3, 2, 1), r=3)),
        (MLP([3, 3, 2], [0, 1, 0, 1]), lambda th, x: act_mlp(th, x, (3, 3, 2), (0, 1, 0, 1))),
        (MLP([2, 4, 1], [1, 0, 1]), lambda th, x: act_mlp(th, x, (2, 4, 1), (1, 0, 1))),
        (LinearChain([3, 1, 2, 4]), lambda th, x: R.linear(th, x, 3, 1, 2, 4)),
        (Lightning(3, 2, 2), None),
        (Lightning(4, 3, 1), lambda th, x: R.lightning(th, x, d=4, t=3, a=1)),
        (CNN(6, [2, 3], 2), lambda th, x: R.poly_cnn(th, x, n=6, k1=2, k2=3, r=2)),
        (CNN(12, [3, 2, 2], [2, 3], [1, 2, 1]), lambda th, x: R.cnn(th, x, n=12, k=(3, 2, 2), s=(1, 2, 1), r=(2, 3))),
    ]
    rng = random.Random("layout")
    for net, ref in cases:
        if ref is None:  # lightning with a != 1: reference.py's default only covers a as given
            ref = (lambda n: lambda th, x: R.lightning(th, x, d=n.dd, t=n.t, a=n.a))(net)
        for _ in range(3):
            th = [rng.randint(-3, 3) for _ in range(net.P)]
            x = [rng.randint(-3, 3) for _ in range(net.n_in)]
            want = [int(v) % P1 for v in np.asarray(ref(np.array(th, dtype=object), np.array(x, dtype=object))).reshape(-1)]
            got = net.f([t % P1 for t in th], [v % P1 for v in x], P1)
            if got != want:
                return False, f"({type(net).__name__} P={net.P}: {got} != {want})"
    return True, f"({len(cases)} networks)"


def differential_linear(Ws, v):
    """d(W_L ... W_1)[v] for float matrices Ws and a direction v in the chain layout."""
    import numpy as np
    Vs, at = [], 0
    for W in Ws:
        Vs.append(np.asarray(v[at:at + W.size]).reshape(W.shape))
        at += W.size
    total = 0
    for i in range(len(Ws)):
        M = np.eye(Ws[0].shape[1])
        for j, W in enumerate(Ws):
            M = (Vs[j] if j == i else W) @ M
        total = total + M
    return total


# ---------------------------------------------------------------- command line

def ints(s):
    return [int(v) for v in s.split(",") if v.strip()]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(sp):
        sp.add_argument("--seed", type=int, default=1)
        sp.add_argument("--margin", type=int, default=4)
        sp.add_argument("--no-span", action="store_true")

    m = sub.add_parser("mlp")
    m.add_argument("--widths", type=ints, required=True)
    g = m.add_mutually_exclusive_group(required=True)
    g.add_argument("--act", help="coefficients c0,c1,... of sigma (rationals allowed: 1/2)")
    g.add_argument("--r", type=int, help="sigma(t) = t^r")
    common(m)
    li = sub.add_parser("linear")
    li.add_argument("--widths", type=ints, required=True)
    common(li)
    lg = sub.add_parser("lightning")
    lg.add_argument("--d", type=int, required=True)
    lg.add_argument("--t", type=int, required=True)
    lg.add_argument("--a", type=int, required=True)
    lg.add_argument("--dv", type=int)
    common(lg)
    cn = sub.add_parser("cnn")
    cn.add_argument("--n", type=int, required=True)
    cn.add_argument("--filters", type=ints, required=True)
    cn.add_argument("--r", type=int, default=None, help="t^r between layers (omit: linear, an LCN)")
    cn.add_argument("--strides", type=ints, default=None)
    common(cn)
    ts = sub.add_parser("linear-symmetry-tangents")
    ts.add_argument("--widths", type=ints, required=True)
    ts.add_argument("--theta-json")
    ts.add_argument("--theta", help="random:S (the documented generator)")
    cp = sub.add_parser("compare")
    cp.add_argument("dim_json")
    cp.add_argument("ref_json")
    cp.add_argument("--defect", type=int)
    cp.add_argument("--expected", type=int)
    sub.add_parser("selftest")
    a = ap.parse_args(argv)

    if a.cmd == "selftest":
        selftest()
        return 0
    if a.cmd == "linear-symmetry-tangents":
        P = LinearChain(a.widths).P
        print(json.dumps(linear_tangents(a.widths, read_theta(a.theta, a.theta_json, P))))
        return 0
    if a.cmd == "compare":
        with open(a.dim_json) as fh:
            dim = json.load(fh)
        with open(a.ref_json) as fh:
            ref = json.load(fh)
        bad = compare(dim, ref, a.defect, a.expected)
        if bad:
            print("MISMATCH " + "; ".join(bad))
            return 1
        print(f"ok P {ref['P']} span {ref.get('span')} dimension {ref['dimension']}"
              + (f" defect {a.defect}" if a.defect is not None else "")
              + (f" expected {a.expected}" if a.expected is not None else ""))
        return 0
    if a.cmd == "mlp":
        coeffs = a.act.split(",") if a.act else [0] * a.r + [1]
        net = MLP(a.widths, coeffs)
        desc = {"family": "mlp", "widths": a.widths, "act": [str(c) for c in net.c]}
    elif a.cmd == "linear":
        net = LinearChain(a.widths)
        desc = {"family": "linear", "widths": a.widths}
    elif a.cmd == "lightning":
        net = Lightning(a.d, a.t, a.a, a.dv)
        desc = {"family": "lightning", "d": a.d, "t": a.t, "a": a.a, "dv": net.dv}
    else:
        net = CNN(a.n, a.filters, [] if a.r is None else a.r, a.strides)
        desc = {"family": "cnn", "n": a.n, "filters": a.filters, "r": a.r, "strides": net.s}
    desc.update(analyse(net, seed=a.seed, want_span=not a.no_span, margin=a.margin))
    print(json.dumps(desc))
    return 0 if desc["agree"] else 2


if __name__ == "__main__":
    sys.exit(main())
