"""use_pmlp.py LIB — the shared library of examples/pmlp.nag from Python (ctypes + numpy)."""
import ctypes
import sys

import numpy as np

lib = ctypes.CDLL(sys.argv[1])
lib.nag_pmlp_eval.argtypes = [np.ctypeslib.ndpointer(np.float64, flags="C_CONTIGUOUS")] * 3 + [ctypes.c_int64]
lib.nag_pmlp_eval.restype = None

rng = np.random.default_rng(5)
theta = rng.standard_normal(9)
x = rng.standard_normal((1001, 2))
y = np.empty((1001, 1))
lib.nag_pmlp_eval(theta, x, y, len(x))

W1, W2 = theta[:6].reshape(3, 2), theta[6:].reshape(1, 3)
want = ((x @ W1.T) ** 2) @ W2.T
err = np.max(np.abs(y - want)) / np.max(np.abs(want))
print("ok" if err < 1e-13 else f"mismatch: relative error {err}")
