"""Model.degree, equations, fibre and singular against formulas of the literature.

usage: python_algebra.py PYTHON_DIR LIB_221_t6 LIB_321_t2
"""
import fractions
import itertools
import math
import random
import sys

sys.path.insert(0, sys.argv[1])
import nagc  # noqa: E402

failures = []


def check(what, ok):
    if not ok:
        failures.append(what)


# (2,2,1) with t^6: the secant variety of the rational normal curve of degree 6,
# sigma_2(nu_6(P^1)), of degree C(r-k+1, k) = C(5, 2) = 10 (classical).
m = nagc.Model(sys.argv[2])
expected = math.comb(6 - 2 + 1, 2)
r = m.degree()
check("degree auto %r" % r["degree"], r["degree"] == expected and r["lower_bound"] is False)
check("degree auto method %r" % r["method"], r["method"] == "interpolation and monodromy")
check("degree auto evidence", r["evidence"]["agree"] and r["evidence"]["monodromy"]["complete"])
r = m.degree(method="interpolation", seed=5)
check("degree interpolation %r" % r["degree"], r["degree"] == expected and r["method"] == "projection + interpolation")
check("degree interpolation seeds", [run["seed"] for run in r["evidence"]["runs"]] == [5, 6])
try:
    m.degree(method="bogus")
    check("degree(method='bogus') raised", False)
except RuntimeError as e:
    check("degree(method='bogus') says why: %s" % e, "--method expects interpolation, monodromy or auto" in str(e))

# (3,2,1) with t^2: f = x^T S x with S symmetric of rank <= 2, the symmetric
# determinantal hypersurface det S = 0 of Sym^2(C^3): one cubic, dimension
# kn - C(k,2) = 5 (classical).
m = nagc.Model(sys.argv[3])
e = m.equations()
check("count_by_degree %r" % e["count_by_degree"], e["count_by_degree"] == {"1": 0, "2": 0, "3": 1})
check("verified", e["verified"] is True and e["fills"] is False and e["zero_coordinates"] == [])
(cubic,) = e["equations"]
check("cubic degree", cubic["degree"] == 3)


def coefficients(S):
    """The coefficients c_0_a1_a2_a3 of x^T S x: c_ii = S_ii, c_ij = 2 S_ij."""
    c = {}
    for i, j in itertools.combinations_with_replacement(range(3), 2):
        a = [0, 0, 0]
        a[i] += 1
        a[j] += 1
        c["c_0_%d_%d_%d" % tuple(a)] = S[i][j] * (1 if i == j else 2)
    return c


def value(equation, c):
    total = 0
    for coeff, monomial in equation["terms"]:
        term = int(coeff)
        for factor in monomial.split("*"):
            name, _, power = factor.partition("^")
            term *= c[name] ** int(power or 1)
        total += term
    return total


rng = random.Random(7)
ratios = []
for trial in range(5):
    # Rank 2: S = u u^T + v v^T with integer vectors: the cubic vanishes.
    u, v = [[rng.randint(-9, 9) for _ in range(3)] for _ in range(2)]
    S = [[u[i] * u[j] + v[i] * v[j] for j in range(3)] for i in range(3)]
    check("cubic vanishes at rank 2", value(cubic, coefficients(S)) == 0)
    # A random symmetric T: the cubic is a multiple of det T, the same at every T.
    T = [[0] * 3 for _ in range(3)]
    for i, j in itertools.combinations_with_replacement(range(3), 2):
        T[i][j] = T[j][i] = rng.randint(-9, 9)
    det = (T[0][0] * (T[1][1] * T[2][2] - T[1][2] ** 2) - T[0][1] * (T[0][1] * T[2][2] - T[1][2] * T[0][2])
           + T[0][2] * (T[0][1] * T[1][2] - T[1][1] * T[0][2]))
    if det:
        ratios.append(fractions.Fraction(value(cubic, coefficients(T)), det))
check("cubic is a nonzero multiple of det S: %r" % ratios, len(ratios) >= 3 and len(set(ratios)) == 1 and ratios[0] != 0)
# Generic fibre: P = 8, dimension 5, fibre 3: the rescaling of the 2 hidden
# neurons (2) and one direction more, the orthogonal group O(2) of the t^2
# layer (dimension C(k,2) = 1) that no rescaling explains.
f = m.fibre(count=False)
check("fibre %r" % {k: f[k] for k in ("P", "dimension", "fibre_dimension", "symmetry_dimension", "unexplained_fibre_dimension")},
      (f["P"], f["dimension"], f["fibre_dimension"], f["symmetry_dimension"], f["unexplained_fibre_dimension"])
      == (8, 3 * 2 - math.comb(2, 2), 3, 2, math.comb(2, 2)))
# A subnetwork point (the second neuron's outgoing weight 0): f_T = (w.x)^2 has
# rank 1, which lies in Sing V = {rank S <= 1} (FRONTIER.md section 4).
T = [1, 2, 3, 4, 5, 7, 1, 0]
s = m.singular(at=T)
check("singular at a subnetwork: %r (%s)" % (s["verdict"], s["reason"]), s["verdict"] == "singular")
f = m.fibre(at=T, count=False)
check("fibre at T has rank", f["at"]["rank_at_point"] < 5)
# A point where S has rank 2 is smooth on det S = 0 (the gradient adj S is
# nonzero there): the Jacobian criterion with the cubic decides it, and
# without equations (equations=False) nothing does.
G = [1, 2, 3, 4, 5, -6, 7, -2]
s = m.singular(at=G)
check("singular at a rank-2 point: %r (%s)" % (s["verdict"], s["reason"]),
      s["verdict"] == "smooth" and s["jacobian_criterion"]["jacobian_rank"] == 1)
s = m.singular(at=G, equations=False)
check("without equations: %r" % s["verdict"], s["verdict"] == "undecided")
s = m.singular(at=G, max_degree=2)
check("equations of degree <= 2 only: %r" % s["verdict"], s["verdict"] == "undecided")
try:
    m.singular(at=[1, 2, 3])
    check("singular(at=3 values) raised", False)
except ValueError as e:
    check("singular(at=3 values) says why: %s" % e, "P = 8" in str(e))

print("python algebra: ok" if not failures else "python algebra: FAILED\n  " + "\n  ".join(failures))
