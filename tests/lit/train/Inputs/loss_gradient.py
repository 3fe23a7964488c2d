"""loss_gradient.py PYDIR LIB — Model.loss_gradient (the compiled loss gradient, summed inside the kernel) against
the loss and its gradient written out by hand in numpy for pmlp (3,4,2) t^2: f = W2 (W1 x)^2, r = f - y,
L = 1/(2N) sum |r|^2, dL/dW2 = (1/N) sum r (z^2)^T, dL/dW1 = (1/N) sum (2 z * W2^T r) x^T, z = W1 x.
Batches of every kind of end: fewer samples than lanes, a partial lane block, exactly 256, 256 + a partial block."""
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import nagc  # noqa: E402

m = nagc.Model(sys.argv[2])
assert m.P == 20 and m.input_size == 3 and m.output_size == 2, (m.P, m.input_size, m.output_size)
rng = np.random.default_rng(11)
worst = 0.0
for n in (1, 5, 8, 13, 256, 300, 1000):
    X, Y, theta = rng.uniform(-1, 1, (n, 3)), rng.uniform(-1, 1, (n, 2)), rng.uniform(-1, 1, 20)
    W1, W2 = theta[:12].reshape(4, 3), theta[12:].reshape(2, 4)
    Z = X @ W1.T
    R = (Z ** 2) @ W2.T - Y
    loss = 0.5 * np.sum(R ** 2) / n
    gW2 = R.T @ (Z ** 2) / n
    gW1 = (2 * Z * (R @ W2)).T @ X / n
    grad = np.concatenate([gW1.ravel(), gW2.ravel()])
    L, g = m.loss_gradient(theta, X, Y)
    err = max(abs(L - loss) / loss, np.linalg.norm(g - grad) / np.linalg.norm(grad))
    worst = max(worst, err)
    if err > 1e-12:
        print("n = %d: loss %r against %r, gradient error %g" % (n, L, loss, err))
print("loss gradient: %s" % ("ok" if worst <= 1e-12 else "relative error %g" % worst))
try:
    m.loss_gradient(np.zeros(20), np.zeros((4, 3)), np.zeros((3, 2)))
    print("bad Y accepted")
except ValueError as e:
    print("bad Y:", e)
try:
    m.loss_gradient(np.zeros(20), np.zeros((4, 3)), np.full((4, 2), np.nan))
    print("NaN Y accepted")
except ValueError as e:
    print("NaN Y:", e)
