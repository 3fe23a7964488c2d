// AST.cpp — spellings of operators and declaration kinds.
#include "frontend/AST.h"

namespace nag::ast {

const char* spelling(UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg: return "-";
    case UnaryOp::Plus: return "+";
    case UnaryOp::Not: return "!";
  }
  return "?";
}

const char* spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Mod: return "%";
    case BinaryOp::MatMul: return "@";
    case BinaryOp::Pow: return "^";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::And: return "&&";
    case BinaryOp::Or: return "||";
  }
  return "?";
}

const char* describe(DeclKind k) {
  switch (k) {
    case DeclKind::ImportDecl: return "module";
    case DeclKind::ConstDecl: return "constant";
    case DeclKind::ActDecl: return "activation";
    case DeclKind::LayerDecl: return "layer";
    case DeclKind::NetworkDecl: return "network";
  }
  return "declaration";
}

}  // namespace nag::ast
