"""trainref.py — independent numpy references for the train tests: networks from their formulas, losses, checks.

    trainref.py fdgrad NET X Y THETA0 THETA1 LR   nagc's gradient (THETA0 - THETA1) / LR against central differences
    trainref.py drift TRAJ D H R [BOUND]          the worst relative drift of |w_in|^2 - R |w_out|^2 over the H
                                                  neurons of a (D, H, 1) network along a trajectory (.npy)

The networks (parameter layouts as `info` prints them):
    p231   pmlp (2,3,1), t^2:             W1 (3x2), W2 (1x3)
    p341   pmlp (3,4,1), t^2:             W1 (4x3), W2 (1x4)
    biased sigma(t) = t^2 + t/2, (2,3,1): W1 (3x2), b1 (3), W2 (1x3), b2 (1)
    relu   relu, (2,4,1):                 W1 (4x2), b1 (4), W2 (1x4), b2 (1)
"""
import sys

import numpy as np


def unpack(theta, shapes):
    out, k = [], 0
    for s in shapes:
        n = int(np.prod(s))
        out.append(theta[k:k + n].reshape(s))
        k += n
    assert k == theta.size, (k, theta.size)
    return out


def forward(net, theta, X):
    if net == "p231" or net == "p341":
        h = 3 if net == "p231" else 4
        W1, W2 = unpack(theta, [(h, X.shape[1]), (1, h)])
        return ((X @ W1.T) ** 2) @ W2.T
    if net == "biased":
        W1, b1, W2, b2 = unpack(theta, [(3, 2), (3,), (1, 3), (1,)])
        z = X @ W1.T + b1
        return (z ** 2 + z / 2) @ W2.T + b2
    if net == "relu":
        W1, b1, W2, b2 = unpack(theta, [(4, 2), (4,), (1, 4), (1,)])
        return np.maximum(X @ W1.T + b1, 0) @ W2.T + b2
    raise SystemExit("unknown network " + net)


def loss(net, theta, X, Y):
    r = forward(net, theta, X) - Y.reshape(X.shape[0], -1)
    return 0.5 * np.mean(np.sum(r * r, axis=1))


def load(path):
    return np.atleast_2d(np.loadtxt(path))


def main():
    cmd = sys.argv[1]
    if cmd == "fdgrad":
        net, X, Y, t0, t1, lr = sys.argv[2], load(sys.argv[3]), np.loadtxt(sys.argv[4]), np.loadtxt(sys.argv[5]), \
            np.loadtxt(sys.argv[6]), float(sys.argv[7])
        g = (t0 - t1) / lr
        h, fd = 1e-6, np.zeros_like(t0)
        for i in range(t0.size):
            e = np.zeros_like(t0)
            e[i] = h
            fd[i] = (loss(net, t0 + e, X, Y) - loss(net, t0 - e, X, Y)) / (2 * h)
        err = np.max(np.abs(g - fd)) / np.max(np.abs(fd))
        print("fdgrad %s: relative error %s" % (net, "below 1e-6" if err < 1e-6 else "%.3g" % err))
    elif cmd == "drift":
        # trajectory rows: step, time, loss, grad_norm, theta...; neurons of W1 (h x d) and W2 (1 x h), t^r.
        traj, d, h, r = np.load(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        theta = traj[:, 4:4 + h * d + h]
        W1, W2 = theta[:, :h * d].reshape(-1, h, d), theta[:, h * d:]
        q = np.sum(W1 ** 2, axis=2) - r * W2 ** 2
        scale = np.sum(W1[0] ** 2, axis=1) + r * W2[0] ** 2
        drift = np.max(np.abs(q - q[0]) / scale, axis=0)
        print("rows %d, worst drift %.3g" % (traj.shape[0], drift.max()))
        if len(sys.argv) > 6:
            print("drift below %s: %s" % (sys.argv[6], bool(drift.max() < float(sys.argv[6]))))
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()
