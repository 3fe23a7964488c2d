"""random_networks.py NAGC WORKDIR COUNT SEED — property test of compiled derivatives.

Generates COUNT random well-typed .nag networks (depths, widths, polynomial,
rational and non-algebraic activations, dense layers with and without bias,
strided convolutions, attention products, residual connections, branches
joined by concat, shared weights, sums, dots, outer products, indexing),
compiles each as a shared library, and checks at random points that
jac and hess in theta and in x agree with central finite differences of the
compiled eval and Jacobian (fdcheck.py; relative error <= 1e-6 of max(1, |J|)).
Prints one line per network and a summary; exits 1 on any mismatch.
"""
import os
import random
import subprocess
import sys

import numpy as np

from fdcheck import check  # jac/hess in theta and x against finite differences

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
        r = subprocess.run([NAGC, path, "--emit=lib", "-o", lib], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"network {i}: nagc failed:\n{r.stderr}\n{src}")
            failures += 1
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
