/* nag_runtime.h — the C ABI between nagc's generated code, libnagrt and users.
 *
 * Stable ABI (version NAG_ABI_VERSION): plain C types only, prefix nag_.
 *
 * A compiled network NAME exports:
 *   void nag_NAME_eval(const double* theta, const double* x, double* y, int64_t batch);
 *       theta: the P parameters, laid out as nag_model.params says (row-major
 *              tensors in declaration order);
 *       x:     batch samples, one after the other, each input_size values
 *              (the network's inputs in declaration order, row-major);
 *       y:     batch outputs, each output_size values (row-major).
 *       Thread-safe; uses all cores (NAG_THREADS=N limits it).
 *       (Compiled with --precision f32, theta, x and y are float instead.)
 *   const nag_model* nag_NAME_model(void);
 *       the description below, valid for the life of the program.
 *
 * and its derivatives (symbolic, compiled like eval), all of the form
 *   void nag_NAME_F(const double* theta, const double* x, const double* a, const double* b,
 *                   double* y, int64_t batch);
 * where n is P (F ends in _theta) or input_size (F ends in _x), O is output.size,
 * and y receives, per sample, row_size values (row-major matrices):
 *   jac_theta, jac_x    the O x n Jacobian; a, b unused
 *   jvp_theta, jvp_x    J v (O values); a = v: n values for the batch (theta)
 *                       or n values per sample (x)
 *   vjp_theta, vjp_x    u^T J (n values); a = u: O values per sample
 *   hess_theta, hess_x  the n x n Hessian of w . f; a = w: O weights for the batch
 *                       (e_K for output K)
 *   hvp_theta, hvp_x    (Hessian of w . f) v (n values); a = w as for hess,
 *                       b = v as a of jvp
 * The _x functions exist when the network has inputs. nag_model.functions
 * lists them with these sizes.
 */
#ifndef NAG_RUNTIME_H
#define NAG_RUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NAG_ABI_VERSION 7

/** A named tensor: an input, a parameter or the output. */
typedef struct nag_tensor_info {
  const char* name;      /* "x", "dense#1.W", "output" */
  int32_t rank;
  const int64_t* shape;  /* rank entries */
  int64_t offset;        /* first index in theta (parameters) or in a sample (inputs) */
  int64_t size;          /* product of shape */
} nag_tensor_info;

/** A compile-time argument as it was bound, spelled in .nag syntax. */
typedef struct nag_arg_info {
  const char* name;
  const char* value;
  int32_t overridden;    /* 1 when given with -D */
} nag_arg_info;

/** A symmetry of the parameterization that the compiler recognised. */
typedef struct nag_symmetry_info {
  const char* description;  /* "rescaling of the 3 neurons of dense#1 (t^2)" */
  int64_t dimension;        /* dimension of its generic orbits */
} nag_symmetry_info;

/** An infinitesimal generator of a known symmetry: the vector field
 * xi(theta) = M theta with xi[row] += coeff * theta[col] for each term
 * (terms: num_terms triples row, col, coeff). Its value at theta is tangent
 * to the orbit, so it lies in the kernel of the Jacobian. */
typedef struct nag_generator {
  int32_t symmetry;      /* index into nag_model.symmetries */
  int64_t num_terms;
  const int64_t* terms;  /* 3 * num_terms values */
} nag_generator;

typedef void (*nag_eval_fn)(const double* theta, const double* x, double* y, int64_t batch);
typedef void (*nag_eval_f32_fn)(const float* theta, const float* x, float* y, int64_t batch);
typedef void (*nag_derived_fn)(const double* theta, const double* x, const double* a, const double* b, double* y,
                               int64_t batch);

/** Arithmetic modulo an odd prime p < 2^62 in Montgomery form (R = 2^64),
 * and for p < 2^31 also with R = 2^32 (the _mod32 kernels, since ABI 5); set
 * up by nagrt_modulus_init. `vanished` counts divisions by zero mod p. */
typedef struct nag_modulus {
  uint64_t p, pinv, r2, r; /* p, -p^-1 mod 2^64, R^2 mod p, R mod p */
  int64_t vanished;
  uint64_t r32, r2_32;     /* 2^32 mod p, 2^64 mod p (R = 2^32); 0 when p >= 2^31 */
} nag_modulus;
/* A _mod32 kernel given a modulus with p >= 2^31 computes nothing and sets vanished to -1. */

/* Modular functions take and return residues 0 <= v < p (not Montgomery form):
 *   void nag_NAME_eval_mod(const uint64_t* theta, const uint64_t* x, uint64_t* y, int64_t batch,
 *                          nag_modulus* m);
 *   void nag_NAME_jac_theta_mod(const uint64_t* theta, const uint64_t* x, const uint64_t* a,
 *                               const uint64_t* b, uint64_t* y, int64_t batch, nag_modulus* m);
 * They exist for polynomial and rational networks (null in nag_model otherwise). */

/* Complex functions (since ABI 3) take and return complex doubles, each two
 * doubles (real, imaginary: the layout of C's double _Complex), for theta, x and y:
 *   void nag_NAME_eval_complex(const double* theta, const double* x, double* y, int64_t batch);
 *   void nag_NAME_jac_theta_complex(const double* theta, const double* x, const double* a,
 *                                   const double* b, double* y, int64_t batch);
 * f and its θ-Jacobian continued to complex arguments (what a path tracker
 * evaluates); they exist for polynomial and rational networks. */
typedef void (*nag_eval_mod_fn)(const uint64_t* theta, const uint64_t* x, uint64_t* y, int64_t batch, nag_modulus* m);
typedef void (*nag_derived_mod_fn)(const uint64_t* theta, const uint64_t* x, const uint64_t* a, const uint64_t* b,
                                   uint64_t* y, int64_t batch, nag_modulus* m);

/** A derived function (see the top of this file). */
typedef struct nag_function_info {
  const char* name;          /* "jac_theta" */
  const char* mode;          /* how it was derived: "reverse mode: ..." */
  nag_derived_fn fn;         /* float* arguments when precision_bits is 32 */
  int64_t row_size;          /* values per sample in y */
  int32_t num_aux;           /* extra arguments used: 0, 1 (a) or 2 (a, b) */
  int64_t aux_size[2];       /* values of a and b (per sample or for the batch) */
  int32_t aux_per_sample[2]; /* 1: one row per sample; 0: one for the batch */
} nag_function_info;

/** Everything a program or a user needs to know about a compiled network. */
typedef struct nag_model {
  int32_t abi_version;
  const char* name;
  const char* source;                 /* the .nag file it was compiled from */
  int32_t num_args;
  const nag_arg_info* args;
  int32_t num_inputs;
  const nag_tensor_info* inputs;
  int64_t input_size;                 /* values per sample */
  nag_tensor_info output;
  int32_t num_params;
  const nag_tensor_info* params;
  int64_t param_count;                /* P */
  const char* algebraic_class;        /* "polynomial", "rational", "non-algebraic" */
  int64_t degree;                     /* polynomial: largest total degree in x (-1: more than 2^62) */
  int64_t min_degree;                 /* polynomial: smallest total degree in x (-1: more than 2^62) */
  const char* ambient_dimension;      /* the coordinate space (maps with the degrees of degree_set), decimal;
                                         "" when not polynomial or of degree > 2^62. The span is measured by `dim`. */
  int32_t num_symmetries;
  const nag_symmetry_info* symmetries;
  int64_t symmetry_dimension;         /* sum of the dimensions above */
  const char* expected_dimension;     /* min(P - symmetries, coordinate space, linear rank bound), decimal */
  nag_eval_fn eval;                   /* cast to nag_eval_f32_fn when precision_bits is 32 */
  int32_t lanes;                      /* samples per SIMD block in the generated code */
  int32_t precision_bits;             /* 64 (double) or 32 (float) */
  int32_t num_functions;
  const nag_function_info* functions; /* the derivatives */
  nag_eval_mod_fn eval_mod;           /* exact arithmetic mod p; null when not algebraic */
  nag_derived_mod_fn jac_theta_mod;
  const char* algebraic_reason;       /* for non-polynomial networks: the op and place that decided */
  const char* ir;                     /* the network's tensor IR as text (for exact expansion) */
  /* Since ABI 2: what the dimension report's bounds are computed from. */
  const char* degree_set;             /* polynomial: the degrees in x that can occur, "1,3" ("" untracked) */
  int64_t theta_degree;               /* polynomial: total degree in theta (-1: more than 2^62) */
  int64_t total_degree;               /* polynomial: total degree in theta and x jointly (-1: more than 2^62) */
  int64_t linear_rank;                /* linear networks f = A(theta) x (+ b): a bound k on rank A below
                                         min(inputs, outputs); 0 when there is none */
  const char* linear_rank_bound;      /* k (inputs + outputs - k) (+ outputs when affine), decimal; "" none */
  int32_t affine;                     /* with linear_rank: f = A x + b */
  int64_t num_generators;
  const nag_generator* generators;    /* of the symmetries (none for a symmetry whose list was too long) */
  /* Since ABI 3: complex doubles (see above); null when not algebraic. */
  nag_eval_fn eval_complex;
  nag_derived_fn jac_theta_complex;
  /* Since ABI 4: the θ-Hessian of sum_o a_o f_o per sample (a: outputs complex weights), complex; null when not
   * algebraic, compiled with --only-dim-functions or --no-derivatives. */
  nag_derived_fn hess_theta_complex;
  /* Since ABI 5: the modular kernels for p < 2^31 (Montgomery with R = 2^32: vector 32x32->64 products), null when
   * not algebraic. eval_mod/jac_theta_mod above take primes below 2^modular_prime_bits: 62, or 31 when the program
   * was compiled without the R = 2^64 kernels (--only-dim-functions where the dimension's primes stay below 2^31);
   * then they are these same kernels. */
  nag_eval_mod_fn eval_mod32;
  nag_derived_mod_fn jac_theta_mod32;
  int32_t modular_prime_bits;
  /* Since ABI 6: the squared loss's gradient summed over the batch, for training: with a = the targets (one row of
   * outputs per sample) and b unused, y (P + 1 values, one row for the whole batch) = sum_i [J_i^T r_i, |r_i|^2],
   * r_i = f(x_i) - a_i. Runs on the calling thread (callers split a large batch themselves, which also fixes the
   * order of the sums); null when compiled with --no-derivatives or --only-dim-functions, or with --precision f32. */
  nag_derived_fn loss_grad_theta;
  /* Since ABI 6: the commands whose kernels were compiled (nagc --kernels: "dim", "degree", "critical", "train",
   * comma-separated); "" every kernel. The kernels a command lacks are null or absent from `functions`. */
  const char* kernels;
  /* Since ABI 7: polynomial networks whose input x enters only as W x, W a whole parameter matrix used nowhere
   * else: W's path ("dense#1.W"), else "". Then f_theta(A x) = f_theta'(x) with W A in place of W, so the function
   * space is invariant under x -> A x for every invertible A (what `dim` decides the span from). */
  const char* input_matrix;
} nag_model;

/** Sets up m for the odd prime p (2 < p < 2^62); 0 on success. */
int nagrt_modulus_init(nag_modulus* m, uint64_t p);
/** Used by generated modular code: the residue of num/den in Montgomery form,
 * and the inverse of a Montgomery-form value (0, counted in m->vanished, for 0). */
uint64_t nagrt_mod_rational(int64_t num, int64_t den, nag_modulus* m);
uint64_t nagrt_mod_inverse(uint64_t a, nag_modulus* m);
/** The same with R = 2^32, for the _mod32 kernels (p < 2^31). */
uint64_t nagrt_mod_rational32(int64_t num, int64_t den, nag_modulus* m);
uint64_t nagrt_mod_inverse32(uint64_t a, nag_modulus* m);

/** Runs the generated program's command line (info, eval, ...) for a model. */
int nagrt_main(const nag_model* model, int argc, char** argv);

/** The dimension report for the options in argv (as `dim` takes them, e.g.
 * {"--json", "--both"}): a string to release with nagrt_free_string; on an
 * error it begins with "error: ". */
char* nagrt_dim_report(const nag_model* model, int argc, char** argv);
void nagrt_free_string(char* s);

/** The reports of `degree`, `equations`, `fibre`, `singular` and `critical` for the
 * options in argv, as those commands take them (e.g. {"--json", "--method",
 * "interpolation"}; `singular` needs "--at" FILE): a string to release with
 * nagrt_free_string; on an error it begins with "error: ". A degree left
 * undecided (the runs disagree) and equations that failed verification are
 * reports, not errors: their JSON says so ("degree": null, "verified": false),
 * where the commands also exit with status 1. */
char* nagrt_degree_report(const nag_model* model, int argc, char** argv);
char* nagrt_equations_report(const nag_model* model, int argc, char** argv);
char* nagrt_fibre_report(const nag_model* model, int argc, char** argv);
char* nagrt_singular_report(const nag_model* model, int argc, char** argv);
char* nagrt_critical_report(const nag_model* model, int argc, char** argv);

/** `train` on data in memory (x: samples x input_size, y: samples x outputs,
 * row-major; both null: --x and --y in argv), with the options of the
 * command in argv: the JSON report (as `train --json` prints it), released
 * with nagrt_free_string; on an error it begins with "error: ". */
char* nagrt_train_report(const nag_model* model, const double* x, const double* y, int64_t samples, int argc,
                         char** argv);

/** Calls fn(ctx, begin, end) over [0, n) split across the worker threads. */
void nagrt_parallel_for(int64_t n, void (*fn)(void* ctx, int64_t begin, int64_t end), void* ctx);

/** 64-byte aligned scratch memory for generated code; aborts with a message when memory runs out. */
void* nagrt_alloc(int64_t bytes);
void nagrt_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* NAG_RUNTIME_H */
