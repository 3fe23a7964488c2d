// IR.cpp — op metadata, shapes and graph construction helpers.
#include "ir/IR.h"

#include "support/InternalError.h"

namespace nag::ir {

const char* spelling(Op op) {
  switch (op) {
#define OP(NAME, SPELLING, ARITY) case Op::NAME: return SPELLING;
#include "ir/Ops.def"
  }
  return "?";
}

int arity(Op op) {
  switch (op) {
#define OP(NAME, SPELLING, ARITY) case Op::NAME: return ARITY;
#include "ir/Ops.def"
  }
  return 0;
}

int64_t numElements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::string toString(const Shape& s) {
  if (s.empty()) return "R";
  std::string out = "R[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(s[i]);
  }
  return out + "]";
}

NodeId Graph::add(Node n) {
  for (NodeId operand : n.operands) NAG_ASSERT(operand < nodes.size(), "operand defined after its user");
  nodes.push_back(std::move(n));
  return NodeId(nodes.size() - 1);
}

int64_t Graph::paramCount() const {
  int64_t n = 0;
  for (const ParamInfo& p : params) n += numElements(p.shape);
  return n;
}

int64_t Graph::inputCount() const {
  int64_t n = 0;
  for (const InputInfo& in : inputs) n += numElements(in.shape);
  return n;
}

}  // namespace nag::ir
