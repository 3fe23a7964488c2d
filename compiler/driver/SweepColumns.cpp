// SweepColumns.cpp — a sweep row's cells from `dim`, `degree` and `equations` --json reports.
#include "driver/SweepColumns.h"

namespace nag::driver {

namespace {

// A report's value as a cell: null as "null" (span and fills may be null).
std::string cell(const JsonValue& v) { return v.isNull() ? "null" : v.scalar(); }

std::string joined(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

}  // namespace

const std::vector<std::string>& dimColumns() {
  static const std::vector<std::string> c{"P",      "coordinate", "span",        "expected", "bound",    "dimension",
                                          "defect", "fibre",      "unexplained", "fills",    "certified"};
  return c;
}

const std::vector<std::string>& degreeColumns() {
  static const std::vector<std::string> c{"degree", "degree_lower_bound", "degree_method", "degree_evidence"};
  return c;
}

const std::vector<std::string>& equationsColumns() {
  static const std::vector<std::string> c{"equations_degree", "equations_count", "equations_by_degree",
                                          "equations_vanishing"};
  return c;
}

const std::vector<std::string>& criticalColumns() {
  static const std::vector<std::string> c{"critical_count", "critical_lower_bound", "critical_real", "critical_minima",
                                          "critical_evidence"};
  return c;
}

const std::vector<std::string>& trainColumns() {
  static const std::vector<std::string> c{"train_loss",       "train_gradient_norm", "train_point",
                                          "train_rank",       "train_subnetwork",    "train_stopped"};
  return c;
}

std::vector<std::string> splitArgs(const std::string& args) {
  std::vector<std::string> out;
  std::string word;
  for (char ch : args + " ") {
    if (ch == ' ' || ch == '\t' || ch == '\n') {
      if (!word.empty()) out.push_back(word);
      word.clear();
    } else {
      word += ch;
    }
  }
  return out;
}

std::vector<std::string> measureColumns(const SweepMeasures& m) {
  std::vector<std::string> c = dimColumns();
  if (m.degree) c.insert(c.end(), degreeColumns().begin(), degreeColumns().end());
  if (m.equations) c.insert(c.end(), equationsColumns().begin(), equationsColumns().end());
  if (m.critical) c.insert(c.end(), criticalColumns().begin(), criticalColumns().end());
  if (m.train) c.insert(c.end(), trainColumns().begin(), trainColumns().end());
  c.insert(c.end(), {"seconds", "status", "reason", "inputs_hash"});
  return c;
}

std::vector<std::string> dimCells(const JsonValue& r) {
  std::vector<std::string> out;
  for (const char* key : {"P", "coordinate_dimension", "span", "expected_dimension", "expected_from", "dimension",
                          "defect", "fibre_dimension", "unexplained_fibre_dimension", "fills", "certified"})
    out.push_back(cell(r[key]));
  return out;
}

std::string degreeEvidence(const JsonValue& r) {
  const JsonValue& e = r["evidence"];
  std::vector<std::string> parts;
  std::vector<std::string> runs;
  for (const JsonValue& run : e["runs"].items) {
    std::string d = run["degree"].scalar();
    runs.push_back("mod " + run["prime"].scalar() + " (seed " + run["seed"].scalar() + "): " +
                   (d == "-1" ? "no kernel" : d));
  }
  if (!runs.empty()) parts.push_back("interpolation " + joined(runs, ", "));
  const JsonValue& mono = e["monodromy"];
  if (!mono.isNull()) {
    std::vector<std::string> seeds;
    for (const JsonValue& run : mono["runs"].items) {
      std::string trace = run["trace_residual"].isNull() ? "no trace test" : "trace " + run["trace_residual"].scalar();
      seeds.push_back("seed " + run["seed"].scalar() + ": " + run["points"].scalar() + " points, " +
                      (run["complete"].boolean ? "complete" : "incomplete") + " (" + trace + ")");
    }
    parts.push_back("monodromy " + joined(seeds, ", "));
  }
  if (!e["agree"].isNull() && !e["agree"].boolean) parts.push_back("the runs do not settle the degree");
  for (const JsonValue& note : e["notes"].items) parts.push_back("note: " + note.text);
  return joined(parts, "; ");
}

std::vector<std::string> degreeCells(const JsonValue& r) {
  return {r["degree"].scalar(), cell(r["lower_bound"]), r["method"].scalar(), degreeEvidence(r)};
}

std::vector<std::string> equationsCells(const JsonValue& r) {
  std::string lowest, count;
  std::vector<std::string> byDegree;
  for (const auto& [k, n] : r["count_by_degree"].members) {
    byDegree.push_back(k + ":" + n.scalar());
    if (lowest.empty() && n.scalar() != "0") {
      lowest = k;
      count = n.scalar();
    }
  }
  std::string searched = r["fills"].boolean ? "none: V fills its nonzero coordinates" : joined(byDegree, " ");
  return {lowest, count, searched, std::to_string(r["zero_coordinates"].items.size())};
}

std::vector<std::string> criticalCells(const JsonValue& r) {
  std::vector<std::string> seeds;
  for (const JsonValue& run : r["evidence"]["runs"].items) {
    const bool target = run["method"].scalar() == "target";
    std::string found = target ? run["witness_points"].scalar() + " at a generic target (stopped " +
                                     run["stop"].scalar() + ")"
                               : run["witness_points"].scalar() + " witness points (" +
                                     (run["witness_complete"].boolean ? "complete" : "incomplete") + ")";
    seeds.push_back(run["method"].scalar() + " seed " + run["seed"].scalar() + ": " + found + ", " +
                    run["finite"].scalar() + " finite, " + run["at_infinity"].scalar() + " at infinity, " +
                    run["singular"].scalar() + " singular, " + run["failed"].scalar() + " failed" +
                    (run["complete"].boolean ? "" : " (incomplete)"));
  }
  std::string verdict = r["certified"].boolean ? "certified by the trace test"
                        : r["lower_bound"].boolean ? "a lower bound"
                                                   : "not certified (monodromy in the target stagnated)";
  return {r["count"].scalar(), cell(r["lower_bound"]), r["real"]["count"].scalar(), r["real"]["minima"].scalar(),
          r["metric"].scalar() + "; " + verdict + "; " + joined(seeds, "; ")};
}

std::vector<std::string> trainCells(const JsonValue& r) {
  const JsonValue& h = r["hessian"];
  std::string point = h["computed"].boolean ? h["classification"].scalar() : "not computed: " + h["skipped"].scalar();
  const JsonValue& d = r["differential"];
  const JsonValue& rank = d["exact_rank_rounded"].isNull() ? d["float_rank"] : d["exact_rank_rounded"];
  std::string ranked = rank.isNull() ? "" : rank.scalar() + (d["dimension"].isNull() ? "" : " of " + d["dimension"].scalar());
  return {cell(r["loss"]), cell(r["gradient_norm"]), point, ranked, r["subnetwork"]["description"].scalar(),
          r["stopped"].scalar()};
}

}  // namespace nag::driver
