"""splitmix_expand.py SEED — the x_1^2, x_1 x_2, x_2^2 coefficients of pmlp (2,3,1), r = 2, at theta = random:SEED,
exactly, from the README's definition of random:SEED (SplitMix64, value ((z >> 11) 2^-53) 2 - 1)."""
import sys
from fractions import Fraction

M = (1 << 64) - 1
state = int(sys.argv[1])
theta = []
for _ in range(9):
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    z ^= z >> 31
    theta.append(Fraction(z >> 11, 1 << 53) * 2 - 1)
W1, W2 = [theta[0:2], theta[2:4], theta[4:6]], theta[6:9]
c11 = sum(W2[i] * W1[i][0] ** 2 for i in range(3))
c12 = sum(2 * W2[i] * W1[i][0] * W1[i][1] for i in range(3))
c22 = sum(W2[i] * W1[i][1] ** 2 for i in range(3))
def term(c, m, first=False):
    sign = "-" if c < 0 else "" if first else "+"
    return ("%s%s*%s" if first else " %s %s*%s") % (sign, abs(c), m)


print("f_1 = " + term(c11, "x_1^2", True) + term(c12, "x_1*x_2") + term(c22, "x_2^2"))
