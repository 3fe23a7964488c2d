// Analysis.cpp — propagates algebraic class and degree bounds through the graph.
#include "ir/Analysis.h"

#include "support/InternalError.h"

#include <algorithm>
#include <bitset>
#include <limits>

namespace nag::ir {

const char* toString(AlgebraicClass c) {
  switch (c) {
    case AlgebraicClass::Polynomial: return "polynomial";
    case AlgebraicClass::Rational: return "rational";
    case AlgebraicClass::NonAlgebraic: return "non-algebraic";
  }
  return "?";
}

namespace {

// Degrees up to this are tracked as a set; beyond, only the range.
constexpr int64_t kTracked = 511;
using DegreeSet = std::bitset<kTracked + 1>;

// Per node: class, and for polynomials the range [lo, hi] of total degrees of
// its entries (in the variables the pass counts) and, while hi <= kTracked,
// the set of degrees that can occur; `zero` marks an identically zero constant.
struct Info {
  AlgebraicClass cls = AlgebraicClass::Polynomial;
  int64_t lo = 0, hi = 0;
  bool zero = false;
  NodeId culprit = 0;  // the node that first made cls non-polynomial
  DegreeSet set = DegreeSet().set(0);
  bool tracked = true;
};

// Degrees are exact up to kMaxTrackedDegree; every larger value is kBeyond
// ("more than 2^62"), which sums and products keep (no overflow: both
// operands are at most kBeyond, and kBeyond + kBeyond < 2^63).
constexpr int64_t kBeyond = kMaxTrackedDegree + 1;

int64_t addSat(int64_t a, int64_t b) { return a > kMaxTrackedDegree - b ? kBeyond : a + b; }
int64_t mulSat(int64_t a, int64_t b) { return a != 0 && b > kMaxTrackedDegree / a ? kBeyond : a * b; }
int64_t exact(int64_t d) { return d > kMaxTrackedDegree ? -1 : d; }

const Info& worse(const Info& a, const Info& b) { return b.cls > a.cls ? b : a; }

// {a + b : a in x, b in y}, or untracked when it leaves the tracked range.
void sumset(const Info& x, const Info& y, Info& out) {
  out.tracked = x.tracked && y.tracked && out.hi <= kTracked;
  out.set.reset();
  if (!out.tracked) return;
  for (int64_t i = 0; i <= x.hi; ++i)
    if (x.set[size_t(i)]) out.set |= y.set << size_t(i);
}

Info product(const Info& a, const Info& b) {
  const Info& w = worse(a, b);
  if (a.zero || b.zero) {
    Info z{w.cls, 0, 0, w.cls == AlgebraicClass::Polynomial, w.culprit};
    return z;
  }
  Info out{w.cls, addSat(a.lo, b.lo), addSat(a.hi, b.hi), false, w.culprit};
  sumset(a, b, out);
  return out;
}

Info join(const Info& a, const Info& b) {
  if (a.zero) return b;
  if (b.zero) return a;
  const Info& w = worse(a, b);
  Info out{w.cls, std::min(a.lo, b.lo), std::max(a.hi, b.hi), false, w.culprit};
  out.tracked = a.tracked && b.tracked;
  out.set = out.tracked ? a.set | b.set : DegreeSet();
  return out;
}

// The k-th power's degrees: k-fold sums, by repeated squaring.
Info power(const Info& a, int64_t k) {
  Info result{a.cls, 0, 0, false, a.culprit};
  Info base = a;
  for (; k > 0; k >>= 1) {
    if (k & 1) {
      Info next{a.cls, addSat(result.lo, base.lo), addSat(result.hi, base.hi), false, a.culprit};
      sumset(result, base, next);
      result = next;
    }
    if (k > 1) {
      Info sq{a.cls, addSat(base.lo, base.lo), addSat(base.hi, base.hi), false, a.culprit};
      sumset(base, base, sq);
      base = sq;
    }
  }
  return result;
}

// Degrees of the output when parameters count `paramDegree` and inputs
// `inputDegree` (0 or 1 each).
Info propagate(const Graph& g, int64_t paramDegree, int64_t inputDegree) {
  auto leaf = [](int64_t d) {
    Info i;
    i.lo = i.hi = d;
    i.set.reset();
    i.set.set(size_t(d));
    return i;
  };
  std::vector<Info> info(g.nodes.size());
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    auto in = [&](size_t k) -> const Info& { return info[n.operands[k]]; };
    Info& out = info[id];
    switch (n.op) {
      case Op::Param: out = leaf(paramDegree); break;
      case Op::Aux:
      case Op::Seed: out = Info{}; break;
      case Op::Input: out = leaf(inputDegree); break;
      case Op::Const:
        out = Info{};
        out.zero = std::all_of(n.values.begin(), n.values.end(), [](const Rational& q) { return q == 0; });
        break;
      case Op::Add:
      case Op::Sub:
      case Op::Concat:
        out = in(0);
        for (size_t k = 1; k < n.operands.size(); ++k) out = join(out, in(k));
        break;
      case Op::Mul:
      case Op::MatMul:
      case Op::Dot:
      case Op::Outer:
      case Op::Conv1d:
      case Op::ConvT: out = product(in(0), in(1)); break;
      case Op::Div: {
        const Node& den = g.node(n.operands[1]);
        out = worse(in(0), in(1));
        out.lo = in(0).lo, out.hi = in(0).hi, out.zero = in(0).zero;
        out.set = in(0).set, out.tracked = in(0).tracked;
        if (den.op != Op::Const && out.cls < AlgebraicClass::Rational) {
          out.cls = AlgebraicClass::Rational;
          out.culprit = id;
        }
        break;
      }
      case Op::Neg:
      case Op::Sum:
      case Op::Transpose:
      case Op::Index:
      case Op::Slice:
      case Op::Embed:
      case Op::Reshape:
      case Op::Broadcast: out = in(0); break;
      case Op::Pow:
        out = in(0);
        if (n.attr == 0) {
          out = Info{out.cls, 0, 0, false, out.culprit};
        } else if (!out.zero) {
          out = power(in(0), n.attr);
        }
        break;
      case Op::Relu:
      case Op::Tanh:
      case Op::Sigmoid:
      case Op::Exp:
      case Op::Step:
        out = in(0);
        if (out.cls < AlgebraicClass::NonAlgebraic) {
          out.cls = AlgebraicClass::NonAlgebraic;
          out.culprit = id;
        }
        break;
    }
  }
  return info.at(g.output);
}

}  // namespace

Classification classify(const Graph& g) {
  const Info o = propagate(g, 0, 1);
  Classification result;
  result.cls = o.cls;
  if (o.cls != AlgebraicClass::Polynomial) {
    result.culprit = g.node(o.culprit).op;
    result.culpritLoc = g.node(o.culprit).loc;
  }
  if (o.cls == AlgebraicClass::Polynomial) {
    result.degree = o.zero ? 0 : exact(o.hi);
    result.minDegree = o.zero ? 0 : exact(o.lo);
    if (o.zero) result.degreeSet = {0};
    else if (o.tracked)
      for (int64_t k = o.lo; k <= o.hi; ++k)
        if (o.set[size_t(k)]) result.degreeSet.push_back(k);
    const Info t = propagate(g, 1, 0), all = propagate(g, 1, 1);
    result.thetaDegree = t.zero ? 0 : exact(t.hi);
    result.totalDegree = all.zero ? 0 : exact(all.hi);
  }
  return result;
}

int64_t inputRankBound(const Graph& g) {
  // Per node: an upper bound on rank(d node / dx) (0 for nodes free of x),
  // and for nodes free of x an upper bound on their rank as a matrix (a
  // vector is a column), so that W3 @ W2 @ W1 through width 1 has rank 1.
  std::vector<int64_t> rank(g.nodes.size(), 0), matrix(g.nodes.size(), 0);
  auto dims = [](const Shape& s) -> int64_t {
    if (s.empty()) return 1;
    if (s.size() == 1) return std::min<int64_t>(1, s[0]);
    return std::min(s[0], numElements(s) / s[0]);
  };
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    auto in = [&](size_t k) { return rank[n.operands[k]]; };
    auto mat = [&](size_t k) { return matrix[n.operands[k]]; };
    int64_t sum = 0;
    for (size_t k = 0; k < n.operands.size(); ++k) sum = addSat(sum, in(k));
    int64_t r = sum, mr = dims(n.shape);
    switch (n.op) {
      case Op::Input: r = numElements(n.shape); break;
      case Op::MatMul: {
        // vec(A B) = (B^T (x) I) vec(A) = (I (x) A) vec(B): with A free of x,
        // rank <= rank(dB) and <= cols(B) * rank(A); with B free of x,
        // rank <= rank(dA) and <= rows(A) * rank(B).
        const Shape& a = g.node(n.operands[0]).shape;
        const Shape& b = g.node(n.operands[1]).shape;
        int64_t colsB = b.size() == 2 ? b[1] : 1, rowsA = a.size() == 2 ? a[0] : 1;
        if (in(0) == 0) r = std::min(r, mulSat(colsB, mat(0)));
        if (in(1) == 0) r = std::min(r, mulSat(rowsA, mat(1)));
        mr = std::min({mr, mat(0), mat(1)});
        break;
      }
      case Op::Add: case Op::Sub: mr = std::min(mr, addSat(mat(0), mat(1))); break;
      case Op::Neg: case Op::Transpose: mr = std::min(mr, mat(0)); break;
      case Op::Mul:
        if (g.node(n.operands[0]).shape.empty()) mr = std::min(mr, mat(1));
        else if (g.node(n.operands[1]).shape.empty()) mr = std::min(mr, mat(0));
        break;
      default: break;  // elementwise maps, sums, products, structure: rank(d g(h)) <= sum of rank(dh)
    }
    rank[id] = std::min(r, numElements(n.shape));
    matrix[id] = mr;
  }
  return rank[g.output];
}

}  // namespace nag::ir
