// Elaborate.cpp — network arguments, statements, bindings and checks of the elaborator.
#include "ir/ElaborateImpl.h"

#include "frontend/Parser.h"
#include "support/InternalError.h"

#include <algorithm>
#include <functional>

namespace nag::ir {

using namespace ast;
using detail::Elaborator;
using detail::Frame;
using detail::Slot;
using detail::Value;

namespace {

// A non-negative 128-bit count in decimal (std::to_string stops at 64 bits).
std::string toDecimal(__int128 v) {
  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + int(v % 10)));
    v /= 10;
  } while (v > 0);
  return digits;
}

}  // namespace

std::vector<const NetworkDecl*> networksOf(const Program& program) {
  std::vector<const NetworkDecl*> out;
  for (const DeclPtr& d : program.root->module->decls)
    if (auto* n = dyn_cast<NetworkDecl>(d.get())) out.push_back(n);
  return out;
}

std::unique_ptr<Graph> elaborate(const Program& program, const ElabRequest& request, SourceManager& sources,
                                 DiagnosticEngine& diags) {
  Elaborator e(program, request, sources, diags);
  try {
    return e.run();
  } catch (const CompilationAborted&) {
    return nullptr;
  }
}

namespace detail {

Elaborator::Elaborator(const Program& program, const ElabRequest& request, SourceManager& sources,
                       DiagnosticEngine& diags)
    : program_(program), request_(request), sources_(sources), diags_(diags), graph_(std::make_unique<Graph>()) {}

// ------------------------------------------------------------------ errors

void Elaborator::fail(DiagId id, SourceRange at, const std::vector<std::string>& args) {
  diags_.report(id, at, args);
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it)
    if ((*it)->callSite.valid()) diags_.report(DiagId::note_in_call, (*it)->callSite, {(*it)->calleeName});
  throw CompilationAborted();
}

// ------------------------------------------------------------------ network

const NetworkDecl* Elaborator::chooseNetwork() {
  std::vector<const NetworkDecl*> nets = networksOf(program_);
  const std::string& file = program_.root->path;
  std::vector<std::string> names;
  for (const NetworkDecl* n : nets) names.push_back(n->name);
  if (!request_.network.empty()) {
    for (const NetworkDecl* n : nets)
      if (n->name == request_.network) return n;
    fail(DiagId::err_unknown_network, SourceRange(), {request_.network, file, names.empty() ? "no networks" : joinList(names)});
  }
  if (nets.empty()) fail(DiagId::err_no_network, SourceRange(), {file});
  if (nets.size() > 1) fail(DiagId::err_several_networks, SourceRange(), {file, joinList(names)});
  return nets.front();
}

void Elaborator::bindNetworkArgs(const NetworkDecl& net) {
  std::vector<std::string> formalNames;
  for (const Formal& f : net.formals) formalNames.push_back(f.name);
  std::map<std::string, const Define*> defines;
  for (const Define& d : request_.defines) {
    if (std::find(formalNames.begin(), formalNames.end(), d.name) == formalNames.end())
      fail(DiagId::err_define_unknown, SourceRange(), {d.name, net.name, formalNames.empty() ? "none" : joinList(formalNames)});
    if (!defines.emplace(d.name, &d).second) fail(DiagId::err_define_twice, SourceRange(), {d.name});
  }
  for (const Formal& f : net.formals) {
    Value v;
    bool overridden = false;
    if (auto it = defines.find(f.name); it != defines.end()) {
      uint32_t buf = sources_.addBuffer("-D " + f.name, it->second->value);
      ExprPtr e = parseExpression(buf, sources_, diags_);
      if (!e) throw CompilationAborted();
      v = eval(*e);
      if (v.kind == Value::Kind::Tensor || !conforms(v, *f.type))
        fail(DiagId::err_define_type, SourceRange(), {f.name, spell(*f.type), describe(v)});
      overridden = true;
    } else if (f.defaultValue) {
      v = eval(*f.defaultValue);
      if (!conforms(v, *f.type))
        fail(DiagId::err_type_mismatch, f.defaultValue->range,
             {"default of '" + f.name + "'", spell(*f.type), describe(v)});
    } else {
      fail(DiagId::err_network_arg_missing, f.nameRange, {f.name});
    }
    frame().scopes.back()[f.name] = Slot{v, false};
    graph_->args.push_back(ArgInfo{f.name, spell(v), overridden});
  }
}

std::unique_ptr<Graph> Elaborator::run() {
  const NetworkDecl* net = chooseNetwork();
  graph_->name = net->name;
  Frame top;
  top.module = program_.root;
  top.decl = net;
  top.calleeName = net->name;
  top.scopes.emplace_back();
  pushFrame(std::move(top));
  bindNetworkArgs(*net);
  exec(net->body);
  if (!haveOutput_) fail(DiagId::err_missing_output, net->nameRange, {net->name});
  graph_->layout.rowSize = numElements(graph_->node(graph_->output).shape);
  popFrame();
  return std::move(graph_);
}

// --------------------------------------------------------------- statements

void Elaborator::pushFrame(Frame f) {
  if (frames_.size() > request_.limits.maxCallDepth)
    fail(DiagId::err_call_depth, f.callSite, {std::to_string(request_.limits.maxCallDepth)});
  frames_.push_back(std::make_unique<Frame>(std::move(f)));
}

Slot* Elaborator::findSlot(const std::string& name) {
  auto& scopes = frame().scopes;
  for (auto it = scopes.rbegin(); it != scopes.rend(); ++it)
    if (auto f = it->find(name); f != it->end()) return &f->second;
  return nullptr;
}

void Elaborator::exec(const Block& b) {
  frame().scopes.emplace_back();
  for (const StmtPtr& s : b.stmts) {
    exec(*s);
    if (frame().result) break;
  }
  frame().scopes.pop_back();
}

Shape Elaborator::evalShape(const TypeExpr& t, const std::string& what) {
  if (t.kind != TypeExpr::Kind::Tensor)
    fail(DiagId::err_type_mismatch, t.range, {what, "a tensor type R[...]", spell(t)});
  Shape shape;
  for (size_t i = 0; i < t.dims.size(); ++i) {
    Value v = eval(*t.dims[i]);
    std::string dim = t.dims.size() == 1 ? "size of " + what : "dimension " + std::to_string(i + 1) + " of " + what;
    shape.push_back(requireSize(v, t.dims[i]->range, dim));
  }
  checkElements(shape, t.range, what);
  return shape;
}

void Elaborator::exec(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::InputStmt: {
      auto& in = *cast<InputStmt>(&s);
      Shape shape = evalShape(*in.type, "input '" + in.name + "'");
      Node n{Op::Input, shape, {}, int64_t(graph_->inputs.size())};
      n.loc = in.nameRange;
      graph_->inputs.push_back(InputInfo{in.name, shape, graph_->inputCount(), in.nameRange});
      frame().scopes.back()[in.name] = Slot{Value::ofTensor(addNode(std::move(n)))};
      break;
    }
    case StmtKind::ParamStmt: {
      auto& p = *cast<ParamStmt>(&s);
      Shape shape = evalShape(*p.type, "parameter '" + p.name + "'");
      std::string path = frame().prefix + p.name;
      if (int k = ++paramNames_[path]; k > 1) path += "#" + std::to_string(k);
      Node n{Op::Param, shape, {}, int64_t(graph_->params.size())};
      n.loc = p.nameRange;
      // The offset after the last tensor (not paramCount(), a sum over all
      // tensors: quadratic in the number of parameter tensors).
      int64_t offset = graph_->params.empty() ? 0 : graph_->params.back().offset + numElements(graph_->params.back().shape);
      graph_->params.push_back(ParamInfo{path, shape, offset, p.nameRange});
      frame().scopes.back()[p.name] = Slot{Value::ofTensor(addNode(std::move(n)))};
      break;
    }
    case StmtKind::LetStmt: {
      auto& l = *cast<LetStmt>(&s);
      Value v = eval(*l.value);
      frame().scopes.back()[l.name] = Slot{v};
      break;
    }
    case StmtKind::AssignStmt: {
      auto& a = *cast<AssignStmt>(&s);
      Value v = eval(*a.value);
      Slot* slot = findSlot(a.name);
      if (!slot) fail(DiagId::err_assign_undeclared, a.nameRange, {a.name});
      if (slot->loopVar) fail(DiagId::err_assign_to_const, a.nameRange, {a.name, "loop variable"});
      slot->value = v;
      break;
    }
    case StmtKind::ForStmt: {
      auto& f = *cast<ForStmt>(&s);
      int64_t lo = requireInt(eval(*f.lo), f.lo->range, "for-loop start");
      int64_t hi = requireInt(eval(*f.hi), f.hi->range, "for-loop end");
      // The length in 128 bits: hi - lo overflows int64_t for bounds of
      // opposite signs (-2^63 + 1 .. 2^63 - 1 wrapped past the limit).
      __int128 length = hi > lo ? __int128(hi) - lo : 0;
      if (length > request_.limits.maxIterations - iterations_)
        fail(DiagId::err_too_large, SourceRange::cover(f.lo->range, f.hi->range),
             {"the number of loop iterations", toDecimal(length + iterations_),
              std::to_string(request_.limits.maxIterations)});
      for (int64_t i = lo; i < hi && !frame().result; ++i) {
        ++iterations_;
        frame().scopes.push_back({{f.var, Slot{Value::ofInt(i), true}}});
        exec(f.body);
        frame().scopes.pop_back();
      }
      break;
    }
    case StmtKind::IfStmt: {
      auto& i = *cast<IfStmt>(&s);
      if (requireBool(eval(*i.cond), i.cond->range, "'if' condition"))
        exec(i.then);
      else
        exec(i.otherwise);
      break;
    }
    case StmtKind::OutputStmt: {
      auto& o = *cast<OutputStmt>(&s);
      Value v = eval(*o.value);
      NodeId out = requireTensor(v, o.value->range, "output");
      if (haveOutput_) {
        diags_.report(DiagId::err_output_twice, s.range, {graph_->name});
        fail(DiagId::note_first_output, outputAt_);
      }
      haveOutput_ = true;
      outputAt_ = s.range;
      graph_->output = out;
      break;
    }
    case StmtKind::ReturnStmt:
      frame().result = eval(*cast<ReturnStmt>(&s)->value);
      break;
    case StmtKind::AssertStmt: {
      auto& a = *cast<AssertStmt>(&s);
      if (requireBool(eval(*a.cond), a.cond->range, "'assert' condition")) break;
      std::string_view text = sources_.text(a.cond->range.begin.file)
                                  .substr(a.cond->range.begin.offset, a.cond->range.end.offset - a.cond->range.begin.offset);
      // The compile-time values the condition names: "d = 6, heads = 4".
      std::vector<std::string> values;
      std::function<void(const Expr&)> names = [&](const Expr& e) {
        if (auto* b = dyn_cast<Binary>(&e)) {
          names(*b->lhs);
          names(*b->rhs);
        } else if (auto* u = dyn_cast<Unary>(&e)) {
          names(*u->operand);
        } else if (auto* c = dyn_cast<Call>(&e)) {
          for (const CallArg& arg : c->args) names(*arg.value);
        } else if (auto* ix = dyn_cast<Index>(&e)) {
          names(*ix->base);
          for (const ExprPtr& i : ix->indices) names(*i);
        } else if (auto* r = dyn_cast<NameRef>(&e)) {
          std::string item = r->spelled() + " = " + spell(eval(e));
          if (std::find(values.begin(), values.end(), item) == values.end()) values.push_back(item);
        }
      };
      names(*a.cond);
      std::string where = values.empty() ? "" : ", where " + joinList(values);
      fail(DiagId::err_assertion_failed, s.range,
           {a.message.empty() ? "assertion failed" : a.message, std::string(text) + where});
    }
  }
}

// ----------------------------------------------------------------- bindings

bool Elaborator::conforms(const Value& v, const TypeExpr& t) const {
  switch (t.kind) {
    case TypeExpr::Kind::Int: return v.isInt() && v.number.get_num().fits_slong_p();
    case TypeExpr::Kind::Rat: return v.kind == Value::Kind::Number;
    case TypeExpr::Kind::Bool: return v.kind == Value::Kind::Bool;
    case TypeExpr::Kind::List:
      if (v.kind != Value::Kind::List) return false;
      for (const Value& item : *v.list)
        if (!conforms(item, *t.elem)) return false;
      return true;
    case TypeExpr::Kind::Tensor: return v.kind == Value::Kind::Tensor;
  }
  return false;
}

std::string Elaborator::spell(const TypeExpr& t) const {
  switch (t.kind) {
    case TypeExpr::Kind::Int: return "int";
    case TypeExpr::Kind::Rat: return "rat";
    case TypeExpr::Kind::Bool: return "bool";
    case TypeExpr::Kind::List: return "[" + spell(*t.elem) + "]";
    case TypeExpr::Kind::Tensor: {
      std::string_view text = sources_.text(t.range.begin.file);
      return "a tensor " + std::string(text.substr(t.range.begin.offset, t.range.end.offset - t.range.begin.offset));
    }
  }
  return "?";
}

void Elaborator::bindFormal(const Formal& f, const Value& v, const std::string& callee, SourceRange at) {
  std::string what = "argument '" + f.name + "' of '" + callee + "'";
  auto& scope = frame().scopes.back();
  if (f.type->kind != TypeExpr::Kind::Tensor) {
    if (!conforms(v, *f.type)) fail(DiagId::err_type_mismatch, at, {what, spell(*f.type), describe(v)});
    scope[f.name] = Slot{v};
    return;
  }
  if (v.kind == Value::Kind::List || v.kind == Value::Kind::Bool)
    fail(DiagId::err_type_mismatch, at, {what, spell(*f.type), describe(v)});
  NodeId node = tensorOf(v, at);
  const Shape shape = shapeOf(node);
  auto spelledShape = [&]() { return spell(*f.type).substr(9); };  // drop "a tensor "
  if (shape.size() != f.type->dims.size())
    fail(DiagId::err_shape_binding, at, {f.name, callee, spelledShape(), toString(shape)});
  for (size_t i = 0; i < shape.size(); ++i) {
    const Expr& dim = *f.type->dims[i];
    auto* ref = dyn_cast<NameRef>(&dim);
    // A name that is neither a local nor a module constant binds a shape variable (as in Sema).
    bool binder = ref && ref->module.empty() && !findSlot(ref->name) && !isa<ConstDecl>(frame().module->find(ref->name));
    if (binder) {
      scope[ref->name] = Slot{Value::ofInt(shape[i])};
      continue;
    }
    int64_t expected = requireInt(eval(dim), dim.range, "a dimension of argument '" + f.name + "'");
    if (expected != shape[i]) {
      // Spell the formal's shape with what is known, e.g. R[3, 2].
      fail(DiagId::err_shape_binding, at, {f.name, callee, spelledShape(), toString(shape)});
    }
  }
  scope[f.name] = Slot{Value::ofTensor(node)};
}

Value Elaborator::constValue(const ConstDecl& c, const ModuleScope& scope) {
  auto it = consts_.find(&c);
  if (it != consts_.end()) {
    if (!it->second) fail(DiagId::err_const_cycle, c.nameRange, {c.name});
    return *it->second;
  }
  consts_[&c] = std::nullopt;
  Frame f;
  f.module = &scope;
  f.calleeName = c.name;
  f.scopes.emplace_back();
  pushFrame(std::move(f));
  Value v = eval(*c.value);
  popFrame();
  if (v.kind == Value::Kind::Tensor) fail(DiagId::err_not_compile_time, c.value->range, {"a constant", dependsOn(v.node)});
  consts_[&c] = v;
  return v;
}

// ------------------------------------------------------------------- values

std::string Elaborator::describe(const Value& v) const {
  switch (v.kind) {
    case Value::Kind::Number: return (v.isInt() ? "int " : "rat ") + toString(v.number);
    case Value::Kind::Bool: return v.boolean ? "bool true" : "bool false";
    case Value::Kind::List: return "list " + spell(v);
    case Value::Kind::Tensor: return "tensor " + toString(shapeOf(v.node));
  }
  return "?";
}

std::string Elaborator::spell(const Value& v) const {
  switch (v.kind) {
    case Value::Kind::Number: return toString(v.number);
    case Value::Kind::Bool: return v.boolean ? "true" : "false";
    case Value::Kind::List: {
      std::string out = "[";
      for (size_t i = 0; i < v.list->size(); ++i) out += (i ? ", " : "") + spell((*v.list)[i]);
      return out + "]";
    }
    case Value::Kind::Tensor: return "<tensor " + toString(shapeOf(v.node)) + ">";
  }
  return "?";
}

std::string Elaborator::dependsOn(NodeId n) const {
  // The first leaf found: inputs are named before parameters.
  std::vector<NodeId> stack{n};
  std::vector<bool> seen(graph_->nodes.size());
  std::string param;
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    if (seen[id]) continue;
    seen[id] = true;
    const Node& node = graph_->nodes[id];
    if (node.op == Op::Input) return "input '" + graph_->inputs[size_t(node.attr)].name + "'";
    if (node.op == Op::Param && param.empty()) param = "parameter '" + graph_->params[size_t(node.attr)].path + "'";
    for (NodeId o : node.operands) stack.push_back(o);
  }
  return param.empty() ? "a tensor" : param;
}

int64_t Elaborator::requireInt(const Value& v, SourceRange at, const std::string& what) {
  if (v.kind == Value::Kind::Tensor) fail(DiagId::err_not_compile_time, at, {what, dependsOn(v.node)});
  if (!v.isInt()) fail(DiagId::err_type_mismatch, at, {what, "int", describe(v)});
  if (!v.number.get_num().fits_slong_p()) fail(DiagId::err_too_large, at, {what, toString(v.number), "2^63 - 1"});
  return v.number.get_num().get_si();
}

int64_t Elaborator::requireSize(const Value& v, SourceRange at, const std::string& what) {
  int64_t n = requireInt(v, at, what);
  if (n <= 0) fail(DiagId::err_size_not_positive, at, {what, std::to_string(n)});
  if (n > request_.limits.maxDim) fail(DiagId::err_too_large, at, {what, std::to_string(n), std::to_string(request_.limits.maxDim)});
  return n;
}

bool Elaborator::requireBool(const Value& v, SourceRange at, const std::string& what) {
  if (v.kind == Value::Kind::Tensor) fail(DiagId::err_not_compile_time, at, {what, dependsOn(v.node)});
  if (v.kind != Value::Kind::Bool) fail(DiagId::err_type_mismatch, at, {what, "bool", describe(v)});
  return v.boolean;
}

NodeId Elaborator::requireTensor(const Value& v, SourceRange at, const std::string& what) {
  if (v.kind != Value::Kind::Tensor) fail(DiagId::err_type_mismatch, at, {what, "a tensor", describe(v)});
  return v.node;
}

void Elaborator::checkBits(const Rational& q, SourceRange at) {
  unsigned limit = request_.limits.maxBits;
  if (mpz_sizeinbase(q.get_num_mpz_t(), 2) > limit || mpz_sizeinbase(q.get_den_mpz_t(), 2) > limit)
    fail(DiagId::err_number_too_large, at, {std::to_string(limit)});
}

void Elaborator::checkElements(const Shape& s, SourceRange at, const std::string& what) {
  __int128 n = 1;
  for (int64_t d : s) n = std::min<__int128>(n * d, __int128(1) << 100);
  if (n > request_.limits.maxElements)
    fail(DiagId::err_too_large, at, {"the number of elements of " + what, n > (__int128(1) << 62) ? "more than 2^62" : std::to_string(int64_t(n)),
                                     std::to_string(request_.limits.maxElements)});
}

NodeId Elaborator::addNode(Node n) {
  if (graph_->nodes.size() >= request_.limits.maxNodes)
    fail(DiagId::err_too_large, n.loc, {"the number of IR operations", std::to_string(graph_->nodes.size() + 1),
                                        std::to_string(request_.limits.maxNodes)});
  return graph_->add(std::move(n));
}

NodeId Elaborator::constant(const Rational& q, SourceRange at) {
  Node n{Op::Const, {}, {}};
  n.values.push_back(q);
  n.loc = at;
  return addNode(std::move(n));
}

NodeId Elaborator::tensorOf(const Value& v, SourceRange at) {
  if (v.kind == Value::Kind::Tensor) return v.node;
  if (v.kind == Value::Kind::Number) return constant(v.number, at);
  fail(DiagId::err_type_mismatch, at, {"operand", "a tensor or a number", describe(v)});
}

}  // namespace detail
}  // namespace nag::ir
