"""difftest.py — differential testing of nagc's generated code.

    difftest.py NAGC WORKDIR --count N [--seed S] [--jobs J] [--only I] [--start K] [--keep]

Generates N random well-typed .nag programs (program I is a function of
(S, I) alone, so any one can be regenerated with --only I): module-level
activations (polynomials with rational coefficients, rational functions,
tanh, sigmoid, relu, exp), constants and layers; network arguments
(width lists, exponents, flags) used by `for` loops and `if`, sometimes
overridden with -D; dense layers from the stdlib with and without bias,
user layers with parameters declared under `if`, strided 1-D convolutions,
residual connections, concatenated branches, shared weights, sums, dots,
outer products, transposes, indexing, powers, divisions, and lightning
attention on matrix inputs. Each program is compiled into a shared library
at a random optimisation level and SIMD width, and checked against an
evaluator written here, independently of nagc (numpy object arrays of
Python numbers, following the program as this generator wrote it):

  eval            37 samples (a full SIMD block and a partial one), at dyadic
                  points against exact rational arithmetic (Fractions) for
                  polynomial and rational programs, at continuous random
                  points against float64 otherwise:
                  |got - want| <= 1e-9 max(1, max |want|)
  jac_theta/x     against exact forward-mode derivatives (Fraction duals;
                  float duals when not algebraic), same tolerance
  hess_theta/x    against central finite differences of the compiled Jacobian
                  (step 1e-6, relative error <= 1e-6)
  jvp/vjp/hvp     against the compiled J and H times the vectors
  eval_mod,       for algebraic programs, at random residues modulo the prime
  jac_theta_mod   2^31 - 1 (and the _mod32 kernels), against the same evaluator over GF(p) (with duals)

Prints one line per mismatch (and the program is kept in WORKDIR/failures),
then "differential: N programs, M mismatches" ; exits 1 on any mismatch.
"""
import argparse
import ctypes
import math
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import traceback
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import nagc  # noqa: E402  (the ctypes loader only; no evaluation is taken from nagc)

PRIME = 2**31 - 1  # below 2^31: every program's modular kernels take it (the _mod32 ones and, with them, eval_mod)


# ---------------------------------------------------------------- numbers

def scalar_op(op):
    """Leaves tensors to numpy's broadcasting (returns NotImplemented for arrays)."""
    def wrapped(self, b=None, *rest):
        return NotImplemented if isinstance(b, np.ndarray) else op(self, b, *rest)
    return wrapped


class GF:
    """A residue modulo PRIME."""

    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v % PRIME

    @staticmethod
    def of(a):
        if isinstance(a, GF):
            return a
        if isinstance(a, Fraction):
            return GF(a.numerator) / GF(a.denominator)
        if not isinstance(a, int):
            raise TypeError(f"GF(p) arithmetic with {type(a).__name__}")
        return GF(a)

    @scalar_op
    def __add__(self, b):
        return NotImplemented if isinstance(b, Dual) else GF(self.v + GF.of(b).v)

    __radd__ = __add__

    @scalar_op
    def __sub__(self, b):
        return NotImplemented if isinstance(b, Dual) else GF(self.v - GF.of(b).v)

    @scalar_op
    def __rsub__(self, b):
        return GF(GF.of(b).v - self.v)

    @scalar_op
    def __mul__(self, b):
        return NotImplemented if isinstance(b, Dual) else GF(self.v * GF.of(b).v)

    __rmul__ = __mul__

    @scalar_op
    def __truediv__(self, b):
        if isinstance(b, Dual):
            return NotImplemented
        b = GF.of(b)
        if b.v == 0:
            raise ZeroDivisionError("division by zero mod p")
        return GF(self.v * pow(b.v, PRIME - 2, PRIME))

    @scalar_op
    def __rtruediv__(self, b):
        return GF.of(b) / self

    def __neg__(self):
        return GF(-self.v)

    def __pow__(self, k):
        return GF(pow(self.v, k, PRIME))


class Dual:
    """A value with its gradient {variable index: derivative} (forward mode)."""

    __slots__ = ("v", "g")

    def __init__(self, v, g=None):
        self.v, self.g = v, g or {}

    @staticmethod
    def of(a):
        return a if isinstance(a, Dual) else Dual(a)

    def _combine(self, b, ca, cb):  # ca * self.g + cb * b.g
        g = {k: ca * d for k, d in self.g.items()}
        for k, d in b.g.items():
            g[k] = g[k] + cb * d if k in g else cb * d
        return g

    @scalar_op
    def __add__(self, b):
        b = Dual.of(b)
        return Dual(self.v + b.v, self._combine(b, 1, 1))

    __radd__ = __add__

    @scalar_op
    def __sub__(self, b):
        b = Dual.of(b)
        return Dual(self.v - b.v, self._combine(b, 1, -1))

    @scalar_op
    def __rsub__(self, b):
        return Dual.of(b) - self

    @scalar_op
    def __mul__(self, b):
        b = Dual.of(b)
        return Dual(self.v * b.v, self._combine(b, b.v, self.v))

    __rmul__ = __mul__

    @scalar_op
    def __truediv__(self, b):
        b = Dual.of(b)
        inv = Fraction(1) / b.v  # never int / int: that would be a float
        return Dual(self.v * inv, self._combine(b, inv, -self.v * inv * inv))

    @scalar_op
    def __rtruediv__(self, b):
        return Dual.of(b) / self

    def __neg__(self):
        return Dual(-self.v, {k: -d for k, d in self.g.items()})

    def __pow__(self, k):
        if k == 0:
            return Dual(self.v ** 0)
        c = k * self.v ** (k - 1)
        return Dual(self.v ** k, {i: c * d for i, d in self.g.items()})


def smooth(f, df):
    """A non-algebraic scalar function on floats and float duals."""
    def apply(t):
        if isinstance(t, Dual):
            c = df(t.v)
            return Dual(f(t.v), {k: c * d for k, d in t.g.items()})
        return f(float(t))
    return apply


def _sigmoid(t):
    return 1 / (1 + math.exp(-t))


BUILTINS = {
    "tanh": smooth(math.tanh, lambda t: 1 - math.tanh(t) ** 2),
    "sigmoid": smooth(_sigmoid, lambda t: _sigmoid(t) * (1 - _sigmoid(t))),
    "relu": smooth(lambda t: max(t, 0.0), lambda t: 1.0 if t > 0 else 0.0),
    "exp": smooth(math.exp, math.exp),
}


def elementwise(f, a):
    return np.array([f(v) for v in a.reshape(-1)], dtype=object).reshape(a.shape)


# ---------------------------------------------------------------- programs

def rational_text(q):
    q = Fraction(q)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


class Act:
    """A random activation: its .nag body and a Python function of t."""

    def __init__(self, rng, allow_nonalgebraic):
        kinds = ["poly", "poly", "rational"] + (["builtin"] if allow_nonalgebraic else [])
        kind = rng.choice(kinds)
        self.algebraic, self.degree = True, 1
        if kind == "poly":
            self.text, self.f, self.degree = self._poly(rng, rng.randint(1, 3))
        elif kind == "rational":
            nt, nf, nd = self._poly(rng, rng.randint(0, 2))
            # a denominator without real roots: c + t^2 with c > 0
            c = Fraction(rng.randint(1, 8), rng.choice([1, 2, 4]))
            self.text = f"({nt}) / ({rational_text(c)} + t^2)"
            self.f = lambda t: nf(t) / (c + t ** 2)
            self.degree = 2 + nd
        else:
            name = rng.choice(list(BUILTINS))
            g, c = BUILTINS[name], Fraction(rng.randint(1, 3), 2)
            form = rng.choice(["plain", "scaled", "sum"])
            if form == "plain":
                self.text, self.f = f"{name}(t)", g
            elif form == "scaled":
                self.text, self.f = f"{name}(t) * {rational_text(c)}", lambda t: g(t) * float(c)
            else:
                self.text, self.f = f"{name}(t) + t^2", lambda t: g(t) + t ** 2
            self.algebraic = False

    @staticmethod
    def _poly(rng, degree):
        terms = []
        for e in range(degree, -1, -1):
            if e == degree or rng.random() < 0.5:
                c = Fraction(rng.randint(-4, 4) or 1, rng.choice([1, 2, 3, 4]))
                terms.append((c, e))
        parts = []
        for c, e in terms:
            body = rational_text(abs(c)) + ("" if e == 0 else " * t" if e == 1 else f" * t^{e}")
            parts.append(("- " if c < 0 else "+ ") + body)
        text = " ".join(parts)
        text = text[2:] if text.startswith("+ ") else "-" + text[2:]

        def f(t):
            acc = 0
            for c, e in terms:
                acc = acc + (c if e == 0 else c * t ** e)
            return acc
        return text, f, max(degree, 0)


class Params:
    """Consecutive parameter tensors out of theta, row-major, in declaration order."""

    def __init__(self, theta):
        self.theta, self.at = theta, 0

    def take(self, *shape):
        n = int(np.prod(shape))
        t = np.array(self.theta[self.at:self.at + n], dtype=object).reshape(shape)
        self.at += n
        return t


def dense(p, h, m, bias):  # nn.dense: W then b
    W = p.take(m, len(h))
    y = W.dot(h)
    return y + p.take(m) if bias else y


def conv1d(w, x, s):
    k, n = len(w), len(x)
    return np.array([sum((w[j] * x[i * s + j] for j in range(k)), 0) for i in range((n - k) // s + 1)], dtype=object)


class Program:
    """A random program: its .nag text, its -D overrides, and evaluate(theta, x)."""

    def __init__(self, rng):
        self.rng = rng
        self.decls, self.args, self.lines, self.overrides = [], [], [], []
        self.steps = []            # functions (params, env) -> None over the value "h"
        self.algebraic = True
        self.degree = 1
        self.counter = 0
        self.uses_nn = False
        self.build()

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def activation(self, applied=True):
        a = Act(self.rng, allow_nonalgebraic=self.rng.random() < 0.3)
        name = self.fresh("act")
        self.decls.append(f"act {name}(t) = {a.text};")
        self.algebraic = self.algebraic and (a.algebraic or not applied)
        return name, a

    def arg(self, name, typ, default, value):
        self.args.append(f"{name}: {typ} = {default}")
        if value != default:
            self.overrides += ["-D", f"{name}={value}".replace(" ", "")]

    # -- blocks: each maps the current vector h (length n) to a new one
    def block_mlp(self, n):
        rng = self.rng
        depth = rng.randint(1, 3)
        widths = [rng.randint(1, 4) for _ in range(depth)]
        default = [rng.randint(1, 4) for _ in range(depth)]
        name, bias = self.fresh("d"), rng.random() < 0.5
        self.arg(name, "[int]", str(default), str(widths))
        self.uses_nn = True
        use_power = rng.random() < 0.4 and self.degree < 4
        if use_power:
            r = self.fresh("r")
            value = rng.randint(1, 3)
            self.arg(r, "int", str(rng.randint(1, 3)), str(value))
            act_text, act_f, deg = f"h ^ {r}", (lambda t, k=value: t ** k), value
        else:
            aname, a = self.activation(applied=depth > 1)
            act_text, act_f, deg = f"{aname}(h)", a.f, a.degree
        self.lines += [f"  for l in 0 .. len({name}) {{",
                       f"    h = nn.dense(h, {name}[l], bias: {str(bias).lower()});",
                       f"    if l < len({name}) - 1 {{ h = {act_text}; }}",
                       "  }"]
        self.degree *= deg ** (depth - 1)

        def step(p, env):
            for l, m in enumerate(widths):
                env["h"] = dense(p, env["h"], m, bias)
                if l < len(widths) - 1:
                    env["h"] = elementwise(act_f, env["h"])
        self.steps.append(step)
        return widths[-1]

    def block_layer(self, n):
        rng = self.rng
        name, (aname, a) = self.fresh("blk"), self.activation()
        const, cval = self.fresh("C"), Fraction(rng.randint(-5, 5), rng.choice([1, 2, 4]))
        self.decls.append(f"const {const} = {rational_text(cval) if cval >= 0 else '-' + rational_text(-cval)};")
        self.decls.append(f"layer {name}(x: R[n], m: int, gate: bool = false) {{\n"
                          f"  param W : R[m, n];\n  let y = {aname}(W @ x);\n"
                          f"  if gate {{\n    param g : R[m];\n    y = y * g + {const};\n  }}\n  return y;\n}}")
        m, gate = rng.randint(1, 4), rng.random() < 0.5
        self.lines.append(f"  h = {name}(h, {m}, gate: {str(gate).lower()});")
        self.degree *= a.degree

        def step(p, env):
            y = elementwise(a.f, p.take(m, len(env["h"])).dot(env["h"]))
            env["h"] = y * p.take(m) + cval if gate else y
        self.steps.append(step)
        return m

    def block_conv(self, n):
        rng = self.rng
        k, s = rng.randint(1, min(3, n)), rng.randint(1, 2)
        w = self.fresh("w")
        self.lines += [f"  param {w} : R[{k}];", f"  h = conv1d({w}, h, stride: {s});"]

        def step(p, env):
            env["h"] = conv1d(p.take(k), env["h"], s)
        self.steps.append(step)
        return (n - k) // s + 1

    def block_residual(self, n):
        aname, a = self.activation()
        bias = self.rng.random() < 0.5
        self.uses_nn = True
        self.lines.append(f"  h = h + {aname}(nn.dense(h, {n}, bias: {str(bias).lower()}));")
        self.degree *= a.degree

        def step(p, env):
            env["h"] = env["h"] + elementwise(a.f, dense(p, env["h"], n, bias))
        self.steps.append(step)
        return n

    def block_concat(self, n):
        m1, m2, i = self.rng.randint(1, 3), self.rng.randint(1, 3), self.rng.randrange(n)
        self.uses_nn = True
        self.lines.append(f"  h = concat(nn.dense(h, {m1}, bias: false), nn.dense(h, {m2}) * h[{i}]);")
        self.degree *= 2

        def step(p, env):
            h = env["h"]
            left = dense(p, h, m1, False)
            env["h"] = np.concatenate([left, dense(p, h, m2, True) * h[i]])
        self.steps.append(step)
        return m1 + m2

    def block_shared(self, n):
        S = self.fresh("S")
        self.lines += [f"  param {S} : R[{n}, {n}];", f"  h = {S} @ ({S} @ h) - h;"]

        def step(p, env):
            W = p.take(n, n)
            env["h"] = W.dot(W.dot(env["h"])) - env["h"]
        self.steps.append(step)
        return n

    def block_conv2d(self, n):
        """h reshaped to an r x c image (or c channels), a 2-D or multi-channel convolution, flattened again."""
        rng = self.rng
        shapes = [(r, n // r) for r in range(2, n) if n % r == 0 and n // r >= 2]
        if not shapes:
            return self.block_shared(n)
        r, c = rng.choice(shapes)
        w, s = self.fresh("w"), rng.randint(1, 2)
        if rng.random() < 0.5:  # conv2d on an r x c image, optionally with output channels
            kh, kw, cout = rng.randint(1, r), rng.randint(1, c), rng.choice([0, 1, 2])
            shape = f"{cout}, 1, {kh}, {kw}" if cout else f"{kh}, {kw}"
            image = f"reshape(h, [1, {r}, {c}])" if cout else f"reshape(h, [{r}, {c}])"
            oh, ow = (r - kh) // s + 1, (c - kw) // s + 1
            out = max(cout, 1) * oh * ow
            self.lines += [f"  param {w} : R[{shape}];", f"  h = reshape(conv2d({w}, {image}, stride: {s}), [{out}]);"]

            def step(p, env):
                W = p.take(*[int(v) for v in shape.split(", ")]).reshape(max(cout, 1), 1, kh, kw)
                X = env["h"].reshape(r, c)
                env["h"] = np.array([sum((W[o, 0, a, b] * X[i * s + a, j * s + b] for a in range(kh) for b in range(kw)), 0)
                                     for o in range(max(cout, 1)) for i in range(oh) for j in range(ow)], dtype=object)
        else:  # conv1d over r channels of length c
            k, cout = rng.randint(1, c), rng.randint(1, 2)
            on = (c - k) // s + 1
            out = cout * on
            self.lines += [f"  param {w} : R[{cout}, {r}, {k}];",
                           f"  h = reshape(conv1d({w}, reshape(h, [{r}, {c}]), stride: {s}), [{out}]);"]

            def step(p, env):
                W = p.take(cout, r, k)
                X = env["h"].reshape(r, c)
                env["h"] = np.array([sum((W[o, i, t] * X[i, j * s + t] for i in range(r) for t in range(k)), 0)
                                     for o in range(cout) for j in range(on)], dtype=object)
        self.steps.append(step)
        return out

    def block_stdlib(self, n):
        """nn.pmlp with per-layer degrees and biases, or nn.poly."""
        rng = self.rng
        self.uses_nn = True
        if rng.random() < 0.5:
            coeffs = [Fraction(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(rng.randint(1, 3))]
            text = "[" + ", ".join(rational_text(c) if c >= 0 else "-" + rational_text(-c) for c in coeffs) + "]"
            self.lines.append(f"  h = nn.poly(h, {text});")
            self.degree *= max(1, len(coeffs) - 1)

            def step(p, env):
                h = env["h"]
                env["h"] = np.array([coeffs[0] + sum((c * v ** i for i, c in enumerate(coeffs) if i > 0 and c != 0), 0)
                                     for v in h], dtype=object)
            self.steps.append(step)
            return n
        depth = rng.randint(1, 3)
        widths = [rng.randint(1, 3) for _ in range(depth)]
        degrees = [rng.randint(1, 2) for _ in range(depth - 1)]
        biases = [rng.random() < 0.5 for _ in range(depth)] if rng.random() < 0.5 else []
        btext = ", biases: [" + ", ".join(str(b).lower() for b in biases) + "]" if biases else ""
        self.lines.append(f"  h = nn.pmlp(h, {widths}, {degrees}{btext});")
        for r in degrees:
            self.degree *= r

        def step(p, env):
            for l, m in enumerate(widths):
                env["h"] = dense(p, env["h"], m, biases[l] if biases else False)
                if l < len(widths) - 1:
                    env["h"] = env["h"] ** degrees[l]
        self.steps.append(step)
        return widths[-1]

    def block_mix(self, n):
        rng = self.rng
        i = rng.randrange(n)
        c = Fraction(rng.randint(1, 5), rng.choice([1, 3, 4]))
        forms = [
            ("h * sum(h)", lambda h: h * sum(h, 0), 2, n),
            ("h * dot(h, h) / 4", lambda h: h * h.dot(h) / 4, 3, n),
            ("outer(h, h) @ h", lambda h: np.outer(h, h).dot(h), 3, n),
            (f"transpose(outer(h, h)) @ h - {rational_text(c)} * h", lambda h: np.outer(h, h).T.dot(h) - c * h, 3, n),
            ("h / (1 + h * h)", lambda h: h / (1 + h * h), 3, n),
            (f"-h + {rational_text(c)}", lambda h: -h + c, 1, n),
            (f"h[{i}] * h", lambda h: h[i] * h, 2, n),
            (f"concat(h, h ^ 2)", lambda h: np.concatenate([h, h ** 2]), 2, 2 * n),
        ]
        text, f, deg, out = rng.choice(forms)
        if "/" in text and "(" in text.split("/")[1]:
            self.degree *= 1  # rational: its degree is not a polynomial degree
        self.degree *= deg
        self.lines.append(f"  h = {text};")

        def step(p, env):
            env["h"] = f(env["h"])
        self.steps.append(step)
        return out

    def build(self):
        rng = self.rng
        if rng.random() < 0.12:
            return self.build_attention()
        n = rng.randint(1, 4)
        self.input_size = n
        self.lines.append(f"  input x : R[{n}];")
        self.lines.append("  let h = x;")
        blocks = [self.block_mlp, self.block_mlp, self.block_layer, self.block_conv, self.block_residual,
                  self.block_concat, self.block_shared, self.block_mix, self.block_conv2d, self.block_stdlib]
        for _ in range(rng.randint(1, 4)):
            choices = [b for b in blocks if b != self.block_conv or n >= 2]
            if self.degree >= 9:  # keep the exact arithmetic and the float comparison reasonable
                choices = [self.block_conv, self.block_shared] if n >= 2 else [self.block_shared]
            n = rng.choice(choices)(n)
        if rng.random() < 0.7:
            o, bias = rng.randint(1, 3), rng.random() < 0.5
            self.uses_nn = True
            self.lines.append(f"  output nn.dense(h, {o}, bias: {str(bias).lower()});")

            def step(p, env):
                env["h"] = dense(p, env["h"], o, bias)
            self.steps.append(step)
        else:
            self.lines.append("  output h;")

    def build_attention(self):
        rng = self.rng
        d, t, a, dv = rng.randint(1, 3), rng.randint(2, 3), rng.randint(1, 2), rng.randint(1, 3)
        self.input_size = d * t
        self.lines += [f"  input X : R[{d}, {t}];", f"  param Q : R[{a}, {d}];", f"  param K : R[{a}, {d}];",
                       f"  param V : R[{dv}, {d}];", "  let A = (V @ X) @ transpose(K @ X) @ (Q @ X);"]
        tail = rng.choice(["plain", "act", "mix"])
        if tail == "act":
            aname, act = self.activation()
            self.lines.append(f"  output {aname}(A);")
        elif tail == "mix":
            self.lines += [f"  param W : R[2, {dv}];", "  output W @ A + A[0, 1];"]
        else:
            self.lines.append("  output A;")

        def step(p, env):
            Q, K, V = p.take(a, d), p.take(a, d), p.take(dv, d)
            X = env["h"].reshape(d, t)
            A = V.dot(X).dot(K.dot(X).T).dot(Q.dot(X))
            if tail == "act":
                A = elementwise(act.f, A)
            elif tail == "mix":
                A = p.take(2, dv).dot(A) + A[0, 1]
            env["h"] = A.reshape(-1)
        self.steps.append(step)

    def source(self):
        head = ("import nn;\n" if self.uses_nn else "") + "\n".join(self.decls)
        sig = ", ".join(self.args)
        return f"{head}\nnetwork rnd({sig}) {{\n" + "\n".join(self.lines) + "\n}\n"

    def evaluate(self, theta, x):
        p = Params(theta)
        env = {"h": np.array(x, dtype=object)}
        for step in self.steps:
            step(p, env)
        assert p.at == len(theta), f"the evaluator used {p.at} of {len(theta)} parameters"
        return env["h"].reshape(-1)


# ---------------------------------------------------------------- checks

def dyadic(rng, n):
    """n points exactly representable as doubles: k / 256 in [-1, 1]."""
    return [Fraction(int(k), 256) for k in rng.integers(-256, 257, n)]


def close(got, want, tol):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    scale = max(1.0, float(np.max(np.abs(want))) if want.size else 1.0)
    err = float(np.max(np.abs(got - want))) / scale if want.size else 0.0
    return err <= tol and np.all(np.isfinite(got)), err


def exact_jacobian(prog, theta, x, wrt):
    """Forward mode with duals: rows = outputs, columns = variables of wrt."""
    if wrt == "theta":
        th = [Dual(v, {i: 1}) for i, v in enumerate(theta)]
        y = prog.evaluate(th, x)
        n = len(theta)
    else:
        xs = [Dual(v, {i: 1}) for i, v in enumerate(x)]
        y = prog.evaluate(theta, xs)
        n = len(x)
    zero = theta[0] * 0 if theta else 0
    return [[Dual.of(yi).g.get(j, zero) for j in range(n)] for yi in y], [Dual.of(yi).v for yi in y]


class Mismatch(Exception):
    pass


def check_program(prog, lib_path, rng):
    m = nagc.Model(lib_path)
    P, I, O = m.P, m.input_size, m.output_size
    if I != prog.input_size:
        raise Mismatch(f"input size {I}, expected {prog.input_size}")
    exact = m.algebraic_class in ("polynomial", "rational")
    if exact != prog.algebraic:
        raise Mismatch(f"algebraic class {m.algebraic_class}, the generator made {'an algebraic' if prog.algebraic else 'a non-algebraic'} program")
    num = (lambda q: q) if exact else float
    tol = 1e-9

    # eval: 37 samples
    # Algebraic programs at dyadic points (exact as doubles, for the exact
    # comparison); the others at continuous random points, where relu's kink
    # is never hit exactly (a dyadic 0 weight put it exactly at 0, where
    # finite differences see a jump the a.e. derivative does not have).
    draw = dyadic if exact else (lambda g, n: [float(v) for v in g.uniform(-1, 1, n)])
    theta = draw(rng, P)
    X = [draw(rng, I) for _ in range(37)]
    try:
        want = [prog.evaluate([num(v) for v in theta], [num(v) for v in x]) for x in X]
    except ZeroDivisionError:
        return "skipped (a denominator vanished at the point)"
    if len(want[0]) != O:
        raise Mismatch(f"output size {O}, the evaluator gives {len(want[0])}")
    th = np.array(theta, dtype=float)
    Xf = np.array(X, dtype=float).reshape(37, I)
    got = m.eval(th, Xf)
    ok, err = close(got, np.array(want, dtype=object).astype(float), tol)
    if not ok:
        raise Mismatch(f"eval differs from the {'exact' if exact else 'float64'} evaluation by {err:.3g}")

    # Jacobians: 3 samples
    wrts = [w for w, n in (("theta", P), ("x", I)) if n > 0]
    for s in range(3):
        tq, xq = [num(v) for v in theta], [num(v) for v in X[s]]
        for wrt in wrts:
            J, _ = exact_jacobian(prog, tq, xq, wrt)
            got = m.jac(th, Xf[s:s + 1], wrt=wrt)[0]
            ok, err = close(got, np.array(J, dtype=object).astype(float).reshape(got.shape), tol)
            if not ok:
                raise Mismatch(f"jac_{wrt} (sample {s}) differs from exact forward mode by {err:.3g}")

    # Hessians against finite differences of the compiled Jacobian; products against J and H
    x0 = Xf[0:1]
    k = int(rng.integers(0, O))
    for wrt, n in (("theta", P), ("x", I)):
        if n == 0:
            continue
        H = m.hess(th, x0, wrt=wrt, output=k)[0]
        cols = []
        for i in range(n):
            up_t, dn_t, up_x, dn_x = th.copy(), th.copy(), x0.copy(), x0.copy()
            if wrt == "theta":
                up_t[i] += 1e-6
                dn_t[i] -= 1e-6
            else:
                up_x[0, i] += 1e-6
                dn_x[0, i] -= 1e-6
            cols.append((m.jac(up_t, up_x, wrt=wrt)[0][k] - m.jac(dn_t, dn_x, wrt=wrt)[0][k]) / 2e-6)
        ok, err = close(H, np.array(cols).T, 1e-6)
        if not ok:
            raise Mismatch(f"hess_{wrt} differs from finite differences of jac_{wrt} by {err:.3g}")
        v = rng.uniform(-1, 1, n)
        u = rng.uniform(-1, 1, O)
        J = m.jac(th, x0, wrt=wrt)[0]
        for what, got, want in (("jvp", m.jvp(th, x0, v, wrt=wrt)[0], J @ v),
                                ("vjp", m.vjp(th, x0, u, wrt=wrt)[0], u @ J),
                                ("hvp", m.hvp(th, x0, v, wrt=wrt, output=k)[0], H @ v)):
            ok, err = close(got, want, 1e-9)
            if not ok:
                raise Mismatch(f"{what}_{wrt} differs from the product with the compiled matrix by {err:.3g}")

    if exact:
        check_modular(prog, m, rng)
    return "ok"


def check_modular(prog, m, rng):
    lib = m._lib
    if not m._m.eval_mod or (m.P > 0 and not m._m.jac_theta_mod):
        raise Mismatch("an algebraic program without modular functions")
    for ev_fn, jac_fn in ((m._m.eval_mod, m._m.jac_theta_mod), (m._m.eval_mod32, m._m.jac_theta_mod32)):
        check_modular_kernels(prog, m, rng, lib, ev_fn, jac_fn)


def check_modular_kernels(prog, m, rng, lib, ev_fn, jac_fn):
    modulus = (ctypes.c_uint64 * 7)()  # struct nag_modulus (ABI 5)
    lib.nagrt_modulus_init.argtypes = [ctypes.c_void_p, ctypes.c_uint64]
    if lib.nagrt_modulus_init(ctypes.addressof(modulus), PRIME) != 0:
        raise Mismatch("nagrt_modulus_init refused 2^31 - 1")
    P, I, O = m.P, m.input_size, m.output_size
    batch = 5
    theta = [int(v) for v in rng.integers(0, PRIME, P, dtype=np.int64)]
    X = [[int(v) for v in rng.integers(0, PRIME, I, dtype=np.int64)] for _ in range(batch)]
    u64 = lambda vals: (ctypes.c_uint64 * max(1, len(vals)))(*vals)
    ev = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p)(
        ev_fn)
    jac = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                           ctypes.c_int64, ctypes.c_void_p)(jac_fn or 0)
    th_buf, x_buf = u64(theta), u64([v for x in X for v in x])
    y = (ctypes.c_uint64 * (batch * O))()
    ev(ctypes.addressof(th_buf), ctypes.addressof(x_buf), ctypes.addressof(y), batch, ctypes.addressof(modulus))
    Jbuf = (ctypes.c_uint64 * max(1, batch * O * P))()
    if P > 0:
        jac(ctypes.addressof(th_buf), ctypes.addressof(x_buf), None, None, ctypes.addressof(Jbuf), batch,
            ctypes.addressof(modulus))
    if modulus[4] != 0:
        return  # a denominator vanished mod p (the programs say so and redraw); nothing to compare
    tg = [GF(v) for v in theta]
    for s in range(batch):
        try:
            J, vals = exact_jacobian(prog, tg, [GF(v) for v in X[s]], "theta")
        except ZeroDivisionError:
            continue
        want = [GF.of(v).v for v in vals]
        got = list(y[s * O:(s + 1) * O])
        if got != want:
            raise Mismatch(f"eval_mod (sample {s}) gives {got}, GF(p) evaluation {want}")
        wantJ = [GF.of(d).v for row in J for d in row]
        gotJ = list(Jbuf[s * O * P:(s + 1) * O * P])
        if gotJ != wantJ:
            bad = next(i for i in range(len(gotJ)) if gotJ[i] != wantJ[i])
            raise Mismatch(f"jac_theta_mod (sample {s}) differs from GF(p) forward mode at entry {bad}")


# ---------------------------------------------------------------- driver

def run_one(args):
    nagc_bin, work, seed, index, keep, stdlib = args
    rng = random.Random(f"{seed}/{index}")
    prog = Program(rng)
    src = prog.source()
    opt = rng.choice(["-O0", "-O0", "-O1", "-O2"])
    lanes = rng.choice(["32", "32", "8", "4"])
    d = os.path.join(work, f"p{index}")
    os.makedirs(d, exist_ok=True)
    path, lib = os.path.join(d, "rnd.nag"), os.path.join(d, "librnd.so")
    with open(path, "w") as f:
        f.write(src)
    cmd = [nagc_bin, path, "--emit=lib", "-o", lib, opt, "--lanes", lanes, "--no-cache"] + prog.overrides
    if stdlib:
        cmd += ["--stdlib-path", stdlib]
    r = subprocess.run(cmd, capture_output=True, text=True)
    status, detail = "ok", ""
    if r.returncode != 0:
        status, detail = "mismatch", f"nagc refused a well-typed program (exit {r.returncode}):\n{r.stderr}"
    else:
        try:
            result = check_program(prog, lib, np.random.default_rng([seed, index]))
            if result != "ok":
                status = "skipped"
        except Mismatch as e:
            status, detail = "mismatch", str(e)
        except Exception:  # noqa: BLE001  (a fault of the library or of this script: reported, the run goes on)
            status, detail = "mismatch", "the check raised:\n" + traceback.format_exc()
    if status == "mismatch":
        fail = os.path.join(work, "failures")
        os.makedirs(fail, exist_ok=True)
        with open(os.path.join(fail, f"p{index}.nag"), "w") as f:
            f.write(f"// {' '.join(cmd[2:])}\n// {detail.splitlines()[0] if detail else ''}\n{src}")
    if not keep:
        shutil.rmtree(d, ignore_errors=True)
    return index, status, detail, " ".join(["nagc", "rnd.nag"] + cmd[3:]), src


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nagc")
    ap.add_argument("work")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--only", type=int, default=None, help="run program ONLY alone (and keep its files)")
    ap.add_argument("--start", type=int, default=0, help="run programs START .. COUNT-1 (to resume a long run)")
    ap.add_argument("--keep", action="store_true", help="keep every program's files")
    ap.add_argument("--print", action="store_true", help="print each program's source")
    ap.add_argument("--stdlib", default=None, help="compile with --stdlib-path STDLIB (a snapshot for long runs)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    indices = [a.only] if a.only is not None else range(a.start, a.count)
    keep = a.keep or a.only is not None
    stdlib = os.path.abspath(a.stdlib) if a.stdlib else None
    jobs = [(os.path.abspath(a.nagc), os.path.abspath(a.work), a.seed, i, keep, stdlib) for i in indices]
    counts = {"ok": 0, "skipped": 0, "mismatch": 0}
    with multiprocessing.Pool(a.jobs) as pool:
        for index, status, detail, cmd, src in pool.imap_unordered(run_one, jobs):
            counts[status] += 1
            if a.print:
                print(f"program {index}: {status}\n{src}")
            if status == "mismatch":
                print(f"program {index}: {detail}\n  ({cmd}; reproduce with --seed {a.seed} --only {index})",
                      flush=True)
    total = sum(counts.values())
    print(f"differential: {total} programs, {counts['mismatch']} mismatches"
          f" ({counts['skipped']} skipped where a denominator vanished)")
    return 1 if counts["mismatch"] else 0


if __name__ == "__main__":
    sys.exit(main())
