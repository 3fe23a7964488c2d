// Symmetry.cpp — known continuous symmetries of a parameterization, ambient and expected dimension.
#include "ir/Model.h"

#include "support/InternalError.h"

#include <algorithm>
#include <functional>
#include <gmpxx.h>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace nag::ir {

namespace {

// Users of every node, to check that an intermediate value feeds one place only.
class Users {
public:
  explicit Users(const Graph& g) : users_(g.nodes.size()) {
    for (NodeId id = 0; id < g.nodes.size(); ++id)
      for (NodeId o : g.nodes[id].operands) users_[o].push_back(id);
    users_[g.output].push_back(NodeId(-1));  // the output is used by the caller
  }
  bool usedOnceBy(NodeId n, NodeId user) const { return users_[n].size() == 1 && users_[n][0] == user; }
  bool usedOnce(NodeId n) const { return users_[n].size() == 1 && users_[n][0] != NodeId(-1); }
  NodeId onlyUser(NodeId n) const { return users_[n][0]; }
  const std::vector<NodeId>& of(NodeId n) const { return users_[n]; }  ///< -1 stands for the caller

private:
  std::vector<std::vector<NodeId>> users_;
};

/// Finds the symmetry patterns of README "Symmetries"; every pattern found
/// acts with finite generic stabilizers, so their dimensions add.
class Finder {
public:
  explicit Finder(const Graph& g) : g_(g), users_(g) {}

  std::vector<Symmetry> run() {
    for (NodeId id = 0; id < g_.nodes.size(); ++id) {
      neuronRescaling(id);
      linearChain(id);
      filterScaling(id);
      attention(id);
      stackedHeads(id);
      sharedInput(id);
    }
    channelRescaling();
    tensorScaling();
    return found_;
  }

private:
  const Graph& g_;
  Users users_;
  std::vector<Symmetry> found_;
  std::set<NodeId> shared_;  // parameters used more than once
  std::set<int64_t> claimed_;  // parameter tensors (indices) that rules A-D act on

  void add(Symmetry s, std::initializer_list<NodeId> params) {
    for (NodeId p : params) claimed_.insert(node(p).attr);
    push(std::move(s));
  }

  // Records a symmetry, dropping its generators once the budget of terms is
  // spent (the runtime then takes the rule's dimension on its word).
  static constexpr int64_t kTermBudget = 300000;  // 7 MB of constant data at most
  int64_t terms_ = 0;
  void push(Symmetry s) {
    int64_t n = 0;
    for (const Generator& gen : s.generators) n += int64_t(gen.size());
    if (terms_ + n > kTermBudget) s.generators.clear();
    else terms_ += n;
    found_.push_back(std::move(s));
  }

  // --- generators (see Model.h): vector fields ξ(θ) = M θ ---------------
  int64_t offsetOf(NodeId param) const { return g_.params[size_t(node(param).attr)].offset; }
  int64_t cols(NodeId param) const { return node(param).shape.size() == 2 ? node(param).shape[1] : 1; }
  // Every element of `param` scaled with weight c: ξ_e = c θ_e.
  void scaleAll(Generator& gen, NodeId param, int64_t c) const {
    int64_t base = offsetOf(param), size = numElements(node(param).shape);
    for (int64_t e = 0; e < size; ++e) gen.push_back({base + e, base + e, c});
  }
  Generator scaling(std::initializer_list<std::pair<NodeId, int64_t>> weights) const {
    Generator gen;
    for (auto [p, c] : weights) scaleAll(gen, p, c);
    return gen;
  }
  // How a GL(k) factor acts on a parameter matrix, for the generator E_ab:
  // rows: X -> E X (k rows); cols: Y -> -Y E on the column block starting at
  // `at` (k columns); rowsT: Q -> -E^T Q (attention's A^-T).
  enum class Side { Rows, Cols, RowsT };
  struct Action {
    NodeId param;
    Side side;
    int64_t at = 0;
  };
  std::vector<Generator> gl(int64_t k, const std::vector<Action>& actions) const {
    std::vector<Generator> gens;
    for (int64_t a = 0; a < k; ++a)
      for (int64_t b = 0; b < k; ++b) {
        Generator gen;
        for (const Action& act : actions) {
          int64_t base = offsetOf(act.param), c = cols(act.param), rows = node(act.param).shape[0];
          switch (act.side) {
            case Side::Rows:
              for (int64_t j = 0; j < c; ++j) gen.push_back({base + a * c + j, base + b * c + j, 1});
              break;
            case Side::RowsT:
              for (int64_t j = 0; j < c; ++j) gen.push_back({base + b * c + j, base + a * c + j, -1});
              break;
            case Side::Cols:
              for (int64_t i = 0; i < rows; ++i) gen.push_back({base + i * c + act.at + b, base + i * c + act.at + a, -1});
              break;
          }
        }
        gens.push_back(std::move(gen));
      }
    return gens;
  }

  const Node& node(NodeId n) const { return g_.nodes[n]; }
  bool isParam(NodeId n, size_t rank) const { return node(n).op == Op::Param && node(n).shape.size() == rank; }
  const std::string& path(NodeId param) const { return g_.params[size_t(node(param).attr)].path; }
  // A parameter used by `user` and nothing else (shared weights break the symmetries below).
  bool ownParam(NodeId n, NodeId user, size_t rank) const { return isParam(n, rank) && users_.usedOnceBy(n, user); }
  // MatMul(W, h) with W a parameter matrix of its own.
  bool denseLayer(NodeId n) const {
    return node(n).op == Op::MatMul && ownParam(node(n).operands[0], n, 2);
  }

  // Rule A: W h (+ b) -> t^r (r >= 1) or relu -> W2 (.) : each of the m
  // neurons can be rescaled, row i of W (and b_i) by s, column i of W2 by
  // s^-r (relu: s > 0). Dimension m.
  void neuronRescaling(NodeId act) {
    const Node& a = node(act);
    bool pow = a.op == Op::Pow && a.attr >= 1;
    if (!pow && a.op != Op::Relu) return;
    NodeId pre = a.operands[0];
    if (!users_.usedOnceBy(pre, act)) return;
    NodeId dense = pre;
    std::string bias;
    if (node(pre).op == Op::Add && ownParam(node(pre).operands[1], pre, 1) && users_.usedOnceBy(node(pre).operands[0], pre)) {
      dense = node(pre).operands[0];
      bias = " and " + path(node(pre).operands[1]);
    }
    if (!denseLayer(dense) || !users_.usedOnce(act)) return;
    NodeId next = users_.onlyUser(act);
    if (!denseLayer(next) || node(next).operands[1] != act) return;
    int64_t m = node(dense).shape[0];
    std::string how = pow ? "t^" + std::to_string(a.attr) : "relu, positive factors";
    NodeId b = bias.empty() ? node(dense).operands[0] : node(pre).operands[1];
    // Neuron i: row i of W (and b_i) with weight 1, column i of W2 with -r.
    NodeId w1 = node(dense).operands[0], w2 = node(next).operands[0];
    int64_t r = pow ? a.attr : 1, n = cols(w1), q = node(w2).shape[0];
    std::vector<Generator> gens;
    for (int64_t i = 0; i < m; ++i) {
      Generator gen;
      for (int64_t j = 0; j < n; ++j) gen.push_back({offsetOf(w1) + i * n + j, offsetOf(w1) + i * n + j, 1});
      if (!bias.empty()) gen.push_back({offsetOf(b) + i, offsetOf(b) + i, 1});
      for (int64_t j = 0; j < q; ++j) gen.push_back({offsetOf(w2) + j * m + i, offsetOf(w2) + j * m + i, -r});
      gens.push_back(std::move(gen));
    }
    add({"rescaling of the " + std::to_string(m) + " neurons between " + path(node(dense).operands[0]) + bias +
             " and " + path(node(next).operands[0]) + " (" + how + ")",
         m, std::move(gens)},
        {node(dense).operands[0], b, node(next).operands[0]});
  }

  // Rule B: products of parameter matrices without activations between
  // them, in any association (W3 @ (W2 @ (W1 @ x)) or ((W3 @ W2) @ W1) @ x):
  // flattened into factors F_1 ... F_n, the inner width k between two
  // consecutive parameters carries GL(k) (F_i -> F_i A^-1, F_i+1 -> A F_i+1).
  // It acts freely when the product on one side has full rank k: k is at
  // most every width on that side. Widths where neither holds are not counted.
  void linearChain(NodeId root) {
    if (node(root).op != Op::MatMul) return;
    if (users_.usedOnce(root) && node(users_.onlyUser(root)).op == Op::MatMul) return;  // not the root
    std::vector<NodeId> factors;
    flatten(root, factors);
    // Runs of consecutive own parameter matrices.
    size_t i = 0;
    while (i < factors.size()) {
      size_t j = i;
      while (j < factors.size() && node(factors[j]).op == Op::Param && node(factors[j]).shape.size() == 2) ++j;
      if (j - i >= 2) chainRun(std::vector<NodeId>(factors.begin() + long(i), factors.begin() + long(j)));
      i = j == i ? i + 1 : j;
    }
  }

  // Factors of a product tree: operands that are not themselves products
  // used only by this product.
  void flatten(NodeId n, std::vector<NodeId>& out) {
    for (NodeId o : node(n).operands) {
      if (node(o).op == Op::MatMul && users_.usedOnceBy(o, n))
        flatten(o, out);
      else if (node(o).op == Op::Param && !users_.usedOnceBy(o, n)) {
        shared_.insert(o);
        out.push_back(o);
      } else {
        out.push_back(o);
      }
    }
  }

  void chainRun(const std::vector<NodeId>& run) {
    for (NodeId p : run)
      if (shared_.count(p)) return;  // a shared weight: no claim
    std::vector<int64_t> widths{node(run[0]).shape[0]};
    for (NodeId p : run) widths.push_back(node(p).shape[1]);
    // The least width left of l and right of l, for every l at once.
    std::vector<int64_t> before(widths.size()), after(widths.size());
    for (size_t l = 1; l < widths.size(); ++l) before[l] = l == 1 ? widths[0] : std::min(before[l - 1], widths[l - 1]);
    for (size_t l = widths.size() - 1; l-- > 0;)
      after[l] = l + 2 == widths.size() ? widths.back() : std::min(after[l + 1], widths[l + 1]);
    for (size_t l = 1; l + 1 < widths.size(); ++l) {
      int64_t left = before[l];
      int64_t right = after[l];
      int64_t k = widths[l];
      if (k > left && k > right) continue;
      // F_(l-1) F_l: F_l -> A F_l, F_(l-1) -> F_(l-1) A^-1.
      add({"GL(" + std::to_string(k) + ") between " + path(run[l - 1]) + " and " + path(run[l]) + " (linear layers)",
           k * k, gl(k, {{run[l], Side::Rows}, {run[l - 1], Side::Cols}})},
          {run[l - 1], run[l]});
    }
  }

  // Rule C: conv1d(w2, conv1d(w1, x)^r) (r >= 1, or no power): w1 -> s w1,
  // w2 -> s^-r w2. Dimension 1 per pair of consecutive convolutions.
  void filterScaling(NodeId outer) {
    const Node& c2 = node(outer);
    if (c2.op != Op::Conv1d || !ownParam(c2.operands[0], outer, 1)) return;
    NodeId z = c2.operands[1];
    if (!users_.usedOnceBy(z, outer)) return;
    int64_t r = 1;
    NodeId inner = z;
    if (node(z).op == Op::Pow && node(z).attr >= 1) {
      r = node(z).attr;
      inner = node(z).operands[0];
      if (!users_.usedOnceBy(inner, z)) return;
    }
    if (node(inner).op != Op::Conv1d || !ownParam(node(inner).operands[0], inner, 1)) return;
    add({"scaling between the filters " + path(node(inner).operands[0]) + " and " + path(c2.operands[0]) +
             (r == 1 ? "" : " (t^" + std::to_string(r) + ")"),
         1, {scaling({{node(inner).operands[0], 1}, {c2.operands[0], -r}})}},
        {node(inner).operands[0], c2.operands[0]});
  }

  // Rule D: attention's (K X)^T ... (Q Y) with K, Q of shape [a, *], in
  // either association: transpose(K X) @ (Q Y), or (L @ transpose(K X)) @ (Q Y).
  // GL(a) acts by K -> A K, Q -> A^-T Q, freely when a <= the other sizes of
  // K X or of Q Y. When the other factor is V Z (V Z @ scores, or L = V Z),
  // V -> s V, K -> K / s adds 1.
  void attention(NodeId t) {
    if (node(t).op != Op::Transpose || !users_.usedOnce(t)) return;
    NodeId kx = node(t).operands[0];
    if (!users_.usedOnceBy(kx, t) || !denseLayer(kx) || node(kx).shape.size() != 2) return;
    NodeId u = users_.onlyUser(t);
    if (node(u).op != Op::MatMul) return;
    NodeId qy, vz;
    if (node(u).operands[0] == t) {  // scores = K^T-side @ Q-side; V Z @ scores
      qy = node(u).operands[1];
      if (!users_.usedOnceBy(qy, u)) return;
      vz = NodeId(-1);
      if (users_.usedOnce(u)) {
        NodeId out = users_.onlyUser(u);
        if (node(out).op == Op::MatMul && node(out).operands[1] == u) vz = node(out).operands[0];
      }
    } else {  // (L @ transpose(K X)) @ (Q Y)
      vz = node(u).operands[0];
      if (!users_.usedOnce(u)) return;
      NodeId out = users_.onlyUser(u);
      if (node(out).op != Op::MatMul || node(out).operands[0] != u) return;
      qy = node(out).operands[1];
      if (!users_.usedOnceBy(qy, out)) return;
    }
    if (!denseLayer(qy) || node(qy).shape.size() != 2) return;
    NodeId kp = node(kx).operands[0], qp = node(qy).operands[0];
    int64_t a = node(kx).shape[0];
    if (node(qy).shape[0] != a) return;
    int64_t kFree = std::min(node(kp).shape[1], node(kx).shape[1]);
    int64_t qFree = std::min(node(qp).shape[1], node(qy).shape[1]);
    if (a <= kFree || a <= qFree) {
      add({"GL(" + std::to_string(a) + ") between " + path(kp) + " and " + path(qp) + " (attention)", a * a,
           gl(a, {{kp, Side::Rows}, {qp, Side::RowsT}})},
          {kp, qp});
      // Normalized scores (f of degree 0 in K): K alone can be scaled too.
      if (degreeIn(node(kp).attr) == 0)
        add({"scaling of " + path(kp) + " alone (normalized scores)", 1, {scaling({{kp, 1}})}}, {kp});
    }
    if (vz != NodeId(-1) && denseLayer(vz) && users_.usedOnce(vz))
      add({"scaling between " + path(node(vz).operands[0]) + " and the pair " + path(kp) + ", " + path(qp), 1,
           {scaling({{node(vz).operands[0], 1}, {kp, -1}})}},
          {node(vz).operands[0], kp, qp});
  }

  // Rule F: O @ concat(V_1 Z_1, ..., V_h Z_h) (multi-head attention, or any
  // stacked branches that each begin with their own parameter matrix V_i):
  // GL(a_i) acts by V_i -> A V_i and O's i-th column block -> O_i A^-1, freely
  // when a_i <= the columns of V_i (V_i has full row rank) or the rows of O.
  void stackedHeads(NodeId root) {
    const Node& m = node(root);
    if (m.op != Op::MatMul || !ownParam(m.operands[0], root, 2)) return;
    NodeId cat = m.operands[1];
    if (node(cat).op != Op::Concat || !users_.usedOnceBy(cat, root) || node(cat).operands.size() < 2) return;
    NodeId o = m.operands[0];
    int64_t at = 0;  // first column of the part's block in O
    for (size_t pi = 0; pi < node(cat).operands.size(); at += node(node(cat).operands[pi]).shape[0], ++pi) {
      NodeId part = node(cat).operands[pi];
      if (node(part).op != Op::MatMul || !users_.usedOnceBy(part, cat)) continue;
      std::vector<NodeId> factors;
      flatten(part, factors);
      NodeId v = factors[0];
      if (!isParam(v, 2) || shared_.count(v)) continue;
      int64_t a = node(v).shape[0];
      if (a > node(v).shape[1] && a > node(o).shape[0]) continue;
      add({"GL(" + std::to_string(a) + ") between " + path(v) + " and its block of " + path(o) + " (stacked heads)", a * a,
           gl(a, {{v, Side::Rows}, {o, Side::Cols, at}})},
          {v, o});
    }
  }

  // Rule G: a product H = V @ ... whose first factor is a parameter matrix V
  // of its own, read only by two or more products P_i @ H with parameter
  // matrices P_i of their own (the next attention layer's V, K and Q, or
  // several heads reading one layer): GL(k) acts by V -> A V, P_i -> P_i A^-1,
  // freely when k <= the columns of V (V has full row rank). With one reader
  // this is rule B's chain.
  void sharedInput(NodeId h) {
    if (node(h).op != Op::MatMul || node(h).shape.size() != 2) return;
    if (users_.usedOnce(h) && node(users_.onlyUser(h)).op == Op::MatMul &&
        node(users_.onlyUser(h)).operands[0] == h)
      return;  // not the root of its product
    std::vector<NodeId> factors;
    flatten(h, factors);
    NodeId v = factors[0];
    if (!isParam(v, 2) || shared_.count(v) || !users_.usedOnce(v)) return;
    int64_t k = node(v).shape[0];
    if (k > node(v).shape[1]) return;
    const std::vector<NodeId>& readers = users_.of(h);
    if (readers.size() < 2 || h == g_.output) return;
    std::string names;
    std::vector<Action> actions{{v, Side::Rows}};
    for (NodeId u : readers) {
      const Node& r = node(u);
      if (r.op != Op::MatMul || r.operands[1] != h || r.operands[0] == h || !ownParam(r.operands[0], u, 2)) return;
      names += (names.empty() ? "" : ", ") + path(r.operands[0]);
      actions.push_back({r.operands[0], Side::Cols});
    }
    Symmetry sym{"GL(" + std::to_string(k) + ") between " + path(v) + " and its readers " + names, k * k, gl(k, actions)};
    claimed_.insert(node(v).attr);
    for (NodeId u : readers) claimed_.insert(node(node(u).operands[0]).attr);
    push(std::move(sym));
  }

  // Degrees of every element of every node when the elements of parameter
  // tensors are scaled by s^degree (`seed(param, flat index)` gives each
  // element's degree); kNone where an element is not homogeneous.
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::min();
  std::vector<int64_t> elementDegrees(const std::function<int64_t(int64_t, int64_t)>& seed) const {
    std::vector<std::vector<int64_t>> deg(g_.nodes.size());
    auto same = [](int64_t a, int64_t b) { return a == b ? a : kNone; };
    auto plus = [](int64_t a, int64_t b) { return a == kNone || b == kNone ? kNone : a + b; };
    for (NodeId id = 0; id < g_.nodes.size(); ++id) {
      const Node& n = node(id);
      int64_t size = numElements(n.shape);
      std::vector<int64_t>& d = deg[id];
      d.assign(size_t(size), 0);
      auto in = [&](size_t k, int64_t e) {  // element e of operand k, scalars broadcast
        const std::vector<int64_t>& v = deg[n.operands[k]];
        return v.size() == 1 ? v[0] : v[size_t(e)];
      };
      auto combine = [&](int64_t acc, int64_t term, bool first) { return first ? term : same(acc, term); };
      switch (n.op) {
        case Op::Param:
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = seed(n.attr, e);
          break;
        case Op::Input: case Op::Const: case Op::Aux: case Op::Seed: break;
        case Op::Add: case Op::Sub:
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = same(in(0, e), in(1, e));
          break;
        case Op::Mul:
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = plus(in(0, e), in(1, e));
          break;
        case Op::Div:
          for (int64_t e = 0; e < size; ++e) {
            int64_t b = in(1, e);
            d[size_t(e)] = b == kNone ? kNone : plus(in(0, e), -b);
          }
          break;
        case Op::Neg: case Op::Relu: case Op::Reshape:
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = in(0, e);
          break;
        case Op::Broadcast:
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = in(0, 0);
          break;
        case Op::Pow:
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = in(0, e) == kNone ? kNone : in(0, e) * n.attr;
          break;
        case Op::Step:
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = in(0, e) == kNone ? kNone : 0;
          break;
        case Op::Tanh: case Op::Sigmoid: case Op::Exp:
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = in(0, e) == 0 ? 0 : kNone;
          break;
        case Op::Transpose: {
          int64_t rows = n.shape[0], cols = n.shape[1];
          for (int64_t i = 0; i < rows; ++i)
            for (int64_t j = 0; j < cols; ++j) d[size_t(i * cols + j)] = in(0, j * rows + i);
          break;
        }
        case Op::MatMul: {
          const Shape& a = node(n.operands[0]).shape;
          int64_t m = a[0], k = a[1], cols = n.shape.size() == 2 ? n.shape[1] : 1;
          for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < cols; ++j) {
              int64_t acc = 0;
              for (int64_t t = 0; t < k; ++t) acc = combine(acc, plus(in(0, i * k + t), in(1, t * cols + j)), t == 0);
              d[size_t(i * cols + j)] = acc;
            }
          break;
        }
        case Op::Conv1d: {
          int64_t k = node(n.operands[0]).shape[0];
          for (int64_t i = 0; i < size; ++i) {
            int64_t acc = 0;
            for (int64_t t = 0; t < k; ++t) acc = combine(acc, plus(in(0, t), in(1, i * n.attr + t * n.attr2)), t == 0);
            d[size_t(i)] = acc;
          }
          break;
        }
        case Op::Sum: case Op::Dot: {
          int64_t m = numElements(node(n.operands[0]).shape), acc = 0;
          for (int64_t t = 0; t < m; ++t)
            acc = combine(acc, n.op == Op::Sum ? in(0, t) : plus(in(0, t), in(1, t)), t == 0);
          d[0] = acc;
          break;
        }
        case Op::Outer: {
          int64_t cols = n.shape[1];
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = plus(in(0, e / cols), in(1, e % cols));
          break;
        }
        case Op::Concat: {
          size_t at = 0;
          for (NodeId o : n.operands)
            for (int64_t v : deg[o]) d[at++] = v;
          break;
        }
        case Op::Index: {
          const Shape& s = node(n.operands[0]).shape;
          int64_t offset = 0, stride = numElements(s);
          for (size_t k = 0; k < n.indices.size(); ++k) {
            stride /= s[k];
            offset += n.indices[k] * stride;
          }
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = in(0, offset + e);
          break;
        }
        case Op::Slice:
          for (int64_t e = 0; e < size; ++e) d[size_t(e)] = in(0, n.attr + e);
          break;
        case Op::ConvT: case Op::Embed:  // only in derivatives: no claim
          std::fill(d.begin(), d.end(), kNone);
          break;
      }
    }
    return deg[g_.output];
  }

  // Rule H: channel o of a multi-channel convolution's filter bank w1
  // (w1[o, ...]) feeding, through a power t^r or linearly, the input channel o
  // of the next bank w2 (w2[:, o, ...]): w1[o] -> s w1[o], w2[:, o] -> s^-r w2[:, o]
  // keeps f. Checked element by element (every output element of degree 0).
  // The scalings found generate a torus whose dimension is the rank of their
  // exponent vectors (over the cells (bank, i, j) of w[i, j, ...]): that is
  // what is counted, so scalings implied by others are not counted twice.
  void channelRescaling() {
    std::vector<NodeId> banks;
    int64_t elements = 0;
    for (NodeId id = 0; id < g_.nodes.size(); ++id) {
      elements += numElements(node(id).shape);
      if (node(id).op == Op::Param && node(id).shape.size() >= 3 && node(id).shape[0] <= 64 && node(id).shape[1] <= 64)
        banks.push_back(id);
    }
    if (banks.size() < 2 || elements > 2000000) return;
    std::map<NodeId, int64_t> cellBase;  // first cell of each bank
    int64_t cells = 0;
    for (NodeId b : banks) cellBase[b] = cells, cells += node(b).shape[0] * node(b).shape[1];
    std::set<int64_t> exponents{1};
    for (const Node& n : g_.nodes)
      if (n.op == Op::Pow && n.attr >= 1) exponents.insert(n.attr);
    std::vector<std::vector<mpq_class>> found;  // exponent vectors over the cells
    std::set<NodeId> involved;
    // Consecutive banks in declaration order (a layer and the next), within a
    // budget of element visits: beyond it nothing more is claimed.
    int64_t budget = 200000000;
    for (size_t b = 0; b + 1 < banks.size(); ++b) {
      NodeId w1 = banks[b], w2 = banks[b + 1];
      const Shape &s1 = node(w1).shape, &s2 = node(w2).shape;
      if (s1[0] != s2[1]) continue;
      int64_t inner1 = numElements(s1) / s1[0], inner2 = numElements(s2) / (s2[0] * s2[1]);
      for (int64_t o = 0; o < s1[0]; ++o)
        for (int64_t r : exponents) {
          if ((budget -= elements) < 0) break;
          std::vector<int64_t> out = elementDegrees([&](int64_t param, int64_t e) -> int64_t {
            if (param == node(w1).attr) return e / inner1 == o ? 1 : 0;
            if (param == node(w2).attr) return (e / inner2) % s2[1] == o ? -r : 0;
            return 0;
          });
          if (!std::all_of(out.begin(), out.end(), [](int64_t v) { return v == 0; })) continue;
          std::vector<mpq_class> v(size_t(cells), 0);
          for (int64_t j = 0; j < s1[1]; ++j) v[size_t(cellBase[w1] + o * s1[1] + j)] = 1;
          for (int64_t i = 0; i < s2[0]; ++i) v[size_t(cellBase[w2] + i * s2[1] + o)] -= r;
          found.push_back(std::move(v));
          involved.insert(w1);
          involved.insert(w2);
          break;
        }
    }
    // One generator per scaling found: each element of a bank takes its cell's exponent.
    std::vector<Generator> gens;
    for (const std::vector<mpq_class>& v : found) {
      Generator gen;
      for (NodeId b : banks) {
        const Shape& sh = node(b).shape;
        int64_t inner = numElements(sh) / (sh[0] * sh[1]);
        for (int64_t e = 0; e < numElements(sh); ++e) {
          const mpq_class& c = v[size_t(cellBase[b] + e / inner)];
          if (c != 0) gen.push_back({offsetOf(b) + e, offsetOf(b) + e, c.get_num().get_si()});
        }
      }
      gens.push_back(std::move(gen));
    }
    // The rank of the found vectors, by Gaussian elimination over Q.
    int64_t rank = 0;
    for (size_t col = 0; col < size_t(cells) && rank < int64_t(found.size()); ++col) {
      size_t pivot = size_t(rank);
      while (pivot < found.size() && found[pivot][col] == 0) ++pivot;
      if (pivot == found.size()) continue;
      std::swap(found[pivot], found[size_t(rank)]);
      for (size_t row = 0; row < found.size(); ++row) {
        if (row == size_t(rank) || found[row][col] == 0) continue;
        mpq_class factor = found[row][col] / found[size_t(rank)][col];
        for (size_t c = col; c < size_t(cells); ++c) found[row][c] -= factor * found[size_t(rank)][c];
      }
      ++rank;
    }
    if (rank == 0) return;
    std::string names;
    for (NodeId b : involved) {
      names += (names.empty() ? "" : ", ") + path(b);
      claimed_.insert(node(b).attr);
    }
    push({"rescaling of channels between the filter banks " + names + " (t^r or linear)", rank, std::move(gens)});
  }

  // How an op's degree in a parameter tensor follows from its operands'
  // when that is linear: d = sum_k c_k d_k (a product adds, t^r multiplies by
  // r, a quotient subtracts, a step gives 0); nullopt for sums,
  // concatenations and transcendental functions (and leaves).
  static std::optional<std::vector<int64_t>> linearRule(const Node& n) {
    switch (n.op) {
      case Op::Mul: case Op::MatMul: case Op::Dot: case Op::Outer: case Op::Conv1d: case Op::ConvT:
        return std::vector<int64_t>{1, 1};
      case Op::Div: return std::vector<int64_t>{1, -1};
      case Op::Pow: return std::vector<int64_t>{n.attr};
      case Op::Neg: case Op::Transpose: case Op::Index: case Op::Slice: case Op::Embed: case Op::Reshape:
      case Op::Broadcast: case Op::Sum: case Op::Relu:
        return std::vector<int64_t>{1};
      case Op::Step: return std::vector<int64_t>{0};
      default: return std::nullopt;
    }
  }

  // The degree of f in parameter tensor `param`: f(s w) = s^d f(w) for all s
  // (> 0 where relu is involved), or nullopt when f is not homogeneous in it.
  std::optional<int64_t> degreeIn(int64_t param) const {
    std::vector<std::optional<int64_t>> deg(g_.nodes.size());
    for (NodeId id = 0; id < g_.nodes.size(); ++id) {
      const Node& n = node(id);
      auto in = [&](size_t k) { return deg[n.operands[k]]; };
      std::optional<int64_t>& d = deg[id];
      if (std::optional<std::vector<int64_t>> c = linearRule(n)) {
        d = 0;
        for (size_t k = 0; k < c->size() && d; ++k) d = in(k) ? std::optional<int64_t>(*d + (*c)[k] * *in(k)) : std::nullopt;
        continue;
      }
      switch (n.op) {
        case Op::Param: d = n.attr == param ? 1 : 0; break;
        case Op::Input: case Op::Const: case Op::Aux: case Op::Seed: d = 0; break;
        case Op::Add: case Op::Sub: case Op::Concat: {
          d = in(0);
          for (size_t k = 1; k < n.operands.size(); ++k)
            if (in(k) != d) d = std::nullopt;
          break;
        }
        case Op::Tanh: case Op::Sigmoid: case Op::Exp:
          if (in(0) == 0) d = 0;
          break;
        case Op::Mul: case Op::MatMul: case Op::Dot: case Op::Outer: case Op::Conv1d: case Op::ConvT: case Op::Div:
        case Op::Pow: case Op::Neg: case Op::Transpose: case Op::Index: case Op::Slice: case Op::Embed:
        case Op::Reshape: case Op::Broadcast: case Op::Sum: case Op::Relu: case Op::Step:
          NAG_UNREACHABLE("degreeIn: ops with a linear rule are handled above");
      }
    }
    return deg[g_.output];
  }

  // degreeIn for every parameter tensor at once, in one backward pass, when
  // the output's cone has only ops with a linear rule: the degree in w is
  // then the sum over the paths from w's nodes to the output of the products
  // of the rules' coefficients. Calling degreeIn per tensor was quadratic:
  // 5 s for 20 000 stacked layers. nullopt when a node rules it out or a
  // coefficient overflows; the caller then asks degreeIn.
  std::optional<std::map<int64_t, int64_t>> linearDegrees() const {
    std::vector<int64_t> adj(g_.nodes.size(), 0);
    std::vector<bool> used(g_.nodes.size(), false);
    adj[g_.output] = 1;
    used[g_.output] = true;
    std::map<int64_t, int64_t> out;
    for (NodeId id = g_.nodes.size(); id-- > 0;) {
      if (!used[id]) continue;
      const Node& n = node(id);
      const int64_t a = adj[id];
      if (n.op == Op::Param) {
        int64_t& d = out[n.attr];
        if (__builtin_add_overflow(d, a, &d)) return std::nullopt;
        continue;
      }
      if (n.op == Op::Input || n.op == Op::Const || n.op == Op::Aux || n.op == Op::Seed) continue;
      std::optional<std::vector<int64_t>> c = linearRule(n);
      if (!c) return std::nullopt;
      for (size_t k = 0; k < c->size(); ++k) {
        if ((*c)[k] == 0) continue;  // a step: its operand's degree does not reach f
        NodeId to = n.operands[k];
        int64_t v;
        if (__builtin_mul_overflow(a, (*c)[k], &v) || __builtin_add_overflow(adj[to], v, &adj[to])) return std::nullopt;
        used[to] = true;
      }
    }
    return out;
  }

  // Rule E: scalings of whole parameter tensors. When f is homogeneous of
  // degree d_i in tensor w_i (for each i separately), w_i -> s_i w_i keeps f
  // whenever prod s_i^(d_i) = 1: a torus of dimension (number of such
  // tensors) - 1, or one more when every d_i is 0. Only what the torus adds
  // to rules A-D is counted: its dimension minus that of its part on the
  // tensors they act on (which meets their groups at most there).
  void tensorScaling() {
    std::vector<bool> used(g_.nodes.size(), false);
    used[g_.output] = true;
    for (NodeId id = g_.nodes.size(); id-- > 0;)
      if (used[id])
        for (NodeId o : node(id).operands) used[o] = true;
    int64_t homogeneous = 0, invariant = 0, homogeneousClaimed = 0, invariantClaimed = 0;
    std::vector<std::string> names;
    std::vector<std::pair<NodeId, int64_t>> degrees;  // every homogeneous tensor and its degree
    std::optional<std::map<int64_t, int64_t>> linear = linearDegrees();
    for (NodeId id = 0; id < g_.nodes.size(); ++id) {
      if (node(id).op != Op::Param || !used[id]) continue;
      std::optional<int64_t> d = linear ? std::optional<int64_t>(linear->count(node(id).attr) ? linear->at(node(id).attr) : 0)
                                        : degreeIn(node(id).attr);
      if (!d) continue;
      bool claimed = claimed_.count(node(id).attr) > 0;
      degrees.push_back({id, *d});
      (*d == 0 ? (claimed ? invariantClaimed : invariant) : (claimed ? homogeneousClaimed : homogeneous)) += 1;
      if (!claimed) names.push_back(path(id) + (*d == 0 ? " (f does not change)" : " (degree " + std::to_string(*d) + ")"));
    }
    auto torus = [](int64_t h, int64_t z) { return h + z - (h > 0 ? 1 : 0); };
    int64_t added = torus(homogeneous + homogeneousClaimed, invariant + invariantClaimed) -
                    torus(homogeneousClaimed, invariantClaimed);
    if (added <= 0) return;
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    // The torus {s : prod s_i^(d_i) = 1}: with w_0 of degree d_0 != 0, the
    // generators d_0 e_i - d_i e_0; when every degree is 0, each e_i.
    std::vector<Generator> gens;
    auto pivot = std::find_if(degrees.begin(), degrees.end(), [](auto& p) { return p.second != 0; });
    for (auto it = degrees.begin(); it != degrees.end(); ++it) {
      if (it == pivot) continue;
      Generator gen;
      if (pivot == degrees.end()) {
        scaleAll(gen, it->first, 1);
      } else {
        scaleAll(gen, it->first, pivot->second);
        if (it->second != 0) scaleAll(gen, pivot->first, -it->second);
      }
      gens.push_back(std::move(gen));
    }
    push({"scaling of whole parameter tensors that keeps f: " + list, added, std::move(gens)});
  }
};

// A linear convolutional network: output = conv(w_L, ... conv(w_1, x)) with
// every filter a parameter of its own and x an input. The end-to-end map is
// one convolution with stride s_1...s_L and a filter of length
// k_1 + sum_l (k_l - 1) s_1...s_(l-1): its function space lives in that
// space of filters, whose dimension is the ambient dimension. -1 otherwise.
int64_t convolutionalAmbient(const Graph& g) {
  Users users(g);
  NodeId n = g.output;
  std::vector<std::pair<int64_t, int64_t>> layers;  // (filter length, stride), output first
  while (g.node(n).op == Op::Conv1d) {
    const Node& c = g.node(n);
    const Node& w = g.node(c.operands[0]);
    if (c.attr2 != 1 || w.op != Op::Param || !users.usedOnceBy(c.operands[0], n)) return -1;
    layers.push_back({w.shape[0], c.attr});
    NodeId next = c.operands[1];
    if (g.node(next).op == Op::Input) {
      int64_t length = 0, stride = 1;
      for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        length += it == layers.rbegin() ? it->first : (it->first - 1) * stride;
        stride *= it->second;
      }
      return length;
    }
    if (!users.usedOnceBy(next, n)) return -1;
    n = next;
  }
  return -1;
}

// The parameter matrix W through which alone the input enters (x is used
// once, as W x or (B W) x, and W is a whole parameter tensor used there only): then
// f_theta(A x) = f_theta'(x) with W A in place of W, for every A in GL_n, so
// the function space is GL_n-invariant. -1 otherwise (several inputs, x used
// twice or otherwise, W tied or sliced).
int64_t inputMatrix(const Graph& g) {
  if (g.inputs.size() != 1 || g.inputs[0].shape.size() != 1) return -1;
  Users users(g);
  NodeId in = NodeId(-1);
  for (NodeId id = 0; id < g.nodes.size(); ++id)
    if (g.node(id).op == Op::Input) {
      if (in != NodeId(-1)) return -1;
      in = id;
    }
  if (in == NodeId(-1) || !users.usedOnce(in)) return -1;
  const NodeId mm = users.onlyUser(in);
  const Node& m = g.node(mm);
  if (m.op != Op::MatMul || m.operands.size() != 2 || m.operands[1] != in || m.operands[0] == in) return -1;
  // (B W) x as well: f depends on x through W x alone when W is the right-most factor of a product used once.
  NodeId user = mm, w = m.operands[0];
  while (g.node(w).op == Op::MatMul && g.node(w).shape.size() == 2 && users.usedOnceBy(w, user)) {
    user = w;
    w = g.node(w).operands[1];
  }
  const Node& wn = g.node(w);
  if (wn.op != Op::Param || wn.shape.size() != 2 || wn.shape[1] != g.inputs[0].shape[0] || !users.usedOnceBy(w, user))
    return -1;
  if (wn.attr < 0 || size_t(wn.attr) >= g.params.size() || g.params[size_t(wn.attr)].shape != wn.shape) return -1;
  for (NodeId id = 0; id < g.nodes.size(); ++id)
    if (id != w && g.node(id).op == Op::Param && g.node(id).attr == wn.attr) return -1;
  return wn.attr;
}

}  // namespace

std::string ambientDimension(int64_t inputs, int64_t outputs, const std::vector<int64_t>& degrees) {
  mpz_class total = 0;
  for (int64_t k : degrees) {
    mpz_class c;
    mpz_bin_uiui(c.get_mpz_t(), (unsigned long)(inputs + k - 1), (unsigned long)k);
    if (inputs == 0) c = k == 0 ? 1 : 0;
    total += c;
  }
  total *= outputs;
  return total.get_str();
}

std::string ambientDimension(int64_t inputs, int64_t outputs, int64_t lo, int64_t hi) {
  if (lo < 0 || hi < 0) return "";  // a degree beyond 2^62: not counted
  if (inputs == 0 || hi < lo) {
    std::vector<int64_t> degrees;
    for (int64_t k = lo; k <= std::min(hi, lo); ++k) degrees.push_back(k);
    return ambientDimension(inputs, outputs, degrees);
  }
  // sum_{k=lo}^{hi} C(n+k-1, k) = C(n+hi, n) - C(n+lo-1, n) (the monomials of
  // degree <= hi less those of degree <= lo - 1), without a term per degree.
  mpz_class top = mpz_class(static_cast<unsigned long>(inputs)) + mpz_class(static_cast<unsigned long>(hi)), all, below = 0;
  mpz_bin_ui(all.get_mpz_t(), top.get_mpz_t(), (unsigned long)inputs);
  if (lo > 0) {
    mpz_class under = mpz_class(static_cast<unsigned long>(inputs)) + mpz_class(static_cast<unsigned long>(lo - 1));
    mpz_bin_ui(below.get_mpz_t(), under.get_mpz_t(), (unsigned long)inputs);
  }
  mpz_class total = (all - below) * outputs;
  return total.get_str();
}

ModelDescription describe(const Graph& g, const std::string& source) {
  ModelDescription d;
  d.source = source;
  d.cls = classify(g);
  d.symmetries = Finder(g).run();
  for (const Symmetry& s : d.symmetries) d.symmetryDimension += s.dimension;
  mpz_class expected = g.paramCount() - d.symmetryDimension;
  if (expected < 0) expected = 0;
  if (d.cls.cls == AlgebraicClass::Polynomial) {
    int64_t filter = convolutionalAmbient(g);
    int64_t inputs = g.inputCount(), outputs = numElements(g.node(g.output).shape);
    // The coordinate space: maps whose entries have terms of the degrees that
    // can occur (all of lo..hi when the set was too large to track).
    d.ambientDimension = filter > 0 ? std::to_string(filter)
                         : d.cls.degreeSet.empty()
                             ? ambientDimension(inputs, outputs, d.cls.minDegree, d.cls.degree)
                             : ambientDimension(inputs, outputs, d.cls.degreeSet);
    if (!d.ambientDimension.empty()) {
      mpz_class ambient(d.ambientDimension);
      if (ambient < expected) expected = ambient;
    }
    // Linear networks: f = A(θ) x (+ b) with rank A <= k lies in the
    // determinantal variety of O x I matrices of rank <= k, of dimension
    // k (I + O - k) (classical; e.g. Harris, Algebraic Geometry, Prop. 12.2).
    bool linear = d.cls.degree == 1 && inputs > 0;
    int64_t k = linear ? inputRankBound(g) : 0;
    if (linear && k < std::min(inputs, outputs)) {
      d.linearRank = k;
      d.affine = d.cls.minDegree == 0;
      mpz_class bound = mpz_class(k) * (inputs + outputs - k) + (d.affine ? outputs : 0);
      d.linearRankBound = bound.get_str();
      if (bound < expected) expected = bound;
    }
  }
  d.expectedDimension = expected.get_str();
  if (d.cls.cls == AlgebraicClass::Polynomial) {
    int64_t w = inputMatrix(g);
    if (w >= 0) d.inputMatrix = g.params[size_t(w)].path;
  }
  d.modularOk = d.cls.cls != AlgebraicClass::NonAlgebraic;
  for (const Node& n : g.nodes)
    for (const Rational& q : n.values)
      if (!q.get_num().fits_slong_p() || !q.get_den().fits_slong_p()) d.modularOk = false;
  return d;
}

}  // namespace nag::ir
