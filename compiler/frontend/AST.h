// AST.h — the owned syntax tree of a .nag module; every node carries a source range.
#pragma once

#include "support/Rational.h"
#include "support/Source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nag::ast {

enum class ExprKind {
#define EXPR(NAME) NAME,
#include "frontend/AST.def"
};
enum class StmtKind {
#define STMT(NAME) NAME,
#include "frontend/AST.def"
};
enum class DeclKind {
#define DECL(NAME) NAME,
#include "frontend/AST.def"
};

/// LLVM-style checked casts over the kind fields.
template <typename T, typename B> bool isa(const B* n) { return n && T::classof(n); }
template <typename T, typename B> T* cast(B* n) { return static_cast<T*>(n); }
template <typename T, typename B> const T* cast(const B* n) { return static_cast<const T*>(n); }
template <typename T, typename B> T* dyn_cast(B* n) { return isa<T>(n) ? static_cast<T*>(n) : nullptr; }
template <typename T, typename B> const T* dyn_cast(const B* n) { return isa<T>(n) ? static_cast<const T*>(n) : nullptr; }

// ------------------------------------------------------------------ types

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// A written type: int, bool, rat, [T], R[d1, ..., dk].
struct TypeExpr {
  enum class Kind { Int, Bool, Rat, List, Tensor };
  Kind kind;
  SourceRange range;
  std::unique_ptr<TypeExpr> elem;  // List
  std::vector<ExprPtr> dims;       // Tensor
};
using TypeExprPtr = std::unique_ptr<TypeExpr>;

// ------------------------------------------------------------ expressions

struct Expr {
  ExprKind kind;
  SourceRange range;
  explicit Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Expr() = default;
};

#define NAG_EXPR_CLASSOF(NAME) \
  static bool classof(const Expr* e) { return e->kind == ExprKind::NAME; }

/// An integer literal (fits in int64).
struct IntLit : Expr {
  int64_t value;
  IntLit(SourceRange r, int64_t v) : Expr(ExprKind::IntLit, r), value(v) {}
  NAG_EXPR_CLASSOF(IntLit)
};

/// A decimal literal, kept as the exact rational it denotes (0.5 is 1/2).
struct DecimalLit : Expr {
  Rational value;
  std::string text;
  DecimalLit(SourceRange r, Rational v, std::string t)
      : Expr(ExprKind::DecimalLit, r), value(std::move(v)), text(std::move(t)) {}
  NAG_EXPR_CLASSOF(DecimalLit)
};

/// `true` or `false`.
struct BoolLit : Expr {
  bool value;
  BoolLit(SourceRange r, bool v) : Expr(ExprKind::BoolLit, r), value(v) {}
  NAG_EXPR_CLASSOF(BoolLit)
};

/// A name, possibly qualified by a module: `x`, `nn.dense`.
struct NameRef : Expr {
  std::string module;  // empty when unqualified
  std::string name;
  NameRef(SourceRange r, std::string m, std::string n)
      : Expr(ExprKind::NameRef, r), module(std::move(m)), name(std::move(n)) {}
  std::string spelled() const { return module.empty() ? name : module + "." + name; }
  NAG_EXPR_CLASSOF(NameRef)
};

/// `[a, b, c]`.
struct ListLit : Expr {
  std::vector<ExprPtr> elems;
  explicit ListLit(SourceRange r) : Expr(ExprKind::ListLit, r) {}
  NAG_EXPR_CLASSOF(ListLit)
};

enum class UnaryOp { Neg, Plus, Not };
enum class BinaryOp { Add, Sub, Mul, Div, Mod, MatMul, Pow, Lt, Le, Gt, Ge, Eq, Ne, And, Or };

/// The operator's spelling in source: "-", "@", "&&".
const char* spelling(UnaryOp op);
const char* spelling(BinaryOp op);

struct Unary : Expr {
  UnaryOp op;
  ExprPtr operand;
  Unary(SourceRange r, UnaryOp o, ExprPtr e) : Expr(ExprKind::Unary, r), op(o), operand(std::move(e)) {}
  NAG_EXPR_CLASSOF(Unary)
};

struct Binary : Expr {
  BinaryOp op;
  ExprPtr lhs, rhs;
  SourceRange opRange;  // the operator token
  Binary(SourceRange r, BinaryOp o, ExprPtr a, ExprPtr b, SourceRange opr)
      : Expr(ExprKind::Binary, r), op(o), lhs(std::move(a)), rhs(std::move(b)), opRange(opr) {}
  NAG_EXPR_CLASSOF(Binary)
};

/// `x[i]`, `A[i, j]`, `d[0]`.
struct Index : Expr {
  ExprPtr base;
  std::vector<ExprPtr> indices;
  Index(SourceRange r, ExprPtr b) : Expr(ExprKind::Index, r), base(std::move(b)) {}
  NAG_EXPR_CLASSOF(Index)
};

/// One call argument, positional (name empty) or named (`bias: false`).
struct CallArg {
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
};

/// `f(a, b, name: c)`.
struct Call : Expr {
  ExprPtr callee;
  std::vector<CallArg> args;
  Call(SourceRange r, ExprPtr c) : Expr(ExprKind::Call, r), callee(std::move(c)) {}
  NAG_EXPR_CLASSOF(Call)
};

// ------------------------------------------------------------- statements

struct Stmt {
  StmtKind kind;
  SourceRange range;
  explicit Stmt(StmtKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Stmt() = default;
};
using StmtPtr = std::unique_ptr<Stmt>;

/// `{ ... }`: a list of statements with its own scope.
struct Block {
  SourceRange range;
  std::vector<StmtPtr> stmts;
};

#define NAG_STMT_CLASSOF(NAME) \
  static bool classof(const Stmt* s) { return s->kind == StmtKind::NAME; }

/// `input x : R[...];` and `param W : R[...];` share their shape.
struct InputStmt : Stmt {
  std::string name;
  SourceRange nameRange;
  TypeExprPtr type;
  InputStmt(SourceRange r) : Stmt(StmtKind::InputStmt, r) {}
  NAG_STMT_CLASSOF(InputStmt)
};
struct ParamStmt : Stmt {
  std::string name;
  SourceRange nameRange;
  TypeExprPtr type;
  ParamStmt(SourceRange r) : Stmt(StmtKind::ParamStmt, r) {}
  NAG_STMT_CLASSOF(ParamStmt)
};
/// `let name = value;`
struct LetStmt : Stmt {
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
  LetStmt(SourceRange r) : Stmt(StmtKind::LetStmt, r) {}
  NAG_STMT_CLASSOF(LetStmt)
};
/// `name = value;`
struct AssignStmt : Stmt {
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
  AssignStmt(SourceRange r) : Stmt(StmtKind::AssignStmt, r) {}
  NAG_STMT_CLASSOF(AssignStmt)
};
/// `for var in lo .. hi { body }`, half-open, unrolled at compile time.
struct ForStmt : Stmt {
  std::string var;
  SourceRange varRange;
  ExprPtr lo, hi;
  Block body;
  ForStmt(SourceRange r) : Stmt(StmtKind::ForStmt, r) {}
  NAG_STMT_CLASSOF(ForStmt)
};
/// `if cond { then } else { otherwise }`; `else if` nests an IfStmt in `otherwise`.
struct IfStmt : Stmt {
  ExprPtr cond;
  Block then;
  Block otherwise;
  bool hasElse = false;
  IfStmt(SourceRange r) : Stmt(StmtKind::IfStmt, r) {}
  NAG_STMT_CLASSOF(IfStmt)
};
struct OutputStmt : Stmt {
  ExprPtr value;
  OutputStmt(SourceRange r) : Stmt(StmtKind::OutputStmt, r) {}
  NAG_STMT_CLASSOF(OutputStmt)
};
struct ReturnStmt : Stmt {
  ExprPtr value;
  ReturnStmt(SourceRange r) : Stmt(StmtKind::ReturnStmt, r) {}
  NAG_STMT_CLASSOF(ReturnStmt)
};
/// `assert cond, "message";` — a compile-time check, e.g. of a layer's arguments.
struct AssertStmt : Stmt {
  ExprPtr cond;
  std::string message;  // without the quotes; empty when none was given
  AssertStmt(SourceRange r) : Stmt(StmtKind::AssertStmt, r) {}
  NAG_STMT_CLASSOF(AssertStmt)
};

// ----------------------------------------------------------- declarations

struct Decl {
  DeclKind kind;
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  explicit Decl(DeclKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Decl() = default;
};
using DeclPtr = std::unique_ptr<Decl>;

#define NAG_DECL_CLASSOF(NAME) \
  static bool classof(const Decl* d) { return d->kind == DeclKind::NAME; }

/// An argument of a layer or network: `name: type = default`.
struct Formal {
  std::string name;
  SourceRange range;
  SourceRange nameRange;
  TypeExprPtr type;
  ExprPtr defaultValue;  // may be null
};

struct ImportDecl : Decl {
  ImportDecl(SourceRange r) : Decl(DeclKind::ImportDecl, r) {}
  NAG_DECL_CLASSOF(ImportDecl)
};
struct ConstDecl : Decl {
  ExprPtr value;
  ConstDecl(SourceRange r) : Decl(DeclKind::ConstDecl, r) {}
  NAG_DECL_CLASSOF(ConstDecl)
};
/// `act name(var) = body;` a scalar activation.
struct ActDecl : Decl {
  std::string var;
  SourceRange varRange;
  ExprPtr body;
  ActDecl(SourceRange r) : Decl(DeclKind::ActDecl, r) {}
  NAG_DECL_CLASSOF(ActDecl)
};
/// `layer` and `network` share formals and a body.
struct LayerDecl : Decl {
  std::vector<Formal> formals;
  Block body;
  LayerDecl(SourceRange r, DeclKind k = DeclKind::LayerDecl) : Decl(k, r) {}
  static bool classof(const Decl* d) { return d->kind == DeclKind::LayerDecl || d->kind == DeclKind::NetworkDecl; }
};
struct NetworkDecl : LayerDecl {
  NetworkDecl(SourceRange r) : LayerDecl(r, DeclKind::NetworkDecl) {}
  NAG_DECL_CLASSOF(NetworkDecl)
};

/// One parsed file.
struct Module {
  std::string name;      // the import name ("nn") or the file's stem
  uint32_t file = 0;     // SourceManager buffer
  std::vector<DeclPtr> decls;
};

/// The word for a declaration kind in messages: "layer", "activation", ...
const char* describe(DeclKind k);

}  // namespace nag::ast
