// IR.h — the tensor IR: a statically shaped DAG of operations built by elaboration.
#pragma once

#include "support/Rational.h"
#include "support/Source.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nag::ir {

/// Every operation kind, from Ops.def.
enum class Op {
#define OP(NAME, SPELLING, ARITY) NAME,
#include "ir/Ops.def"
};

/// The printed name of an op ("matmul").
const char* spelling(Op op);
/// Number of operands an op takes; -1 when variadic.
int arity(Op op);

/// A static shape; empty is a scalar.
using Shape = std::vector<int64_t>;
/// Number of elements of a shape.
int64_t numElements(const Shape& s);
/// "R[3, 2]", or "R" for a scalar: the spelling users write.
std::string toString(const Shape& s);
using nag::toString;  // exact rationals

/// Index of a node in its graph.
using NodeId = uint32_t;

/// One operation. Operands always precede the node (the graph is topologically ordered).
struct Node {
  Op op;
  Shape shape;
  std::vector<NodeId> operands;
  int64_t attr = 0;                 ///< Pow: exponent; Conv1d/ConvT: stride; Param/Input/Aux: index; Slice/Embed: offset
  int64_t attr2 = 1;                ///< Conv1d: dilation
  std::vector<int64_t> indices;     ///< Index: leading indices
  std::vector<Rational> values;     ///< Const: row-major values (one value for a splat)
  SourceRange loc;                  ///< where in the source the node came from
};

/// A trainable parameter tensor and its place in θ.
struct ParamInfo {
  std::string path;   ///< "W1", "dense#2.W"
  Shape shape;
  int64_t offset = 0; ///< first index in the flat parameter vector (row-major)
  SourceRange loc;
};

/// One network input.
struct InputInfo {
  std::string name;
  Shape shape;
  int64_t offset = 0; ///< first index in the flat input vector
  SourceRange loc;
};

/// An extra argument of a derived function: per sample (like x) or one for
/// the whole batch (like theta).
struct AuxInfo {
  std::string name;   ///< "dir", "cot", "weights"
  Shape shape;
  bool perSample = false;
};

/// Where a function's results go in each sample's row of y: the result of
/// seed s, element e lands at s * seedStride + e * elemStride.
struct OutputLayout {
  int64_t seeds = 1;       ///< size of the seed loop (1: no loop)
  Shape seedShape;         ///< the shape of the Seed leaf, when there is one
  int64_t seedStride = 0;
  int64_t elemStride = 1;
  int64_t rowSize = 0;     ///< values per sample in y
  /// y is one row for the whole batch: the sum over samples of each sample's row (the loss gradient).
  bool sumSamples = false;
};

/// A compile-time argument of the network, as it was bound.
struct ArgInfo {
  std::string name;
  std::string value;  ///< spelled in .nag syntax: 2, [2, 3, 1], true, 1/2
  bool overridden = false;
};

/// A specialized network: its leaves, its operations and its output.
struct Graph {
  std::string name;
  std::vector<ArgInfo> args;
  std::vector<ParamInfo> params;
  std::vector<InputInfo> inputs;
  std::vector<Node> nodes;
  NodeId output = 0;
  std::vector<AuxInfo> aux;    ///< extra arguments (derived functions only)
  OutputLayout layout;         ///< how results fill y (derived functions only; eval: one output)

  const Node& node(NodeId id) const { return nodes.at(id); }
  NodeId add(Node n);
  int64_t paramCount() const;
  int64_t inputCount() const;
};

}  // namespace nag::ir
