// Sema.cpp — name resolution, statement placement and recursion checks over the AST.
#include "frontend/Sema.h"

#include "support/InternalError.h"

#include <functional>
#include <set>

namespace nag {

using namespace ast;

namespace {

// Who calls whom among layers and activations, with the place of each call.
using CallGraph = std::map<const Decl*, std::vector<std::pair<const Decl*, SourceRange>>>;

// What a local name is bound to, for the messages about assignment.
enum class LocalKind { Variable, LoopVar };

// Checks the bodies of one module's declarations.
class Checker {
public:
  Checker(const ModuleScope& scope, DiagnosticEngine& diags,
          CallGraph& calls)
      : scope_(scope), diags_(diags), calls_(calls) {}

  void check(const Decl& d) {
    switch (d.kind) {
      case DeclKind::ImportDecl: break;
      case DeclKind::ConstDecl: constDecl(*cast<ConstDecl>(&d)); break;
      case DeclKind::ActDecl: actDecl(*cast<ActDecl>(&d)); break;
      case DeclKind::LayerDecl:
      case DeclKind::NetworkDecl: layerDecl(*cast<LayerDecl>(&d)); break;
    }
  }

private:
  const ModuleScope& scope_;
  DiagnosticEngine& diags_;
  CallGraph& calls_;
  std::vector<std::map<std::string, LocalKind>> locals_;
  const LayerDecl* current_ = nullptr;
  const ActDecl* act_ = nullptr;
  const ConstDecl* const_ = nullptr;

  const LocalKind* findLocal(const std::string& name) const {
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it)
      if (auto f = it->find(name); f != it->end()) return &f->second;
    return nullptr;
  }

  void declareLocal(const std::string& name, SourceRange at, LocalKind kind) {
    auto [it, fresh] = locals_.back().emplace(name, kind);
    if (!fresh) diags_.report(DiagId::err_redeclared_local, at, {name});
  }

  // ---- declarations

  void constDecl(const ConstDecl& d) {
    const_ = &d;
    expr(*d.value);
    const_ = nullptr;
  }

  void actDecl(const ActDecl& d) {
    act_ = &d;
    locals_.push_back({{d.var, LocalKind::Variable}});
    expr(*d.body);
    locals_.pop_back();
    act_ = nullptr;
  }

  void layerDecl(const LayerDecl& d) {
    current_ = &d;
    bool network = isa<NetworkDecl>(&d);
    locals_.emplace_back();
    const Formal* firstDefault = nullptr;
    for (const Formal& f : d.formals) {
      if (locals_.back().count(f.name)) {
        diags_.report(DiagId::err_duplicate_formal, f.nameRange, {f.name});
        continue;
      }
      if (network && f.type->kind == TypeExpr::Kind::Tensor)
        diags_.report(DiagId::err_network_tensor_arg, f.nameRange, {f.name});
      if (f.defaultValue) {
        expr(*f.defaultValue);
        if (!firstDefault) firstDefault = &f;
      } else if (firstDefault && !network) {
        diags_.report(DiagId::err_default_order, f.nameRange, {f.name});
      }
      // In `x: R[n]`, a name that is not yet known binds a shape variable.
      for (const ExprPtr& dim : f.type->dims) {
        auto* ref = dyn_cast<NameRef>(dim.get());
        if (ref && ref->module.empty() && !findLocal(ref->name) && !isa<ConstDecl>(scope_.find(ref->name)))
          locals_.back().emplace(ref->name, LocalKind::Variable);
        else
          expr(*dim);
      }
      locals_.back().emplace(f.name, LocalKind::Variable);
    }
    bool ends = false;
    block(d.body, ends);
    if (!containsEnd(d.body, network ? StmtKind::OutputStmt : StmtKind::ReturnStmt))
      diags_.report(network ? DiagId::err_missing_output : DiagId::err_missing_return, d.nameRange, {d.name});
    locals_.pop_back();
    current_ = nullptr;
  }

  static bool containsEnd(const Block& b, StmtKind k) {
    for (const StmtPtr& s : b.stmts) {
      if (s->kind == k) return true;
      if (auto* f = dyn_cast<ForStmt>(s.get()); f && containsEnd(f->body, k)) return true;
      if (auto* i = dyn_cast<IfStmt>(s.get()); i && (containsEnd(i->then, k) || containsEnd(i->otherwise, k))) return true;
    }
    return false;
  }

  // ---- statements

  void block(const Block& b, bool& ended) {
    locals_.emplace_back();
    for (const StmtPtr& s : b.stmts) {
      if (ended) {
        diags_.report(DiagId::err_statement_after_end, s->range, {"return"});
        break;
      }
      stmt(*s, ended);
    }
    locals_.pop_back();
  }

  void type(const TypeExpr& t) {
    for (const ExprPtr& dim : t.dims) expr(*dim);
    if (t.elem) type(*t.elem);
  }

  void stmt(const Stmt& s, bool& ended) {
    bool network = isa<NetworkDecl>(current_);
    switch (s.kind) {
      case StmtKind::InputStmt: {
        auto& in = *cast<InputStmt>(&s);
        if (!network) diags_.report(DiagId::err_input_in_layer, s.range);
        type(*in.type);
        declareLocal(in.name, in.nameRange, LocalKind::Variable);
        break;
      }
      case StmtKind::ParamStmt: {
        auto& p = *cast<ParamStmt>(&s);
        type(*p.type);
        declareLocal(p.name, p.nameRange, LocalKind::Variable);
        break;
      }
      case StmtKind::LetStmt: {
        auto& l = *cast<LetStmt>(&s);
        expr(*l.value);
        declareLocal(l.name, l.nameRange, LocalKind::Variable);
        break;
      }
      case StmtKind::AssignStmt: {
        auto& a = *cast<AssignStmt>(&s);
        expr(*a.value);
        if (const LocalKind* k = findLocal(a.name)) {
          if (*k == LocalKind::LoopVar) diags_.report(DiagId::err_assign_to_const, a.nameRange, {a.name, "loop variable"});
        } else if (const Decl* d = scope_.find(a.name)) {
          diags_.report(DiagId::err_assign_to_const, a.nameRange, {a.name, describe(d->kind)});
        } else {
          diags_.report(DiagId::err_assign_undeclared, a.nameRange, {a.name});
        }
        break;
      }
      case StmtKind::ForStmt: {
        auto& f = *cast<ForStmt>(&s);
        expr(*f.lo);
        expr(*f.hi);
        locals_.push_back({{f.var, LocalKind::LoopVar}});
        bool bodyEnded = false;
        block(f.body, bodyEnded);
        locals_.pop_back();
        break;
      }
      case StmtKind::IfStmt: {
        auto& i = *cast<IfStmt>(&s);
        expr(*i.cond);
        bool thenEnded = false, elseEnded = false;
        block(i.then, thenEnded);
        block(i.otherwise, elseEnded);
        if (!network && thenEnded && elseEnded && i.hasElse) ended = true;
        break;
      }
      case StmtKind::OutputStmt:
        if (!network) diags_.report(DiagId::err_output_in_layer, s.range);
        expr(*cast<OutputStmt>(&s)->value);
        break;
      case StmtKind::ReturnStmt:
        if (network) diags_.report(DiagId::err_return_in_network, s.range);
        expr(*cast<ReturnStmt>(&s)->value);
        if (!network) ended = true;
        break;
      case StmtKind::AssertStmt:
        expr(*cast<AssertStmt>(&s)->cond);
        break;
    }
  }

  // ---- expressions

  void expr(const Expr& e) {
    switch (e.kind) {
      case ExprKind::IntLit:
      case ExprKind::DecimalLit:
      case ExprKind::BoolLit: break;
      case ExprKind::NameRef: nameRef(*cast<NameRef>(&e), false); break;
      case ExprKind::ListLit:
        for (const ExprPtr& x : cast<ListLit>(&e)->elems) expr(*x);
        break;
      case ExprKind::Unary: expr(*cast<Unary>(&e)->operand); break;
      case ExprKind::Binary:
        expr(*cast<Binary>(&e)->lhs);
        expr(*cast<Binary>(&e)->rhs);
        break;
      case ExprKind::Index: {
        auto& i = *cast<Index>(&e);
        expr(*i.base);
        for (const ExprPtr& x : i.indices) expr(*x);
        break;
      }
      case ExprKind::Call: {
        auto& c = *cast<Call>(&e);
        if (auto* ref = dyn_cast<NameRef>(c.callee.get()))
          nameRef(*ref, true);
        else
          diags_.report(DiagId::err_not_callable, c.callee->range, {"expression", "a value"});
        for (const CallArg& a : c.args) expr(*a.value);
        break;
      }
    }
  }

  // Resolves a name used as a value or (callee) as a function.
  void nameRef(const NameRef& r, bool callee) {
    const Decl* decl = nullptr;
    if (!r.module.empty()) {
      auto imp = scope_.imports.find(r.module);
      if (imp == scope_.imports.end()) {
        diags_.report(DiagId::err_unknown_module, r.range, {r.module});
        return;
      }
      decl = imp->second->find(r.name);
      if (!decl) {
        diags_.report(DiagId::err_unknown_module_member, r.range, {r.module, r.name});
        return;
      }
    } else if (findLocal(r.name)) {
      if (callee) diags_.report(DiagId::err_not_callable, r.range, {r.name, "a local value"});
      return;
    } else if (!(decl = scope_.find(r.name))) {
      if (findBuiltin(r.name)) {
        if (!callee) diags_.report(DiagId::err_not_a_value, r.range, {r.name, "builtin function"});
        return;
      }
      if (scope_.imports.count(r.name))
        diags_.report(DiagId::err_not_a_value, r.range, {r.name, "module"});
      else
        diags_.report(DiagId::err_unknown_name, r.range, {r.name});
      return;
    }
    // A module-level declaration.
    if (act_ && decl->kind != DeclKind::ConstDecl && decl->kind != DeclKind::ActDecl) {
      diags_.report(DiagId::err_act_free_name, r.range, {act_->name, act_->var, r.spelled()});
      return;
    }
    if (const_ && decl->kind != DeclKind::ConstDecl) {
      diags_.report(DiagId::err_not_a_value, r.range, {r.spelled(), describe(decl->kind)});
      return;
    }
    bool callable = decl->kind == DeclKind::ActDecl || decl->kind == DeclKind::LayerDecl;
    if (callee && !callable) {
      diags_.report(DiagId::err_not_callable, r.range, {r.spelled(), std::string("a ") + describe(decl->kind)});
    } else if (!callee && decl->kind != DeclKind::ConstDecl) {
      diags_.report(DiagId::err_not_a_value, r.range, {r.spelled(), describe(decl->kind)});
    } else if (callee && (current_ || act_)) {
      calls_[current_ ? static_cast<const Decl*>(current_) : act_].push_back({decl, r.range});
    }
  }
};

// Finds cycles in the layer call graph; reports each at the call that closes it.
// Declarations are visited in source order (never in pointer order), so the
// cycle reported is the same on every run.
void checkRecursion(const Program& program, const CallGraph& calls, DiagnosticEngine& diags) {
  enum class Mark { None, Active, Done };
  std::map<const Decl*, Mark> mark;
  std::vector<const Decl*> path;
  std::function<void(const Decl*)> visit = [&](const Decl* l) {
    mark[l] = Mark::Active;
    path.push_back(l);
    if (auto it = calls.find(l); it != calls.end()) {
      for (const auto& [callee, at] : it->second) {
        if (mark[callee] == Mark::Active) {
          std::string cycle;
          size_t start = 0;
          while (path[start] != callee) ++start;
          for (size_t k = start; k < path.size(); ++k) cycle += path[k]->name + " -> ";
          cycle += callee->name;
          diags.report(DiagId::err_layer_recursion, at, {describe(callee->kind), callee->name, cycle});
        } else if (mark[callee] == Mark::None) {
          visit(callee);
        }
      }
    }
    path.pop_back();
    mark[l] = Mark::Done;
  };
  for (const auto& scope : program.scopes)
    for (const DeclPtr& d : scope->module->decls)
      if (calls.count(d.get()) && mark[d.get()] == Mark::None) visit(d.get());
}

}  // namespace

bool checkProgram(const Program& program, DiagnosticEngine& diags) {
  unsigned before = diags.errorCount();
  CallGraph calls;
  try {
    for (const auto& scope : program.scopes) {
      Checker checker(*scope, diags, calls);
      for (const DeclPtr& d : scope->module->decls) checker.check(*d);
    }
    checkRecursion(program, calls, diags);
  } catch (const CompilationAborted&) {
    return false;
  }
  return diags.errorCount() == before;
}

}  // namespace nag
