// Derived.cpp — wiring leaves, seeds and extra arguments around jvp/vjp for each derived function.
#include "transforms/Derived.h"

#include "transforms/Differentiate.h"

#include "support/InternalError.h"

namespace nag::transforms {

namespace {

const char* kindName(Kind k) {
  switch (k) {
    case Kind::Jac: return "jac";
    case Kind::Jvp: return "jvp";
    case Kind::Vjp: return "vjp";
    case Kind::Hess: return "hess";
    case Kind::Hvp: return "hvp";
    case Kind::LossGrad: return "loss_grad";
  }
  return "?";
}

// The variables of differentiation: parameter or input leaves, with their
// offsets in the flat vector (theta, or one sample's inputs).
struct Variables {
  std::vector<NodeId> nodes;
  std::vector<int64_t> offsets;
  std::vector<Shape> shapes;
  int64_t size = 0;
};

class Deriver {
public:
  Deriver(const ir::Graph& f, Wrt wrt) : wrt_(wrt), b_(g_, false) {
    g_.name = f.name;
    g_.args = f.args;
    g_.params = f.params;
    g_.inputs = f.inputs;
    // The primal computation first, node for node.
    for (const ir::Node& n : f.nodes) b_.add(n);
    out_ = f.output;
    outShape_ = f.node(f.output).shape;
    outSize_ = ir::numElements(outShape_);
    vars_.nodes.assign(wrt == Wrt::Theta ? f.params.size() : f.inputs.size(), NodeId(-1));
    for (NodeId id = 0; id < f.nodes.size(); ++id) {
      const ir::Node& n = f.nodes[id];
      bool mine = (wrt == Wrt::Theta && n.op == Op::Param) || (wrt == Wrt::X && n.op == Op::Input);
      if (mine) vars_.nodes[size_t(n.attr)] = id;
    }
    for (size_t k = 0; k < vars_.nodes.size(); ++k) {
      Shape s = wrt == Wrt::Theta ? f.params[k].shape : f.inputs[k].shape;
      NAG_ASSERT(vars_.nodes[k] != NodeId(-1), "a leaf without a node");
      vars_.offsets.push_back(vars_.size);
      vars_.shapes.push_back(s);
      vars_.size += ir::numElements(s);
    }
  }

  Derived build(Kind kind) {
    Derived d{kind, wrt_, std::string(kindName(kind)) + (wrt_ == Wrt::Theta ? "_theta" : "_x"), "", {}};
    const char* var = wrt_ == Wrt::Theta ? "parameters" : "input values";
    int64_t n = vars_.size;
    auto count = [](int64_t k, const char* what) {
      std::string w = what;
      if (k == 1 && w.back() == 's') w.pop_back();
      return std::to_string(k) + " " + w;
    };
    switch (kind) {
      case Kind::Jac:
        if (outSize_ <= n) {
          d.mode = "reverse mode: " + count(outSize_, "seeds") + " (outputs) <= " + count(n, var);
          NodeId seed = seedOf(outSize_);
          layout(outSize_, n, 1, outSize_ * n);
          output(flatten(vjp(b_, out_, b_.reshape(seed, outShape_), vars_.nodes)));
        } else {
          d.mode = "forward mode: " + count(n, "seeds") + " (" + var + ") < " + count(outSize_, "outputs");
          NodeId seed = seedOf(n);
          layout(n, 1, n, outSize_ * n);
          output(flatOut(jvp(b_, out_, sliceOf(seed))));
        }
        break;
      case Kind::Jvp: {
        d.mode = "forward mode: 1 pass along the direction";
        NodeId dir = auxOf("dir", {n}, wrt_ == Wrt::X);
        layout(1, 0, 1, outSize_);
        output(flatOut(jvp(b_, out_, sliceOf(dir))));
        break;
      }
      case Kind::Vjp: {
        d.mode = "reverse mode: 1 pass from the cotangent";
        NodeId cot = auxOf("cot", {outSize_}, true);
        layout(1, 0, 1, n);
        output(flatten(vjp(b_, out_, b_.reshape(cot, outShape_), vars_.nodes)));
        break;
      }
      case Kind::LossGrad: {
        NAG_ASSERT(wrt_ == Wrt::Theta, "the loss gradient is with respect to theta");
        d.mode = "reverse mode: 1 pass from the residual, summed over the samples";
        NodeId target = auxOf("target", {outSize_}, true);
        NodeId r = b_.sub(out_, b_.reshape(target, outShape_));
        NodeId flat = b_.reshape(r, {outSize_});
        NodeId squares = b_.reshape(b_.dot(flat, flat), {1});
        layout(1, 0, 1, n + 1);
        g_.layout.sumSamples = true;
        std::vector<NodeId> parts = flatParts(vjp(b_, out_, r, vars_.nodes));
        parts.push_back(squares);
        output(b_.concat(parts));
        break;
      }
      case Kind::Hess:
      case Kind::Hvp: {
        NodeId weights = auxOf("weights", {outSize_}, false);
        NodeId grad = flatten(vjp(b_, out_, b_.reshape(weights, outShape_), vars_.nodes));
        if (kind == Kind::Hess) {
          d.mode = "forward over reverse: " + count(n, "seeds") + " (" + var + ")";
          NodeId seed = seedOf(n);
          layout(n, n, 1, n * n);
          output(flatVar(jvp(b_, grad, sliceOf(seed))));
        } else {
          d.mode = "forward over reverse: 1 pass along the direction";
          NodeId dir = auxOf("dir", {n}, wrt_ == Wrt::X);
          layout(1, 0, 1, n);
          output(flatVar(jvp(b_, grad, sliceOf(dir))));
        }
        break;
      }
    }
    d.graph = std::move(g_);
    return d;
  }

private:
  Wrt wrt_;
  ir::Graph g_;
  Builder b_;
  NodeId out_;
  Shape outShape_;
  int64_t outSize_;
  Variables vars_;

  // The seed e_s of a loop over n seeds; with one seed it is the constant 1.
  NodeId seedOf(int64_t n) {
    if (n == 1) return b_.constant(Rational(1), {1});
    g_.layout.seedShape = {n};
    return b_.add(ir::Node{Op::Seed, {n}, {}});
  }

  NodeId auxOf(const std::string& name, Shape shape, bool perSample) {
    g_.aux.push_back(ir::AuxInfo{name, shape, perSample});
    return b_.add(ir::Node{Op::Aux, shape, {}, int64_t(g_.aux.size() - 1)});
  }

  void layout(int64_t seeds, int64_t seedStride, int64_t elemStride, int64_t rowSize) {
    g_.layout.seeds = seeds;
    g_.layout.seedStride = seedStride;
    g_.layout.elemStride = elemStride;
    g_.layout.rowSize = rowSize;
  }

  void output(NodeId n) { g_.output = n; }

  // Tangents of the variables: their slices of a flat vector (seed or direction).
  std::function<Maybe(NodeId)> sliceOf(NodeId flat) {
    return [this, flat](NodeId leaf) -> Maybe {
      for (size_t k = 0; k < vars_.nodes.size(); ++k)
        if (vars_.nodes[k] == leaf)
          return b_.reshape(b_.slice(flat, vars_.offsets[k], {ir::numElements(vars_.shapes[k])}), vars_.shapes[k]);
      return std::nullopt;
    };
  }

  // Cotangents of the variables as one flat vector (zeros where none).
  NodeId flatten(const std::vector<Maybe>& cots) {
    std::vector<NodeId> parts = flatParts(cots);
    return parts.size() == 1 ? parts[0] : b_.concat(parts);
  }

  std::vector<NodeId> flatParts(const std::vector<Maybe>& cots) {
    std::vector<NodeId> parts;
    for (size_t k = 0; k < cots.size(); ++k) {
      Shape flat{ir::numElements(vars_.shapes[k])};
      parts.push_back(cots[k] ? b_.reshape(*cots[k], flat) : b_.zeros(flat));
    }
    return parts;
  }

  NodeId flatOut(Maybe t) { return t ? b_.reshape(*t, {outSize_}) : b_.zeros({outSize_}); }
  NodeId flatVar(Maybe t) { return t ? *t : b_.zeros({vars_.size}); }
};

}  // namespace

Derived derive(const ir::Graph& f, Kind kind, Wrt wrt) { return Deriver(f, wrt).build(kind); }

std::vector<Derived> deriveAll(const ir::Graph& f) {
  std::vector<Derived> out;
  for (Wrt wrt : {Wrt::Theta, Wrt::X}) {
    if (wrt == Wrt::X && f.inputCount() == 0) continue;
    if (wrt == Wrt::Theta && f.paramCount() == 0) continue;
    for (Kind k : {Kind::Jac, Kind::Jvp, Kind::Vjp, Kind::Hess, Kind::Hvp}) out.push_back(derive(f, k, wrt));
  }
  return out;
}

size_t opCount(const ir::Graph& g) {
  size_t n = 0;
  for (const ir::Node& node : g.nodes) n += !node.operands.empty();
  return n;
}

}  // namespace nag::transforms
