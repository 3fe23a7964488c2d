/* use_pmlp.c — a C program using the shared library of examples/pmlp.nag.
 * Its expected values are the naive arithmetic of the network, written here. */
#include "libpmlp.h"
#include "nag_runtime.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int fail(const char* what) {
  printf("FAIL: %s\n", what);
  return 1;
}

int main(void) {
  double theta[NAG_PMLP_PARAM_COUNT];
  for (int i = 0; i < NAG_PMLP_PARAM_COUNT; ++i) theta[i] = (i + 1) / 10.0 - 0.45;
  enum { N = 37 };
  double x[N][NAG_PMLP_INPUT_SIZE], y[N][NAG_PMLP_OUTPUT_SIZE];
  for (int s = 0; s < N; ++s) {
    x[s][0] = s / 7.0 - 2.0;
    x[s][1] = 1.5 - s / 11.0;
  }
  nag_pmlp_eval(theta, &x[0][0], &y[0][0], N);

  const double* W1 = theta + NAG_PMLP_PARAM_DENSE_1_W_OFFSET; /* 3 x 2 */
  const double* W2 = theta + NAG_PMLP_PARAM_DENSE_2_W_OFFSET; /* 1 x 3 */
  for (int s = 0; s < N; ++s) {
    double out = 0;
    for (int i = 0; i < 3; ++i) {
      double h = W1[2 * i] * x[s][0] + W1[2 * i + 1] * x[s][1];
      out += W2[i] * h * h;
    }
    if (fabs(out - y[s][0]) > 1e-12 * fmax(1.0, fabs(out))) {
      printf("sample %d: library %.17g, naive %.17g\n", s, y[s][0], out);
      return fail("values");
    }
  }

  const nag_model* m = nag_pmlp_model();
  if (m->abi_version != NAG_ABI_VERSION) return fail("abi version");
  if (m->param_count != 9 || m->input_size != 2 || m->output.size != 1) return fail("sizes");
  if (m->num_params != 2 || strcmp(m->params[1].name, "dense#2.W") != 0) return fail("parameter names");
  if (m->params[1].offset != 6 || m->params[1].rank != 2 || m->params[1].shape[0] != 1 || m->params[1].shape[1] != 3)
    return fail("parameter layout");
  if (strcmp(m->algebraic_class, "polynomial") != 0 || m->degree != 2) return fail("class");
  if (m->eval != nag_pmlp_eval) return fail("eval pointer");
  printf("ok: %d samples\n", N);
  return 0;
}
