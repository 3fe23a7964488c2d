// Fibre.cpp — fibre moves from the network's structure, exact verification mod p, stacked Jacobian spans.
//
// A fibre move is a family of parameter points with the same function as a
// given one, read off the structure: a neuron whose outgoing weights are 0 has
// free incoming weights; one whose incoming weights are 0 (t^r, no bias) has
// free outgoing weights; two neurons with proportional incoming weights share
// their outgoing weights; a factor pair entering f through A B (linear layers,
// stacked heads, attention) takes B += n u^T for A n = 0 and A += u v^T for
// v^T B = 0. Every move is only a candidate: each point is checked exactly mod
// p at random inputs before anything uses it.
#include "Fibre.h"

#include "../Exact.h"
#include "../Runtime.h"

#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>

#include <algorithm>
#include <cstring>
#include <numeric>

namespace nagrt {

namespace {

uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p) { return uint64_t((unsigned __int128)a * b % p); }

// A uniform residue mod p (rejection sampling).
uint64_t residue(uint64_t& state, uint64_t p) {
  const uint64_t limit = ~uint64_t(0) - (~uint64_t(0) % p);
  for (;;) {
    uint64_t v = splitmix64(state);
    if (v < limit) return v % p;
  }
}

// The parameter tensor holding index i.
const nag_tensor_info* tensorOf(const nag_model& m, int64_t i) {
  for (int32_t t = 0; t < m.num_params; ++t)
    if (i >= m.params[t].offset && i < m.params[t].offset + m.params[t].size) return &m.params[t];
  return nullptr;
}

bool startsWith(const char* s, const char* prefix) { return std::strncmp(s, prefix, std::strlen(prefix)) == 0; }

// A right-kernel basis of the rows x cols rational matrix a (Gauss-Jordan).
std::vector<std::vector<mpq_class>> kernel(std::vector<std::vector<mpq_class>> a, size_t cols) {
  std::vector<int64_t> pivotOf(cols, -1);
  size_t row = 0;
  for (size_t c = 0; c < cols && row < a.size(); ++c) {
    size_t r = row;
    while (r < a.size() && sgn(a[r][c]) == 0) ++r;
    if (r == a.size()) continue;
    std::swap(a[r], a[row]);
    mpq_class inv = 1 / a[row][c];
    for (auto& v : a[row]) v *= inv;
    for (size_t o = 0; o < a.size(); ++o) {
      if (o == row || sgn(a[o][c]) == 0) continue;
      mpq_class f = a[o][c];
      for (size_t k = 0; k < cols; ++k) a[o][k] -= f * a[row][k];
    }
    pivotOf[c] = int64_t(row++);
  }
  std::vector<std::vector<mpq_class>> out;
  for (size_t free = 0; free < cols; ++free) {
    if (pivotOf[free] >= 0) continue;
    std::vector<mpq_class> v(cols, 0);
    v[free] = 1;
    for (size_t c = 0; c < cols; ++c)
      if (pivotOf[c] >= 0) v[c] = -a[size_t(pivotOf[c])][free];
    out.push_back(std::move(v));
  }
  return out;
}

std::string neuronName(const nag_model& m, const Neuron& n) {
  return "neuron " + std::to_string(n.index) + " of rule " + std::to_string(n.symmetry) + " (" +
         m.symmetries[n.symmetry].description + ")";
}

bool allZero(const QPoint& theta, const std::vector<int64_t>& idx) {
  for (int64_t i : idx)
    if (sgn(theta[size_t(i)]) != 0) return false;
  return true;
}

}  // namespace

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

Structure findStructure(const nag_model& m) {
  Structure s;
  std::vector<std::vector<int64_t>> bySymmetry(size_t(m.num_symmetries));
  for (int64_t g = 0; g < m.num_generators; ++g) bySymmetry[size_t(m.generators[g].symmetry)].push_back(g);
  for (int32_t sym = 0; sym < m.num_symmetries; ++sym) {
    const char* what = m.symmetries[sym].description;
    const auto& gens = bySymmetry[size_t(sym)];
    if (startsWith(what, "rescaling of the") && !gens.empty()) {
      std::vector<size_t> layer;
      for (size_t k = 0; k < gens.size(); ++k) {
        const nag_generator& gen = m.generators[gens[k]];
        Neuron n;
        n.symmetry = sym;
        n.index = int64_t(k);
        bool ok = true;
        for (int64_t t = 0; t < gen.num_terms; ++t) {
          int64_t row = gen.terms[3 * t], col = gen.terms[3 * t + 1], c = gen.terms[3 * t + 2];
          if (row != col) ok = false;
          if (c == 1) {
            const nag_tensor_info* ti = tensorOf(m, row);
            (ti && ti->rank == 1 ? n.bias : n.weights).push_back(row);
          } else if (c < 0) {
            n.out.push_back(row);
            n.r = -c;
          } else {
            ok = false;
          }
        }
        if (!ok || n.weights.empty() || n.out.empty()) {
          layer.clear();
          break;
        }
        layer.push_back(s.neurons.size());
        s.neurons.push_back(std::move(n));
      }
      if (!layer.empty()) {
        s.layers.push_back(std::move(layer));
        continue;
      }
    } else if (startsWith(what, "GL(") && !gens.empty()) {
      FactorPair fp;
      fp.symmetry = sym;
      for (int64_t g : gens) {
        const nag_generator& gen = m.generators[g];
        bool diagonal = true;
        for (int64_t t = 0; t < gen.num_terms; ++t) diagonal &= gen.terms[3 * t] == gen.terms[3 * t + 1];
        if (!diagonal) continue;
        std::vector<int64_t> l, r;
        for (int64_t t = 0; t < gen.num_terms; ++t)
          (gen.terms[3 * t + 2] < 0 ? l : r).push_back(gen.terms[3 * t]);
        std::sort(l.begin(), l.end());
        std::sort(r.begin(), r.end());
        fp.left.push_back(std::move(l));
        fp.right.push_back(std::move(r));
      }
      bool ok = !fp.left.empty();
      for (size_t a = 0; a < fp.left.size() && ok; ++a)
        ok = fp.left[a].size() == fp.left[0].size() && fp.right[a].size() == fp.right[0].size() &&
             !fp.left[a].empty() && !fp.right[a].empty();
      if (ok) {
        s.pairs.push_back(std::move(fp));
        continue;
      }
    }
    s.ignored.push_back(what);
  }
  return s;
}

std::vector<FibreMove> fibreMoves(const nag_model& m, const Structure& s, const QPoint& theta) {
  std::vector<FibreMove> moves;
  auto unit = [](int64_t i) { return std::vector<std::pair<int64_t, mpq_class>>{{i, mpq_class(1)}}; };
  for (const Neuron& n : s.neurons) {
    if (allZero(theta, n.out)) {
      FibreMove mv;
      mv.how = neuronName(m, n) + ": outgoing weights 0, incoming weights free";
      for (int64_t i : n.weights) mv.directions.push_back(unit(i));
      for (int64_t i : n.bias) mv.directions.push_back(unit(i));
      moves.push_back(std::move(mv));
    } else if (allZero(theta, n.weights)) {
      // Valid only when the neuron then contributes nothing: t^r with a zero
      // bias. With a nonzero bias it contributes a constant and the move is
      // wrong; it is proposed all the same, and the verification rejects it.
      FibreMove mv;
      mv.how = neuronName(m, n) + ": incoming weights 0" +
               (n.bias.empty() ? "" : allZero(theta, n.bias) ? " (bias 0)" : " (bias NOT 0)") +
               ", outgoing weights free";
      for (int64_t i : n.out) mv.directions.push_back(unit(i));
      moves.push_back(mv);
      // The point of that family with outgoing weights 0: there the incoming
      // weights are free as well (a base for further moves).
      FibreMove zero;
      zero.how = neuronName(m, n) + ": incoming weights 0, outgoing weights set to 0";
      zero.point = true;
      std::vector<std::pair<int64_t, mpq_class>> d;
      for (int64_t i : n.out) d.push_back({i, -theta[size_t(i)]});
      zero.directions.push_back(std::move(d));
      moves.push_back(std::move(zero));
    }
  }
  // Neurons of one layer with proportional incoming weights (and biases):
  // v_j = lambda v_i gives t^r(v_j x) = lambda^r t^r(v_i x), so the outgoing
  // weights c_i + lambda^r s, c_j - s give the same function for every s.
  for (const auto& layer : s.layers)
    for (size_t a = 0; a < layer.size(); ++a)
      for (size_t b = 0; b < layer.size(); ++b) {
        if (a == b) continue;
        const Neuron &ni = s.neurons[layer[a]], &nj = s.neurons[layer[b]];
        std::vector<int64_t> vi = ni.weights, vj = nj.weights;
        vi.insert(vi.end(), ni.bias.begin(), ni.bias.end());
        vj.insert(vj.end(), nj.bias.begin(), nj.bias.end());
        if (vi.size() != vj.size() || ni.out.size() != nj.out.size() || allZero(theta, vi) || allZero(theta, vj) ||
            allZero(theta, nj.out))
          continue;
        mpq_class lambda;
        bool proportional = true, set = false;
        for (size_t k = 0; k < vi.size() && proportional; ++k) {
          const mpq_class &x = theta[size_t(vi[k])], &y = theta[size_t(vj[k])];
          if (sgn(x) == 0) {
            proportional = sgn(y) == 0;
          } else if (!set) {
            lambda = y / x;
            set = true;
          } else {
            proportional = y == lambda * x;
          }
        }
        if (!proportional || !set) continue;
        mpq_class lr = 1;
        for (int64_t e = 0; e < ni.r; ++e) lr *= lambda;
        std::string pair = "neurons " + std::to_string(ni.index) + " and " + std::to_string(nj.index) + " of rule " +
                           std::to_string(ni.symmetry) + " (incoming weights proportional)";
        if (a < b) {  // the family, once per pair
          FibreMove mv;
          mv.how = pair + ": outgoing weights redistributed";
          for (size_t k = 0; k < ni.out.size(); ++k) mv.directions.push_back({{ni.out[k], lr}, {nj.out[k], mpq_class(-1)}});
          moves.push_back(std::move(mv));
        }
        FibreMove merge;  // all of j's outgoing weight moved to i: j is then dead
        merge.how = pair + ": neuron " + std::to_string(nj.index) + "'s outgoing weights moved onto neuron " +
                    std::to_string(ni.index);
        merge.point = true;
        std::vector<std::pair<int64_t, mpq_class>> d;
        for (size_t k = 0; k < ni.out.size(); ++k) {
          const mpq_class& c = theta[size_t(nj.out[k])];
          d.push_back({ni.out[k], lr * c});
          d.push_back({nj.out[k], -c});
        }
        merge.directions.push_back(std::move(d));
        moves.push_back(std::move(merge));
      }
  // Factor pairs: f depends on them through S = sum_a L_a R_a^T only.
  for (const FactorPair& fp : s.pairs) {
    size_t k = fp.left.size(), nl = fp.left[0].size(), nr = fp.right[0].size();
    std::vector<std::vector<mpq_class>> lm(nl, std::vector<mpq_class>(k)), rt(nr, std::vector<mpq_class>(k));
    for (size_t a = 0; a < k; ++a) {
      for (size_t i = 0; i < nl; ++i) lm[i][a] = theta[size_t(fp.left[a][i])];
      for (size_t j = 0; j < nr; ++j) rt[j][a] = theta[size_t(fp.right[a][j])];
    }
    std::string rule = "rule " + std::to_string(fp.symmetry) + " (" + m.symmetries[fp.symmetry].description + ")";
    // A n = 0: R_a += n_a u for every u.
    for (const auto& n : kernel(lm, k)) {
      FibreMove mv;
      mv.how = rule + ": the left factor has a kernel vector n; the right factor's rows move by n u^T";
      for (size_t j = 0; j < nr; ++j) {
        std::vector<std::pair<int64_t, mpq_class>> d;
        for (size_t a = 0; a < k; ++a)
          if (sgn(n[a]) != 0) d.push_back({fp.right[a][j], n[a]});
        mv.directions.push_back(std::move(d));
      }
      moves.push_back(std::move(mv));
    }
    // v^T B = 0: L_a += v_a u for every u.
    for (const auto& v : kernel(rt, k)) {
      FibreMove mv;
      mv.how = rule + ": the right factor has a left kernel vector v; the left factor's columns move by u v^T";
      for (size_t i = 0; i < nl; ++i) {
        std::vector<std::pair<int64_t, mpq_class>> d;
        for (size_t a = 0; a < k; ++a)
          if (sgn(v[a]) != 0) d.push_back({fp.left[a][i], v[a]});
        mv.directions.push_back(std::move(d));
      }
      moves.push_back(std::move(mv));
    }
  }
  return moves;
}

QPoint instance(const QPoint& base, const FibreMove& move, uint64_t& state) {
  QPoint out = base;
  for (const auto& d : move.directions) {
    long t = 1;
    if (!move.point) {
      t = long(splitmix64(state) % 1000) + 1;  // a small nonzero integer: the point stays rational
      if (splitmix64(state) & 1) t = -t;
    }
    for (const auto& [i, c] : d) out[size_t(i)] += t * c;
  }
  return out;
}

bool reduce(const QPoint& theta, uint64_t p, std::vector<uint64_t>& out) {
  out.resize(theta.size());
  for (size_t i = 0; i < theta.size(); ++i) {
    uint64_t den = mpz_fdiv_ui(theta[i].get_den_mpz_t(), p);
    if (den == 0) return false;
    out[i] = mulmod(mpz_fdiv_ui(theta[i].get_num_mpz_t(), p), n_invmod(den, p), p);
  }
  return true;
}

bool sameFunction(const nag_model& m, const QPoint& a, const QPoint& b, const std::vector<uint64_t>& primes,
                  int64_t points, uint64_t seed, std::string& why) {
  const int64_t I = m.input_size, O = m.output.size;
  if (I == 0) points = 1;
  for (uint64_t p : primes) {
    std::vector<uint64_t> ta, tb;
    if (!reduce(a, p, ta) || !reduce(b, p, tb)) {
      why = "a denominator is divisible by p = " + std::to_string(p);
      return false;
    }
    nag_modulus mod;
    initModulus(m, &mod, p, "fibre");
    uint64_t state = seed ^ (p * 0x2545F4914F6CDD1Dull);
    std::vector<uint64_t> x(size_t(points * I)), ya(size_t(points * O)), yb(size_t(points * O));
    for (auto& v : x) v = residue(state, p);
    mod.vanished = 0;
    evalMod(m, ta.data(), x.data(), ya.data(), points, &mod);
    evalMod(m, tb.data(), x.data(), yb.data(), points, &mod);
    if (mod.vanished) {
      why = "a denominator vanished mod " + std::to_string(p) + " at a check point";
      return false;
    }
    for (int64_t j = 0; j < points; ++j)
      for (int64_t o = 0; o < O; ++o)
        if (ya[size_t(j * O + o)] != yb[size_t(j * O + o)]) {
          why = "f changes: output " + std::to_string(o) + " differs mod " + std::to_string(p) + " at check point " +
                std::to_string(j + 1) + " of " + std::to_string(points);
          return false;
        }
  }
  return true;
}


// Finite symmetries beyond the rescaling layers. Every candidate is a map
// theta -> g theta that permutes or negates entries; it is kept only when
// f_{g theta} = f_theta at a random integer theta (so a polynomial identity in
// theta holds unless theta hit its zero set: probability at most deg/2^30 per
// candidate) and at `points` random inputs mod each prime. An entry that a
// continuous generator moves is not used: a generator off the diagonal (GL)
// can carry out the permutation continuously, and a diagonal one (a
// rescaling) can carry out a sign change, so such an element need not be a
// new point modulo the continuous symmetries.
FiniteSearch findNeuronGroups(const nag_model& m, const Structure& s, const std::vector<uint64_t>& primes,
                              int64_t points, uint64_t seed) {
  FiniteSearch out;
  std::vector<int64_t> withGenerators(size_t(m.num_symmetries), 0);
  for (int64_t g = 0; g < m.num_generators; ++g) ++withGenerators[size_t(m.generators[g].symmetry)];
  for (int32_t sym = 0; sym < m.num_symmetries; ++sym)
    if (m.symmetries[sym].dimension > 0 && withGenerators[size_t(sym)] == 0) {
      out.skipped = std::string("the symmetry '") + m.symmetries[sym].description +
                    "' has no generators in this program (too many terms), so what it moves is unknown";
      return out;
    }
  const size_t P = size_t(m.param_count);
  std::vector<char> moved(P, 0), permuted(P, 0);  // by any generator; by one off the diagonal
  for (int64_t g = 0; g < m.num_generators; ++g) {
    const nag_generator& gen = m.generators[g];
    for (int64_t t = 0; t < gen.num_terms; ++t) {
      int64_t row = gen.terms[3 * t], col = gen.terms[3 * t + 1];
      moved[size_t(row)] = moved[size_t(col)] = 1;
      if (row != col) permuted[size_t(row)] = permuted[size_t(col)] = 1;
    }
  }
  std::vector<char> rescaled(P, 0);  // incoming weights of a rescaling layer's neurons: searched already
  for (const Neuron& n : s.neurons)
    for (int64_t i : n.weights) rescaled[size_t(i)] = 1;
  uint64_t state = seed * 0x9E6C63D0676A9A99ull + 0x51ED27;
  QPoint theta(P);
  for (auto& v : theta) {
    uint64_t r = splitmix64(state);
    v = mpq_class(int64_t(r % (uint64_t(1) << 30)) + 1) * ((r >> 63) ? -1 : 1);
  }
  auto any = [&](const std::vector<char>& flag, const std::vector<int64_t>& idx) {
    for (int64_t i : idx)
      if (flag[size_t(i)]) return true;
    return false;
  };
  auto holds = [&](const QPoint& g) {
    std::string why;
    return sameFunction(m, theta, g, primes, points, splitmix64(state), why);
  };
  std::vector<char> used(size_t(m.num_params), 0);  // an A of a group found
  for (int32_t ia = 0; ia < m.num_params; ++ia) {
    const nag_tensor_info& A = m.params[ia];
    if (A.rank != 2 || used[size_t(ia)]) continue;
    const int64_t rows = A.shape[0], n = A.shape[1];
    for (int32_t ib = 0; ib < m.num_params && !used[size_t(ia)]; ++ib) {
      const nag_tensor_info& B = m.params[ib];
      if (ib == ia || B.rank != 2 || B.shape[1] != rows) continue;
      const int64_t q = B.shape[0];
      // Neuron i's entries: row i of A, column i of B, and entry i of the bias.
      auto incoming = [&](int64_t i, int32_t bias) {
        std::vector<int64_t> idx;
        for (int64_t j = 0; j < n; ++j) idx.push_back(A.offset + i * n + j);
        if (bias >= 0) idx.push_back(m.params[bias].offset + i);
        return idx;
      };
      auto outgoing = [&](int64_t i) {
        std::vector<int64_t> idx;
        for (int64_t j = 0; j < q; ++j) idx.push_back(B.offset + j * rows + i);
        return idx;
      };
      std::vector<int64_t> all;
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t k : incoming(i, -1)) all.push_back(k);
        for (int64_t k : outgoing(i)) all.push_back(k);
      }
      if (any(rescaled, all)) continue;
      // theta with the neurons permuted by pi (neuron i takes neuron pi(i)'s entries).
      auto permutedBy = [&](const std::vector<int64_t>& pi, int32_t bias) {
        QPoint g = theta;
        for (int64_t i = 0; i < rows; ++i) {
          std::vector<int64_t> to = incoming(i, bias), from = incoming(pi[size_t(i)], bias);
          for (size_t k = 0; k < to.size(); ++k) g[size_t(to[k])] = theta[size_t(from[k])];
          to = outgoing(i), from = outgoing(pi[size_t(i)]);
          for (size_t k = 0; k < to.size(); ++k) g[size_t(to[k])] = theta[size_t(from[k])];
        }
        return g;
      };
      std::vector<int32_t> biases = {-1};
      for (int32_t ic = 0; ic < m.num_params; ++ic)
        if (ic != ia && ic != ib && m.params[ic].rank == 1 && m.params[ic].shape[0] == rows) biases.push_back(ic);
      NeuronGroup grp;
      grp.a = A.name;
      grp.b = B.name;
      grp.neurons = rows;
      int32_t bias = -1;
      if (rows >= 2) {
        std::vector<int64_t> transposed(static_cast<size_t>(rows)), cycle(static_cast<size_t>(rows));
        std::iota(transposed.begin(), transposed.end(), int64_t(0));
        std::swap(transposed[0], transposed[1]);
        for (int64_t i = 0; i < rows; ++i) cycle[size_t(i)] = (i + 1) % rows;
        for (int32_t c : biases) {
          std::vector<int64_t> touched = all;
          if (c >= 0)
            for (int64_t i = 0; i < rows; ++i) touched.push_back(m.params[c].offset + i);
          if (any(permuted, touched) || !holds(permutedBy(transposed, c))) continue;
          grp.permute = rows == 2 || holds(permutedBy(cycle, c));
          if (grp.permute) {
            bias = c;
            break;
          }
        }
      }
      // Sign changes: neuron 0 alone once S_m holds (the others are its conjugates), else each neuron.
      std::vector<int32_t> flipBiases = grp.permute ? std::vector<int32_t>{bias} : biases;
      for (int64_t i = 0; i < (grp.permute ? 1 : rows); ++i)
        for (int32_t c : flipBiases) {
          std::vector<int64_t> in = incoming(i, c), outw = outgoing(i), both = in;
          both.insert(both.end(), outw.begin(), outw.end());
          if (any(moved, both)) continue;
          bool found = false;
          for (bool odd : {true, false}) {
            if (grp.signs > 0 && odd != grp.odd) continue;
            QPoint g = theta;
            for (int64_t k : in) g[size_t(k)] = -g[size_t(k)];
            if (odd)
              for (int64_t k : outw) g[size_t(k)] = -g[size_t(k)];
            if (holds(g)) {
              grp.odd = odd;
              found = true;
              break;
            }
          }
          if (found) {
            ++grp.signs;
            if (bias < 0) bias = c;
            break;
          }
        }
      if (grp.permute) grp.signs = grp.signs > 0 ? rows : 0;
      if (!grp.permute && grp.signs == 0) continue;
      grp.bias = bias >= 0 ? m.params[bias].name : "";
      used[size_t(ia)] = 1;
      out.groups.push_back(std::move(grp));
    }
  }
  return out;
}

RowFunctionals rowFunctionals(const nag_model& m, uint64_t p, int64_t rows, uint64_t seed) {
  RowFunctionals f;
  f.p = p;
  const int64_t I = m.input_size, O = m.output.size;
  f.points = I == 0 ? 1 : rows;
  f.rows = I == 0 ? O : rows;
  uint64_t state = seed * 0xD1B54A32D192ED03ull + p;
  f.x.resize(size_t(f.points * I));
  for (auto& v : f.x) v = residue(state, p);
  f.w.resize(size_t(f.points * O));
  for (auto& v : f.w) v = residue(state, p);
  return f;
}

bool jacobianRows(const nag_model& m, const RowFunctionals& f, const std::vector<uint64_t>& theta,
                  std::vector<uint64_t>& out) {
  const int64_t P = m.param_count, O = m.output.size, I = m.input_size;
  const uint64_t p = f.p;
  nag_modulus mod;
  initModulus(m, &mod, p, "fibre");
  out.assign(size_t(f.rows * P), 0);
  constexpr int64_t kBlock = 256;
  std::vector<uint64_t> y(size_t(std::min(kBlock, f.points) * O * P));
  for (int64_t first = 0; first < f.points; first += kBlock) {
    int64_t count = std::min(kBlock, f.points - first);
    jacThetaMod(m, theta.data(), f.x.data() + first * I, y.data(), count, &mod);
    if (mod.vanished) return false;
    for (int64_t i = 0; i < count; ++i)
      for (int64_t j = 0; j < P; ++j) {
        if (I == 0) {
          for (int64_t k = 0; k < O; ++k) out[size_t(k * P + j)] = y[size_t(k * P + j)];
          continue;
        }
        unsigned __int128 acc = 0;
        for (int64_t k = 0; k < O; ++k)
          acc = (acc + (unsigned __int128)f.w[size_t((first + i) * O + k)] * y[size_t((i * O + k) * P + j)]) % p;
        out[size_t((first + i) * P + j)] = uint64_t(acc);
      }
  }
  return true;
}

int64_t ColumnSpan::add(const std::vector<uint64_t>& matrix, int64_t cols) {
  // Rows of t: the basis, then the new columns; its row echelon form is the new basis.
  nmod_mat_t t;
  nmod_mat_init(t, slong(basis_.size()) + cols, rows_, p_);
  for (size_t b = 0; b < basis_.size(); ++b)
    for (int64_t i = 0; i < rows_; ++i) nmod_mat_entry(t, b, i) = basis_[b][size_t(i)];
  for (int64_t c = 0; c < cols; ++c)
    for (int64_t i = 0; i < rows_; ++i) nmod_mat_entry(t, slong(basis_.size()) + c, i) = matrix[size_t(i * cols + c)];
  slong r = nmod_mat_rref(t);
  basis_.assign(size_t(r), std::vector<uint64_t>(size_t(rows_)));
  for (slong b = 0; b < r; ++b)
    for (int64_t i = 0; i < rows_; ++i) basis_[size_t(b)][size_t(i)] = nmod_mat_entry(t, b, i);
  nmod_mat_clear(t);
  return int64_t(r);
}

int64_t rankOf(const std::vector<std::vector<uint64_t>>& vectors, int64_t n, uint64_t p) {
  if (vectors.empty() || n == 0) return 0;
  nmod_mat_t a;
  nmod_mat_init(a, slong(vectors.size()), n, p);
  for (size_t i = 0; i < vectors.size(); ++i)
    for (int64_t c = 0; c < n; ++c) nmod_mat_entry(a, i, c) = vectors[i][size_t(c)];
  int64_t r = int64_t(nmod_mat_rank(a));
  nmod_mat_clear(a);
  return r;
}

QPoint readPoint(const std::string& path, int64_t P, const std::string& flag) {
  QPoint out;
  mpq_class q;
  for (const ExactToken& t : readExactTokens(path, flag, P)) {
    if (!parseExact(t.text, q.get_mpq_t()))
      throw Error(flag + ": " + path + ":" + std::to_string(t.line) + ": '" + t.text + "' is not an exact number");
    out.push_back(q);
  }
  if (int64_t(out.size()) != P)
    throw Error(flag + ": " + path + ": expected " + std::to_string(P) + " values, found " + std::to_string(out.size()));
  return out;
}

}  // namespace nagrt
