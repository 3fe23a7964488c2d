// ASTPrinter.cpp — prints AST nodes with kinds, details and locations.
#include "frontend/ASTPrinter.h"

#include <ostream>

namespace nag {

using namespace ast;

namespace {

class Printer {
public:
  Printer(const SourceManager& sources, std::ostream& out) : sources_(sources), out_(out) {}

  void module(const Module& m) {
    out_ << "Module " << m.name << " '" << sources_.name(m.file) << "'\n";
    ++depth_;
    for (const DeclPtr& d : m.decls) decl(*d);
    --depth_;
  }

private:
  const SourceManager& sources_;
  std::ostream& out_;
  int depth_ = 0;

  std::string loc(SourceRange r) const {
    if (!r.valid()) return "<?>";
    LineCol b = sources_.lineCol(r.begin);
    LineCol e = sources_.lineCol(SourceLoc{r.end.file, r.end.offset > r.begin.offset ? r.end.offset - 1 : r.begin.offset});
    return "<" + std::to_string(b.line) + ":" + std::to_string(b.col) + "-" + std::to_string(e.line) + ":" +
           std::to_string(e.col) + ">";
  }

  std::ostream& line(const std::string& head, SourceRange r) {
    out_ << std::string(size_t(depth_) * 2, ' ') << head << " " << loc(r);
    return out_;
  }

  void decl(const Decl& d) {
    switch (d.kind) {
      case DeclKind::ImportDecl: line("ImportDecl " + d.name, d.range) << "\n"; return;
      case DeclKind::ConstDecl:
        line("ConstDecl " + d.name, d.range) << "\n";
        nested([&] { expr(*cast<ConstDecl>(&d)->value); });
        return;
      case DeclKind::ActDecl:
        line("ActDecl " + d.name + "(" + cast<ActDecl>(&d)->var + ")", d.range) << "\n";
        nested([&] { expr(*cast<ActDecl>(&d)->body); });
        return;
      case DeclKind::LayerDecl:
      case DeclKind::NetworkDecl: {
        auto& l = *cast<LayerDecl>(&d);
        line(std::string(d.kind == DeclKind::LayerDecl ? "LayerDecl " : "NetworkDecl ") + d.name, d.range) << "\n";
        nested([&] {
          for (const Formal& f : l.formals) {
            line("Formal " + f.name, f.range) << "\n";
            nested([&] {
              type(*f.type);
              if (f.defaultValue) expr(*f.defaultValue);
            });
          }
          block(l.body);
        });
        return;
      }
    }
  }

  template <typename F> void nested(F&& f) {
    ++depth_;
    f();
    --depth_;
  }

  void type(const TypeExpr& t) {
    const char* names[] = {"int", "bool", "rat", "list", "tensor"};
    line(std::string("Type ") + names[int(t.kind)], t.range) << "\n";
    nested([&] {
      if (t.elem) type(*t.elem);
      for (const ExprPtr& d : t.dims) expr(*d);
    });
  }

  void block(const Block& b) {
    line("Block", b.range) << "\n";
    nested([&] {
      for (const StmtPtr& s : b.stmts) stmt(*s);
    });
  }

  void stmt(const Stmt& s) {
    switch (s.kind) {
      case StmtKind::InputStmt:
        line("InputStmt " + cast<InputStmt>(&s)->name, s.range) << "\n";
        nested([&] { type(*cast<InputStmt>(&s)->type); });
        return;
      case StmtKind::ParamStmt:
        line("ParamStmt " + cast<ParamStmt>(&s)->name, s.range) << "\n";
        nested([&] { type(*cast<ParamStmt>(&s)->type); });
        return;
      case StmtKind::LetStmt:
        line("LetStmt " + cast<LetStmt>(&s)->name, s.range) << "\n";
        nested([&] { expr(*cast<LetStmt>(&s)->value); });
        return;
      case StmtKind::AssignStmt:
        line("AssignStmt " + cast<AssignStmt>(&s)->name, s.range) << "\n";
        nested([&] { expr(*cast<AssignStmt>(&s)->value); });
        return;
      case StmtKind::ForStmt: {
        auto& f = *cast<ForStmt>(&s);
        line("ForStmt " + f.var, s.range) << "\n";
        nested([&] {
          expr(*f.lo);
          expr(*f.hi);
          block(f.body);
        });
        return;
      }
      case StmtKind::IfStmt: {
        auto& i = *cast<IfStmt>(&s);
        line("IfStmt", s.range) << "\n";
        nested([&] {
          expr(*i.cond);
          block(i.then);
          if (i.hasElse) block(i.otherwise);
        });
        return;
      }
      case StmtKind::OutputStmt:
        line("OutputStmt", s.range) << "\n";
        nested([&] { expr(*cast<OutputStmt>(&s)->value); });
        return;
      case StmtKind::ReturnStmt:
        line("ReturnStmt", s.range) << "\n";
        nested([&] { expr(*cast<ReturnStmt>(&s)->value); });
        break;
      case StmtKind::AssertStmt:
        line("AssertStmt", s.range) << " \"" << cast<AssertStmt>(&s)->message << "\"\n";
        nested([&] { expr(*cast<AssertStmt>(&s)->cond); });
        return;
    }
  }

  void expr(const Expr& e) {
    switch (e.kind) {
      case ExprKind::IntLit: line("IntLit " + std::to_string(cast<IntLit>(&e)->value), e.range) << "\n"; return;
      case ExprKind::DecimalLit: {
        auto& d = *cast<DecimalLit>(&e);
        line("DecimalLit " + d.text + " = " + toString(d.value), e.range) << "\n";
        return;
      }
      case ExprKind::BoolLit: line(cast<BoolLit>(&e)->value ? "BoolLit true" : "BoolLit false", e.range) << "\n"; return;
      case ExprKind::NameRef: line("NameRef " + cast<NameRef>(&e)->spelled(), e.range) << "\n"; return;
      case ExprKind::ListLit:
        line("ListLit", e.range) << "\n";
        nested([&] {
          for (const ExprPtr& x : cast<ListLit>(&e)->elems) expr(*x);
        });
        return;
      case ExprKind::Unary:
        line(std::string("Unary '") + spelling(cast<Unary>(&e)->op) + "'", e.range) << "\n";
        nested([&] { expr(*cast<Unary>(&e)->operand); });
        return;
      case ExprKind::Binary:
        line(std::string("Binary '") + spelling(cast<Binary>(&e)->op) + "'", e.range) << "\n";
        nested([&] {
          expr(*cast<Binary>(&e)->lhs);
          expr(*cast<Binary>(&e)->rhs);
        });
        return;
      case ExprKind::Index:
        line("Index", e.range) << "\n";
        nested([&] {
          expr(*cast<Index>(&e)->base);
          for (const ExprPtr& x : cast<Index>(&e)->indices) expr(*x);
        });
        return;
      case ExprKind::Call:
        line("Call", e.range) << "\n";
        nested([&] {
          expr(*cast<Call>(&e)->callee);
          for (const CallArg& a : cast<Call>(&e)->args) {
            if (!a.name.empty()) {
              line("NamedArg " + a.name, a.nameRange) << "\n";
              nested([&] { expr(*a.value); });
            } else {
              expr(*a.value);
            }
          }
        });
        return;
    }
  }
};

}  // namespace

void printAST(const Module& m, const SourceManager& sources, std::ostream& out) { Printer(sources, out).module(m); }

}  // namespace nag
