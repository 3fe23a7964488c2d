// FibreCli.cpp — `fibre [--at T]` and `singular --at T`: the fibre of mu and the tangent span over it.
//
// docs/fibres-and-singular-points.md defines every word printed here. The
// dimension m comes from measureDimension (two primes); the points of the
// fibre through T from the structural moves of exact/Fibre.cpp, each verified
// exactly mod two primes before use; the tangent span is the rank mod p of
// [dmu(theta_1) | ... | dmu(theta_K)] under fixed random row functionals.
#include "CliSupport.h"
#include "Dim.h"
#include "Exact.h"
#include "exact/Equations.h"
#include "exact/Fibre.h"
#include "exact/Interpolate.h"
#include "numeric/Pullback.h"
#include "numeric/WitnessDegree.h"

#include <gmp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace nagrt {

namespace {

constexpr int64_t kRowMargin = 8;     // functionals beyond the largest rank that can occur
constexpr int64_t kMaxPoints = 64;    // fibre points stacked at most
constexpr size_t kMaxBases = 8;       // points moves are generated from (T and merged points)
constexpr int kPatience = 2;          // instances of a family that add no rank before it is left




/// The generic dimension and what makes it exact.
struct Dimension {
  DimReport r;
  int64_t P = 0, m = -1, orbit = 0, coordinate = -1, proven = -1;
  std::string provenBy;
  bool certified = false;
  double underestimate = NAN;  ///< both runs below the generic rank (Schwartz-Zippel)
  uint64_t p1 = 0, p2 = 0;
};

Dimension measure(const nag_model& m, uint64_t seed) {
  if (!m.jac_theta_mod || !m.eval_mod)
    throw Error("fibres and singular points are computed exactly: " + noExactRoute(m));
  Dimension d;
  DimOptions o;
  o.seed = seed;
  d.r = measureDimension(m, o);
  d.P = m.param_count;
  d.m = d.r.exactRank;
  d.p1 = d.r.runs[0].prime;
  d.p2 = d.r.runs[1].prime;
  d.orbit = d.r.tangentRank + d.r.unverifiedSymmetry;
  bool poly = std::strcmp(m.algebraic_class, "polynomial") == 0;
  if (poly) decimalInt64(m.ambient_dimension, d.coordinate);
  d.proven = d.P - d.orbit;
  d.provenBy = "P - symmetries";
  if (d.coordinate >= 0 && d.coordinate < d.proven) {
    d.proven = d.coordinate;
    d.provenBy = "coordinate space";
  }
  int64_t lin = -1;
  if (decimalInt64(m.linear_rank_bound, lin) && lin < d.proven) {
    d.proven = lin;
    d.provenBy = "linear rank bound";
  }
  d.certified = d.m == d.proven;
  if (poly && m.total_degree > 0) {
    double u = double(std::min({d.P, d.r.rows, d.proven})) * double(m.total_degree);
    d.underestimate = (u / double(d.p1)) * (u / double(d.p2));
  }
  return d;
}

std::string dimensionStatus(const Dimension& d) {
  if (d.certified) return "certified: the exact rank meets the proven upper bound '" + d.provenBy + "'";
  return "the generic rank at random points over two primes: a lower bound, equal to dim V unless both runs "
         "fell on special points (probability <= " + jsonShort(d.underestimate) + ")";
}

/// A fibre point and how it was found.
struct Found {
  QPoint theta;
  std::string how;
};

/// What was tried: a move from a base point, its verified and rejected instances.
struct Tried {
  std::string how;
  size_t base = 0;
  int accepted = 0, rejected = 0;
  int64_t rankGain = 0;
  bool skipped = false;  ///< left early: the span reached its largest possible value, or the point cap
  std::string reason;    ///< why an instance was rejected
};

struct Exploration {
  std::vector<Found> points;  ///< points[0] is T
  std::vector<Tried> tried;
  std::vector<uint64_t> bases;  ///< indices into points
  int64_t rows = 0, verifyPoints = 0;
  int64_t rank1 = 0, rank2 = 0;     ///< the stacked span's rank, each prime
  int64_t rankT1 = 0, rankT2 = 0;   ///< the rank at T, each prime
  bool capped = false;
};

// The functionals must separate the span of V (it holds every tangent space):
// the measured span, the coordinate space, or at least m + 1 rows.
int64_t rowCount(const Dimension& d) {
  int64_t base = d.r.span.known ? d.r.span.value : d.coordinate >= 0 ? d.coordinate : std::max(d.r.span.value, d.P);
  if (d.coordinate >= 0) base = std::min(base, d.coordinate);
  return std::min<int64_t>(std::max(base, d.m + 1) + kRowMargin, 20000);
}

std::vector<uint64_t> modP(const QPoint& theta, uint64_t p) {
  std::vector<uint64_t> t;
  if (!reduce(theta, p, t)) throw Error("a parameter's denominator is divisible by the prime " + std::to_string(p));
  return t;
}

Exploration explore(const nag_model& m, const Dimension& d, const QPoint& T, uint64_t seed, bool stack) {
  Exploration e;
  e.rows = rowCount(d);
  e.verifyPoints = std::max<int64_t>(32, e.rows);
  const int64_t P = d.P;
  const std::vector<uint64_t> primes{d.p1, d.p2};
  Structure s = findStructure(m);
  RowFunctionals f1 = rowFunctionals(m, d.p1, e.rows, seed);
  ColumnSpan span1(f1.rows, d.p1);
  int64_t upper = f1.rows;
  if (d.r.span.known) upper = std::min(upper, d.r.span.value);
  if (d.coordinate >= 0) upper = std::min(upper, d.coordinate);
  std::vector<uint64_t> jac;
  auto addPoint = [&](const QPoint& theta) {
    if (!stack) return int64_t(0);
    if (!jacobianRows(m, f1, modP(theta, d.p1), jac)) throw Error("a denominator vanished mod p in dmu at a fibre point");
    int64_t before = span1.rank();
    return span1.add(jac, P) - before;
  };
  e.points.push_back({T, "T itself"});
  if (stack) {
    addPoint(T);
    e.rankT1 = span1.rank();
  }
  e.bases.push_back(0);
  uint64_t state = streamState(seed, 17);
  auto full = [&] { return int64_t(e.points.size()) >= kMaxPoints || (stack && span1.rank() >= upper); };
  for (size_t bi = 0; bi < e.bases.size() && !full(); ++bi) {
    QPoint base = e.points[e.bases[bi]].theta;
    for (const FibreMove& mv : fibreMoves(m, s, base)) {
      if (full()) break;  // nothing more to gain: the span is as large as it can be, or the cap is reached
      Tried t;
      t.how = mv.how;
      t.base = e.bases[bi];
      int stall = 0;
      int instances = mv.point ? 1 : int(mv.directions.size()) + 1;
      for (int k = 0; k < instances; ++k) {
        if (full()) {
          t.skipped = true;
          break;
        }
        QPoint cand = instance(base, mv, state);
        std::string why;
        if (!sameFunction(m, cand, T, primes, e.verifyPoints, splitmix64(state), why)) {
          ++t.rejected;
          t.reason = why;
          break;  // a family that fails once is not a fibre family
        }
        ++t.accepted;
        e.points.push_back({cand, mv.how});
        int64_t gain = addPoint(cand);
        t.rankGain += gain;
        if (mv.point && e.bases.size() < kMaxBases) e.bases.push_back(e.points.size() - 1);
        if (gain == 0 && ++stall >= kPatience) break;
      }
      e.tried.push_back(std::move(t));
    }
  }
  e.capped = int64_t(e.points.size()) >= kMaxPoints;
  e.rank1 = span1.rank();
  if (stack) {  // the second prime, with its own functionals, over the same points
    RowFunctionals f2 = rowFunctionals(m, d.p2, e.rows, seed + 1);
    ColumnSpan span2(f2.rows, d.p2);
    for (size_t i = 0; i < e.points.size(); ++i) {
      if (!jacobianRows(m, f2, modP(e.points[i].theta, d.p2), jac))
        throw Error("a denominator vanished mod p in dmu at a fibre point");
      span2.add(jac, P);
      if (i == 0) e.rankT2 = span2.rank();
    }
    e.rank2 = span2.rank();
  }
  return e;
}

std::string triedJson(const Exploration& e, bool gains) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < e.tried.size(); ++i) {
    const Tried& t = e.tried[i];
    out << (i ? ",\n    " : "\n    ") << "{\"move\": " << jsonString(t.how) << ", \"from_point\": " << t.base
        << ", \"accepted\": " << t.accepted << ", \"rejected\": " << t.rejected << ", \"rank_gain\": " << (gains ? std::to_string(t.rankGain) : "null")
        << ", \"stopped_early\": " << (t.skipped ? "true" : "false")
        << ", \"rejected_because\": " << (t.reason.empty() ? "null" : jsonString(t.reason)) << "}";
  }
  out << "]";
  return out.str();
}

std::string triedText(const Exploration& e, bool gains) {
  std::ostringstream out;
  for (const Tried& t : e.tried) {
    out << "    from point " << t.base << ": " << t.how << "\n      " << t.accepted << " verified";
    if (gains) out << ", span +" << t.rankGain;
    if (t.rejected) out << "; REJECTED: " << t.reason;
    if (t.skipped && gains) out << " (stopped: the span reached its largest possible value)";
    out << "\n";
  }
  if (e.tried.empty()) out << "    (the structure offers no move at this point)\n";
  return out.str();
}

// The known finite group modulo the continuous symmetries: the permutations
// of each rescaling layer's neurons, and the groups found by checking
// candidates exactly (exact/Fibre.h, findNeuronGroups). `factors`: one
// (order, what) per factor; `formula` their product ("3! x 2^2").
struct FiniteGroup {
  std::string order, formula;
  std::vector<std::pair<std::string, std::string>> factors;
  std::string note;  ///< what was not searched, or ""
};

FiniteGroup finiteGroup(const nag_model& m, const Structure& s, const FiniteSearch& found) {
  FiniteGroup out;
  mpz_class g = 1;
  auto factor = [&](const std::string& order, const std::string& what) {
    out.formula += (out.formula.empty() ? "" : " x ") + order;
    out.factors.push_back({order, what});
  };
  for (const auto& layer : s.layers) {
    mpz_class f;
    mpz_fac_ui(f.get_mpz_t(), (unsigned long)layer.size());
    g *= f;
    factor(std::to_string(layer.size()) + "!",
           "permutations of the neurons that the rule '" +
               std::string(m.symmetries[s.neurons[layer[0]].symmetry].description) + "' rescales");
  }
  for (const NeuronGroup& n : found.groups) {
    std::string between = std::to_string(n.neurons) + (n.neurons == 1 ? " neuron" : " neurons") + " between " + n.a +
                          (n.bias.empty() ? "" : " (with " + n.bias + ")") + " and " + n.b;
    if (n.permute) {
      mpz_class f;
      mpz_fac_ui(f.get_mpz_t(), (unsigned long)n.neurons);
      g *= f;
      factor(std::to_string(n.neurons) + "!", "permutations of the " + between + " (checked exactly)");
    }
    if (n.signs > 0) {
      mpz_class f;
      mpz_ui_pow_ui(f.get_mpz_t(), 2, (unsigned long)n.signs);
      g *= f;
      std::string which = n.signs == n.neurons ? "each" : std::to_string(n.signs);
      std::string inc = "its row of " + n.a + (n.bias.empty() ? "" : " and its entry of " + n.bias);
      factor("2^" + std::to_string(n.signs),
             n.odd ? "the sign of " + which + " of the " + between + " (" + inc + " and its column of " + n.b +
                         " negated: an odd activation; checked exactly)"
                   : "the sign of " + which + " of the " + std::to_string(n.neurons) + " rows of " + n.a +
                         (n.bias.empty() ? "" : " with their entries of " + n.bias) +
                         " (f is even in each: an even activation; checked exactly)");
    }
  }
  if (out.formula.empty()) out.formula = "1";
  out.order = g.get_str();
  out.note = found.skipped.empty() ? "" : "not searched beyond the rescaling layers: " + found.skipped;
  return out;
}

/// The Jacobian criterion at f_T with the lowest-degree equations of V.
struct Criterion {
  bool ran = false;
  std::string skipped;     ///< why it did not run or stopped short
  int64_t degree = 0;      ///< equations of every degree up to this one were used
  int64_t equations = 0;   ///< their number, with the vanishing coordinates
  int64_t rank = -1;       ///< the largest rank of their Jacobian at f_T over the primes
  int64_t codimension = -1;
  std::vector<uint64_t> primes;  ///< the primes of the rank
  std::vector<uint64_t> lifted;  ///< the primes the equations were lifted from
  uint64_t verifyPrime = 0;
  int64_t verifyPoints = 0;
};

// Equations of degree 1, 2, ... up to o.maxDegree or the column budget, until
// their Jacobian at c(T) reaches N - m. Rank mod p <= rank over Q <= N - dim V
// when they vanish on V, and dim V >= m, so reaching N - m proves both
// dim V = m and that the Zariski tangent space at f_T has dimension m.
Criterion jacobianCriterion(const nag_model& m, const Dimension& d, const QPoint& T, uint64_t seed,
                            const SingularOptions& o) {
  Criterion c;
  if (!o.equations) {
    c.skipped = "not run (--no-equations)";
    return c;
  }
  if (std::strcmp(m.algebraic_class, "polynomial") != 0 || d.coordinate < 0) {
    c.skipped = std::string("not run: equations in coefficient coordinates need a polynomial network (this one is ") +
                m.algebraic_class + ")";
    return c;
  }
  c.ran = true;
  c.codimension = d.coordinate - d.m;
  for (int64_t k = 1; o.maxDegree == 0 || k <= o.maxDegree; ++k) {
    EquationOptions eo;
    eo.maxDegree = k;
    eo.maxColumns = o.maxColumns;
    eo.seed = seed;
    EquationResult r = findEquations(m, eo);
    if (r.lastDegree < k && !r.fills) {  // the degree-k matrix is beyond the budget
      c.skipped = r.stopped;
      break;
    }
    // V dense in the space of its nonzero coordinates: the vanishing coordinates are all its equations.
    c.degree = r.fills ? 1 : k;
    c.equations = int64_t(r.zero.size() + r.equations.size());
    c.lifted = r.primes;
    c.verifyPrime = r.verifyPrime;
    c.verifyPoints = r.verifyPoints;
    if (!r.verified) {
      c.skipped = "the equations did not vanish at fresh image points mod " + std::to_string(r.verifyPrime);
      c.rank = -1;
      break;
    }
    c.rank = 0;
    c.primes.clear();
    for (uint64_t p = primeBelowN(std::min(uint64_t(1) << 61, modularPrimeLimit(m))); c.primes.size() < 2; p = primeBelowN(p)) {
      std::vector<uint64_t> t;
      if (!reduce(T, p, t)) continue;
      int64_t rank = equationJacobianRank(m, r, t, p, seed + c.primes.size());
      if (rank < 0) continue;  // a denominator of f vanished at T mod p
      c.primes.push_back(p);
      c.rank = std::max(c.rank, rank);
    }
    if (c.rank >= c.codimension || r.fills) break;
  }
  return c;
}

std::string criterionJson(const Criterion& c) {
  if (!c.ran) return "{\"ran\": false, \"why\": " + jsonString(c.skipped) + "}";
  std::ostringstream out;
  out << "{\"ran\": true, \"degree\": " << c.degree << ", \"equations\": " << c.equations
      << ", \"jacobian_rank\": " << c.rank << ", \"codimension\": " << c.codimension << ", \"rank_primes\": [";
  for (size_t i = 0; i < c.primes.size(); ++i) out << (i ? ", " : "") << c.primes[i];
  out << "], \"lifted_from_primes\": " << c.lifted.size() << ", \"verify_prime\": " << c.verifyPrime
      << ", \"verified_at\": " << c.verifyPoints << ", \"stopped\": " << (c.skipped.empty() ? "null" : jsonString(c.skipped))
      << "}";
  return out.str();
}

/// The singular-point test at T, with what the report prints.
struct SingularRun {
  Dimension d;
  Exploration e;
  Criterion criterion;
  int64_t tangent = 0, rankT = 0;
  std::string verdict, reason;
  bool tracked = false;            ///< the tracker looked for fibre points
  std::string trackSkipped;        ///< why not
  numeric::FibreThrough through;
};

// Fibre points of f_T from the path tracker, and the numerical tangent span over them: evidence where the
// structure's exact points decide nothing (a network whose fibre moves nagc does not know, a branch the moves do
// not reach). Numerical, so it never certifies: it says what the singular values show.
void trackFibre(const nag_model& m, const QPoint& T, uint64_t seed, const SingularOptions& o, SingularRun& run) {
  const Dimension& d = run.d;
  if (!o.track) {
    run.trackSkipped = "not run (--no-track)";
    return;
  }
  if (!m.eval_complex || !m.jac_theta_complex) {
    run.trackSkipped = "not run: the program has no complex kernels (" + kernelsLeftOut(m) + ")";
    return;
  }
  int64_t span = d.r.span.known ? d.r.span.value : d.coordinate;
  if (span <= 0 || d.m <= 0) {
    run.trackSkipped = "not run: no bound on the span for evaluation coordinates";
    return;
  }
  std::vector<numeric::cplx> t;
  for (const mpq_class& q : T) {
    t.emplace_back(q.get_d(), 0.0);
    if (!std::isfinite(t.back().real())) {
      run.trackSkipped = "not run: a coordinate of T does not fit a double";
      return;
    }
  }
  numeric::WitnessOptions w;
  w.seed = seed;
  w.progress = o.progress;
  try {
    run.through = numeric::fibreThrough(m, d.m, span, t, w);
  } catch (const Error& e) {
    run.trackSkipped = std::string("stopped: ") + e.what();  // the exact verdict stands without it
    return;
  }
  run.tracked = true;
  const numeric::FibreThrough& f = run.through;
  char buf[160];
  std::string evidence;
  if (f.tangentRank < 0) {
    evidence = "the SVD of the tangent spaces failed";
  } else {
    std::snprintf(buf, sizeof buf, "%lld (singular values relative to the largest: sigma_%lld = %.1e, sigma_%lld = %.1e)",
                  (long long)f.tangentRank, (long long)f.tangentRank,
                  f.tangentRank > 0 ? f.sigma[size_t(f.tangentRank - 1)] : 0.0, (long long)(f.tangentRank + 1),
                  f.tangentRank < int64_t(f.sigma.size()) ? f.sigma[size_t(f.tangentRank)] : 0.0);
    evidence = buf;
  }
  std::string found = std::to_string(f.points.size() - 1) + " fibre points besides T from the path tracker (" +
                      std::to_string(f.paths) + " paths from a generic point of a slice through T" +
                      (f.witness.complete ? "" : ", its witness set INCOMPLETE") + "; " + std::to_string(f.singularEnds) +
                      " singular endpoints on the fibre left out)";
  std::string verdictText = f.tangentRank > d.m ? "numerically, f_T is singular (not a certificate: floating point)"
                            : f.tangentRank >= 0 ? "numerically no larger than dim V over these points"
                                                 : "no numerical verdict";
  run.reason += "; " + found + ": their numerical tangent span has rank " + evidence + " against dim V = " +
                std::to_string(d.m) + ": " + verdictText;
}

std::string trackedJson(const SingularRun& run) {
  if (!run.tracked) return "{\"ran\": false, \"skipped\": " + jsonString(run.trackSkipped) + "}";
  const numeric::FibreThrough& f = run.through;
  std::ostringstream out;
  out << "{\"ran\": true, \"chart\": " << jsonString(f.setup.chart) << ", \"paths\": " << f.paths
      << ", \"points\": " << f.points.size() << ", \"regular\": " << f.regular << ", \"singular_endpoints\": "
      << f.singularEnds << ", \"elsewhere\": " << f.elsewhere << ", \"failed\": " << f.failed
      << ", \"witness_complete\": " << (f.witness.complete ? "true" : "false") << ", \"witness_solutions\": "
      << f.witness.solutions << ", \"trace_residual\": "
      << (f.witness.traceTests ? jsonShort(f.witness.traceResidual) : "null") << ", \"numerical_tangent_rank\": "
      << f.tangentRank << ", \"gap\": " << jsonShort(f.gap) << ", \"singular_values\": [";
  for (size_t i = 0; i < f.sigma.size() && i < 64; ++i) out << (i ? ", " : "") << jsonShort(f.sigma[i]);
  out << "], \"theta\": [";
  for (size_t p = 0; p < f.points.size(); ++p) {
    out << (p ? ", " : "") << "[";
    for (size_t j = 0; j < f.points[p].size(); ++j)
      out << (j ? ", " : "") << "[" << jsonFull(f.points[p][j].real()) << ", " << jsonFull(f.points[p][j].imag()) << "]";
    out << "]";
  }
  out << "]}";
  return out.str();
}

SingularRun singularRun(const nag_model& m, const QPoint& T, uint64_t seed, const SingularOptions& o) {
  SingularRun run;
  run.d = measure(m, seed);
  Dimension& d = run.d;
  run.e = explore(m, d, T, seed, true);
  Exploration& e = run.e;
  int64_t tangent = std::max(e.rank1, e.rank2), rankT = std::max(e.rankT1, e.rankT2);
  run.tangent = tangent;
  run.rankT = rankT;
  std::string& verdict = run.verdict;
  std::string& reason = run.reason;
  if (d.certified && d.coordinate >= 0 && d.m == d.coordinate && rankT <= d.m && tangent <= d.m) {
    // V is then the whole coordinate space, a linear space: smooth everywhere
    // (no equation needed; the Jacobian criterion with the empty set).
    verdict = "smooth";
    reason = "dim V = " + std::to_string(d.m) + " = the coordinate space (certified): V is that whole linear space, "
             "smooth at every point";
  } else if (rankT > d.m) {
    verdict = "undecided";
    reason = "the rank at T (" + std::to_string(rankT) + ") exceeds the measured dimension " + std::to_string(d.m) +
             ": the dimension was underestimated; run again with another --seed";
  } else if (tangent > d.m) {
    verdict = "singular";
    reason = "the tangent span over " + std::to_string(e.points.size()) + " verified points of the fibre has rank " +
             std::to_string(tangent) + " > " + std::to_string(d.m) +
             " = dim V, so the Zariski tangent space at f_T is larger than V: f_T is a singular point" +
             (d.certified ? std::string(" (dim V certified)")
                          : " (holds unless dim V was underestimated, probability <= " + jsonShort(d.underestimate) + ")");
  } else if (rankT == d.m) {
    verdict = "undecided";
    reason = "rank " + std::to_string(d.m) + " = dim V at T: T is not a critical point of the parameterization, so the "
             "image of a neighbourhood of T is a smooth branch of V through f_T (constant-rank theorem); other points "
             "of the fibre may carry other branches, and only equations of V (Jacobian criterion) certify that f_T is "
             "smooth";
  } else {
    verdict = "undecided";
    reason = "T is a critical point of the parameterization (rank " + std::to_string(rankT) + " < " +
             std::to_string(d.m) + "), but the tangent span over the " + std::to_string(e.points.size()) +
             " fibre points found has rank " + std::to_string(tangent) +
             " <= dim V: f_T may be smooth, or the fibre has points the structural moves do not reach";
  }
  if (verdict == "undecided" && rankT <= d.m) {
    run.criterion = jacobianCriterion(m, d, T, seed, o);
    const Criterion& c = run.criterion;
    std::string eqs = std::to_string(c.equations) + (c.equations == 1 ? " equation" : " equations") + " of degree <= " + std::to_string(c.degree) +
                      " (vanishing coordinates and interpolated equations, lifted to Q over " +
                      std::to_string(c.lifted.size()) + (c.lifted.size() == 1 ? " prime" : " primes") + " and verified at " + std::to_string(c.verifyPoints) +
                      " fresh image points mod " + std::to_string(c.verifyPrime) + ")";
    if (c.ran && c.rank == c.codimension) {
      verdict = "smooth";
      reason = "Jacobian criterion: " + eqs + (c.equations == 1 ? " has" : " have") + " a Jacobian of rank " + std::to_string(c.rank) + " = " +
               std::to_string(d.coordinate) + " - " + std::to_string(d.m) +
               " = codim V at f_T (over F_p, a lower bound on the rank over Q), so the Zariski tangent space at f_T has "
               "dimension dim V: f_T is a smooth point (this also proves dim V = " + std::to_string(d.m) +
               "; it holds unless an equation that passed the fresh points does not vanish on V)";
    } else if (c.ran && c.rank > c.codimension) {
      reason += "; the Jacobian of the " + eqs + " has rank " + std::to_string(c.rank) + " > codim " +
                std::to_string(c.codimension) + ", which is impossible for equations of V: one of them is wrong";
    } else if (c.ran && c.rank >= 0 && c.equations == 0) {
      reason += "; V has no equation of degree <= " + std::to_string(c.degree) + " (interpolation mod p), so the "
                "Jacobian criterion has rank 0 < codim " + std::to_string(c.codimension) +
                " (V needs equations of higher degree" + (c.skipped.empty() ? ")" : "; " + c.skipped + ")");
    } else if (c.ran && c.rank >= 0) {
      reason += "; the Jacobian of the " + eqs + " at f_T has rank " + std::to_string(c.rank) + " < codim " +
                std::to_string(c.codimension) + " (f_T is singular, or V needs equations of higher degree" +
                (c.skipped.empty() ? ")" : "; " + c.skipped + ")");
    } else {
      reason += "; Jacobian criterion " + (c.skipped.empty() ? std::string("not run") : c.skipped);
    }
  }
  if (verdict == "undecided") trackFibre(m, T, seed, o, run);
  return run;
}

}  // namespace

SingularResult singularAt(const nag_model& m, const QPoint& T, uint64_t seed, const SingularOptions& o) {
  SingularRun run = singularRun(m, T, seed, o);
  SingularResult r;
  r.verdict = run.verdict;
  r.reason = run.reason;
  r.dimension = run.d.m;
  r.certified = run.d.certified;
  r.rankAt = run.rankT;
  r.tangent = run.tangent;
  r.points = int64_t(run.e.points.size());
  r.primes = {run.d.p1, run.d.p2};
  return r;
}

std::string singularReport(const nag_model& m, const std::string& at, uint64_t seed, bool json, const SingularOptions& o) {
  if (at.empty()) throw Error("singular needs --at T (a parameter file, read exactly)");
  if (!m.jac_theta_mod || !m.eval_mod) measure(m, seed);  // refuses a non-algebraic network with the reason
  QPoint T = readPoint(at, m.param_count, "--at");
  SingularRun run = singularRun(m, T, seed, o);
  const Dimension& d = run.d;
  const Exploration& e = run.e;
  int64_t tangent = run.tangent, rankT = run.rankT;
  const std::string &verdict = run.verdict, &reason = run.reason;
  std::ostringstream out;
  if (json) {
    out << "{\n  \"network\": " << jsonString(m.name) << ",\n  \"verdict\": " << jsonString(verdict) << ",\n  \"reason\": "
        << jsonString(reason) << ",\n  \"P\": " << d.P << ",\n  \"dimension\": " << d.m << ",\n  \"dimension_certified\": "
        << (d.certified ? "true" : "false") << ",\n  \"dimension_status\": " << jsonString(dimensionStatus(d))
        << ",\n  \"underestimate_probability\": " << jsonShort(d.underestimate) << ",\n  \"rank_at_point\": " << rankT
        << ",\n  \"rank_at_point_ranks\": [" << e.rankT1 << ", " << e.rankT2 << "]"
        << ",\n  \"critical_point\": " << (rankT < d.m ? "true" : "false")
        << ",\n  \"tangent_span_rank\": " << tangent << ",\n  \"tangent_span_ranks\": [" << e.rank1 << ", " << e.rank2
        << "],\n  \"rows\": " << e.rows << ",\n  \"primes\": [" << d.p1 << ", " << d.p2 << "],\n  \"seed\": " << seed
        << ",\n  \"fibre_points\": {\"count\": " << e.points.size() << ", \"verified_at\": " << e.verifyPoints
        << ", \"verified_primes\": 2, \"capped\": " << (e.capped ? "true" : "false") << ", \"moves\": " << triedJson(e, true)
        << "},\n  \"jacobian_criterion\": " << criterionJson(run.criterion) << ",\n  \"tracked_fibre\": " << trackedJson(run)
        << "\n}\n";
    return out.str();
  }
  out << "singular point test of " << m.name << " at " << at << "\n"
      << "  verdict          " << verdict << "\n  why              " << reason << "\n"
      << "  dimension        " << d.m << "  (" << dimensionStatus(d) << ")\n"
      << "  rank at T        " << rankT << "  (rank of dmu at T over F_p, primes " << d.p1 << ", " << d.p2 << ": "
      << e.rankT1 << ", " << e.rankT2 << ")" << (rankT < d.m ? "; T is a critical point of the parameterization" : "")
      << "\n  tangent span     " << tangent << "  (rank of [dmu(theta_1) | ... | dmu(theta_K)] over the fibre, "
      << e.rows << " row functionals; per prime " << e.rank1 << ", " << e.rank2 << ")\n"
      << "  fibre points     " << e.points.size() << " (T and " << e.points.size() - 1
      << " found from the structure, each equal to f_T mod both primes at " << e.verifyPoints << " random inputs)"
      << (e.capped ? ", capped" : "") << "\n";
  out << triedText(e, true);
  const Criterion& c = run.criterion;
  if (run.tracked) {
    const numeric::FibreThrough& f = run.through;
    out << "  tracked fibre    " << f.points.size() - 1 << " points besides T on a slice through T (" << f.paths
        << " paths: " << f.regular << " regular on the fibre, " << f.singularEnds << " singular on the fibre, "
        << f.elsewhere << " elsewhere, " << f.failed << " failed); numerical tangent span rank " << f.tangentRank
        << "\n  tracker          " << numeric::describe(f.witness) << "\n";
  } else if (!run.trackSkipped.empty()) {
    out << "  tracked fibre    " << run.trackSkipped << "\n";
  }
  if (c.ran)
    out << "  equations        " << c.equations << " of degree <= " << c.degree << ", Jacobian rank at f_T " << c.rank
        << " (codim V = " << c.codimension << "; primes " << (c.primes.empty() ? 0 : c.primes[0]) << ", "
        << (c.primes.size() > 1 ? c.primes[1] : 0) << ")" << (c.skipped.empty() ? "" : "; " + c.skipped) << "\n";
  else if (!c.skipped.empty())
    out << "  equations        " << c.skipped << "\n";
  return out.str();
}

// The points of a generic fibre modulo the known continuous symmetries, by
// monodromy in a gauge, for two seeds (numeric/WitnessDegree.h).
struct PointCount {
  bool ran = false;
  std::string skipped;                      ///< why not counted
  std::vector<numeric::WitnessRun> runs;
  numeric::WitnessSetup setup;
  int64_t stabilizer = 1;
  int64_t points = -1;                      ///< settled: both runs complete, uniform groups, equal
  int64_t lowerBound = -1;                  ///< otherwise: the most points per image seen
  std::string note;
};

PointCount countPoints(const nag_model& m, const Dimension& d, int64_t unexplained, uint64_t seed,
                       const FibreCountOptions& o) {
  PointCount c;
  if (!o.count) {
    c.skipped = "not counted (--no-count)";
    return c;
  }
  if (unexplained > 0) {
    c.skipped = "not counted: the generic fibre has " + std::to_string(unexplained) +
                " dimensions beyond the known symmetries (not identifiable; a count on a further slice would depend "
                "on the slice)";
    return c;
  }
  if (!d.certified && !d.r.span.known) {
    c.skipped = "not counted: the dimension is not certified and the span is not known";
    return c;
  }
  numeric::Gauge g = numeric::diagonalGauge(m);
  if (!g.ok) {
    c.skipped = "not counted: " + g.reason;
    return c;
  }
  int64_t span = d.r.span.known ? d.r.span.value : d.coordinate;
  if (span <= 0) {
    c.skipped = "not counted: no bound on the span for evaluation coordinates";
    return c;
  }
  c.ran = true;
  c.stabilizer = g.stabilizer;
  c.runs = numeric::runSeeds(seed, o.maxPoints > 0, [&](uint64_t s) {
    numeric::WitnessOptions w;
    w.seed = s;
    w.maxLoops = o.maxLoops;
    w.maxPoints = o.maxPoints;
    w.progress = o.progress;
    return numeric::fibrePoints(m, d.m, span, w, c.setup);
  });
  std::vector<int64_t> complete;
  int64_t most = 0;
  bool uniform = true;
  for (const numeric::WitnessRun& run : c.runs) {
    most = std::max(most, run.maxGroup);
    if (!run.complete) continue;
    uniform = uniform && run.minGroup == run.maxGroup;
    complete.push_back(run.minGroup);
  }
  c.lowerBound = most / c.stabilizer;
  if (complete.size() == 2 && uniform && complete[0] == complete[1] && most == complete[0] &&
      complete[0] % c.stabilizer == 0) {
    c.points = complete[0] / c.stabilizer;
  } else {
    c.note = complete.size() < 2 ? "fewer than two runs are complete (a limit or the trace test): a lower bound"
             : !uniform          ? "image points have different numbers of solutions: a lower bound"
                                 : "the complete runs disagree";
  }
  return c;
}

std::string fibreReport(const nag_model& m, const std::string& at, uint64_t seed, bool json,
                        const FibreCountOptions& countOptions) {
  Dimension d = measure(m, seed);
  Structure s = findStructure(m);
  FiniteGroup group = finiteGroup(m, s, findNeuronGroups(m, s, {d.p1, d.p2}, 16, seed));
  const std::string& order = group.order;
  int64_t fibre = d.P - d.m, unexplained = std::max<int64_t>(0, fibre - d.orbit);
  PointCount count = countPoints(m, d, unexplained, seed, countOptions);
  // At T: the rank, the kernel (the Zariski tangent space of the fibre at T,
  // an upper bound on its dimension there), the orbit through T, and the
  // linear families of verified moves through T (lower bounds).
  bool hasT = !at.empty();
  QPoint T;
  Exploration e;
  int64_t rankT = -1, orbitT = -1, exhibited = -1;
  std::string exhibitedBy = "the orbit of the known symmetries";
  if (hasT) {
    T = readPoint(at, d.P, "--at");
    e = explore(m, d, T, seed, false);
    std::vector<uint64_t> jac, t1 = modP(T, d.p1), t2 = modP(T, d.p2);
    RowFunctionals f1 = rowFunctionals(m, d.p1, e.rows, seed), f2 = rowFunctionals(m, d.p2, e.rows, seed + 1);
    ColumnSpan s1(f1.rows, d.p1), s2(f2.rows, d.p2);
    if (!jacobianRows(m, f1, t1, jac)) throw Error("fibre --at: a denominator vanishes mod p at T");
    s1.add(jac, d.P);
    if (!jacobianRows(m, f2, t2, jac)) throw Error("fibre --at: a denominator vanishes mod p at T");
    s2.add(jac, d.P);
    rankT = std::max(s1.rank(), s2.rank());
    std::vector<std::vector<uint64_t>> gen = generatorValues(m, t1, d.p1);
    orbitT = rankOf(gen, d.P, d.p1);
    exhibited = orbitT;
    for (const FibreMove& mv : fibreMoves(m, s, T)) {
      if (mv.point) continue;
      bool verified = false;
      for (const Tried& t : e.tried)
        if (t.base == 0 && t.how == mv.how && t.accepted > 0 && t.rejected == 0) verified = true;
      if (!verified) continue;
      std::vector<std::vector<uint64_t>> vs = gen;
      for (const auto& dir : mv.directions) {
        std::vector<uint64_t> v(size_t(d.P), 0);
        QPoint one(size_t(d.P), 0);
        for (const auto& [i, c] : dir) one[size_t(i)] = c;
        v = modP(one, d.p1);
        vs.push_back(std::move(v));
      }
      int64_t r = rankOf(vs, d.P, d.p1);
      if (r > exhibited) {
        exhibited = r;
        exhibitedBy = "the orbit of the known symmetries through the family '" + mv.how + "'";
      }
    }
  }
  std::ostringstream out;
  if (json) {
    out << "{\n  \"network\": " << jsonString(m.name) << ",\n  \"P\": " << d.P << ",\n  \"dimension\": " << d.m
        << ",\n  \"dimension_certified\": " << (d.certified ? "true" : "false") << ",\n  \"dimension_status\": "
        << jsonString(dimensionStatus(d)) << ",\n  \"fibre_dimension\": " << fibre
        << ",\n  \"symmetry_dimension\": " << d.orbit << ",\n  \"unexplained_fibre_dimension\": " << unexplained
        << ",\n  \"symmetries\": [";
    for (int32_t i = 0; i < m.num_symmetries; ++i)
      out << (i ? ",\n    " : "\n    ") << "{\"description\": " << jsonString(m.symmetries[i].description)
          << ", \"dimension\": " << m.symmetries[i].dimension << "}";
    out << "],\n  \"broken_symmetries\": [";
    for (size_t i = 0; i < d.r.brokenSymmetries.size(); ++i) out << (i ? ", " : "") << jsonString(d.r.brokenSymmetries[i]);
    out << "],\n  \"finite_group_order\": " << jsonString(order) << ",\n  \"finite_group\": "
        << jsonString(group.formula) << ",\n  \"finite_group_factors\": [";
    for (size_t i = 0; i < group.factors.size(); ++i)
      out << (i ? ", " : "") << "{\"order\": " << jsonString(group.factors[i].first)
          << ", \"what\": " << jsonString(group.factors[i].second) << "}";
    out << "],\n  \"finite_group_note\": " << (group.note.empty() ? "null" : jsonString(group.note))
        << ",\n  \"points\": " << (count.points >= 0 ? std::to_string(count.points) : "null")
        << ",\n  \"identifiability_degree\": " << (count.points >= 0 ? std::to_string(count.points) : "null")
        << ",\n  \"points_evidence\": {\"counted\": " << (count.ran ? "true" : "false")
        << ", \"why_not\": " << jsonString(count.skipped) << ", \"lower_bound\": " << count.lowerBound
        << ", \"note\": " << jsonString(count.note) << ", \"gauge_stabilizer\": " << count.stabilizer
        << ", \"chart\": " << jsonString(count.setup.chart) << ", \"runs\": [";
    for (size_t i = 0; i < count.runs.size(); ++i) {
      const auto& w = count.runs[i];
      out << (i ? ", " : "") << "{\"seed\": " << w.seed << ", \"solutions\": " << w.solutions
          << ", \"image_points\": " << w.points << ", \"per_image_min\": " << w.minGroup
          << ", \"per_image_max\": " << w.maxGroup << ", \"loops\": " << w.loops << ", \"paths\": " << w.pathsTracked
          << ", \"failed_paths\": " << w.failedPaths << ", \"trace_residual\": " << jsonShort(w.traceResidual)
          << ", \"complete\": " << (w.complete ? "true" : "false") << "}";
    }
    out << "]},\n  \"primes\": [" << d.p1 << ", " << d.p2 << "],\n  \"seed\": " << seed;
    if (hasT)
      out << ",\n  \"at\": {\"rank_at_point\": " << rankT << ", \"kernel_dimension\": " << d.P - rankT
          << ", \"orbit_dimension\": " << orbitT << ", \"exhibited_dimension\": " << exhibited
          << ", \"exhibited_by\": " << jsonString(exhibitedBy) << ", \"generic_lower_bound\": " << fibre
          << ", \"lower_bound\": " << std::max(exhibited, d.certified ? fibre : exhibited)
          << ", \"upper_bound\": " << d.P - rankT << ", \"moves\": " << triedJson(e, false) << "}";
    out << "\n}\n";
    return out.str();
  }
  out << "fibre of " << m.name << "\n"
      << "  P                 " << d.P << "\n"
      << "  dimension         " << d.m << "  (" << dimensionStatus(d) << ")\n"
      << "  generic fibre     " << fibre << "  (P - dimension" << (d.certified ? "" : "; an upper bound unless the dimension is certified") << ")\n"
      << "  symmetries        " << d.orbit << "  (orbit dimension: rank of the generators' values at a random theta)\n";
  for (int32_t i = 0; i < m.num_symmetries; ++i)
    out << "    " << m.symmetries[i].dimension << "  " << m.symmetries[i].description << "\n";
  for (const auto& b : d.r.brokenSymmetries) out << "    BROKEN (generators not in ker dmu, not counted): " << b << "\n";
  out << "  unexplained       " << unexplained << (unexplained ? "  (fibre directions no known symmetry explains)" : "")
      << "\n  finite group      |G| = " << order << "  (" << group.formula
      << (group.factors.empty() ? ": no finite symmetry found" : "")
      << "; the known symmetries modulo the continuous ones)\n";
  for (const auto& [o, what] : group.factors) out << "    " << o << "  " << what << "\n";
  if (!group.note.empty()) out << "    " << group.note << "\n";
  if (unexplained > 0 && !group.factors.empty())
    out << "    (modulo the known continuous symmetries only: the " << unexplained
        << " unexplained fibre directions may join these points)\n";
  out << "  points            ";
  if (count.points >= 0) {
    out << count.points << "  (of a generic fibre modulo the known continuous symmetries, by monodromy; ";
    std::string g = order;
    out << (g == std::to_string(count.points) ? "= |G|: identifiable up to the known finite group"
            : "|G| = " + g + (count.points > 0 && g != "?" ? ": more than the known finite group explains" : ""))
        << ")\n";
  } else if (count.ran) {
    out << ">= " << count.lowerBound << "  (" << count.note << ")\n";
  } else {
    out << count.skipped << "\n";
  }
  if (count.ran) {
    out << "                    in " << count.setup.chart << " (each orbit meets it in " << count.stabilizer
        << (count.stabilizer == 1 ? " point" : " points") << "), " << count.setup.coordinates
        << " evaluation coordinates\n";
    for (const auto& w : count.runs) out << "                    seed " << w.seed << ": " << numeric::describe(w) << "\n";
  }
  if (hasT) {
    out << "at " << at << "\n"
        << "  rank at T         " << rankT << "  (rank of dmu at T over F_p, two primes)\n"
        << "  kernel            " << d.P - rankT
        << "  (dim ker dmu(T): the Zariski tangent space of the fibre at T, an upper bound on its dimension there)\n"
        << "  orbit through T   " << orbitT << "  (rank of the generators' values at T)\n"
        << "  exhibited         " << exhibited << "  (" << exhibitedBy << ": a lower bound)\n";
    if (d.certified)
      out << "  generic bound     " << fibre << "  (every component of a nonempty fibre has dimension >= P - dim V)\n";
    int64_t lower = std::max(exhibited, d.certified ? fibre : exhibited);
    out << "  fibre through T   " << (lower == d.P - rankT ? std::to_string(lower) + " exactly"
                                                           : "between " + std::to_string(lower) + " and " +
                                                                 std::to_string(d.P - rankT))
        << "\n  moves at T\n" << triedText(e, false);
  }
  return out.str();
}

}  // namespace nagrt
