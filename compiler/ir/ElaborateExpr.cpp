// ElaborateExpr.cpp — expressions, calls and builtins of the elaborator.
#include "ir/ElaborateImpl.h"

#include "support/InternalError.h"

namespace nag::ir::detail {

using namespace ast;

namespace {

std::string plural(size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

bool isComparison(BinaryOp op) {
  return op == BinaryOp::Lt || op == BinaryOp::Le || op == BinaryOp::Gt || op == BinaryOp::Ge ||
         op == BinaryOp::Eq || op == BinaryOp::Ne;
}

Op elementwiseOp(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return Op::Add;
    case BinaryOp::Sub: return Op::Sub;
    case BinaryOp::Mul: return Op::Mul;
    case BinaryOp::Div: return Op::Div;
    default: NAG_UNREACHABLE("not an elementwise operator");
  }
}

bool equalValues(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Value::Kind::Number: return a.number == b.number;
    case Value::Kind::Bool: return a.boolean == b.boolean;
    case Value::Kind::List:
      if (a.list->size() != b.list->size()) return false;
      for (size_t i = 0; i < a.list->size(); ++i)
        if (!equalValues((*a.list)[i], (*b.list)[i])) return false;
      return true;
    case Value::Kind::Tensor: return a.node == b.node;
  }
  return false;
}

}  // namespace

// ------------------------------------------------------------- expressions

Value Elaborator::eval(const Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit: return Value::ofInt(cast<IntLit>(&e)->value);
    case ExprKind::DecimalLit:
      checkBits(cast<DecimalLit>(&e)->value, e.range);  // 1e5000 is within the literal's exponent limit
      return Value::ofNumber(cast<DecimalLit>(&e)->value);
    case ExprKind::BoolLit: return Value::ofBool(cast<BoolLit>(&e)->value);
    case ExprKind::NameRef: return evalName(*cast<NameRef>(&e));
    case ExprKind::ListLit: {
      std::vector<Value> items;
      for (const ExprPtr& x : cast<ListLit>(&e)->elems) items.push_back(eval(*x));
      return Value::ofList(std::move(items));
    }
    case ExprKind::Unary: return evalUnary(*cast<Unary>(&e));
    case ExprKind::Binary: return evalBinary(*cast<Binary>(&e));
    case ExprKind::Index: return evalIndex(*cast<Index>(&e));
    case ExprKind::Call: return evalCall(*cast<Call>(&e));
  }
  NAG_UNREACHABLE("unhandled expression kind");
}

Value Elaborator::evalName(const NameRef& r) {
  const ModuleScope* scope = frame().module;
  if (r.module.empty()) {
    if (Slot* slot = findSlot(r.name)) return slot->value;
  } else {
    auto imp = scope->imports.find(r.module);
    if (imp == scope->imports.end()) fail(DiagId::err_unknown_module, r.range, {r.module});
    scope = imp->second;
  }
  const Decl* d = scope->find(r.name);
  if (!d) {
    if (!r.module.empty()) fail(DiagId::err_unknown_module_member, r.range, {r.module, r.name});
    if (findBuiltin(r.name)) fail(DiagId::err_not_a_value, r.range, {r.name, "builtin function"});
    fail(DiagId::err_unknown_name, r.range, {r.name});
  }
  if (auto* c = dyn_cast<ConstDecl>(d)) return constValue(*c, *scope);
  fail(DiagId::err_not_a_value, r.range, {r.spelled(), ast::describe(d->kind)});
}

Value Elaborator::evalUnary(const Unary& u) {
  Value v = eval(*u.operand);
  switch (u.op) {
    case UnaryOp::Plus:
      if (v.kind == Value::Kind::Number || v.kind == Value::Kind::Tensor) return v;
      break;
    case UnaryOp::Neg:
      if (v.kind == Value::Kind::Number) return Value::ofNumber(-v.number);
      if (v.kind == Value::Kind::Tensor) {
        Node n{Op::Neg, shapeOf(v.node), {v.node}};
        n.loc = u.range;
        return Value::ofTensor(addNode(std::move(n)));
      }
      break;
    case UnaryOp::Not:
      if (v.kind == Value::Kind::Tensor)
        fail(DiagId::err_not_compile_time, u.operand->range, {"the operand of '!'", dependsOn(v.node)});
      if (v.kind == Value::Kind::Bool) return Value::ofBool(!v.boolean);
      break;
  }
  fail(DiagId::err_bad_operand, u.range, {spelling(u.op), describe(v)});
}

Value Elaborator::evalBinary(const Binary& b) {
  if (b.op == BinaryOp::And || b.op == BinaryOp::Or) {
    std::string what = std::string("the operands of '") + spelling(b.op) + "'";
    bool lhs = requireBool(eval(*b.lhs), b.lhs->range, what);
    if (lhs == (b.op == BinaryOp::Or)) return Value::ofBool(lhs);  // short circuit
    return Value::ofBool(requireBool(eval(*b.rhs), b.rhs->range, what));
  }
  Value lhs = eval(*b.lhs);
  Value rhs = eval(*b.rhs);
  if (b.op == BinaryOp::Pow) return power(lhs, rhs, b.range, b.rhs->range);
  if (isComparison(b.op)) {
    for (const auto* side : {&lhs, &rhs})
      if (side->kind == Value::Kind::Tensor)
        fail(DiagId::err_not_compile_time, side == &lhs ? b.lhs->range : b.rhs->range,
             {std::string("the operands of '") + spelling(b.op) + "'", dependsOn(side->node)});
    if (b.op == BinaryOp::Eq || b.op == BinaryOp::Ne) {
      if (lhs.kind != rhs.kind) fail(DiagId::err_bad_operands, b.opRange, {spelling(b.op), describe(lhs), describe(rhs)});
      return Value::ofBool(equalValues(lhs, rhs) == (b.op == BinaryOp::Eq));
    }
    if (lhs.kind != Value::Kind::Number || rhs.kind != Value::Kind::Number)
      fail(DiagId::err_bad_operands, b.opRange, {spelling(b.op), describe(lhs), describe(rhs)});
    int c = cmp(lhs.number, rhs.number);
    bool r = b.op == BinaryOp::Lt ? c < 0 : b.op == BinaryOp::Le ? c <= 0 : b.op == BinaryOp::Gt ? c > 0 : c >= 0;
    return Value::ofBool(r);
  }
  return arithmetic(b.op, lhs, rhs, b.range, b.opRange);
}

Value Elaborator::arithmetic(BinaryOp op, const Value& a, const Value& b, SourceRange at, SourceRange opRange) {
  using K = Value::Kind;
  auto bad = [&]() { fail(DiagId::err_bad_operands, opRange, {spelling(op), describe(a), describe(b)}); };
  // Compile-time numbers.
  if (a.kind == K::Number && b.kind == K::Number) {
    Rational r;
    switch (op) {
      case BinaryOp::Add: r = a.number + b.number; break;
      case BinaryOp::Sub: r = a.number - b.number; break;
      case BinaryOp::Mul: r = a.number * b.number; break;
      case BinaryOp::Div:
        if (b.number == 0) fail(DiagId::err_division_by_zero, at);
        r = a.number / b.number;
        break;
      case BinaryOp::Mod: {
        if (!a.isInt() || !b.isInt()) bad();
        if (b.number == 0) fail(DiagId::err_division_by_zero, at);
        mpz_class m;
        mpz_fdiv_r(m.get_mpz_t(), a.number.get_num_mpz_t(), b.number.get_num_mpz_t());  // floored, as in Python
        r = Rational(m);
        break;
      }
      default: bad();
    }
    checkBits(r, at);
    return Value::ofNumber(r);
  }
  // Lists concatenate.
  if (a.kind == K::List && b.kind == K::List && op == BinaryOp::Add) {
    std::vector<Value> items(*a.list);
    items.insert(items.end(), b.list->begin(), b.list->end());
    return Value::ofList(std::move(items));
  }
  bool tensors = (a.kind == K::Tensor || a.kind == K::Number) && (b.kind == K::Tensor || b.kind == K::Number);
  if (!tensors || op == BinaryOp::Mod) bad();
  if (op == BinaryOp::MatMul) {
    if (a.kind != K::Tensor || b.kind != K::Tensor) bad();
    const Shape& sa = shapeOf(a.node);
    const Shape& sb = shapeOf(b.node);
    if (sa.size() != 2 || sb.empty() || sb.size() > 2)
      fail(DiagId::err_matmul_rank, opRange, {toString(sa), toString(sb)});
    if (sa[1] != sb[0]) fail(DiagId::err_matmul_shape, opRange, {toString(sa), toString(sb)});
    Shape out = sb.size() == 2 ? Shape{sa[0], sb[1]} : Shape{sa[0]};
    checkElements(out, at, "the product");
    Node n{Op::MatMul, out, {a.node, b.node}};
    n.loc = at;
    return Value::ofTensor(addNode(std::move(n)));
  }
  // Elementwise; a scalar broadcasts.
  NodeId x = tensorOf(a, at), y = tensorOf(b, at);
  const Shape& sx = shapeOf(x);
  const Shape& sy = shapeOf(y);
  if (!sx.empty() && !sy.empty() && sx != sy)
    fail(DiagId::err_shape_mismatch, opRange, {spelling(op), toString(sx), toString(sy)});
  if (op == BinaryOp::Div && b.kind == K::Number && b.number == 0) fail(DiagId::err_division_by_zero, at);
  Node n{elementwiseOp(op), sx.empty() ? sy : sx, {x, y}};
  n.loc = at;
  return Value::ofTensor(addNode(std::move(n)));
}

Value Elaborator::power(const Value& base, const Value& exponent, SourceRange at, SourceRange expRange) {
  using K = Value::Kind;
  if (exponent.kind == K::Tensor) fail(DiagId::err_not_compile_time, expRange, {"an exponent", dependsOn(exponent.node)});
  if (exponent.kind != K::Number) fail(DiagId::err_bad_operands, at, {"^", describe(base), describe(exponent)});
  if (!exponent.isInt()) fail(DiagId::err_exponent_not_integer, expRange, {toString(exponent.number)});
  if (base.kind == K::Number) {
    // Exact powers of numbers; negative exponents are fine away from zero.
    if (!exponent.number.get_num().fits_slong_p()) fail(DiagId::err_number_too_large, at, {std::to_string(request_.limits.maxBits)});
    long k = exponent.number.get_num().get_si();
    if (k < 0 && base.number == 0) fail(DiagId::err_division_by_zero, at);
    bool trivial = base.number == 0 || base.number == 1 || base.number == -1;
    if (!trivial && (k > long(request_.limits.maxBits) || -k > long(request_.limits.maxBits)))
      fail(DiagId::err_number_too_large, at, {std::to_string(request_.limits.maxBits)});
    unsigned long m = k < 0 ? (unsigned long)(-k) : (unsigned long)k;
    mpz_class num, den;
    mpz_pow_ui(num.get_mpz_t(), base.number.get_num_mpz_t(), m);
    mpz_pow_ui(den.get_mpz_t(), base.number.get_den_mpz_t(), m);
    Rational r = k < 0 ? Rational(den, num) : Rational(num, den);
    r.canonicalize();
    checkBits(r, at);
    return Value::ofNumber(r);
  }
  if (base.kind != K::Tensor) fail(DiagId::err_bad_operands, at, {"^", describe(base), describe(exponent)});
  if (exponent.number < 0) fail(DiagId::err_exponent_negative, expRange, {toString(exponent.number)});
  if (exponent.number > request_.limits.maxExponent)
    fail(DiagId::err_too_large, expRange, {"the exponent", toString(exponent.number), std::to_string(request_.limits.maxExponent)});
  // x^1 is x: no node, so that a network written with `^ r` at r = 1 is the
  // linear network it is (its GL symmetries are found, its rank bound applies).
  if (exponent.number == 1) return base;
  Node n{Op::Pow, shapeOf(base.node), {base.node}, exponent.number.get_num().get_si()};
  n.loc = at;
  return Value::ofTensor(addNode(std::move(n)));
}

Value Elaborator::evalIndex(const Index& ix) {
  Value base = eval(*ix.base);
  std::vector<int64_t> indices;
  std::vector<SourceRange> where;
  for (const ExprPtr& e : ix.indices) {
    indices.push_back(requireInt(eval(*e), e->range, "an index"));
    where.push_back(e->range);
  }
  if (base.kind == Value::Kind::List) {
    if (indices.size() != 1) fail(DiagId::err_index_count, ix.range, {std::to_string(indices.size()), "list"});
    int64_t n = int64_t(base.list->size()), i = indices[0];
    if (i < -n || i >= n) fail(DiagId::err_list_index_range, where[0], {std::to_string(i), std::to_string(n)});
    return (*base.list)[size_t(i < 0 ? i + n : i)];
  }
  if (base.kind != Value::Kind::Tensor) fail(DiagId::err_bad_operand, ix.range, {"[]", describe(base)});
  const Shape shape = shapeOf(base.node);
  if (indices.size() > shape.size())
    fail(DiagId::err_index_count, ix.range, {std::to_string(indices.size()), toString(shape)});
  for (size_t k = 0; k < indices.size(); ++k) {
    if (indices[k] < -shape[k] || indices[k] >= shape[k])
      fail(DiagId::err_tensor_index_range, where[k], {std::to_string(indices[k]), std::to_string(k + 1), std::to_string(shape[k])});
    if (indices[k] < 0) indices[k] += shape[k];
  }
  Node n{Op::Index, Shape(shape.begin() + long(indices.size()), shape.end()), {base.node}};
  n.indices = indices;
  n.loc = ix.range;
  return Value::ofTensor(addNode(std::move(n)));
}

// ------------------------------------------------------------------- calls

std::vector<const Expr*> Elaborator::matchArgs(const std::string& callee, const std::vector<FormalSpec>& formals,
                                               const Call& c) {
  std::vector<const Expr*> bound(formals.size(), nullptr);
  size_t positional = 0;
  bool sawNamed = false;
  for (const CallArg& a : c.args) {
    if (a.name.empty()) {
      if (sawNamed) fail(DiagId::err_positional_after_named, a.value->range);
      if (positional >= formals.size()) {
        size_t required = 0;
        for (const FormalSpec& f : formals) required += !f.optional;
        std::string takes = required == formals.size() ? plural(formals.size(), "argument")
                                                       : std::to_string(required) + " to " + plural(formals.size(), "argument");
        size_t given = 0;
        for (const CallArg& x : c.args) given += x.name.empty();
        fail(DiagId::err_arg_count, a.value->range, {callee, takes, std::to_string(given) + (given == 1 ? " was" : " were")});
      }
      bound[positional++] = a.value.get();
      continue;
    }
    sawNamed = true;
    size_t k = 0;
    while (k < formals.size() && formals[k].name != a.name) ++k;
    if (k == formals.size()) fail(DiagId::err_unknown_named_arg, a.nameRange, {callee, a.name});
    if (bound[k]) fail(DiagId::err_duplicate_arg, a.nameRange, {a.name, callee});
    bound[k] = a.value.get();
  }
  for (size_t k = 0; k < formals.size(); ++k)
    if (!bound[k] && !formals[k].optional) fail(DiagId::err_missing_arg, c.range, {callee, formals[k].name});
  return bound;
}

Value Elaborator::evalCall(const Call& c) {
  auto* ref = dyn_cast<NameRef>(c.callee.get());
  if (!ref) fail(DiagId::err_not_callable, c.callee->range, {"this expression", "a value"});
  const ModuleScope* scope = frame().module;
  if (ref->module.empty()) {
    if (findSlot(ref->name)) fail(DiagId::err_not_callable, ref->range, {ref->name, "a local value"});
  } else {
    auto imp = scope->imports.find(ref->module);
    if (imp == scope->imports.end()) fail(DiagId::err_unknown_module, ref->range, {ref->module});
    scope = imp->second;
  }
  const Decl* d = scope->find(ref->name);
  if (!d) {
    if (ref->module.empty())
      if (auto b = findBuiltin(ref->name)) return callBuiltin(*b, c);
    if (!ref->module.empty()) fail(DiagId::err_unknown_module_member, ref->range, {ref->module, ref->name});
    fail(DiagId::err_unknown_name, ref->range, {ref->name});
  }
  if (auto* act = dyn_cast<ActDecl>(d)) return callAct(*act, *scope, c, ref->spelled());
  if (d->kind == DeclKind::LayerDecl) return callLayer(*cast<LayerDecl>(d), *scope, c, ref->spelled());
  fail(DiagId::err_not_callable, ref->range, {ref->spelled(), std::string("a ") + ast::describe(d->kind)});
}

Value Elaborator::callAct(const ActDecl& act, const ModuleScope& scope, const Call& c, const std::string& spelled) {
  std::vector<const Expr*> args = matchArgs(spelled, {{act.var, false}}, c);
  Value arg = eval(*args[0]);
  if (arg.kind != Value::Kind::Number && arg.kind != Value::Kind::Tensor)
    fail(DiagId::err_type_mismatch, args[0]->range, {"argument of activation '" + spelled + "'", "a tensor or a number", describe(arg)});
  Frame f;
  f.module = &scope;
  f.calleeName = spelled;
  f.callSite = c.range;
  f.prefix = frame().prefix;
  f.scopes.push_back({{act.var, Slot{arg}}});
  pushFrame(std::move(f));
  Value result = eval(*act.body);
  popFrame();
  if (arg.kind == Value::Kind::Tensor && result.kind == Value::Kind::Number) {
    // A constant activation still maps a tensor to a tensor of its shape.
    Node n{Op::Const, shapeOf(arg.node), {}};
    n.values.push_back(result.number);
    n.loc = c.range;
    return Value::ofTensor(addNode(std::move(n)));
  }
  return result;
}

Value Elaborator::callLayer(const LayerDecl& layer, const ModuleScope& scope, const Call& c, const std::string& spelled) {
  std::vector<FormalSpec> specs;
  for (const Formal& f : layer.formals) specs.push_back({f.name, f.defaultValue != nullptr});
  std::vector<const Expr*> args = matchArgs(spelled, specs, c);
  std::vector<Value> values;
  for (const Expr* a : args) values.push_back(a ? eval(*a) : Value());

  Frame& caller = frame();
  Frame f;
  f.module = &scope;
  f.decl = &layer;
  f.calleeName = spelled;
  f.callSite = c.range;
  f.prefix = caller.prefix + layer.name + "#" + std::to_string(++caller.callCounts[layer.name]) + ".";
  f.scopes.emplace_back();
  pushFrame(std::move(f));
  for (size_t k = 0; k < layer.formals.size(); ++k) {
    const Formal& formal = layer.formals[k];
    if (args[k]) {
      bindFormal(formal, values[k], spelled, args[k]->range);
    } else {
      Value v = eval(*formal.defaultValue);
      bindFormal(formal, v, spelled, formal.defaultValue->range);
    }
  }
  exec(layer.body);
  std::optional<Value> result = frame().result;
  if (!result) fail(DiagId::err_missing_return, layer.nameRange, {layer.name});
  popFrame();
  return *result;
}

// ----------------------------------------------------------------- builtins

// conv1d(w[k], x[n]) and conv2d(w[kh, kw], X[h, w]), without padding, with the
// same stride along every axis; with channels, w[cout, cin, k...] and
// x[cin, n...] give [cout, n'...], summing over the input channels. A 2-D or
// multi-channel convolution is lowered to 1-D convolutions of rows: output
// row r of channel o is sum over (i, a) of conv1d(w[o, i, a], x[i, r s + a]),
// so derivatives, modular arithmetic and expansion need nothing new.
Value Elaborator::convolution(int spatial, NodeId w, NodeId x, int64_t stride, const Call& c, SourceRange wAt,
                              SourceRange xAt, SourceRange strideAt) {
  std::string fn = spatial == 2 ? "conv2d" : "conv1d";
  Shape sw = shapeOf(w), sx = shapeOf(x);
  bool channels = sw.size() == size_t(spatial) + 2;
  if (sw.size() != size_t(spatial) && !channels)
    fail(DiagId::err_rank_required, wAt,
         {"'" + fn + "'", spatial == 2 ? "a filter [kh, kw] or [out channels, in channels, kh, kw]"
                                       : "a filter [k] or [out channels, in channels, k]",
          toString(sw)});
  if (sx.size() != size_t(spatial) + (channels ? 1 : 0))
    fail(DiagId::err_rank_required, xAt,
         {"'" + fn + "'",
          std::string(channels ? (spatial == 2 ? "an input [in channels, h, w] for a filter with channels"
                                               : "an input [in channels, n] for a filter with channels")
                               : (spatial == 2 ? "an input matrix [h, w]" : "an input vector [n]")),
          toString(sx)});
  if (channels && sw[1] != sx[0])
    fail(DiagId::err_conv_channels, c.range,
         {fn, std::to_string(sw[1]), std::to_string(sx[0]), toString(sw), toString(sx)});
  if (stride <= 0) fail(DiagId::err_conv_stride, strideAt, {fn, std::to_string(stride)});
  Shape out;
  for (int d = 0; d < spatial; ++d) {
    int64_t k = sw[sw.size() - size_t(spatial - d)], n = sx[sx.size() - size_t(spatial - d)];
    if (k > n)
      fail(DiagId::err_conv_filter_long, c.range,
           {fn, std::to_string(k), std::to_string(n),
            spatial == 1 ? "" : " along axis " + std::to_string(d + 1) + " (filter " + toString(sw) + ", input " + toString(sx) + ")"});
    out.push_back((n - k) / stride + 1);
  }
  auto node = [&](Op op, Shape shape, std::vector<NodeId> operands, int64_t attr = 0, std::vector<int64_t> ix = {}) {
    Node n{op, std::move(shape), std::move(operands), attr};
    n.indices = std::move(ix);
    n.loc = c.range;
    return addNode(std::move(n));
  };
  auto index = [&](NodeId base, std::vector<int64_t> ix) {
    if (ix.empty()) return base;
    const Shape& s = shapeOf(base);
    Shape rest(s.begin() + long(ix.size()), s.end());
    return node(Op::Index, std::move(rest), {base}, 0, std::move(ix));
  };
  if (!channels && spatial == 1) return Value::ofTensor(node(Op::Conv1d, out, {w, x}, stride));

  int64_t cout = channels ? sw[0] : 1, cin = channels ? sw[1] : 1;
  int64_t rows = spatial == 2 ? out[0] : 1, filterRows = spatial == 2 ? sw[sw.size() - 2] : 1;
  int64_t width = out.back();
  std::vector<NodeId> pieces;  // one row of width values per (output channel, output row)
  for (int64_t o = 0; o < cout; ++o)
    for (int64_t r = 0; r < rows; ++r) {
      NodeId acc = NodeId(-1);
      for (int64_t i = 0; i < cin; ++i)
        for (int64_t a = 0; a < filterRows; ++a) {
          std::vector<int64_t> wi, xi;
          if (channels) wi = {o, i}, xi = {i};
          if (spatial == 2) wi.push_back(a), xi.push_back(r * stride + a);
          NodeId term = node(Op::Conv1d, {width}, {index(w, wi), index(x, xi)}, stride);
          acc = acc == NodeId(-1) ? term : node(Op::Add, {width}, {acc, term});
        }
      pieces.push_back(acc);
    }
  Shape result = out;
  if (channels) result.insert(result.begin(), cout);
  checkElements(result, c.range, "the convolution");
  NodeId flat = pieces.size() == 1 ? pieces[0] : node(Op::Concat, {width * int64_t(pieces.size())}, pieces);
  return Value::ofTensor(node(Op::Reshape, result, {flat}));
}

Value Elaborator::callBuiltin(Builtin b, const Call& c) {
  std::vector<FormalSpec> specs;
  for (const BuiltinFormal& f : formals(b)) specs.push_back({f.name, f.optional});
  std::string fn = name(b);
  std::vector<const Expr*> args = matchArgs(fn, specs, c);
  std::vector<Value> v;
  for (const Expr* a : args) v.push_back(a ? eval(*a) : Value());
  auto range = [&](size_t k) { return args[k] ? args[k]->range : c.range; };
  auto tensorArg = [&](size_t k, size_t rank, const char* needs) {
    NodeId n = v[k].kind == Value::Kind::Number ? constant(v[k].number, range(k)) : requireTensor(v[k], range(k), "argument of '" + fn + "'");
    if (rank != size_t(-1) && shapeOf(n).size() != rank)
      fail(DiagId::err_rank_required, range(k), {"'" + fn + "'", needs, toString(shapeOf(n))});
    return n;
  };
  auto make = [&](Op op, Shape shape, std::vector<NodeId> operands, int64_t attr = 0) {
    Node n{op, std::move(shape), std::move(operands), attr};
    n.loc = c.range;
    return Value::ofTensor(addNode(std::move(n)));
  };
  switch (b) {
    case Builtin::Len:
      if (v[0].kind == Value::Kind::List) return Value::ofInt(int64_t(v[0].list->size()));
      if (v[0].kind == Value::Kind::Tensor && !shapeOf(v[0].node).empty()) return Value::ofInt(shapeOf(v[0].node)[0]);
      fail(DiagId::err_type_mismatch, range(0), {"argument of 'len'", "a list or a tensor with at least one dimension", describe(v[0])});
    case Builtin::Min:
    case Builtin::Max: {
      if (v[0].kind != Value::Kind::Number || v[1].kind != Value::Kind::Number)
        fail(DiagId::err_bad_operands, c.callee->range, {fn, describe(v[0]), describe(v[1])});
      bool first = (cmp(v[0].number, v[1].number) <= 0) == (b == Builtin::Min);
      return first ? v[0] : v[1];
    }
    case Builtin::Relu:
      if (v[0].kind == Value::Kind::Number) return Value::ofNumber(v[0].number < 0 ? Rational(0) : v[0].number);
      [[fallthrough]];
    case Builtin::Tanh:
    case Builtin::Sigmoid:
    case Builtin::Exp: {
      NodeId x = tensorArg(0, size_t(-1), "");
      Op op = b == Builtin::Relu ? Op::Relu : b == Builtin::Tanh ? Op::Tanh : b == Builtin::Sigmoid ? Op::Sigmoid : Op::Exp;
      return make(op, shapeOf(x), {x});
    }
    case Builtin::Transpose: {
      NodeId a = tensorArg(0, 2, "a matrix");
      return make(Op::Transpose, {shapeOf(a)[1], shapeOf(a)[0]}, {a});
    }
    case Builtin::Sum: {
      NodeId x = tensorArg(0, size_t(-1), "");
      return make(Op::Sum, {}, {x});
    }
    case Builtin::Dot:
    case Builtin::Outer: {
      NodeId a = tensorArg(0, 1, "a vector");
      NodeId y = tensorArg(1, 1, "a vector");
      if (b == Builtin::Outer) return make(Op::Outer, {shapeOf(a)[0], shapeOf(y)[0]}, {a, y});
      if (shapeOf(a) != shapeOf(y)) fail(DiagId::err_shape_mismatch, c.range, {"dot", toString(shapeOf(a)), toString(shapeOf(y))});
      return make(Op::Dot, {}, {a, y});
    }
    case Builtin::Concat: {
      NodeId a = tensorArg(0, size_t(-1), "");
      NodeId y = tensorArg(1, size_t(-1), "");
      Shape sa = shapeOf(a), sy = shapeOf(y);
      if (sa.empty() || sy.empty() || sa.size() != sy.size() || !std::equal(sa.begin() + 1, sa.end(), sy.begin() + 1))
        fail(DiagId::err_shape_mismatch, c.range, {"concat", toString(sa), toString(sy)});
      Shape out = sa;
      out[0] += sy[0];
      checkElements(out, c.range, "the concatenation");
      return make(Op::Concat, out, {a, y});
    }
    case Builtin::Conv1d:
    case Builtin::Conv2d: {
      NodeId w = tensorArg(0, size_t(-1), "");
      NodeId x = tensorArg(1, size_t(-1), "");
      int64_t stride = args[2] ? requireInt(v[2], range(2), fn + " stride") : 1;
      return convolution(b == Builtin::Conv2d ? 2 : 1, w, x, stride, c, range(0), range(1), range(2));
    }
    case Builtin::Tensor: {  // a constant tensor from compile-time numbers, row-major
      if (v[0].kind != Value::Kind::List || v[0].list->empty())
        fail(DiagId::err_type_mismatch, range(0), {"values of 'tensor'", "a non-empty list of numbers", describe(v[0])});
      Node n{Op::Const, {int64_t(v[0].list->size())}, {}};
      for (const Value& e : *v[0].list) {
        if (e.kind != Value::Kind::Number)
          fail(DiagId::err_type_mismatch, range(0), {"an element of 'tensor'", "a number", describe(e)});
        n.values.push_back(e.number);
      }
      n.loc = c.range;
      NodeId flat = addNode(std::move(n));
      if (!args[1]) return Value::ofTensor(flat);
      v[0] = Value::ofTensor(flat);
      [[fallthrough]];
    }
    case Builtin::Reshape: {
      NodeId x = tensorArg(0, size_t(-1), "");
      if (v[1].kind != Value::Kind::List)
        fail(DiagId::err_type_mismatch, range(1), {"shape of 'reshape'", "a list of sizes [int]", describe(v[1])});
      Shape shape;
      for (const Value& d : *v[1].list) {
        int64_t n = requireInt(d, range(1), "a size in the shape of 'reshape'");
        if (n <= 0) fail(DiagId::err_size_not_positive, range(1), {"a size in the shape of 'reshape'", std::to_string(n)});
        shape.push_back(n);
      }
      checkElements(shape, range(1), "the reshaped tensor");
      if (numElements(shape) != numElements(shapeOf(x)))
        fail(DiagId::err_reshape_size, c.range, {toString(shapeOf(x)), std::to_string(numElements(shapeOf(x))),
                                                 toString(shape), std::to_string(numElements(shape))});
      if (shape == shapeOf(x)) return Value::ofTensor(x);
      return make(Op::Reshape, shape, {x});
    }
  }
  NAG_UNREACHABLE("unhandled builtin");
}

}  // namespace nag::ir::detail
