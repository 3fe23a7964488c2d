"""The two modular kernels of a compiled network against integer arithmetic in Python.

f = W3 (W2 (W1 x)^r)^r with the weights and inputs random residues, computed
here with Python integers mod p, must equal eval_mod32 (Montgomery R = 2^32,
p < 2^31) and eval_mod (R = 2^64) at primes on both sides of 2^31, including
the largest prime below 2^31, where the R = 2^32 reduction's sums come
closest to 2^64. The descriptor must say which primes eval_mod takes."""
import ctypes, random, sys

sys.path.insert(0, sys.argv[2])
import nagc

m = nagc.Model(sys.argv[1])
import json
widths, r = json.loads(str(m.arguments["d"])), int(m.arguments["r"])
lib = m._lib


class Modulus(ctypes.Structure):  # struct nag_modulus of runtime/include/nag_runtime.h
    _fields_ = [(k, ctypes.c_uint64) for k in ("p", "pinv", "r2", "r")] + [("vanished", ctypes.c_int64)] + \
               [(k, ctypes.c_uint64) for k in ("r32", "r2_32")]


Fn = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.POINTER(Modulus))
print("prime bits", m._m.modular_prime_bits)


def reference(theta, x, p):
    h, at = list(x), 0
    for l in range(1, len(widths)):
        rows, cols = widths[l], widths[l - 1]
        W = theta[at:at + rows * cols]
        at += rows * cols
        h = [sum(W[i * cols + j] * h[j] for j in range(cols)) % p for i in range(rows)]
        if l < len(widths) - 1:
            h = [pow(v, r, p) for v in h]
    return h


def run(kernel, p, batch, seed):
    rng = random.Random(seed)
    theta = [rng.randrange(p) for _ in range(m.P)]
    xs = [[rng.randrange(p) for _ in range(m.input_size)] for _ in range(batch)]
    mod = Modulus()
    assert lib.nagrt_modulus_init(ctypes.byref(mod), ctypes.c_uint64(p)) == 0
    T = (ctypes.c_uint64 * m.P)(*theta)
    X = (ctypes.c_uint64 * (batch * m.input_size))(*[v for x in xs for v in x])
    Y = (ctypes.c_uint64 * (batch * m.output_size))()
    Fn(kernel)(ctypes.addressof(T), ctypes.addressof(X), ctypes.addressof(Y), batch, ctypes.byref(mod))
    want = [v for x in xs for v in reference(theta, x, p)]
    return list(Y) == want


# A _mod32 kernel given p >= 2^31 computes nothing and sets vanished to -1.
mod = Modulus()
lib.nagrt_modulus_init(ctypes.byref(mod), ctypes.c_uint64(2305843009213693951))
T = (ctypes.c_uint64 * m.P)()
X = (ctypes.c_uint64 * m.input_size)()
Y = (ctypes.c_uint64 * m.output_size)(*([7] * m.output_size))
Fn(m._m.eval_mod32)(ctypes.addressof(T), ctypes.addressof(X), ctypes.addressof(Y), 1, ctypes.byref(mod))
print("eval_mod32 at 2^61 - 1: vanished", mod.vanished, "output untouched", list(Y) == [7] * m.output_size)

for p in (8388593, 67108859, 2147483629, 2305843009213693951):
    narrow = p < 2 ** 31
    kernels = [("eval_mod32", m._m.eval_mod32)] if narrow else []
    if m._m.modular_prime_bits == 62 or narrow:
        kernels.append(("eval_mod", m._m.eval_mod))
    for name, k in kernels:
        ok = all(run(k, p, batch, seed) for batch, seed in ((1, 1), (13, 2), (64, 3)))
        print(name, p, "ok" if ok else "WRONG")
