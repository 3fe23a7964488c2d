// Analysis.cpp — propagates algebraic class and degree bounds through the graph.
#include "ir/Analysis.h"

#include "support/InternalError.h"

#include <algorithm>
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

// Per node: class, and for polynomials the range [lo, hi] of total degrees in
// x of its entries; `zero` marks an identically zero constant.
struct Info {
  AlgebraicClass cls = AlgebraicClass::Polynomial;
  int64_t lo = 0, hi = 0;
  bool zero = false;
  NodeId culprit = 0;  // the node that first made cls non-polynomial
};

constexpr int64_t kSaturated = std::numeric_limits<int64_t>::max() / 4;

int64_t addSat(int64_t a, int64_t b) { return std::min(a + b, kSaturated); }
int64_t mulSat(int64_t a, int64_t b) { return a != 0 && b > kSaturated / a ? kSaturated : a * b; }

const Info& worse(const Info& a, const Info& b) { return b.cls > a.cls ? b : a; }

Info product(const Info& a, const Info& b) {
  const Info& w = worse(a, b);
  if (a.zero || b.zero) return Info{w.cls, 0, 0, w.cls == AlgebraicClass::Polynomial, w.culprit};
  return Info{w.cls, addSat(a.lo, b.lo), addSat(a.hi, b.hi), false, w.culprit};
}

Info join(const Info& a, const Info& b) {
  if (a.zero) return b;
  if (b.zero) return a;
  const Info& w = worse(a, b);
  return Info{w.cls, std::min(a.lo, b.lo), std::max(a.hi, b.hi), false, w.culprit};
}

}  // namespace

Classification classify(const Graph& g) {
  std::vector<Info> info(g.nodes.size());
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    auto in = [&](size_t k) -> const Info& { return info[n.operands[k]]; };
    Info& out = info[id];
    switch (n.op) {
      case Op::Param:
      case Op::Aux:
      case Op::Seed: out = Info{}; break;
      case Op::Input: out = Info{AlgebraicClass::Polynomial, 1, 1, false}; break;
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
          out = Info{out.cls, 0, 0, false};
        } else if (!out.zero) {
          out.lo = mulSat(out.lo, n.attr);
          out.hi = mulSat(out.hi, n.attr);
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
  const Info& o = info.at(g.output);
  Classification result;
  result.cls = o.cls;
  if (o.cls != AlgebraicClass::Polynomial) {
    result.culprit = g.node(o.culprit).op;
    result.culpritLoc = g.node(o.culprit).loc;
  }
  if (o.cls == AlgebraicClass::Polynomial) {
    result.degree = o.zero ? 0 : o.hi;
    result.minDegree = o.zero ? 0 : o.lo;
  }
  return result;
}

}  // namespace nag::ir
