// Rules.cpp — one entry per op: the mathematics beside its forward and reverse rule.
//
// Notation: y = op(a, c, ...) is the node; da, dc are operand tangents (JVP);
// u is y's cotangent and the rule returns operand k's share (VJP). Operands
// that are broadcast scalars receive their share summed (reduceTo).
// relu is differentiated almost everywhere: relu'(t) = step(t) = [t > 0]
// (0 at t = 0), and step' = 0.
#include "transforms/Rules.h"

#include "support/InternalError.h"

namespace nag::transforms {

namespace {

using D = const std::vector<Maybe>&;

// a + c with zeros left out; the result has the shape `s` (a scalar tangent
// of a broadcast operand is broadcast). The operands are references: a copy
// of an empty optional copies its unset payload, which GCC 12 reported as
// -Wmaybe-uninitialized at every inlined call.
Maybe plus(Builder& b, const Maybe& a, const Maybe& c, const Shape& s) {
  auto fit = [&](NodeId t) { return b.shape(t) == s ? t : b.broadcast(t, s); };
  if (a && c) return b.add(*a, *c);
  if (a) return fit(*a);
  if (c) return fit(*c);
  return std::nullopt;
}

NodeId arg(const ir::Node& n, size_t k) { return n.operands[k]; }
// A copy: the rules keep appending nodes, which moves the graph's storage.
Shape argShape(Builder& b, const ir::Node& n, size_t k) { return b.shape(n.operands[k]); }

Maybe leaf(Builder&, NodeId, const ir::Node&, D) { return std::nullopt; }
Maybe leafT(Builder&, NodeId, const ir::Node&, size_t, NodeId) { return std::nullopt; }

// The product rule of a bilinear op y = f(a, c): dy = f(da, c) + f(a, dc).
template <typename F>
Maybe bilinear(Builder& b, const ir::Node& n, D d, F f) {
  Maybe x = d[0] ? Maybe(f(*d[0], arg(n, 1))) : std::nullopt;
  Maybe y = d[1] ? Maybe(f(arg(n, 0), *d[1])) : std::nullopt;
  return plus(b, x, y, n.shape);
}

// Linear ops apply themselves to the tangents (zero stays zero).
template <typename F>
Maybe linear1(D d, F f) {
  return d[0] ? Maybe(f(*d[0])) : std::nullopt;
}

const Rule kRules[] = {
    // ---- leaves: their tangents and cotangents are given by the caller.
    {Op::Param, "leaf", leaf, leafT},
    {Op::Input, "leaf", leaf, leafT},
    {Op::Const, "dc = 0", leaf, leafT},
    {Op::Aux, "leaf", leaf, leafT},
    {Op::Seed, "dseed = 0", leaf, leafT},

    // ---- elementwise
    {Op::Add, "d(a + c) = da + dc;  a += u, c += u",
     [](Builder& b, NodeId, const ir::Node& n, D d) { return plus(b, d[0], d[1], n.shape); },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe { return b.reduceTo(u, argShape(b, n, k)); }},
    {Op::Sub, "d(a - c) = da - dc;  a += u, c -= u",
     [](Builder& b, NodeId, const ir::Node& n, D d) -> Maybe {
       if (d[0] && d[1]) return b.sub(*d[0], *d[1]);
       return plus(b, d[0], d[1] ? Maybe(b.neg(*d[1])) : std::nullopt, n.shape);
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe {
       return b.reduceTo(k == 0 ? u : b.neg(u), argShape(b, n, k));
     }},
    {Op::Mul, "d(a c) = da c + a dc;  a += u c, c += u a",
     [](Builder& b, NodeId, const ir::Node& n, D d) {
       return bilinear(b, n, d, [&](NodeId p, NodeId q) { return b.mul(p, q); });
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe {
       return b.reduceTo(b.mul(u, arg(n, 1 - k)), argShape(b, n, k));
     }},
    {Op::Div, "d(a / c) = (da - y dc) / c;  a += u / c, c -= u y / c",
     [](Builder& b, NodeId self, const ir::Node& n, D d) -> Maybe {
       Maybe top = d[1] ? plus(b, d[0], b.neg(b.mul(self, *d[1])), n.shape) : d[0];
       return top ? Maybe(b.div(*top, arg(n, 1))) : std::nullopt;
     },
     [](Builder& b, NodeId self, const ir::Node& n, size_t k, NodeId u) -> Maybe {
       NodeId share = k == 0 ? b.div(u, arg(n, 1)) : b.neg(b.div(b.mul(u, self), arg(n, 1)));
       return b.reduceTo(share, argShape(b, n, k));
     }},
    {Op::Neg, "d(-a) = -da;  a -= u",
     [](Builder& b, NodeId, const ir::Node&, D d) { return linear1(d, [&](NodeId t) { return b.neg(t); }); },
     [](Builder& b, NodeId, const ir::Node&, size_t, NodeId u) -> Maybe { return b.neg(u); }},
    {Op::Pow, "d(a^k) = k a^(k-1) da;  a += u k a^(k-1)",
     [](Builder& b, NodeId, const ir::Node& n, D d) -> Maybe {
       if (!d[0] || n.attr == 0) return std::nullopt;
       return b.mul(b.mul(b.constant(Rational(long(n.attr))), b.pow(arg(n, 0), n.attr - 1)), *d[0]);
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t, NodeId u) -> Maybe {
       if (n.attr == 0) return std::nullopt;
       return b.mul(u, b.mul(b.constant(Rational(long(n.attr))), b.pow(arg(n, 0), n.attr - 1)));
     }},
    {Op::Relu, "d relu(a) = step(a) da (a.e.);  a += u step(a)",
     [](Builder& b, NodeId, const ir::Node& n, D d) { return linear1(d, [&](NodeId t) { return b.mul(b.step(arg(n, 0)), t); }); },
     [](Builder& b, NodeId, const ir::Node& n, size_t, NodeId u) -> Maybe { return b.mul(u, b.step(arg(n, 0))); }},
    {Op::Step, "d step(a) = 0 (a.e.)", leaf, leafT},
    {Op::Tanh, "d tanh(a) = (1 - y^2) da;  a += u (1 - y^2)",
     [](Builder& b, NodeId self, const ir::Node&, D d) {
       return linear1(d, [&](NodeId t) { return b.mul(b.sub(b.constant(Rational(1)), b.pow(self, 2)), t); });
     },
     [](Builder& b, NodeId self, const ir::Node&, size_t, NodeId u) -> Maybe {
       return b.mul(u, b.sub(b.constant(Rational(1)), b.pow(self, 2)));
     }},
    {Op::Sigmoid, "d sigmoid(a) = y (1 - y) da;  a += u y (1 - y)",
     [](Builder& b, NodeId self, const ir::Node&, D d) {
       return linear1(d, [&](NodeId t) { return b.mul(b.mul(self, b.sub(b.constant(Rational(1)), self)), t); });
     },
     [](Builder& b, NodeId self, const ir::Node&, size_t, NodeId u) -> Maybe {
       return b.mul(u, b.mul(self, b.sub(b.constant(Rational(1)), self)));
     }},
    {Op::Exp, "d exp(a) = y da;  a += u y",
     [](Builder& b, NodeId self, const ir::Node&, D d) { return linear1(d, [&](NodeId t) { return b.mul(self, t); }); },
     [](Builder& b, NodeId self, const ir::Node&, size_t, NodeId u) -> Maybe { return b.mul(u, self); }},

    // ---- structure
    {Op::MatMul, "d(A B) = dA B + A dB;  A += U B^T (U b^T for a vector b), B += A^T U",
     [](Builder& b, NodeId, const ir::Node& n, D d) {
       return bilinear(b, n, d, [&](NodeId p, NodeId q) { return b.matmul(p, q); });
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe {
       if (k == 1) return b.matmul(b.transpose(arg(n, 0)), u);
       if (b.shape(arg(n, 1)).size() == 1) return b.outer(u, arg(n, 1));
       return b.matmul(u, b.transpose(arg(n, 1)));
     }},
    {Op::Transpose, "d(A^T) = dA^T;  A += U^T",
     [](Builder& b, NodeId, const ir::Node&, D d) { return linear1(d, [&](NodeId t) { return b.transpose(t); }); },
     [](Builder& b, NodeId, const ir::Node&, size_t, NodeId u) -> Maybe { return b.transpose(u); }},
    {Op::Conv1d,
     "y[i] = sum_t w[t] x[i s + t d]: dy = conv(dw, x) + conv(w, dx); "
     "w[t] += sum_i u[i] x[i s + t d] = conv(u, x; stride d, dilation s); x += conv1d_t(w, u; s, d)",
     [](Builder& b, NodeId, const ir::Node& n, D d) {
       int64_t len = n.shape[0];
       return bilinear(b, n, d, [&](NodeId p, NodeId q) { return b.conv1d(p, q, n.attr, n.attr2, len); });
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe {
       if (k == 0) return b.conv1d(u, arg(n, 1), n.attr2, n.attr, argShape(b, n, 0)[0]);
       return b.convT(arg(n, 0), u, n.attr, n.attr2, argShape(b, n, 1)[0]);
     }},
    {Op::ConvT,
     "y[i s + t d] += w[t] v[i]: dy = conv1d_t(dw, v) + conv1d_t(w, dv); "
     "w[t] += sum_i v[i] u[i s + t d] = conv(v, u; stride d, dilation s); v += conv(w, u; s, d)",
     [](Builder& b, NodeId, const ir::Node& n, D d) {
       int64_t len = n.shape[0];
       return bilinear(b, n, d, [&](NodeId p, NodeId q) { return b.convT(p, q, n.attr, n.attr2, len); });
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe {
       if (k == 0) return b.conv1d(arg(n, 1), u, n.attr2, n.attr, argShape(b, n, 0)[0]);
       return b.conv1d(arg(n, 0), u, n.attr, n.attr2, argShape(b, n, 1)[0]);
     }},
    {Op::Sum, "d sum(a) = sum(da);  a += broadcast(u)",
     [](Builder& b, NodeId, const ir::Node&, D d) { return linear1(d, [&](NodeId t) { return b.sum(t); }); },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe { return b.broadcast(u, argShape(b, n, k)); }},
    {Op::Dot, "d(a . c) = da . c + a . dc;  a += u c, c += u a",
     [](Builder& b, NodeId, const ir::Node& n, D d) {
       return bilinear(b, n, d, [&](NodeId p, NodeId q) { return b.dot(p, q); });
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe { return b.mul(u, arg(n, 1 - k)); }},
    {Op::Outer, "d(a c^T) = da c^T + a dc^T;  a += U c, c += U^T a",
     [](Builder& b, NodeId, const ir::Node& n, D d) {
       return bilinear(b, n, d, [&](NodeId p, NodeId q) { return b.outer(p, q); });
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe {
       return k == 0 ? b.matmul(u, arg(n, 1)) : b.matmul(b.transpose(u), arg(n, 0));
     }},
    {Op::Concat, "d concat(a, c) = concat(da, dc);  a += u[first part], c += u[second part]",
     [](Builder& b, NodeId, const ir::Node& n, D d) -> Maybe {
       bool any = false;
       for (const Maybe& t : d) any = any || t;
       if (!any) return std::nullopt;
       std::vector<NodeId> parts;
       for (size_t k = 0; k < d.size(); ++k) parts.push_back(d[k] ? *d[k] : b.zeros(argShape(b, n, k)));
       return b.concat(parts);
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t k, NodeId u) -> Maybe {
       int64_t offset = 0;
       for (size_t j = 0; j < k; ++j) offset += ir::numElements(argShape(b, n, j));
       return b.slice(u, offset, argShape(b, n, k));
     }},
    {Op::Index, "d a[i] = da[i];  a[i] += u (the rest of a gets 0)",
     [](Builder& b, NodeId, const ir::Node& n, D d) -> Maybe {
       if (!d[0]) return std::nullopt;
       const Shape& s = b.shape(*d[0]);
       int64_t offset = 0, stride = ir::numElements(n.shape);
       for (size_t k = n.indices.size(); k-- > 0;) {
         offset += n.indices[k] * stride;
         stride *= s[k];
       }
       return b.slice(*d[0], offset, n.shape);
     },
     [](Builder& b, NodeId, const ir::Node& n, size_t, NodeId u) -> Maybe {
       const Shape& s = argShape(b, n, 0);
       int64_t offset = 0, stride = ir::numElements(n.shape);
       for (size_t k = n.indices.size(); k-- > 0;) {
         offset += n.indices[k] * stride;
         stride *= s[k];
       }
       return b.embed(u, offset, s);
     }},
    {Op::Slice, "d a[o:o+m] = da[o:o+m];  a[o:o+m] += u",
     [](Builder& b, NodeId, const ir::Node& n, D d) { return linear1(d, [&](NodeId t) { return b.slice(t, n.attr, n.shape); }); },
     [](Builder& b, NodeId, const ir::Node& n, size_t, NodeId u) -> Maybe { return b.embed(u, n.attr, argShape(b, n, 0)); }},
    {Op::Embed, "d embed(a) = embed(da);  a += u[o:o+m]",
     [](Builder& b, NodeId, const ir::Node& n, D d) { return linear1(d, [&](NodeId t) { return b.embed(t, n.attr, n.shape); }); },
     [](Builder& b, NodeId, const ir::Node& n, size_t, NodeId u) -> Maybe { return b.slice(u, n.attr, argShape(b, n, 0)); }},
    {Op::Reshape, "d reshape(a) = reshape(da);  a += reshape(u)",
     [](Builder& b, NodeId, const ir::Node& n, D d) { return linear1(d, [&](NodeId t) { return b.reshape(t, n.shape); }); },
     [](Builder& b, NodeId, const ir::Node& n, size_t, NodeId u) -> Maybe { return b.reshape(u, argShape(b, n, 0)); }},
    {Op::Broadcast, "d broadcast(a) = broadcast(da);  a += sum(u)",
     [](Builder& b, NodeId, const ir::Node& n, D d) { return linear1(d, [&](NodeId t) { return b.broadcast(t, n.shape); }); },
     [](Builder& b, NodeId, const ir::Node&, size_t, NodeId u) -> Maybe { return b.sum(u); }},
};

}  // namespace

const Rule& ruleFor(Op op) {
  static const std::vector<const Rule*> table = [] {
    std::vector<const Rule*> t(size_t(Op::Broadcast) + 1, nullptr);
    for (const Rule& r : kRules) t[size_t(r.op)] = &r;
    return t;
  }();
  const Rule* r = size_t(op) < table.size() ? table[size_t(op)] : nullptr;
  NAG_ASSERT(r != nullptr, std::string("no derivative rule for ") + ir::spelling(op));
  return *r;
}

}  // namespace nag::transforms
