// DimReport.cpp — the dimension report as text and JSON: every number measured or a named theorem.
//
// docs/dimension-report.md defines every word printed here.
#include "CliSupport.h"
#include "Dim.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <optional>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace nagrt {

namespace {





/// An upper bound on the dimension.
struct Bound {
  std::string name;       ///< "P - symmetries", "coordinate space", "span", "linear rank bound"
  int64_t value;
  bool proven;            ///< a theorem with an exact value (the span is measured)
  std::string statement;  ///< why it holds, for this network
};

}  // namespace

std::string dimReport(const nag_model& m, const DimOptions& o, bool json) {
  const auto start = std::chrono::steady_clock::now();
  DimReport r = measureDimension(m, o);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int64_t P = m.param_count;
  const bool poly = std::strcmp(m.algebraic_class, "polynomial") == 0;
  int64_t coordinate = -1;
  if (poly) decimalInt64(m.ambient_dimension, coordinate);

  // The orbit dimension of the known symmetries: the rank of their checked
  // tangents at theta (plus what rules claim without generators), or the
  // rules' word when no exact run checked them.
  int64_t orbit = r.tangentRank >= 0 ? r.tangentRank + r.unverifiedSymmetry : m.symmetry_dimension;
  std::vector<Bound> bounds;
  {
    std::string why = "P minus the orbit dimension of the known symmetries (" + std::to_string(orbit) + ": " +
                      (r.tangentRank >= 0 ? "the rank of their tangent directions at theta over F_p" +
                                                (r.unverifiedSymmetry ? std::string(", plus ") + std::to_string(r.unverifiedSymmetry) +
                                                                            " claimed by rules whose generators were not emitted"
                                                                      : std::string(""))
                                          : std::string("as the rules count them")) +
                      ")";
    bounds.push_back({"P - symmetries", std::max<int64_t>(0, P - orbit), true, why});
  }
  if (coordinate >= 0) {
    std::string degrees = m.degree_set && *m.degree_set ? std::string(m.degree_set) : "";
    bounds.push_back({"coordinate space", coordinate, true,
                      "polynomial maps with " + std::to_string(m.input_size) + (m.input_size == 1 ? " input and " : " inputs and ") +
                          std::to_string(m.output.size) + (m.output.size == 1 ? " output" : " outputs") +
                          (degrees.empty() ? std::string("") : " of degrees " + degrees + " in x")});
  }
  int64_t linearBound = -1;
  if (m.linear_rank_bound && decimalInt64(m.linear_rank_bound, linearBound)) {
    std::string k = std::to_string(m.linear_rank);
    bounds.push_back({"linear rank bound", linearBound, true,
                      std::string("f = A(theta) x") + (m.affine ? " + b(theta)" : "") + " with rank A <= " + k +
                          " (the narrowest width it passes through): " + k + " (inputs + outputs - " + k + ")" +
                          (m.affine ? " + outputs" : "") + ", the dimension of the matrices of rank <= " + k});
  }
  if (r.span.known)  // measured, unless it is the coordinate space itself
    bounds.push_back({"span", r.span.value, coordinate >= 0 && r.span.value == coordinate,
                      "the linear span of the function space, " + r.span.method});

  int64_t dimension = r.exactRank >= 0 ? r.exactRank : r.floatRank;
  const Bound* least = &bounds[0];
  for (const Bound& b : bounds)
    if (b.value < least->value || (b.value == least->value && b.proven && !least->proven)) least = &b;
  const Bound* proven = nullptr;
  for (const Bound& b : bounds)
    if (b.proven && (!proven || b.value < proven->value)) proven = &b;
  int64_t expected = least->value;
  bool certified = r.exactRank >= 0 && proven && r.exactRank == proven->value;
  bool fewRows = o.points > 0 && r.rows < std::min(P, proven ? proven->value : P);
  // Too few rows, all independent: the rank may be the rows' count, not the
  // generic rank, so the defect and the fibre dimension are only bounds
  // (with fewer independent rows than rows, the rank saturated as usual).
  bool capped = fewRows && !certified && r.exactRank >= 0 && r.exactRank >= r.rows;

  // Schwartz-Zippel: the rank at a random point falls below the generic rank
  // only where a nonzero minor (of size <= the largest possible rank U, each
  // entry of degree <= D in the random values, rowDegree) vanishes: probability <= U D / p.
  const int64_t D = poly ? rowDegree(m) : -1;
  const int64_t U = std::min({P, r.rows, proven ? proven->value : P});
  std::vector<double> eps;
  for (const RankRun& run : r.runs) eps.push_back(D >= 0 ? double(U) * double(D) / double(run.prime) : NAN);
  double epsBoth = eps.size() == 2 && D >= 0 ? eps[0] * eps[1] : NAN;
  bool disagree = r.runs.size() == 2 && r.runs[0].rank != r.runs[1].rank;

  std::string status;
  if (certified)
    status = "certified: the exact rank (a lower bound) meets the proven upper bound '" + proven->name + "'";
  else if (r.exactRank >= 0 && fewRows)
    status = "lower bound: " + std::to_string(r.rows) + " rows (--points) may be fewer than the generic rank";
  else if (r.exactRank >= 0 && r.span.known && r.exactRank == r.span.value)
    status = "fills its span: equal to the measured span (both lower bounds, probabilistic equality)";
  else if (r.exactRank >= 0)
    status = "lower bound, probabilistic equality (see the error bound)";
  else if (r.floatTrusted)
    status = "floating point, not certified";
  else
    status = "floating point, NOT TRUSTED: the singular-value gap is small";

  int64_t fibre = P - dimension;
  int64_t unexplained = std::max<int64_t>(0, fibre - orbit);
  bool belowEvery = dimension < expected;
  // "no" from a capped rank would be a claim about the cap, not about V.
  const std::optional<bool> fills = [&]() -> std::optional<bool> {
    if (r.span.known && dimension == r.span.value) return true;
    if (r.span.known) return capped ? std::nullopt : std::optional<bool>(false);
    if (coordinate >= 0 && dimension == coordinate) return true;
    return std::nullopt;
  }();

  std::vector<std::pair<int64_t, double>> around;
  if (r.floatRank >= 0)
    for (int64_t i = std::max<int64_t>(0, r.floatRank - 2);
         i < std::min<int64_t>(int64_t(r.singular.size()), r.floatRank + 2); ++i)
      around.push_back({i + 1, r.singular[size_t(i)]});

  std::ostringstream out;
  if (json) {
    out << "{\n  \"network\": " << jsonString(m.name) << ",\n  \"P\": " << P;
    out << ",\n  \"span\": " << (r.span.known ? std::to_string(r.span.value) : "null");
    out << ",\n  \"span_lower_bound\": " << (r.span.value >= 0 ? std::to_string(r.span.value) : "null");
    out << ",\n  \"span_method\": " << (r.span.attempted ? jsonString(r.span.method) : "null");
    out << ",\n  \"coordinate_dimension\": " << (coordinate >= 0 ? std::to_string(coordinate) : "null");
    out << ",\n  \"ambient_dimension\": " << (r.span.known ? std::to_string(r.span.value) : "null");
    out << ",\n  \"symmetry_dimension\": " << orbit << ",\n  \"symmetry_dimension_claimed\": " << m.symmetry_dimension;
    out << ",\n  \"bounds\": [";
    for (size_t i = 0; i < bounds.size(); ++i)
      out << (i ? ",\n    " : "\n    ") << "{\"name\": " << jsonString(bounds[i].name) << ", \"value\": " << bounds[i].value
          << ", \"proven\": " << (bounds[i].proven ? "true" : "false") << ", \"statement\": " << jsonString(bounds[i].statement)
          << "}";
    out << "],\n  \"expected_dimension\": " << expected << ",\n  \"expected_from\": " << jsonString(least->name)
        << ",\n  \"dimension\": " << dimension << ",\n  \"defect\": " << (capped ? std::string("null") : std::to_string(expected - dimension))
        << ",\n  \"defect_at_most\": " << (expected - dimension)
        << ",\n  \"defect_against\": " << jsonString(least->name)
        << ",\n  \"fibre_dimension\": " << (capped ? std::string("null") : std::to_string(fibre))
        << ",\n  \"fibre_dimension_at_most\": " << fibre
        << ",\n  \"unexplained_fibre_dimension\": " << (capped ? std::string("null") : std::to_string(unexplained))
        << ",\n  \"fills\": " << (fills ? (*fills ? "true" : "false") : "null")
        << ",\n  \"certified\": " << (certified ? "true" : "false") << ",\n  \"status\": " << jsonString(status)
        << ",\n  \"points\": " << r.points << ",\n  \"rows\": " << r.rows << ",\n  \"seed\": " << o.seed
        << ",\n  \"seconds\": " << jsonShort(seconds);
    if (r.exactRank >= 0) {
      out << ",\n  \"exact_rank\": " << r.exactRank << ",\n  \"prime\": " << r.runs[0].prime << ",\n  \"ranks\": [";
      for (size_t i = 0; i < r.runs.size(); ++i)
        out << (i ? ", " : "") << "{\"prime\": " << r.runs[i].prime << ", \"seed\": " << r.runs[i].seed
            << ", \"rank\": " << r.runs[i].rank << ", \"resampled\": " << r.runs[i].resampled
            << ", \"rows_ranked\": " << (r.runs[i].rowsRanked >= 0 ? r.runs[i].rowsRanked : r.rows) << "}";
      out << "],\n  \"ranks_disagree\": " << (disagree ? "true" : "false")
          << ",\n  \"underestimate_probability\": " << jsonShort(epsBoth)
          << ",\n  \"underestimate_probability_per_prime\": " << jsonShort(eps.empty() ? NAN : eps[0]);
      out << ",\n  \"broken_symmetries\": [";
      for (size_t i = 0; i < r.brokenSymmetries.size(); ++i) out << (i ? ", " : "") << jsonString(r.brokenSymmetries[i]);
      out << "]";
    }
    if (r.rankAt >= 0)
      out << ",\n  \"rank_at_point\": " << r.rankAt << ",\n  \"rank_drop\": " << (dimension - r.rankAt)
          << ",\n  \"critical_point\": " << (r.rankAt < dimension ? "true" : "false");
    if (r.floatRank >= 0) {
      out << ",\n  \"float_rank\": " << r.floatRank
          << ",\n  \"float_gap\": " << (std::isinf(r.gap) ? std::string("null") : jsonShort(r.gap))
          << ",\n  \"float_trusted\": " << (r.floatTrusted ? "true" : "false") << ",\n  \"singular_values_near_gap\": [";
      for (size_t i = 0; i < around.size(); ++i) out << (i ? ", " : "") << jsonShort(around[i].second);
      out << "]";
    }
    if (o.kernel) {
      out << ",\n  \"kernel\": {\"seed\": " << o.seed << ", \"prime\": " << (r.runs.empty() ? 0 : r.runs[0].prime)
          << ", \"parameters\": [";
      for (int64_t i = 0; i < P; ++i) out << (i ? ", " : "") << jsonString(parameterName(m, i));
      out << "],\n    \"modular\": [";
      for (size_t v = 0; v < r.kernelMod.size(); ++v) {
        out << (v ? ",\n      " : "\n      ") << "[";
        for (int64_t i = 0; i < P; ++i) out << (i ? ", " : "") << r.kernelMod[v][size_t(i)];
        out << "]";
      }
      out << "],\n    \"float\": [";
      for (size_t v = 0; v < r.kernelFloat.size(); ++v) {
        out << (v ? ",\n      " : "\n      ") << "[";
        for (int64_t i = 0; i < P; ++i) out << (i ? ", " : "") << jsonFull(r.kernelFloat[v][size_t(i)]);
        out << "]";
      }
      out << "]}";
    }
    out << "\n}\n";
    return out.str();
  }

  out << "dimension of the neurovariety of " << m.name << " (";
  for (int32_t i = 0; i < m.num_args; ++i) out << (i ? ", " : "") << m.args[i].name << " = " << m.args[i].value;
  out << ")\n";
  out << "  parameters        P = " << P << "\n";
  if (coordinate >= 0 || poly)
    out << "  coordinate space  " << (poly && *m.ambient_dimension ? std::string(m.ambient_dimension) : poly ? "unknown" : "-")
        << (m.degree_set && *m.degree_set ? "  (polynomial maps of degrees " + std::string(m.degree_set) + " in x)" : "")
        << "\n";
  if (r.span.known)
    out << "  span              " << r.span.value << "  (" << r.span.method << ")\n";
  else if (r.span.attempted)
    out << "  span              >= " << r.span.value << (coordinate >= 0 ? ", <= " + std::to_string(coordinate) : "")
        << "  (" << r.span.method << ")\n";
  else
    out << "  span              - (not measured: " << (m.eval_mod ? "no exact run" : "not an algebraic network") << ")\n";
  out << "  symmetries        " << orbit;
  if (r.tangentRank >= 0) out << "  (rank of their tangent directions at theta, checked in the kernel of the Jacobian)";
  out << "\n";
  for (int32_t i = 0; i < m.num_symmetries; ++i)
    out << "                      " << m.symmetries[i].dimension << "  " << m.symmetries[i].description << "\n";
  for (const std::string& b : r.brokenSymmetries)
    out << "  warning           not used: a generator of '" << b << "' is not in the kernel of the Jacobian\n";
  if (r.tangentRank >= 0 && orbit != m.symmetry_dimension)
    out << "  note              the rules count " << m.symmetry_dimension << "; their tangents at theta span " << orbit
        << "\n";
  out << "  upper bounds\n";
  for (const Bound& b : bounds)
    out << "    " << b.value << std::string(b.value < 10 ? 5 : b.value < 100 ? 4 : b.value < 1000 ? 3 : 2, ' ') << b.name
        << (b.proven ? "" : " (measured)") << ": " << b.statement << "\n";
  out << "  expected          " << expected << "  (the least upper bound: " << least->name << ")\n";
  out << "  points            " << r.points << " (a " << r.rows << " x " << P << " Jacobian"
      << (m.output.size > 1 && m.input_size > 0 ? ": a random combination of the outputs per point" : "") << "), seed "
      << o.seed << "\n";
  if (r.exactRank >= 0) {
    out << "  exact rank        ";
    for (size_t i = 0; i < r.runs.size(); ++i) {
      out << (i ? "; " : "") << r.runs[i].rank << " (p = " << r.runs[i].prime << ", seed " << r.runs[i].seed << ")";
      if (r.runs[i].resampled) out << " [points redrawn " << r.runs[i].resampled << "x: a denominator vanished]";
      if (r.runs[i].rowsRanked >= 0) out << " [" << r.runs[i].rowsRanked << " rows built: the rank stopped growing]";
    }
    out << "\n";
    if (disagree) out << "  warning           the two primes disagree: the larger rank is kept (a lower bound)\n";
  }
  if (r.floatRank >= 0) {
    out << "  float rank        " << r.floatRank << " (LAPACK SVD; gap sigma_" << r.floatRank << " / sigma_"
        << (r.floatRank + 1) << " = " << (std::isinf(r.gap) ? std::string("full rank") : jsonShort(r.gap)) << ")\n"
        << "                   ";
    for (auto& [i, v] : around) out << " sigma_" << i << " = " << jsonShort(v);
    out << "\n";
    if (!r.floatTrusted) out << "  warning           the float gap is below 1e8: the float rank may be wrong\n";
    if (r.exactRank >= 0 && r.floatRank != r.exactRank)
      out << "  warning           exact and float ranks disagree (" << r.exactRank << " vs " << r.floatRank << ")\n";
  }
  out << "  dimension         " << dimension << "  (" << status << ")\n";
  if (r.exactRank >= 0) {
    if (D == 0)
      out << "  error bound       none needed: the Jacobian's entries are constants (degree 0 in the random values)\n";
    else if (D > 0)
      out << "  error bound       P(rank < generic rank) <= " << jsonShort(eps[0]) << " per prime, " << jsonShort(epsBoth)
          << " for both (Schwartz-Zippel: U D / p, U = " << U << ", D = " << D << ")\n";
    else
      out << "  error bound       none computed (" << (poly ? "unknown degree" : "a rational network") << ")\n";
  }
  if (r.rankAt >= 0) {
    out << "  rank at --at      " << r.rankAt << "  (rank of the differential at that theta";
    if (r.rankAt < dimension)
      out << ": a critical point of the parameterization, rank drop " << (dimension - r.rankAt)
          << "; this says nothing yet about whether f there is a singular point)\n";
    else
      out << ": not a critical point of the parameterization)\n";
  }
  if (capped) {
    out << "  defect            <= " << (expected - dimension) << "  (against the bound: " << least->name
        << "; an upper bound: " << r.rows << " independent rows (--points) cap the rank)\n";
    out << "  fibre dimension   <= " << fibre << "  (P - dimension; " << orbit << " from the known symmetries)\n";
  } else {
    out << "  defect            " << (expected - dimension) << "  (against the bound: " << least->name << ")\n";
    out << "  fibre dimension   " << fibre << "  (P - dimension; " << orbit << " from the known symmetries)\n";
  }
  if (!capped && belowEvery && unexplained > 0)
    out << "  unexplained fibre " << unexplained
        << "  (kernel of the Jacobian beyond the symmetries' tangents: a hidden symmetry or structure; --kernel shows it)\n";
  if (fills) out << "  fills its span    " << (*fills ? "yes" : "no") << "\n";
  if (o.kernel) {
    out << "  kernel            " << r.kernelMod.size() << " direction(s) of ker J beyond the symmetries (mod p = "
        << (r.runs.empty() ? 0 : r.runs[0].prime) << ", at the random theta of seed " << o.seed << ")";
    out << "\n";
    auto show = [&](const std::vector<double>& v) {
      double big = 0;
      for (double x : v) big = std::max(big, std::fabs(x));
      std::string line;
      for (int64_t i = 0; i < P; ++i)
        if (std::fabs(v[size_t(i)]) > 1e-3 * big) line += " " + parameterName(m, i) + ": " + jsonShort(v[size_t(i)] / big);
      return line;
    };
    for (size_t v = 0; v < r.kernelFloat.size(); ++v)
      out << "    direction " << (v + 1) << " (float, at theta = random:" << o.seed << "):" << show(r.kernelFloat[v]) << "\n";
  }
  return out.str();
}

}  // namespace nagrt
