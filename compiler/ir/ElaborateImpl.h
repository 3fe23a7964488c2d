// ElaborateImpl.h — the elaborator's private state, shared by its .cpp files.
#pragma once

#include "ir/Elaborate.h"

#include "support/Diagnostics.h"

#include <map>
#include <optional>

namespace nag::ir::detail {

/// A compile-time value: an exact number, a bool, a list, or a tensor (an IR node).
struct Value {
  enum class Kind { Number, Bool, List, Tensor };
  Kind kind = Kind::Number;
  Rational number;
  bool boolean = false;
  std::shared_ptr<const std::vector<Value>> list;
  NodeId node = 0;

  static Value ofNumber(Rational q) { Value v; v.kind = Kind::Number; v.number = std::move(q); return v; }
  static Value ofInt(int64_t i) { return ofNumber(Rational(long(i))); }
  static Value ofBool(bool b) { Value v; v.kind = Kind::Bool; v.boolean = b; return v; }
  static Value ofList(std::vector<Value> items) {
    Value v; v.kind = Kind::List; v.list = std::make_shared<const std::vector<Value>>(std::move(items)); return v;
  }
  static Value ofTensor(NodeId n) { Value v; v.kind = Kind::Tensor; v.node = n; return v; }
  bool isInt() const { return kind == Kind::Number && number.get_den() == 1; }
};

/// A name bound in a scope.
struct Slot {
  Value value;
  bool loopVar = false;
};

/// One activation of the network, a layer or an activation.
struct Frame {
  const ModuleScope* module = nullptr;
  const ast::LayerDecl* decl = nullptr;   ///< null for an activation
  std::string calleeName;                 ///< as written at the call ("nn.dense")
  SourceRange callSite;                   ///< invalid for the network itself
  std::vector<std::map<std::string, Slot>> scopes;
  std::string prefix;                     ///< parameter path prefix: "dense#1."
  std::map<std::string, int> callCounts;  ///< layer name -> calls so far
  std::optional<Value> result;            ///< set by `return`
};

/// A formal of something callable, for argument matching.
struct FormalSpec {
  std::string name;
  bool optional = false;
};

/// The compile-time interpreter.
class Elaborator {
public:
  Elaborator(const Program& program, const ElabRequest& request, SourceManager& sources, DiagnosticEngine& diags);
  std::unique_ptr<Graph> run();

  // ---- errors (report, add call-stack notes, abort)
  [[noreturn]] void fail(DiagId id, SourceRange at, const std::vector<std::string>& args = {});

  // ---- values
  std::string describe(const Value& v) const;    ///< "int 3", "tensor R[2, 3]"
  std::string spell(const Value& v) const;       ///< .nag syntax of a compile-time value
  std::string dependsOn(NodeId n) const;         ///< "input 'x'", "parameter 'W'"
  int64_t requireInt(const Value& v, SourceRange at, const std::string& what);
  int64_t requireSize(const Value& v, SourceRange at, const std::string& what);
  bool requireBool(const Value& v, SourceRange at, const std::string& what);
  NodeId requireTensor(const Value& v, SourceRange at, const std::string& what);
  void checkBits(const Rational& q, SourceRange at);
  void checkElements(const Shape& s, SourceRange at, const std::string& what);

  // ---- IR construction
  NodeId addNode(Node n);
  NodeId constant(const Rational& q, SourceRange at);
  NodeId tensorOf(const Value& v, SourceRange at);  ///< numbers become constants
  const Shape& shapeOf(NodeId n) const { return graph_->nodes[n].shape; }

  // ---- expressions (ElaborateExpr.cpp)
  Value eval(const ast::Expr& e);
  Value evalName(const ast::NameRef& r);
  Value evalUnary(const ast::Unary& u);
  Value evalBinary(const ast::Binary& b);
  Value arithmetic(ast::BinaryOp op, const Value& a, const Value& b, SourceRange at, SourceRange opRange);
  Value power(const Value& base, const Value& exponent, SourceRange at, SourceRange expRange);
  Value evalIndex(const ast::Index& ix);
  Value evalCall(const ast::Call& c);
  Value convolution(int spatial, NodeId w, NodeId x, int64_t stride, const ast::Call& c, SourceRange wAt,
                    SourceRange xAt, SourceRange strideAt);
  Value callBuiltin(Builtin b, const ast::Call& c);
  Value callAct(const ast::ActDecl& act, const ModuleScope& scope, const ast::Call& c, const std::string& spelled);
  Value callLayer(const ast::LayerDecl& layer, const ModuleScope& scope, const ast::Call& c, const std::string& spelled);
  std::vector<const ast::Expr*> matchArgs(const std::string& callee, const std::vector<FormalSpec>& formals,
                                          const ast::Call& c);

  // ---- statements and bindings (Elaborate.cpp)
  void exec(const ast::Block& b);
  void exec(const ast::Stmt& s);
  Shape evalShape(const ast::TypeExpr& t, const std::string& what);
  void bindFormal(const ast::Formal& f, const Value& v, const std::string& callee, SourceRange at);
  bool conforms(const Value& v, const ast::TypeExpr& t) const;
  std::string spell(const ast::TypeExpr& t) const;
  Value constValue(const ast::ConstDecl& c, const ModuleScope& scope);
  Slot* findSlot(const std::string& name);
  void pushFrame(Frame f);
  void popFrame() { frames_.pop_back(); }
  Frame& frame() { return *frames_.back(); }

private:
  const Program& program_;
  const ElabRequest& request_;
  SourceManager& sources_;
  DiagnosticEngine& diags_;
  std::unique_ptr<Graph> graph_;
  std::vector<std::unique_ptr<Frame>> frames_;
  std::map<const ast::ConstDecl*, std::optional<Value>> consts_;  // nullopt while being evaluated
  std::map<std::string, int> paramNames_;
  int64_t iterations_ = 0;
  bool haveOutput_ = false;
  SourceRange outputAt_;

  void bindNetworkArgs(const ast::NetworkDecl& net);
  const ast::NetworkDecl* chooseNetwork();
};

}  // namespace nag::ir::detail
