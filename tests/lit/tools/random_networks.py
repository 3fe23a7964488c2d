"""random_networks.py NAGC WORKDIR COUNT SEED — property test of compiled derivatives.

Generates COUNT random well-typed .nag networks (depths, widths, polynomial,
rational and non-algebraic activations, dense layers with and without bias,
strided convolutions, attention products, residual connections, branches
joined by concat, shared weights, sums, dots, outer products, indexing),
compiles each as a shared library, and checks at random points that
jac --wrt theta, jac --wrt x and the Hessian in x agree with central finite
differences of the compiled eval (relative error <= 1e-6 of max(1, |J|)).
Prints one line per network and a summary; exits 1 on any mismatch.
"""
import ctypes
import json
import os
import random
import subprocess
import sys

import numpy as np

NAGC, WORK, COUNT, SEED = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

ACTS = ["t^2", "t^3", "t^3 - t", "t^2 + t / 2", "(t^2 + 1) / (t^2 + 2)", "tanh(t)", "sigmoid(t)", "t / (1 + t^2)"]


class Net:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.acts = []
        self.params = 0
        self.k = 0

    def fresh(self, prefix):
        self.k += 1
        return f"{prefix}{self.k}"

    def act(self):
        a = self.rng.choice(ACTS)
        name = self.fresh("a")
        self.acts.append(f"act {name}(t) = {a};")
        return name

    def dense(self, h, n, m, bias):
        W = self.fresh("W")
        self.lines.append(f"  param {W} : R[{m}, {n}];")
        out = f"{W} @ {h}"
        if bias:
            b = self.fresh("b")
            self.lines.append(f"  param {b} : R[{m}];")
            out = f"({out} + {b})"
        return out

    def build(self):
        rng = self.rng
        d0 = rng.randint(1, 5)
        self.lines.append(f"  input x : R[{d0}];")
        h, n = "x", d0
        kind = rng.choice(["mlp", "mlp", "conv", "attention", "residual", "branches", "shared"])
        if kind == "conv":
            n = rng.randint(6, 10)
            self.lines[0] = f"  input x : R[{n}];"
            k1, s1 = rng.randint(1, 3), rng.randint(1, 2)
            w1, w2 = self.fresh("w"), self.fresh("w")
            self.lines.append(f"  param {w1} : R[{k1}];")
            n1 = (n - k1) // s1 + 1
            k2 = rng.randint(1, min(3, n1))
            self.lines.append(f"  param {w2} : R[{k2}];")
            a = self.act()
            self.lines.append(f"  let c = conv1d({w2}, {a}(conv1d({w1}, x, stride: {s1})));")
            return "c"
        if kind == "attention":
            d, t, a = rng.randint(1, 3), rng.randint(2, 3), rng.randint(1, 2)
            self.lines[0] = f"  input X : R[{d}, {t}];"
            for P, shape in [("Q", f"{a}, {d}"), ("K", f"{a}, {d}"), ("V", f"{d}, {d}")]:
                self.lines.append(f"  param {P} : R[{shape}];")
            return "(V @ X) @ transpose(K @ X) @ (Q @ X)"
        depth = rng.randint(1, 3)
        for l in range(depth):
            m = rng.randint(1, 5)
            if kind == "residual" and l > 0:
                self.lines.append(f"  let r{l} = {h} + {self.act()}({self.dense(h, n, n, rng.random() < 0.5)});")
                h = f"r{l}"
                continue
            z = self.dense(h, n, m, rng.random() < 0.5)
            self.lines.append(f"  let h{l} = {self.act()}({z});")
            h, n = f"h{l}", m
        if kind == "branches":
            m = rng.randint(1, 3)
            self.lines.append(f"  let u = concat({self.dense(h, n, m, False)}, {self.dense(h, n, m, True)} * {h}[0]);")
            h, n = "u", 2 * m
        if kind == "shared":
            W = self.fresh("S")
            self.lines.append(f"  param {W} : R[{n}, {n}];")
            self.lines.append(f"  let s = {W} @ ({W} @ {h}) + outer({h}, {h})[0] * dot({h}, {h}) + sum({h});")
            h = "s"
        return self.dense(h, n, rng.randint(1, 3), rng.random() < 0.5)

    def source(self):
        out = self.build()
        body = "\n".join(self.lines)
        return "\n".join(self.acts) + f"\nnetwork rnd() {{\n{body}\n  output {out};\n}}\n"


def check(lib_path, rng):
    lib = ctypes.CDLL(lib_path)
    info = subprocess.run([lib_path.replace(".so", ""), "info", "--json"], capture_output=True, text=True)
    j = json.loads(info.stdout)
    P, I, O = j["P"], j["input_size"], j["output"]["size"]
    dbl = ctypes.POINTER(ctypes.c_double)
    ev = lib.nag_rnd_eval
    ev.argtypes = [dbl, dbl, dbl, ctypes.c_int64]
    fn = lambda name: getattr(lib, "nag_rnd_" + name)
    for name in ["jac_theta", "jac_x", "hess_x"]:
        fn(name).argtypes = [dbl, dbl, dbl, dbl, dbl, ctypes.c_int64]
    p = lambda a: a.ctypes.data_as(dbl)
    theta = rng.uniform(-0.8, 0.8, P)
    x = rng.uniform(-0.8, 0.8, I)

    def f(t, xx):
        y = np.empty(O)
        ev(p(np.ascontiguousarray(t)), p(np.ascontiguousarray(xx)), p(y), 1)
        return y

    def fd(wrt, h=1e-6):
        base = theta if wrt == "theta" else x
        cols = []
        for i in range(len(base)):
            up, dn = base.copy(), base.copy()
            up[i] += h
            dn[i] -= h
            cols.append((f(up, x) - f(dn, x)) / (2 * h) if wrt == "theta" else (f(theta, up) - f(theta, dn)) / (2 * h))
        return np.array(cols).T

    worst = 0.0
    for wrt, n in [("theta", P), ("x", I)]:
        J = np.empty(O * n)
        fn("jac_" + wrt)(p(theta), p(x), None, None, p(J), 1)
        want = fd(wrt)
        err = np.max(np.abs(J.reshape(O, n) - want)) / max(1.0, np.max(np.abs(want)))
        worst = max(worst, err)
        if err > 1e-6:
            return f"jac_{wrt} differs from finite differences by {err:.2g}", worst
    # Hessian of output 0 in x: finite differences of the compiled gradient.
    w = np.zeros(O)
    w[0] = 1.0
    H = np.empty(I * I)
    fn("hess_x")(p(theta), p(x), p(w), None, p(H), 1)

    def grad0(xx):  # row 0 of the compiled Jacobian in x
        buf = np.empty(O * I)
        fn("jac_x")(p(theta), p(np.ascontiguousarray(xx)), None, None, p(buf), 1)
        return buf.reshape(O, I)[0]

    cols = []
    for i in range(I):
        up, dn = x.copy(), x.copy()
        up[i] += 1e-6
        dn[i] -= 1e-6
        cols.append((grad0(up) - grad0(dn)) / 2e-6)
    want = np.array(cols).T
    err = np.max(np.abs(H.reshape(I, I) - want)) / max(1.0, np.max(np.abs(want)))
    worst = max(worst, err)
    if err > 1e-6:
        return f"hess_x differs from finite differences by {err:.2g}", worst
    return None, worst


def main():
    os.makedirs(WORK, exist_ok=True)
    rng_py = random.Random(SEED)
    rng_np = np.random.default_rng(SEED)
    failures = 0
    for i in range(COUNT):
        src = Net(rng_py).source()
        path = os.path.join(WORK, f"rnd{i}.nag")
        open(path, "w").write(src)
        lib = os.path.join(WORK, f"librnd{i}.so")
        exe = os.path.join(WORK, f"librnd{i}")
        for cmd in ([NAGC, path, "--emit=lib", "-o", lib], [NAGC, path, "-o", exe]):
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                print(f"network {i}: nagc failed:\n{r.stderr}\n{src}")
                failures += 1
                break
        else:
            problem, worst = check(lib, rng_np)
            if problem:
                print(f"network {i}: {problem}\n{src}")
                failures += 1
            else:
                print(f"network {i}: ok (worst relative error {worst:.1g})")
    print(f"random networks: {COUNT - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
