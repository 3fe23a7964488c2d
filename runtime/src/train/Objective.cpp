// Objective.cpp — the squared loss and its derivatives from the compiled float kernels, reduced deterministically.
//
// The kernels give one row per sample (vjp: u_i^T J_i; hvp: Hess(w . f)(x_i) v;
// hess: the P x P Hessian of w . f at x_i). Because hvp's and hess's weights w
// are one vector for the whole batch, the residual-weighted second-order term
// sum_i sum_o r_io Hess f_o(x_i) is formed with w = e_o, one call per output,
// and the rows weighted by r_io in the sum over samples (README.md).
#include "train/Objective.h"

#include "nagrt_output.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace nagrt::train {

namespace {

constexpr int64_t kBlock = 256;               // samples per block of a deterministic sum
constexpr int64_t kScratchValues = 1 << 22;   // values of per-sample rows held at once (32 MiB)

const nag_function_info* find(const nag_model& m, const char* name) {
  for (int32_t i = 0; i < m.num_functions; ++i)
    if (std::strcmp(m.functions[i].name, name) == 0) return &m.functions[i];
  return nullptr;
}

// out[j] += sum_i w_i rows[i * width + j] over n rows (w null: all 1), in
// blocks of kBlock rows summed on the worker threads, then the block sums in
// order: the same bits for any number of threads.
struct RowSum {
  const double* rows;
  const double* w;
  int64_t wStride, width, n;
  std::vector<double> partial;
};

void sumBlocks(void* ctx, int64_t begin, int64_t end) {
  auto* s = static_cast<RowSum*>(ctx);
  for (int64_t b = begin; b < end; ++b) {
    double* __restrict acc = s->partial.data() + b * s->width;
    const int64_t width = s->width;
    std::fill(acc, acc + width, 0.0);
    for (int64_t i = b * kBlock; i < std::min(s->n, (b + 1) * kBlock); ++i) {
      const double* __restrict row = s->rows + i * width;
      if (!s->w) {
#pragma GCC ivdep  // acc (a block's sum) and row (the kernel's output) never overlap
        for (int64_t j = 0; j < width; ++j) acc[j] += row[j];
        continue;
      }
      double w = s->w[i * s->wStride];
#pragma GCC ivdep
      for (int64_t j = 0; j < width; ++j) acc[j] += w * row[j];
    }
  }
}

void addRows(const double* rows, const double* w, int64_t wStride, int64_t n, int64_t width, double* out) {
  RowSum s{rows, w, wStride, width, n, {}};
  int64_t blocks = (n + kBlock - 1) / kBlock;
  s.partial.resize(size_t(blocks * width));
  nagrt_parallel_for(blocks, sumBlocks, &s);
  for (int64_t b = 0; b < blocks; ++b)
    for (int64_t j = 0; j < width; ++j) out[j] += s.partial[size_t(b * width + j)];
}

// The gradient's blocks: block b (kBlock samples from b·kBlock) is one call of the compiled loss gradient
// (codegen: forward, residual r = f - y, one reverse sweep seeded with r, summed in vector lanes), which gives
// sum_i [J_i^T r_i, |r_i|^2] over its samples in partial[b]. The blocks are spread over the threads and added in
// block order: the same bits for any number of threads.
struct GradientBlocks {
  nag_derived_fn lossGrad;
  const double *theta, *x, *y;
  int64_t N, P, O, I;
  std::vector<double> partial;
};

void gradientBlocks(void* ctx, int64_t begin, int64_t end) {
  auto* g = static_cast<GradientBlocks*>(ctx);
  for (int64_t b = begin; b < end; ++b) {
    const int64_t first = b * kBlock, n = std::min(kBlock, g->N - first);
    g->lossGrad(g->theta, g->x + first * g->I, g->y + first * g->O, nullptr, g->partial.data() + b * (g->P + 1), n);
  }
}

// The squared sum of the residual by blocks of kBlock samples, added in block order.
double blockedSquares(const std::vector<double>& r, int64_t N, int64_t O) {
  double total = 0;
  for (int64_t first = 0; first < N; first += kBlock) {
    double sum = 0;
    for (int64_t k = first * O; k < std::min(N, first + kBlock) * O; ++k) sum += r[size_t(k)] * r[size_t(k)];
    total += sum;
  }
  return total;
}

}  // namespace

Objective::Objective(const nag_model& m, Matrix x, Matrix y)
    : m_(m), x_(std::move(x)), y_(std::move(y)), P_(m.param_count), N_(x_.rows), O_(m.output.size), I_(m.input_size) {
  if (m.precision_bits != 64) throw Error("train needs a program compiled with --precision f64");
  vjp_ = find(m, "vjp_theta");
  jvp_ = find(m, "jvp_theta");
  hvp_ = find(m, "hvp_theta");
  jac_ = find(m, "jac_theta");
  hess_ = find(m, "hess_theta");
  if (!vjp_ || !jvp_ || !hvp_ || !jac_ || !hess_ || !m.loss_grad_theta)
    throw Error(m.param_count == 0 ? std::string("train: this network has no parameters")
                                   : "train needs the parameter derivatives (vjp, jvp, hvp, jac, hess and the loss "
                                     "gradient in theta): " + kernelsLeftOut(m));
  if (N_ < 1) throw Error("train: the data has no samples");
}

int64_t Objective::chunk(int64_t width) const {
  int64_t c = std::max<int64_t>(kBlock, kScratchValues / std::max<int64_t>(width, 1) / kBlock * kBlock);
  return std::min(c, N_);
}

double Objective::residualAt(const double* theta) {
  if (residualTheta_.empty() || std::memcmp(residualTheta_.data(), theta, size_t(P_) * sizeof(double)) != 0) {
    residual_.resize(size_t(N_ * O_));
    m_.eval(theta, x_.data.data(), residual_.data(), N_);
    for (size_t k = 0; k < residual_.size(); ++k) residual_[k] -= y_.data[k];
    residualTheta_.assign(theta, theta + P_);
  }
  return blockedSquares(residual_, N_, O_) / (2.0 * double(N_));
}

double Objective::value(const double* theta) { return residualAt(theta); }

double Objective::gradient(const double* theta, double* g) {
  const int64_t blocks = (N_ + kBlock - 1) / kBlock;
  GradientBlocks job{m_.loss_grad_theta, theta, x_.data.data(), y_.data.data(), N_, P_, O_, I_,
                     std::vector<double>(size_t(blocks * (P_ + 1)))};
  nagrt_parallel_for(blocks, gradientBlocks, &job);
  std::fill(g, g + P_, 0.0);
  double squares = 0;
  for (int64_t b = 0; b < blocks; ++b) {
    const double* part = job.partial.data() + b * (P_ + 1);
    for (int64_t j = 0; j < P_; ++j) g[j] += part[j];
    squares += part[P_];
  }
  for (int64_t j = 0; j < P_; ++j) g[j] /= double(N_);
  return squares / (2.0 * double(N_));
}

void Objective::hvp(const double* theta, const double* v, double* out) {
  residualAt(theta);
  std::fill(out, out + P_, 0.0);
  int64_t c = chunk(P_ + O_);
  rows_.resize(size_t(c * P_));
  std::vector<double> jv(size_t(c * O_)), e(static_cast<size_t>(O_));
  for (int64_t first = 0; first < N_; first += c) {
    int64_t n = std::min(c, N_ - first);
    const double* x = x_.data.data() + first * I_;
    jvp_->fn(theta, x, v, nullptr, jv.data(), n);            // J_i v
    vjp_->fn(theta, x, jv.data(), nullptr, rows_.data(), n);  // J_i^T J_i v
    addRows(rows_.data(), nullptr, 0, n, P_, out);
    for (int64_t o = 0; o < O_; ++o) {  // sum_i r_io Hess f_o(x_i) v
      std::fill(e.begin(), e.end(), 0.0);
      e[size_t(o)] = 1.0;
      hvp_->fn(theta, x, e.data(), v, rows_.data(), n);
      addRows(rows_.data(), residual_.data() + first * O_ + o, O_, n, P_, out);
    }
  }
  for (int64_t j = 0; j < P_; ++j) out[j] /= double(N_);
}

std::vector<double> Objective::hessian(const double* theta) {
  residualAt(theta);
  std::vector<double> h(size_t(P_ * P_), 0.0), e(static_cast<size_t>(O_));
  int64_t c = chunk(P_ * std::max(P_, O_));
  rows_.resize(size_t(c * P_ * std::max(P_, O_)));
  WideBlas wide;  // dsyrk of J^T J
  for (int64_t first = 0; first < N_; first += c) {
    int64_t n = std::min(c, N_ - first);
    const double* x = x_.data.data() + first * I_;
    jac_->fn(theta, x, nullptr, nullptr, rows_.data(), n);  // (n O) x P rows of J
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, int(P_), int(n * O_), 1.0, rows_.data(), int(P_), 1.0, h.data(),
                int(P_));
    for (int64_t o = 0; o < O_; ++o) {
      std::fill(e.begin(), e.end(), 0.0);
      e[size_t(o)] = 1.0;
      hess_->fn(theta, x, e.data(), nullptr, rows_.data(), n);
      addRows(rows_.data(), residual_.data() + first * O_ + o, O_, n, P_ * P_, h.data());
    }
  }
  // dsyrk filled the upper triangle of J^T J; the second-order term is symmetric.
  for (int64_t i = 0; i < P_; ++i)
    for (int64_t j = 0; j < i; ++j) h[size_t(i * P_ + j)] = h[size_t(j * P_ + i)];
  for (double& v : h) v /= double(N_);
  return h;
}

DataSet readDataSet(const nag_model& m, const std::string& xSpec, const std::string& ySpec, int64_t samples) {
  if (ySpec.empty()) throw Error("train needs --y (the targets: a file, '-', or random:SEED)");
  if (m.input_size > 0 && xSpec.empty()) throw Error("train needs --x (the inputs: a file, '-', or random:SEED)");
  if (xSpec == "-" && ySpec == "-") throw Error("only one of --x, --y can read standard input");
  bool randomX = isRandomSpec(xSpec), randomY = isRandomSpec(ySpec);
  DataSet d;
  if (m.input_size > 0) {
    if (randomX && samples < 0) throw Error("train --x random:SEED needs --samples N (how many inputs to draw)");
    d.x = readData({xSpec, "x", m.input_size, samples, false});
  } else {
    d.x.rows = samples;
  }
  int64_t rows = d.x.rows;
  if (rows < 0 && randomY) throw Error("train --y random:SEED needs --samples N");
  try {
    d.y = readData({ySpec, "y", m.output.size, randomY ? rows : -1, false});
  } catch (const Error& first) {
    // One output: a vector of N values (a 1-D .npy, one line) is N targets too.
    if (m.output.size != 1 || rows < 1 || ySpec == "-") throw;
    std::string why = first.what();
    try {
      d.y = readData({ySpec, "y", 1, rows, true});
    } catch (const Error&) {
      throw Error(why);
    }
  }
  if (d.x.rows < 0) d.x.rows = d.y.rows;  // a network without inputs: one target row per sample
  if (d.y.rows != d.x.rows)
    throw Error("train: --x has " + std::to_string(d.x.rows) + " samples but --y has " + std::to_string(d.y.rows) +
                " rows (--y needs one row of " + std::to_string(m.output.size) + (m.output.size == 1 ? " value" : " values") +
                " per sample)");
  checkDataSet(m, d);
  return d;
}

void checkDataSet(const nag_model& m, DataSet& d) {
  if (d.x.rows < 1) throw Error("train: the data has no samples");
  if (m.input_size > 0 && d.x.cols != m.input_size)
    throw Error("train: x has " + std::to_string(d.x.cols) + " values per sample; the network takes " +
                std::to_string(m.input_size));
  if (d.y.cols != m.output.size)
    throw Error("train: y has " + std::to_string(d.y.cols) + " values per sample; the network has " +
                std::to_string(m.output.size) + " outputs");
  for (const Matrix* t : {&d.x, &d.y})
    for (size_t k = 0; k < t->data.size(); ++k)
      if (!std::isfinite(t->data[k]))
        throw Error(std::string("train: ") + (t == &d.x ? "x" : "y") + " has a value that is not finite (" +
                    std::to_string(t->data[k]) + ") in sample " + std::to_string(int64_t(k) / t->cols + 1));
  std::string bytes(reinterpret_cast<const char*>(d.x.data.data()), d.x.data.size() * sizeof(double));
  bytes.append(reinterpret_cast<const char*>(d.y.data.data()), d.y.data.size() * sizeof(double));
  d.sha256 = sha256Hex(bytes);
}

}  // namespace nagrt::train
