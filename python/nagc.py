"""nagc.py — compiled networks from Python (ctypes + numpy).

    $ nagc examples/pmlp.nag --emit=lib -o libpmlp.so

    import numpy as np, nagc
    m = nagc.Model("./libpmlp.so")
    m.P, m.input_size, m.output_size, m.params      # layout: [(name, shape, offset)]
    y = m.eval(theta, X)                            # (samples, outputs)
    J = m.jac(theta, X, wrt="theta")                # (samples, outputs, P)
    H = m.hess(theta, X, wrt="x", output=0)         # (samples, inputs, inputs)
    v = m.jvp(theta, X, direction), u = m.vjp(theta, X, cotangent), m.hvp(...)
    m.dim(exact=True, floating=True, seed=1)        # the dimension report as a dict (span, bounds, ...)
    m.dim(at="theta.txt"), m.dim(kernel=True)       # rank at a point; the unexplained fibre directions
    m.degree(method="auto", seed=1)                 # the `degree --json` report: degree, lower_bound, method, evidence
    m.equations(max_degree=3)                       # the `equations --json` report: equations, count_by_degree, verified
    m.fibre(), m.fibre(at="theta.txt")              # the `fibre --json` report: fibre dimension, symmetries, points
    m.singular(at="theta.txt")                      # the `singular --json` report: verdict singular, smooth or undecided
    r = m.train(X, Y, optimizer="lbfgs", steps=500) # the `train --json` report as a dict; r["theta"] (numpy)
    r = m.train(X, Y, flow=True, time=5, record=1)  # r["trajectory"]: (rows, columns) array, r["columns"]

theta is a vector of P values (nagc's layout: the parameters in declaration
order, row-major); X holds one sample per row (input_size values, or the
input's shape), and any other shape is a ValueError, never reshaped. A network
without inputs takes no X: m.eval(theta), m.jac(theta). Only numpy and the
standard library are used.
"""
import atexit
import ctypes
import hashlib
import json
import os
import shutil
import tempfile

import numpy as np

_i32, _i64, _ptr = ctypes.c_int32, ctypes.c_int64, ctypes.c_void_p


class _Tensor(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("rank", _i32), ("shape", ctypes.POINTER(_i64)), ("offset", _i64),
                ("size", _i64)]


class _Arg(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p), ("overridden", _i32)]


class _Symmetry(ctypes.Structure):
    _fields_ = [("description", ctypes.c_char_p), ("dimension", _i64)]


class _Generator(ctypes.Structure):
    _fields_ = [("symmetry", _i32), ("num_terms", _i64), ("terms", ctypes.POINTER(_i64))]


class _Function(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("mode", ctypes.c_char_p), ("fn", _ptr), ("row_size", _i64),
                ("num_aux", _i32), ("aux_size", _i64 * 2), ("aux_per_sample", _i32 * 2)]


class _Model(ctypes.Structure):  # struct nag_model of runtime/include/nag_runtime.h
    _fields_ = [("abi_version", _i32), ("name", ctypes.c_char_p), ("source", ctypes.c_char_p),
                ("num_args", _i32), ("args", ctypes.POINTER(_Arg)), ("num_inputs", _i32),
                ("inputs", ctypes.POINTER(_Tensor)), ("input_size", _i64), ("output", _Tensor),
                ("num_params", _i32), ("params", ctypes.POINTER(_Tensor)), ("param_count", _i64),
                ("algebraic_class", ctypes.c_char_p), ("degree", _i64), ("min_degree", _i64),
                ("ambient_dimension", ctypes.c_char_p), ("num_symmetries", _i32),
                ("symmetries", ctypes.POINTER(_Symmetry)), ("symmetry_dimension", _i64),
                ("expected_dimension", ctypes.c_char_p), ("eval", _ptr), ("lanes", _i32), ("precision_bits", _i32),
                ("num_functions", _i32), ("functions", ctypes.POINTER(_Function)), ("eval_mod", _ptr),
                ("jac_theta_mod", _ptr), ("algebraic_reason", ctypes.c_char_p), ("ir", ctypes.c_char_p),
                ("degree_set", ctypes.c_char_p), ("theta_degree", _i64), ("total_degree", _i64),
                ("linear_rank", _i64), ("linear_rank_bound", ctypes.c_char_p), ("affine", _i32),
                ("num_generators", _i64), ("generators", ctypes.POINTER(_Generator)),
                ("eval_complex", _ptr), ("jac_theta_complex", _ptr), ("hess_theta_complex", _ptr),
                ("eval_mod32", _ptr), ("jac_theta_mod32", _ptr), ("modular_prime_bits", _i32),
                ("loss_grad_theta", _ptr), ("kernels", ctypes.c_char_p),
                ("input_matrix", ctypes.c_char_p)]

ABI_VERSION = 7  # NAG_ABI_VERSION of runtime/include/nag_runtime.h


_EVAL = ctypes.CFUNCTYPE(None, _ptr, _ptr, _ptr, _i64)
_DERIVED = ctypes.CFUNCTYPE(None, _ptr, _ptr, _ptr, _ptr, _ptr, _i64)


_private_dir = None


def _private_copy(path):
    """A copy of the library at a path unique to its content.

    The dynamic loader keeps a library by its path: after `path` is
    recompiled, loading it again would hand back the old code. A copy named
    by the SHA-256 of the bytes read (in a private folder removed at exit)
    makes every content its own library, and the model is exactly the file
    that was read, whatever happens to `path` afterwards.
    """
    global _private_dir
    with open(path, "rb") as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    if _private_dir is None:
        _private_dir = tempfile.mkdtemp(prefix="nagc-py-")
        atexit.register(shutil.rmtree, _private_dir, True)
    copy = os.path.join(_private_dir, digest + "-" + os.path.basename(path))
    if not os.path.exists(copy):
        tmp = copy + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o700)
        os.replace(tmp, copy)
    return copy, digest


class Model:
    """A network compiled with `nagc FILE --emit=lib`."""

    def __init__(self, path):
        self.path = path
        copy, self.sha256 = _private_copy(path)
        self._lib = ctypes.CDLL(copy)
        get = self._lib.nag_library_model
        get.restype = ctypes.POINTER(_Model)
        self._m = get().contents
        if self._m.abi_version != ABI_VERSION:
            raise RuntimeError("%s: built for another nagc ABI (%d)" % (path, self._m.abi_version))
        if self._m.precision_bits != 64:
            raise RuntimeError("%s: compiled with --precision f32; this module uses float64" % path)
        m = self._m
        self.name = m.name.decode()
        self.P = m.param_count
        self.input_size = m.input_size
        self.output_size = m.output.size
        self.output_shape = tuple(m.output.shape[k] for k in range(m.output.rank))
        self.params = [(m.params[i].name.decode(), tuple(m.params[i].shape[k] for k in range(m.params[i].rank)),
                        m.params[i].offset) for i in range(m.num_params)]
        self.inputs = [(m.inputs[i].name.decode(), tuple(m.inputs[i].shape[k] for k in range(m.inputs[i].rank)),
                        m.inputs[i].offset) for i in range(m.num_inputs)]
        self.arguments = {m.args[i].name.decode(): m.args[i].value.decode() for i in range(m.num_args)}
        self.algebraic_class = m.algebraic_class.decode()
        # Before measuring: the least of P - symmetries, the coordinate space and
        # the linear rank bound; dim() adds the measured span.
        self.expected_dimension = int(m.expected_dimension)
        self.coordinate_dimension = int(m.ambient_dimension) if m.ambient_dimension else None
        self._eval = _EVAL(m.eval)
        self._eval_complex = _EVAL(m.eval_complex) if m.eval_complex else None
        self._jac_complex = _DERIVED(m.jac_theta_complex) if m.jac_theta_complex else None
        self._loss_grad = _DERIVED(m.loss_grad_theta) if m.loss_grad_theta else None
        self._functions = {}
        for i in range(m.num_functions):
            f = m.functions[i]
            self._functions[f.name.decode()] = (_DERIVED(f.fn), f.row_size)

    # ---- data
    def _theta(self, theta, dtype=np.float64):
        t = np.ascontiguousarray(theta, dtype=dtype).reshape(-1)
        if t.size != self.P:
            raise ValueError("theta has %d values; %s has P = %d" % (t.size, self.name, self.P))
        return t

    def _x(self, X, dtype=np.float64):
        """X as a (samples, input_size) array. A sample is a row of input_size
        values (or the input's own shape); a 1-D X of input_size values is one
        sample, and for a one-input model a 1-D X is one sample per value. Any
        other shape is refused, never reshaped. A model without inputs takes
        X=None (one sample) or an array of shape (samples, 0)."""
        n = self.input_size
        if X is None:
            if n:
                raise ValueError("%s needs X: one row of %d input values per sample" % (self.name, n))
            return np.empty((1, 0), dtype=dtype)
        x = np.ascontiguousarray(X, dtype=dtype)
        shape = tuple(x.shape)
        one = self.inputs[0][1] if len(self.inputs) == 1 else None
        if x.ndim == 0 and n == 1:
            return x.reshape(1, 1)
        if x.ndim == 1 and (x.size == n or n == 1):
            return x.reshape(-1, n)
        if x.ndim >= 2 and int(np.prod(shape[1:])) == n and (n > 0 or x.size == 0):
            return x.reshape(shape[0], n)
        if one is not None and len(one) >= 2 and shape == one:
            return x.reshape(1, n)
        if n == 0:
            raise ValueError("%s has no inputs: X has shape %s; give X=None (one sample) or an array of shape "
                             "(samples, 0)" % (self.name, shape))
        raise ValueError("X has shape %s; %s takes %d input values per sample: X must have shape (samples, %d)%s"
                         % (shape, self.name, n, n, " or (samples,) + %s" % (one,) if one is not None and len(one) >= 2
                            else ""))

    def _rows(self, a, samples, size, what):
        """a per-sample argument (Y, a cotangent, an x direction): one row of
        `size` values for every sample, or a single row used for every sample."""
        a = np.ascontiguousarray(a, dtype=np.float64)
        if a.ndim <= 1 and a.size == size:
            a = a.reshape(1, size)
        elif a.ndim >= 2 and int(np.prod(a.shape[1:])) == size:
            a = a.reshape(a.shape[0], size)
        elif size == 1 and a.ndim == 1:
            a = a.reshape(-1, 1)
        else:
            raise ValueError("%s has shape %s; %s needs %d values per sample (shape (%d, %d))"
                             % (what, tuple(a.shape), self.name, size, samples, size))
        if a.shape[0] not in (1, samples):
            raise ValueError("%s has %d rows for %d samples" % (what, a.shape[0], samples))
        return np.ascontiguousarray(np.broadcast_to(a, (samples, size)))

    @staticmethod
    def _p(a):
        return None if a is None else a.ctypes.data

    # ---- evaluation and derivatives
    def _complex(self, kernel, what):
        if kernel is None:
            raise ValueError("%s is %s: complex %s needs a polynomial or rational network"
                             % (self.name, self.algebraic_class, what))
        return kernel

    def eval(self, theta, X=None):
        """f_theta at the rows of X; complex theta or X evaluate in complex arithmetic."""
        if np.iscomplexobj(theta) or np.iscomplexobj(X):
            kernel = self._complex(self._eval_complex, "evaluation")
            t, x = self._theta(theta, np.complex128), self._x(X, np.complex128)
            y = np.empty((x.shape[0], self.output_size), dtype=np.complex128)
            kernel(self._p(t), self._p(x), self._p(y), x.shape[0])
            return y
        t, x = self._theta(theta), self._x(X)
        y = np.empty((x.shape[0], self.output_size))
        self._eval(self._p(t), self._p(x), self._p(y), x.shape[0])
        return y

    def _call(self, name, theta, X, a=None, b=None):
        if name not in self._functions:
            raise ValueError("%s has no %s (compiled with --no-derivatives, or no inputs?)" % (self.name, name))
        fn, row = self._functions[name]
        t, x = self._theta(theta), self._x(X)
        y = np.empty((x.shape[0], row))
        fn(self._p(t), self._p(x), self._p(a), self._p(b), self._p(y), x.shape[0])
        return y

    def _n(self, wrt):
        if wrt not in ("theta", "x"):
            raise ValueError("wrt must be 'theta' or 'x'")
        return self.P if wrt == "theta" else self.input_size

    def _direction(self, v, wrt, samples):
        n = self._n(wrt)
        if v is None:
            raise ValueError("a direction is needed (%d values for %s)" % (n, wrt))
        if wrt == "theta":
            v = np.ascontiguousarray(v, dtype=np.float64)
            if v.size != n or v.ndim > 2 or (v.ndim == 2 and v.shape[0] != 1):
                raise ValueError("direction has shape %s; %s needs P = %d values" % (tuple(v.shape), self.name, n))
            return v.reshape(n)
        return self._rows(v, samples, n, "direction")

    def jac(self, theta, X=None, wrt="theta"):
        n = self._n(wrt)
        if wrt == "theta" and (np.iscomplexobj(theta) or np.iscomplexobj(X)):
            kernel = self._complex(self._jac_complex, "Jacobians")
            t, x = self._theta(theta, np.complex128), self._x(X, np.complex128)
            y = np.empty((x.shape[0], self.output_size * n), dtype=np.complex128)
            kernel(self._p(t), self._p(x), None, None, self._p(y), x.shape[0])
            return y.reshape(-1, self.output_size, n)
        return self._call("jac_" + wrt, theta, X).reshape(-1, self.output_size, n)

    def jvp(self, theta, X=None, direction=None, wrt="theta"):
        x = self._x(X)
        return self._call("jvp_" + wrt, theta, x, self._direction(direction, wrt, x.shape[0]))

    def vjp(self, theta, X=None, cotangent=None, wrt="theta"):
        x = self._x(X)
        if cotangent is None:
            raise ValueError("vjp needs a cotangent (%d values per sample)" % self.output_size)
        u = self._rows(cotangent, x.shape[0], self.output_size, "cotangent")
        return self._call("vjp_" + wrt, theta, x, u)

    def _weights(self, output):
        if not 0 <= int(output) < self.output_size:
            raise ValueError("output %r: %s has outputs 0 to %d" % (output, self.name, self.output_size - 1))
        w = np.zeros(self.output_size)
        w[output] = 1.0
        return w

    def hess(self, theta, X=None, wrt="theta", output=0):
        n = self._n(wrt)
        return self._call("hess_" + wrt, theta, X, self._weights(output)).reshape(-1, n, n)

    def hvp(self, theta, X=None, direction=None, wrt="theta", output=0):
        x = self._x(X)
        return self._call("hvp_" + wrt, theta, x, self._weights(output), self._direction(direction, wrt, x.shape[0]))

    def loss_gradient(self, theta, X=None, Y=None):
        """The squared loss L = 1/(2N) sum_i |f(x_i) - y_i|^2 and its gradient in theta (P values), as `train`
        computes them: the compiled loss gradient (one reverse sweep per sample, summed in the kernel) on blocks of
        256 samples, added in block order."""
        if self._loss_grad is None:
            raise ValueError("%s has no loss gradient (compiled with --no-derivatives or --only-dim-functions)"
                             % self.name)
        t, x = self._theta(theta), self._x(X)
        if Y is None:
            raise ValueError("loss_gradient needs Y (%d values per sample)" % self.output_size)
        y = self._rows(Y, x.shape[0], self.output_size, "Y")
        for what, a in (("theta", t), ("X", x), ("Y", y)):
            if not np.all(np.isfinite(a)):
                raise ValueError("loss_gradient: %s has a value that is not finite" % what)
        n = x.shape[0]
        parts = np.empty(((n + 255) // 256, self.P + 1))
        for b in range(parts.shape[0]):
            xs, ys = np.ascontiguousarray(x[256 * b:256 * (b + 1)]), np.ascontiguousarray(y[256 * b:256 * (b + 1)])
            row = parts[b]
            self._loss_grad(self._p(t), self._p(xs), self._p(ys), None, row.ctypes.data, xs.shape[0])
        total = np.zeros(self.P + 1)
        for row in parts:  # in block order, as train adds them
            total += row
        return total[self.P] / (2 * n), total[:self.P] / n

    # ---- the reports of the runtime (dim, degree, equations, fibre, singular, critical)
    def _report(self, entry, args):
        """Calls the runtime's nagrt_ENTRY_report(model, argc, argv) and returns
        its JSON as a dict; its errors ("error: ...") as RuntimeError."""
        argv = (ctypes.c_char_p * len(args))(*[a.encode() for a in args])
        fn = getattr(self._lib, "nagrt_%s_report" % entry)
        fn.restype = ctypes.c_void_p
        fn.argtypes = [ctypes.POINTER(_Model), ctypes.c_int, ctypes.c_char_p * len(args)]
        raw = fn(ctypes.byref(self._m), len(args), argv)
        text = ctypes.string_at(raw).decode()
        self._lib.nagrt_free_string(ctypes.c_void_p(raw))
        if text.startswith("error: "):
            raise RuntimeError(text[7:])
        return json.loads(text)

    @staticmethod
    def _options(pairs):
        args = []
        for flag, value in pairs:
            if value is not None:
                args += [flag, str(value)]
        return args

    def _point(self, at, tmp):
        """--at: a parameter file as it is, or P values written to a file in tmp
        (integers and fractions.Fraction exactly; floats as the decimals of
        their shortest repr, which `--at` reads exactly)."""
        if isinstance(at, (str, os.PathLike)):
            return os.fspath(at)
        values = list(np.asarray(at, dtype=object).reshape(-1))
        if len(values) != self.P:
            raise ValueError("at has %d values; %s has P = %d" % (len(values), self.name, self.P))
        path = os.path.join(tmp, "at.txt")
        with open(path, "w") as f:
            f.write(" ".join(repr(float(v)) if isinstance(v, (float, np.floating)) else str(v) for v in values) + "\n")
        return path

    def degree(self, method="auto", seed=1, max_columns=None, max_loops=None, max_points=None, checkpoint=None,
               resume=False):
        """The degree of the neurovariety as `degree --json` reports it (docs/algebra.md):
        degree (None when undecided), lower_bound (an unfinished monodromy run),
        method, cone, dimension, span, evidence (primes, seeds, matrices, monodromy
        runs and trace residuals). method: interpolation, monodromy or auto."""
        args = ["--json", "--method", method, "--seed", str(seed)]
        args += self._options((("--max-columns", max_columns), ("--max-loops", max_loops),
                               ("--max-points", max_points), ("--checkpoint", checkpoint)))
        if resume:
            args.append("--resume")
        return self._report("degree", args)

    def equations(self, max_degree=None, max_columns=None, seed=1):
        """The lowest-degree equations of the neurovariety (every new generator up to
        max_degree when given) over Q, as `equations --json` reports them: equations
        (degree, terms [coefficient, monomial in c_o_a...]), count_by_degree,
        verified, zero_coordinates, fills, stopped, evidence."""
        args = ["--json", "--seed", str(seed)]
        args += self._options((("--max-degree", max_degree), ("--max-columns", max_columns)))
        return self._report("equations", args)

    def fibre(self, at=None, seed=1, count=True, max_loops=None, max_points=None):
        """The generic fibre as `fibre --json` reports it (docs/fibres-and-singular-points.md):
        fibre_dimension, symmetry_dimension, unexplained_fibre_dimension, the known
        finite group, points (by monodromy, unless count=False); with at (a file, or
        P values), the fibre's dimension through that point between bounds."""
        tmp = tempfile.mkdtemp(prefix="nagc-fibre-")
        try:
            args = ["--json", "--seed", str(seed)]
            if at is not None:
                args += ["--at", self._point(at, tmp)]
            if not count:
                args.append("--no-count")
            args += self._options((("--max-loops", max_loops), ("--max-points", max_points)))
            return self._report("fibre", args)
        finally:
            shutil.rmtree(tmp, True)

    def critical(self, X=None, Y=None, metric=None, target=None, seed=1, max_loops=None, method=None):
        """All complex critical points of the squared loss on (X, Y), or of a squared
        distance (metric "identity" or "random:SEED", target "random:SEED" or a file of
        U's coefficients in the order of equations()' coordinates), on the
        neurovariety, as `critical --json` reports them (docs/training.md): count,
        lower_bound, certified, agree, real (minima, saddles, ...), points (loss, kind,
        theta), evidence (the runs, their witness sets and paths). method: "auto"
        (default: monodromy in the target, then the witness set of the ED
        correspondence as its certificate), "target" or "witness". Y without X for a
        network without inputs."""
        tmp = tempfile.mkdtemp(prefix="nagc-critical-")
        try:
            args = ["--json", "--quiet", "--seed", str(seed)]
            if Y is not None:
                y = np.asarray(Y, dtype=np.float64)
                if y.ndim == 1:
                    y = y.reshape(-1, 1) if self.output_size == 1 else y.reshape(1, -1)
                if y.ndim != 2 or y.shape[1] != self.output_size:
                    raise ValueError("Y has shape %s; %s has %d outputs (samples x outputs)" %
                                     (np.shape(Y), self.name, self.output_size))
                np.save(os.path.join(tmp, "y.npy"), np.ascontiguousarray(y))
                args += ["--y", os.path.join(tmp, "y.npy")]
                if X is not None or self.input_size > 0:
                    x = self._x(X)
                    if x.shape[0] != y.shape[0]:
                        raise ValueError("X has %d samples and Y %d" % (x.shape[0], y.shape[0]))
                    np.save(os.path.join(tmp, "x.npy"), x)
                    args += ["--x", os.path.join(tmp, "x.npy")]
            elif X is not None:
                raise ValueError("critical: X needs Y (the targets of the data)")
            args += self._options((("--metric", metric), ("--target", target), ("--max-loops", max_loops),
                                  ("--method", method)))
            return self._report("critical", args)
        finally:
            shutil.rmtree(tmp, True)

    def singular(self, at, seed=1, max_degree=None, max_columns=None, equations=True, track=True):
        """Whether f_at is a singular point of the neurovariety, as `singular --json`
        reports it: verdict (singular, smooth or undecided), reason, the ranks, the
        Jacobian criterion with the equations of V (max_degree, max_columns bound
        their search; equations=False skips it), and when still undecided the fibre
        points the path tracker finds with their numerical tangent span
        (`tracked_fibre`; track=False skips it).
        at: a parameter file (read exactly) or P values."""
        tmp = tempfile.mkdtemp(prefix="nagc-singular-")
        try:
            args = ["--json", "--seed", str(seed), "--at", self._point(at, tmp)]
            args += self._options((("--max-degree", max_degree), ("--max-columns", max_columns)))
            if not equations:
                args.append("--no-equations")
            if not track:
                args.append("--no-track")
            return self._report("singular", args)
        finally:
            shutil.rmtree(tmp, True)

    # ---- the dimension report
    def dim(self, exact=True, floating=False, seed=1, prime=None, points=None, at=None, kernel=False,
            span_limit=None):
        """The dimension report as a dict (the keys of `dim --json`: span, bounds,
        expected_dimension, expected_from, dimension, defect, defect_against,
        unexplained_fibre_dimension, ranks, underestimate_probability, ...).
        at: a parameter file (the rank of the differential there); kernel: the
        fibre directions beyond the known symmetries (mod p and float)."""
        if not exact and not floating:
            raise ValueError("dim: exact=False and floating=False measure nothing")
        if points is not None and int(points) < 1:
            raise ValueError("dim: points must be a positive integer, got %r" % (points,))
        args = ["--json", "--seed", str(seed)]
        args.append("--both" if exact and floating else "--float" if floating else "--exact")
        if prime:
            args += ["--prime", str(prime)]
        if points:
            args += ["--points", str(points)]
        if at is not None:
            args += ["--at", str(at)]
        if kernel:
            args.append("--kernel")
        if span_limit:
            args += ["--span-limit", str(span_limit)]
        return self._report("dim", args)

    # ---- training
    def train(self, X, Y, optimizer=None, flow=False, lr=None, steps=None, time=None, tol=None, theta=None, seed=None,
              init_scale=None, record=None, zero_tol=None, exact=True, checkpoint=None, resume=False):
        """Fits theta to (X, Y) by the squared loss L = 1/(2N) sum |f(x_i) - y_i|^2, as
        `./model train --json` does (docs/training.md), and returns its report as a
        dict: loss, gradient_norm, theta (a numpy array), hessian, differential,
        singular, subnetwork, conserved, ... With record=K, also "trajectory": the
        rows (step, time, loss, grad_norm, theta, Q) every K steps as an array, and
        "columns" their names. theta: a starting point (P values), else
        init_scale * uniform[-1, 1) from seed."""
        x = self._x(X)
        y = np.ascontiguousarray(Y, dtype=np.float64)
        if y.ndim <= 1 and self.output_size == 1 and y.size == x.shape[0]:
            y = y.reshape(-1, 1)  # one-output targets as a vector
        elif y.ndim >= 2 and y.shape[0] == x.shape[0] and int(np.prod(y.shape[1:])) == self.output_size:
            y = y.reshape(x.shape[0], self.output_size)
        else:
            raise ValueError("Y has shape %s; %s needs one row of %d outputs for each of the %d samples of X"
                             % (tuple(y.shape), self.name, self.output_size, x.shape[0]))
        args = ["--json"]
        for flag, value in (("--optimizer", optimizer), ("--lr", lr), ("--steps", steps), ("--time", time),
                            ("--tol", tol), ("--seed", seed), ("--init-scale", init_scale), ("--record", record),
                            ("--zero-tol", zero_tol), ("--checkpoint", checkpoint)):
            if value is not None:
                args += [flag, repr(value) if isinstance(value, float) else str(value)]
        if flow:
            args.append("--flow")
        if resume:
            args.append("--resume")
        if not exact:
            args.append("--no-exact")
        tmp = tempfile.mkdtemp(prefix="nagc-train-")
        try:
            if theta is not None:
                start = os.path.join(tmp, "theta.txt")
                np.savetxt(start, self._theta(theta), fmt="%.17g")
                args += ["--theta", start]
            trajectory = os.path.join(tmp, "trajectory.npy")
            if record is not None:
                args += ["--trajectory", trajectory]
            argv = (ctypes.c_char_p * len(args))(*[a.encode() for a in args])
            fn = self._lib.nagrt_train_report
            fn.restype = ctypes.c_void_p
            fn.argtypes = [ctypes.POINTER(_Model), _ptr, _ptr, _i64, ctypes.c_int, ctypes.c_char_p * len(args)]
            raw = fn(ctypes.byref(self._m), self._p(x) if self.input_size else None, self._p(y), x.shape[0], len(args),
                     argv)
            text = ctypes.string_at(raw).decode()
            self._lib.nagrt_free_string(ctypes.c_void_p(raw))
            if text.startswith("error: "):
                raise RuntimeError(text[7:])
            report = json.loads(text)
            report["theta"] = np.array(report["theta"])
            if record is not None:
                report["columns"] = report["trajectory"]["columns"]
                report["trajectory"] = np.load(trajectory)
            return report
        finally:
            shutil.rmtree(tmp, True)
