"""check_linear_kernel.py MODEL DIM_JSON WIDTHS — the fibre directions `dim --kernel --json` reports
for a linear chain, checked with numpy against the float Jacobian and the GL tangents (issue 12).

DIM_JSON has "unexplained_fibre_dimension" and "kernel": {"float": [[P doubles], ...], "seed": S},
the vectors at theta = random:S. Checked:
  - each vector v is in the kernel of nagc's float Jacobian at theta (`MODEL jac --wrt theta
    --theta random:S --x random:7 --samples 40`): |J v| <= 1e-8 |J| |v|; and of the differential
    of (W_1, ..., W_L) -> W_L ... W_1 written here by hand;
  - the GL(d_l) tangents from span_ref.py (--theta-json, the same theta) are in that kernel too;
  - the Jacobian has the reference's rank (clear singular-value gap), so its kernel has dimension
    P - dimension; the reported vectors and the tangents together span all of it.
Prints one line per check; exits 1 on the first failure."""
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, "..", "..", "tools")
sys.path.insert(0, TOOLS)
import span_ref  # noqa: E402


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def svd_rank(M, gap=1e-8):
    s = np.linalg.svd(M, compute_uv=False)
    r = int(np.sum(s > gap * s[0]))
    nxt = s[r] / s[0] if r < len(s) else 0.0
    if r and s[r - 1] / s[0] < 1e-5:
        fail(f"no clear gap: singular values {s / s[0]}")
    if nxt > 1e-11:
        fail(f"no clear gap below rank {r}: next singular value {nxt:.1e}")
    return r


def main():
    model, dim_json, widths = sys.argv[1], sys.argv[2], span_ref.ints(sys.argv[3])
    with open(dim_json) as fh:
        d = json.load(fh)
    chain = span_ref.LinearChain(widths)
    P = chain.P
    ref = span_ref.analyse(chain, seed=1, want_span=False)
    if d.get("P") != P:
        fail(f"P: nagc {d.get('P')}, reference {P}")
    if d.get("dimension") != ref["dimension"]:
        fail(f"dimension: nagc {d.get('dimension')}, reference {ref['dimension']}")
    fibre = P - ref["dimension"]
    extra = fibre - ref["symmetry_dimension"]
    if d.get("unexplained_fibre_dimension") != extra:
        fail(f"unexplained_fibre_dimension: nagc {d.get('unexplained_fibre_dimension')}, "
             f"reference {fibre} - {ref['symmetry_dimension']} = {extra}")
    print(f"fibre {fibre} = symmetries {ref['symmetry_dimension']} + unexplained {extra}")

    K = np.array(d["kernel"]["float"], dtype=float)
    seed = int(d["kernel"]["seed"])
    if K.shape != (extra, P):
        fail(f"kernel shape {K.shape}, want {(extra, P)}")
    theta = np.array(span_ref.splitmix(seed, P))

    subprocess.run([model, "jac", "--wrt", "theta", "--theta", f"random:{seed}", "--x", "random:7",
                    "--samples", "40", "--out", "jac.npy"], check=True)
    J = np.load("jac.npy")
    J = J.reshape(-1, J.shape[-1])
    if J.shape[1] != P:
        fail(f"Jacobian has {J.shape[1]} columns, want P = {P}")
    nJ = np.linalg.norm(J, 2)
    Ws, at = [], 0
    for l in range(1, len(widths)):
        n = widths[l] * widths[l - 1]
        Ws.append(theta[at:at + n].reshape(widths[l], widths[l - 1]))
        at += n
    nW = max(np.linalg.norm(span_ref.differential_linear(Ws, e)) for e in np.eye(P))
    for i, v in enumerate(K):
        nv = np.linalg.norm(v)
        if nv == 0:
            fail(f"kernel vector {i} is zero")
        r1 = np.linalg.norm(J @ v) / (nJ * nv)
        r2 = np.linalg.norm(span_ref.differential_linear(Ws, v)) / (nW * nv)
        if r1 > 1e-8 or r2 > 1e-8:
            fail(f"kernel vector {i} is not in the kernel: |J v| / |J||v| = {r1:.1e}, by hand {r2:.1e}")
    print(f"{len(K)} reported vectors in the kernel of the float Jacobian")

    with open("theta.json", "w") as fh:
        json.dump(list(theta), fh)
    out = subprocess.run([sys.executable, os.path.join(TOOLS, "span_ref.py"), "linear-symmetry-tangents",
                          "--widths", sys.argv[3], "--theta-json", "theta.json"],
                         check=True, capture_output=True, text=True).stdout
    T = np.array(json.loads(out)["tangents"], dtype=float)
    for i, t in enumerate(T):
        if np.linalg.norm(J @ t) > 1e-8 * nJ * np.linalg.norm(t):
            fail(f"GL tangent {i} is not in nagc's kernel: the layouts differ")
    rT = svd_rank(T)
    print(f"{len(T)} GL tangents in the kernel, spanning {rT}")

    rJ = svd_rank(J)
    if rJ != ref["dimension"]:
        fail(f"float Jacobian rank {rJ}, reference dimension {ref['dimension']}")
    rAll = svd_rank(np.vstack([T, K]))
    print(f"Jacobian rank {rJ}, kernel {P - rJ}; tangents + reported vectors span {rAll}")
    if rAll != P - rJ:
        fail(f"tangents and reported vectors span {rAll}, the kernel has dimension {P - rJ}")
    print("kernel ok")


main()
