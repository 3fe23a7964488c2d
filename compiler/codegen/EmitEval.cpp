// EmitEval.cpp — IR -> LLVM evaluation in any number domain: samples in SIMD lanes, blocks across threads.
//
// Every IR value is either *uniform* (it depends on θ and constants only, and
// is computed once per call as scalars) or *varying* (it depends on x; it is
// computed per block of L samples, one <L x double> vector per element, so the
// lanes of every vector operation are samples). Each op becomes a loop nest
// over its elements with static trip counts: code size is linear in the
// number of ops, never in the sizes of the tensors. The arithmetic is the
// Domain's (Domain.h): f64/f32, integers mod p, or complex doubles.
#include "codegen/Domain.h"
#include "codegen/Emit.h"

#include "support/InternalError.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

namespace nag::codegen {

using namespace llvm;
using ir::NodeId;
using ir::Op;

std::string evalSymbol(const ir::Graph& g) { return "nag_" + g.name + "_eval"; }
std::string modelSymbol(const ir::Graph& g) { return "nag_" + g.name + "_model"; }
std::string functionSymbol(const ir::Graph& g, const std::string& function) { return "nag_" + g.name + "_" + function; }
std::string suffixedSymbol(const ir::Graph& g, const std::string& function, const std::string& suffix) {
  return "nag_" + g.name + "_" + function + "_" + suffix;
}

namespace {

// How often a value is computed: once per call (uniform: θ, constants and
// batch-wide arguments only), once per block of samples (varying: it depends
// on x or on a per-sample argument), or once per block and seed (seeded: it
// depends on the Seed of a Jacobian or Hessian loop).
enum Level { kUniform = 0, kVarying = 1, kSeeded = 2 };

// Where each value lives.
struct Layout {
  std::vector<int> level;
  std::vector<int64_t> slot;      // uniform: element offset in U; otherwise: vector index in W
  std::vector<char> view;         // a per-block reshape or slice read in place from its operand's slot (no copy)
  int64_t uniformElements = 0;
  int64_t varyingVectors = 0;
};

// Per-block values reuse the workspace of values that are dead (first fit),
// so that a deep network's working set stays that of a few layers. Values
// computed once per block but read inside the seed loop live to its end.
Layout plan(const ir::Graph& g, bool constantsPerCall) {
  Layout l;
  size_t n = g.nodes.size();
  l.level.assign(n, kUniform);
  l.slot.assign(n, -1);
  l.view.assign(n, 0);
  constexpr NodeId kForever = NodeId(-1);
  std::vector<NodeId> lastUse(n, 0);
  // A view's reads are its root's: the value whose slot it shares lives as long as any of its views.
  std::vector<NodeId> root(n);
  for (NodeId id = 0; id < n; ++id) {
    const ir::Node& node = g.nodes[id];
    root[id] = id;
    int level = node.op == Op::Input ? kVarying
                : node.op == Op::Seed ? kSeeded
                : node.op == Op::Aux && g.aux[size_t(node.attr)].perSample ? kVarying
                                                                             : kUniform;
    for (NodeId o : node.operands) level = std::max(level, l.level[o]);
    l.level[id] = level;
    if ((node.op == Op::Reshape || node.op == Op::Slice) && level != kUniform &&
        g.nodes[node.operands[0]].op != Op::Seed && l.level[node.operands[0]] == level) {
      l.view[id] = 1;
      root[id] = root[node.operands[0]];
    }
    for (NodeId o : node.operands) {
      NodeId r = root[o];
      lastUse[r] = level == kSeeded && l.level[r] == kVarying ? kForever : std::max(lastUse[r], id);
    }
  }
  lastUse[root[g.output]] = kForever;  // read back after the last op
  if (g.layout.sumSamples && g.nodes[g.output].op == Op::Concat)  // a summed output's parts are read in its place
    for (NodeId part : g.nodes[g.output].operands) lastUse[root[part]] = kForever;
  // Per-sample leaves are all loaded at the start of a block, so they get
  // space of their own before anything else (they may be recycled later).
  auto loadedFirst = [&](const ir::Node& node) {
    return node.op == Op::Input || (node.op == Op::Aux && g.aux[size_t(node.attr)].perSample);
  };
  for (NodeId id = 0; id < n; ++id) {
    if (!loadedFirst(g.nodes[id])) continue;
    l.slot[id] = l.varyingVectors;
    l.varyingVectors += ir::numElements(g.nodes[id].shape);
  }
  // Slots are handed out in execution order: uniform values live in U, then
  // the per-block values (in node order), then the seeded ones.
  std::vector<std::pair<int64_t, int64_t>> free;  // (offset, size)
  for (int phase : {kUniform, kVarying, kSeeded})
    for (NodeId id = 0; id < n; ++id) {
      if (l.level[id] != phase) continue;
      const ir::Node& node = g.nodes[id];
      int64_t size = ir::numElements(node.shape);
      if (node.op == Op::Seed) continue;  // computed where it is read
      if (l.view[id]) {  // in place: its operand's slot (from the slice's offset); its root dies with its last reader
        l.slot[id] = l.slot[node.operands[0]] + (node.op == Op::Slice ? node.attr : 0);
        NodeId r = root[id];
        if (lastUse[r] == id) free.push_back({l.slot[r], ir::numElements(g.nodes[r].shape)});
        continue;
      }
      if (loadedFirst(node)) {
        if (lastUse[id] == 0) free.push_back({l.slot[id], size});
        continue;
      }
      if (phase == kUniform) {
        // Modular constants depend on p: they are computed per call, into U.
        if (node.op != Op::Param && (node.op != Op::Const || constantsPerCall) && node.op != Op::Aux) {
          l.slot[id] = l.uniformElements;
          l.uniformElements += size;
        }
        continue;
      }
      auto fit = std::find_if(free.begin(), free.end(), [&](auto& f) { return f.second >= size; });
      if (fit != free.end()) {
        l.slot[id] = fit->first;
        if (fit->second > size)
          *fit = {fit->first + size, fit->second - size};
        else
          free.erase(fit);
      } else {
        l.slot[id] = l.varyingVectors;
        l.varyingVectors += size;
      }
      // Operands whose last use is this node can be recycled after it (once
      // each, even when an op reads the same value twice).
      std::vector<NodeId> dying;
      for (NodeId operand : node.operands) {
        NodeId o = root[operand];
        if (l.slot[o] >= 0 && l.level[o] != kUniform && lastUse[o] == id &&
            std::find(dying.begin(), dying.end(), o) == dying.end())
          dying.push_back(o);
      }
      for (NodeId o : dying) free.push_back({l.slot[o], ir::numElements(g.nodes[o].shape)});
      // A value used by nothing dies right away.
      if (lastUse[id] == 0) free.push_back({l.slot[id], size});
    }
  return l;
}

class Emitter {
public:
  Emitter(Module& m, const ir::Graph& g, const Options& o, std::string symbol, bool derived)
      : m_(m), ctx_(m.getContext()), g_(g), lanes_(o.lanes), b_(ctx_), dom_(Domain::create(m, b_, o)),
        layout_(plan(g, dom_->constantsPerCall())), symbol_(std::move(symbol)), derived_(derived) {
    real_ = o.domain == NumberDomain::Real;
    single_ = real_ && o.precision == Precision::F32;
    mem_ = dom_->memoryType();
    vec_ = dom_->vectorType();
    bytes_ = dom_->bytesPerNumber();
    i64_ = Type::getInt64Ty(ctx_);
    ptr_ = PointerType::getUnqual(ctx_);
    FastMathFlags fmf;
    fmf.setAllowContract(true);  // a*b+c may become one FMA
    b_.setFastMathFlags(fmf);
  }

  void emit() {
    // The context passed to the block function: theta, x, a, b, y, batch, U, modulus.
    ctxTy_ = StructType::get(ctx_, {ptr_, ptr_, ptr_, ptr_, ptr_, i64_, ptr_, ptr_});
    Function* block = emitBlockFunction();
    emitEntryFunction(block);
  }

private:
  Module& m_;
  LLVMContext& ctx_;
  const ir::Graph& g_;
  unsigned lanes_;
  IRBuilder<> b_;
  std::unique_ptr<Domain> dom_;
  Layout layout_;
  bool real_ = true;      // f64/f32: the only domain with comparisons and libm (non-algebraic ops)

  // Below this many blocks a call runs on the calling thread: an estimate of the work per sample (the
  // elements every per-sample op writes, times the inner dimension of products and convolutions, times the
  // seeds of the seeded ones, times ~4 for a complex or modular operation) against kParallelGrain scalar
  // operations, about 50-100 us here, more than a thread pool's wake-up and wait.
  int64_t serialBlocks() const {
    constexpr double kParallelGrain = double(1 << 18);
    double work = 0;
    for (NodeId id = 0; id < g_.nodes.size(); ++id) {
      if (layout_.level[id] == kUniform) continue;
      const ir::Node& n = g_.nodes[id];
      double w = double(ir::numElements(n.shape));
      if (n.op == Op::MatMul) w *= double(g_.nodes[n.operands[0]].shape.back());
      if (n.op == Op::Dot) w = double(ir::numElements(g_.nodes[n.operands[0]].shape));
      if ((n.op == Op::Conv1d || n.op == Op::ConvT) && n.operands.size() > 1)
        w *= double(std::max<int64_t>(1, ir::numElements(g_.nodes[n.operands[1]].shape)));
      if (layout_.level[id] == kSeeded) w *= double(std::max<int64_t>(1, g_.layout.seeds));
      work += w;
    }
    if (!real_) work *= 4;
    double perBlock = std::max(1.0, work * double(lanes_));
    return int64_t(std::min(1e9, std::ceil(kParallelGrain / perBlock)));
  }
  bool single_ = false;   // f32
  Type* mem_;             // a number's type in memory (a complex number is two of them)
  Type* vec_;             // a varying value: L lanes
  int64_t bytes_ = 8;     // bytes per number
  Value* modCtx_ = nullptr;   // nag_modulus* (modular domain): p, -p^-1 mod 2^64, R^2 mod p, R mod p, error flag
  Type* i64_;
  PointerType* ptr_;
  StructType* ctxTy_ = nullptr;
  static constexpr int64_t kRows = 4;  // output rows per register block in matmul

  // Base pointers in the function being emitted.
  Value* theta_ = nullptr;
  Value* aux_[2] = {nullptr, nullptr};
  Value* uniform_ = nullptr;
  Value* work_ = nullptr;
  Value* seed_ = nullptr;     // the seed loop's counter
  std::string symbol_;
  bool derived_;              // the (theta, x, a, b, y, batch) signature
  bool vectorMode_ = false;  // emitting the per-block (varying) part

  Value* c64(int64_t v) { return ConstantInt::get(i64_, uint64_t(v)); }
  Value* zero() { return dom_->zero(vectorMode_); }
  Align vectorAlign() const { return Align(bytes_ * lanes_ >= 64 ? 64 : uint64_t(bytes_)); }

  FunctionCallee runtime(const char* name, Type* ret, std::vector<Type*> args) {
    return m_.getOrInsertFunction(name, FunctionType::get(ret, args, false));
  }

  // ---- loops

  // for (i = 0; i < n; ++i) body(i), n a constant > 0. Returns the loop's
  // back edge (null when there is no loop), for loop metadata.
  Instruction* loop(int64_t n, const std::function<void(Value*)>& body) {
    if (n <= 0) return nullptr;
    if (n == 1) {
      body(c64(0));
      return nullptr;
    }
    Function* f = b_.GetInsertBlock()->getParent();
    BasicBlock* pre = b_.GetInsertBlock();
    BasicBlock* head = BasicBlock::Create(ctx_, "loop", f);
    BasicBlock* exit = BasicBlock::Create(ctx_, "loop.end", f);
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    PHINode* i = b_.CreatePHI(i64_, 2, "i");
    i->addIncoming(c64(0), pre);
    body(i);
    Value* next = b_.CreateNUWAdd(i, c64(1));
    i->addIncoming(next, b_.GetInsertBlock());
    Instruction* backEdge = b_.CreateCondBr(b_.CreateICmpULT(next, c64(n)), head, exit);
    loopMetadata(backEdge, false);
    b_.SetInsertPoint(exit);
    return backEdge;
  }

  // Keeps the loop vectorizer away: it would turn strided copies into
  // gathers and scatters, which are slower than scalar moves.
  void noVectorize(Instruction* backEdge) { loopMetadata(backEdge, true); }

  // Loop properties: loops over elements are not unrolled (their bodies are
  // already vector operations, and unrolled copies cost compile time in the
  // backend's scheduler); reductions (matmul, conv) keep LLVM's unrolling.
  void loopMetadata(Instruction* backEdge, bool noVectorize) {
    if (!backEdge) return;
    std::vector<Metadata*> ops{nullptr, MDNode::get(ctx_, {MDString::get(ctx_, "llvm.loop.unroll.disable")})};
    if (noVectorize)
      ops.push_back(MDNode::get(ctx_, {MDString::get(ctx_, "llvm.loop.vectorize.enable"),
                                       ConstantAsMetadata::get(ConstantInt::getFalse(ctx_))}));
    MDNode* self = MDNode::getDistinct(ctx_, ops);
    self->replaceOperandWith(0, self);
    backEdge->setMetadata(LLVMContext::MD_loop, self);
  }

  // acc = init; for (i = 0; i < n; ++i) acc = step(i, acc); returns acc.
  Value* reduce(int64_t n, Value* init, const std::function<Value*(Value*, Value*)>& step) {
    return reduceN(n, {init}, [&](Value* i, const std::vector<Value*>& acc) {
      return std::vector<Value*>{step(i, acc[0])};
    })[0];
  }

  // accs = inits; for (i = 0; i < n; ++i) accs = step(i, accs): several
  // independent accumulators carried through one loop.
  std::vector<Value*> reduceN(int64_t n, const std::vector<Value*>& inits,
                              const std::function<std::vector<Value*>(Value*, const std::vector<Value*>&)>& step) {
    if (n <= 0) return inits;
    Function* f = b_.GetInsertBlock()->getParent();
    BasicBlock* pre = b_.GetInsertBlock();
    BasicBlock* head = BasicBlock::Create(ctx_, "reduce", f);
    BasicBlock* exit = BasicBlock::Create(ctx_, "reduce.end", f);
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    PHINode* i = b_.CreatePHI(i64_, 2, "k");
    i->addIncoming(c64(0), pre);
    std::vector<Value*> accs;
    for (Value* init : inits) {
      PHINode* acc = b_.CreatePHI(init->getType(), 2, "acc");
      acc->addIncoming(init, pre);
      accs.push_back(acc);
    }
    std::vector<Value*> next = step(i, accs);
    Value* inext = b_.CreateNUWAdd(i, c64(1));
    i->addIncoming(inext, b_.GetInsertBlock());
    for (size_t k = 0; k < accs.size(); ++k) cast<PHINode>(accs[k])->addIncoming(next[k], b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpULT(inext, c64(n)), head, exit);
    b_.SetInsertPoint(exit);
    return next;
  }

  // for (i = lo; i < hi; ++i) body(i) with run-time bounds.
  void range(Value* lo, Value* hi, const std::function<void(Value*)>& body) {
    Function* f = b_.GetInsertBlock()->getParent();
    BasicBlock* pre = b_.GetInsertBlock();
    BasicBlock* head = BasicBlock::Create(ctx_, "range", f);
    BasicBlock* exit = BasicBlock::Create(ctx_, "range.end", f);
    b_.CreateCondBr(b_.CreateICmpSLT(lo, hi), head, exit);
    b_.SetInsertPoint(head);
    PHINode* i = b_.CreatePHI(i64_, 2, "r");
    i->addIncoming(lo, pre);
    body(i);
    Value* next = b_.CreateNSWAdd(i, c64(1));
    i->addIncoming(next, b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpSLT(next, hi), head, exit);
    b_.SetInsertPoint(exit);
  }

  // ---- element access

  bool varying(NodeId n) const { return layout_.level[n] != kUniform; }

  // Element e of node n, as this mode's value type (uniform values are
  // splatted in vector mode).
  Value* load(NodeId n, Value* e) {
    const ir::Node& node = g_.nodes[n];
    Value* scalar = nullptr;
    if (node.op == Op::Seed) {  // e_s: 1 at the seed's element, 0 elsewhere
      Value* entry = b_.CreateSelect(b_.CreateICmpEQ(e, seed_), dom_->one(false), dom_->zero(false));
      return vectorMode_ ? dom_->splat(entry) : entry;
    }
    if (varying(n)) {
      NAG_ASSERT(vectorMode_, "varying value read in uniform code");
      Value* index = b_.CreateAdd(c64(layout_.slot[n]), e);
      return b_.CreateAlignedLoad(vec_, b_.CreateGEP(vec_, work_, index), vectorAlign());
    }
    switch (node.op) {
      case Op::Param: {
        int64_t offset = g_.params[size_t(node.attr)].offset;
        scalar = dom_->enter(dom_->loadNumber(theta_, b_.CreateAdd(c64(offset), e)));
        break;
      }
      case Op::Aux: {
        NAG_ASSERT(!g_.aux[size_t(node.attr)].perSample, "per-sample arguments are varying");
        scalar = dom_->enter(dom_->loadNumber(aux_[node.attr], e));
        break;
      }
      case Op::Const:
        if (dom_->constantsPerCall()) {
          Value* at = node.values.size() == 1 ? c64(layout_.slot[n]) : b_.CreateAdd(c64(layout_.slot[n]), e);
          scalar = dom_->loadNumber(uniform_, at);
        } else if (node.values.size() == 1) {
          scalar = dom_->constant(node.values[0]);
        } else {
          scalar = dom_->loadNumber(constantArray(n), e);
        }
        break;
      default:
        scalar = dom_->loadNumber(uniform_, b_.CreateAdd(c64(layout_.slot[n]), e));
        break;
    }
    return vectorMode_ ? dom_->splat(scalar) : scalar;
  }

  // Reads back what this node stored (read-modify-write ops).
  Value* loadOwn(NodeId n, Value* e) {
    if (varying(n)) {
      Value* p = b_.CreateGEP(vec_, work_, b_.CreateAdd(c64(layout_.slot[n]), e));
      return b_.CreateAlignedLoad(vec_, p, vectorAlign());
    }
    return dom_->loadNumber(uniform_, b_.CreateAdd(c64(layout_.slot[n]), e));
  }

  void store(NodeId n, Value* e, Value* v) {
    if (varying(n)) {
      Value* p = b_.CreateGEP(vec_, work_, b_.CreateAdd(c64(layout_.slot[n]), e));
      b_.CreateAlignedStore(v, p, vectorAlign());
    } else {
      dom_->storeNumber(uniform_, b_.CreateAdd(c64(layout_.slot[n]), e), v);
    }
  }

  std::map<NodeId, GlobalVariable*> constants_;
  Value* constantArray(NodeId n) {
    if (auto it = constants_.find(n); it != constants_.end()) return it->second;
    std::vector<Constant*> values;
    for (const Rational& q : g_.nodes[n].values)
      for (Constant* c : dom_->constantData(q)) values.push_back(c);
    auto* init = ConstantArray::get(ArrayType::get(mem_, values.size()), values);
    auto* gv = new GlobalVariable(m_, init->getType(), true, GlobalValue::PrivateLinkage, init, "const");
    constants_[n] = gv;
    return gv;
  }

  // ---- arithmetic (the domain's)

  Value* add_(Value* a, Value* c) { return dom_->add(a, c); }
  Value* sub_(Value* a, Value* c) { return dom_->sub(a, c); }
  Value* neg_(Value* a) { return dom_->neg(a); }
  Value* mul_(Value* a, Value* c) { return dom_->mul(a, c); }
  Value* div_(Value* a, Value* c) { return dom_->div(a, c); }

  Value* powi(Value* x, int64_t k) {
    if (k == 0) return one();
    Value* result = nullptr;
    Value* square = x;
    for (int64_t e = k; e > 0; e >>= 1) {
      if (e & 1) result = result ? mul_(result, square) : square;
      if (e > 1) square = mul_(square, square);
    }
    return result;
  }

  // libm function applied lane by lane (exp, tanh): correct to the last bit,
  // as the C library computes it.
  Value* libm(const char* name, Value* x) {
    Type* t = dom_->scalarType();
    FunctionCallee fn = runtime(single_ ? (std::string(name) + "f").c_str() : name, t, {t});
    if (!vectorMode_) return b_.CreateCall(fn, {x});
    Value* out = PoisonValue::get(vec_);
    for (unsigned lane = 0; lane < lanes_; ++lane)
      out = b_.CreateInsertElement(out, b_.CreateCall(fn, {b_.CreateExtractElement(x, lane)}), lane);
    return out;
  }

  Value* one() { return dom_->one(vectorMode_); }

  // ---- ops

  void emitNode(NodeId id) {
    const ir::Node& n = g_.nodes[id];
    int64_t size = ir::numElements(n.shape);
    auto operand = [&](size_t k) { return n.operands[k]; };
    auto elementwise = [&](const std::function<Value*(Value*)>& f) {
      loop(size, [&](Value* e) { store(id, e, f(load(operand(0), e))); });
    };
    if (dom_->constantsPerCall() && n.op == Op::Const) {
      for (size_t k = 0; k < n.values.size(); ++k)
        dom_->storeNumber(uniform_, c64(layout_.slot[id] + int64_t(k)), dom_->constant(n.values[k]));
      return;
    }
    NAG_ASSERT(real_ || (n.op != Op::Relu && n.op != Op::Step && n.op != Op::Tanh && n.op != Op::Sigmoid &&
                             n.op != Op::Exp),
               "non-algebraic op in exact or complex code");
    switch (n.op) {
      case Op::Param:
      case Op::Const:
      case Op::Seed:
      case Op::Aux:
      case Op::Input: return;  // read in place (inputs and per-sample arguments are loaded per block)
      case Op::Step:
        elementwise([&](Value* a) { return b_.CreateSelect(b_.CreateFCmpOGT(a, zero()), one(), zero()); });
        return;
      case Op::Slice:
      case Op::Reshape: {
        if (layout_.view[id]) return;  // read in place
        int64_t offset = n.op == Op::Slice ? n.attr : 0;
        loop(size, [&](Value* e) { store(id, e, load(operand(0), b_.CreateAdd(c64(offset), e))); });
        return;
      }
      case Op::Broadcast:
        loop(size, [&](Value* e) { store(id, e, load(operand(0), c64(0))); });
        return;
      case Op::Embed: {
        int64_t count = ir::numElements(g_.nodes[operand(0)].shape);
        loop(size, [&](Value* e) { store(id, e, zero()); });
        loop(count, [&](Value* e) { store(id, b_.CreateAdd(c64(n.attr), e), load(operand(0), e)); });
        return;
      }
      case Op::ConvT: {
        // out[i*s + t] += w[t] u[i], over zeros.
        int64_t k = g_.nodes[operand(0)].shape[0], m = g_.nodes[operand(1)].shape[0], stride = n.attr;
        loop(size, [&](Value* e) { store(id, e, zero()); });
        loop(m, [&](Value* i) {
          Value* u = load(operand(1), i);
          loop(k, [&](Value* t) {
            Value* j = b_.CreateAdd(b_.CreateMul(i, c64(stride)), t);
            store(id, j, add_(loadOwn(id, j), mul_(load(operand(0), t), u)));
          });
        });
        return;
      }
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div: {
        bool scalar0 = g_.nodes[operand(0)].shape.empty(), scalar1 = g_.nodes[operand(1)].shape.empty();
        loop(size, [&](Value* e) {
          Value* a = load(operand(0), scalar0 ? c64(0) : e);
          Value* c = load(operand(1), scalar1 ? c64(0) : e);
          Value* r = n.op == Op::Add ? add_(a, c)
                     : n.op == Op::Sub ? sub_(a, c)
                     : n.op == Op::Mul ? mul_(a, c)
                                       : div_(a, c);
          store(id, e, r);
        });
        return;
      }
      case Op::Neg: elementwise([&](Value* a) { return neg_(a); }); return;
      case Op::Pow: elementwise([&](Value* a) { return powi(a, n.attr); }); return;
      case Op::Relu:
        elementwise([&](Value* a) { return b_.CreateSelect(b_.CreateFCmpOGT(a, zero()), a, zero()); });
        return;
      case Op::Exp: elementwise([&](Value* a) { return libm("exp", a); }); return;
      case Op::Tanh: elementwise([&](Value* a) { return libm("tanh", a); }); return;
      case Op::Sigmoid:
        elementwise([&](Value* a) { return div_(one(), add_(one(), libm("exp", neg_(a)))); });
        return;
      case Op::MatMul: {
        const ir::Shape& sa = g_.nodes[operand(0)].shape;
        const ir::Shape& sb = g_.nodes[operand(1)].shape;
        int64_t m = sa[0], k = sa[1], cols = sb.size() == 2 ? sb[1] : 1;
        // Rows in groups of kRows: each element of the right operand is loaded
        // once per group and feeds kRows independent accumulators.
        int64_t rows = vectorMode_ && m >= kRows ? kRows : 1;
        auto rowGroup = [&](Value* i0, int64_t count) {
          loop(cols, [&](Value* j) {
            std::vector<Value*> inits(size_t(count), zero());
            std::vector<Value*> accs = reduceN(k, inits, [&](Value* l, const std::vector<Value*>& acc) {
              Value* c = load(operand(1), b_.CreateAdd(b_.CreateMul(l, c64(cols)), j));
              std::vector<Value*> next;
              for (int64_t r = 0; r < count; ++r) {
                Value* i = b_.CreateAdd(i0, c64(r));
                Value* a = load(operand(0), b_.CreateAdd(b_.CreateMul(i, c64(k)), l));
                next.push_back(add_(acc[size_t(r)], mul_(a, c)));
              }
              return next;
            });
            for (int64_t r = 0; r < count; ++r)
              store(id, b_.CreateAdd(b_.CreateMul(b_.CreateAdd(i0, c64(r)), c64(cols)), j), accs[size_t(r)]);
          });
        };
        loop(m / rows, [&](Value* g) { rowGroup(b_.CreateMul(g, c64(rows)), rows); });
        loop(m % rows, [&](Value* r) { rowGroup(b_.CreateAdd(c64(m - m % rows), r), 1); });
        return;
      }
      case Op::Transpose: {
        const ir::Shape& s = g_.nodes[operand(0)].shape;
        loop(s[0], [&](Value* i) {
          loop(s[1], [&](Value* j) {
            store(id, b_.CreateAdd(b_.CreateMul(j, c64(s[0])), i), load(operand(0), b_.CreateAdd(b_.CreateMul(i, c64(s[1])), j)));
          });
        });
        return;
      }
      case Op::Conv1d: {
        int64_t k = g_.nodes[operand(0)].shape[0], stride = n.attr, dilation = n.attr2;
        loop(size, [&](Value* i) {
          Value* base = b_.CreateMul(i, c64(stride));
          Value* acc = reduce(k, zero(), [&](Value* t, Value* acc) {
            Value* at = b_.CreateAdd(base, b_.CreateMul(t, c64(dilation)));
            return add_(acc, mul_(load(operand(0), t), load(operand(1), at)));
          });
          store(id, i, acc);
        });
        return;
      }
      case Op::Sum: {
        int64_t count = ir::numElements(g_.nodes[operand(0)].shape);
        store(id, c64(0), reduce(count, zero(), [&](Value* e, Value* acc) { return add_(acc, load(operand(0), e)); }));
        return;
      }
      case Op::Dot: {
        int64_t count = g_.nodes[operand(0)].shape[0];
        store(id, c64(0), reduce(count, zero(), [&](Value* e, Value* acc) {
          return add_(acc, mul_(load(operand(0), e), load(operand(1), e)));
        }));
        return;
      }
      case Op::Outer: {
        int64_t rows = n.shape[0], cols = n.shape[1];
        loop(rows, [&](Value* i) {
          loop(cols, [&](Value* j) {
            store(id, b_.CreateAdd(b_.CreateMul(i, c64(cols)), j), mul_(load(operand(0), i), load(operand(1), j)));
          });
        });
        return;
      }
      case Op::Concat: {
        int64_t offset = 0;
        for (NodeId part : n.operands) {
          int64_t count = ir::numElements(g_.nodes[part].shape);
          int64_t at = offset;
          loop(count, [&](Value* e) { store(id, b_.CreateAdd(c64(at), e), load(part, e)); });
          offset += count;
        }
        return;
      }
      case Op::Index: {
        const ir::Shape& s = g_.nodes[operand(0)].shape;
        int64_t offset = 0, stride = size;
        for (size_t d = n.indices.size(); d-- > 0;) {
          offset += n.indices[d] * stride;
          stride *= s[d];
        }
        loop(size, [&](Value* e) { store(id, e, load(operand(0), b_.CreateAdd(c64(offset), e))); });
        return;
      }
    }
    NAG_UNREACHABLE("unhandled op in codegen");
  }

  // ---- moving samples in and out of lanes

  void ifElse(Value* cond, const std::function<void()>& then, const std::function<void()>& otherwise) {
    Function* f = b_.GetInsertBlock()->getParent();
    BasicBlock* t = BasicBlock::Create(ctx_, "then", f);
    BasicBlock* e = BasicBlock::Create(ctx_, "else", f);
    BasicBlock* join = BasicBlock::Create(ctx_, "join", f);
    b_.CreateCondBr(cond, t, e);
    b_.SetInsertPoint(t);
    then();
    b_.CreateBr(join);
    b_.SetInsertPoint(e);
    otherwise();
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
  }

  // rows[r] (8 vectors of 8) -> columns: out[e][r] = rows[r][e].
  std::vector<Value*> transpose8(const std::vector<Value*>& v) {
    auto shuffle = [&](Value* a, Value* c, std::initializer_list<int> mask) {
      return b_.CreateShuffleVector(a, c, ArrayRef<int>(mask));
    };
    std::vector<Value*> lo(4), hi(4), a(8), out(8);
    for (int k = 0; k < 4; ++k) {
      lo[k] = shuffle(v[2 * k], v[2 * k + 1], {0, 8, 2, 10, 4, 12, 6, 14});
      hi[k] = shuffle(v[2 * k], v[2 * k + 1], {1, 9, 3, 11, 5, 13, 7, 15});
    }
    // a[0..3]: elements {0,4}, {2,6}, {1,5}, {3,7} of rows 0-3; a[4..7]: of rows 4-7.
    for (int h = 0; h < 2; ++h) {
      a[4 * h + 0] = shuffle(lo[2 * h], lo[2 * h + 1], {0, 1, 8, 9, 4, 5, 12, 13});
      a[4 * h + 1] = shuffle(lo[2 * h], lo[2 * h + 1], {2, 3, 10, 11, 6, 7, 14, 15});
      a[4 * h + 2] = shuffle(hi[2 * h], hi[2 * h + 1], {0, 1, 8, 9, 4, 5, 12, 13});
      a[4 * h + 3] = shuffle(hi[2 * h], hi[2 * h + 1], {2, 3, 10, 11, 6, 7, 14, 15});
    }
    const int element[4][2] = {{0, 4}, {2, 6}, {1, 5}, {3, 7}};
    for (int q = 0; q < 4; ++q) {
      out[size_t(element[q][0])] = shuffle(a[size_t(q)], a[size_t(4 + q)], {0, 1, 2, 3, 8, 9, 10, 11});
      out[size_t(element[q][1])] = shuffle(a[size_t(q)], a[size_t(4 + q)], {4, 5, 6, 7, 12, 13, 14, 15});
    }
    return out;
  }

  // Per-sample data (inputs, per-sample arguments) of samples first.. into
  // lane slots. `valid` null: a full block (8x8 tiles where they fit); else
  // only `valid` lanes are real and the others repeat the first sample.
  void gatherInputs(Value* x, Value* first, Value* valid) {
    int64_t inSize = g_.inputCount();
    for (NodeId id = 0; id < g_.nodes.size(); ++id) {
      const ir::Node& n = g_.nodes[id];
      if (n.op == Op::Input)
        gather(id, x, inSize, g_.inputs[size_t(n.attr)].offset, first, valid);
      else if (n.op == Op::Aux && g_.aux[size_t(n.attr)].perSample)
        gather(id, aux_[n.attr], ir::numElements(n.shape), 0, first, valid);
    }
  }

  void gather(NodeId id, Value* base, int64_t rowSize, int64_t offset, Value* first, Value* valid) {
    auto* v8 = FixedVectorType::get(mem_, 8);
    int64_t count = ir::numElements(g_.nodes[id].shape);
    Value* slot = b_.CreateGEP(mem_, work_, c64(layout_.slot[id] * lanes_));
    int64_t tiled = valid == nullptr && dom_->transposable() && lanes_ % 8 == 0 ? count / 8 * 8 : 0;
    if (tiled > 0) {
      loop(lanes_ / 8, [&](Value* group) {
        loop(tiled / 8, [&](Value* chunk) {
          std::vector<Value*> rows;
          for (int r = 0; r < 8; ++r) {
            Value* sample = b_.CreateAdd(first, b_.CreateAdd(b_.CreateMul(group, c64(8)), c64(r)));
            Value* at = b_.CreateAdd(b_.CreateAdd(b_.CreateMul(sample, c64(rowSize)), c64(offset)), b_.CreateMul(chunk, c64(8)));
            rows.push_back(dom_->enter(b_.CreateAlignedLoad(v8, b_.CreateGEP(mem_, base, at), Align(uint64_t(bytes_)))));
          }
          std::vector<Value*> cols = transpose8(rows);
          for (int e = 0; e < 8; ++e) {
            Value* element = b_.CreateAdd(b_.CreateMul(chunk, c64(8)), c64(e));
            Value* at = b_.CreateAdd(b_.CreateMul(element, c64(lanes_)), b_.CreateMul(group, c64(8)));
            b_.CreateAlignedStore(cols[size_t(e)], b_.CreateGEP(mem_, slot, at), Align(uint64_t(bytes_)));
          }
        });
      });
    }
    if (tiled == count) return;
    if (valid == nullptr && dom_->transposable() && lanes_ % 8 == 0 && tiled == 0 && count == rowSize && offset == 0 &&
        count < 8) {
      // Short rows that are the whole sample (an input of 3 values, a target of 1): 8 samples are 8·count numbers in
      // a row, one load, and element e's lanes are every count-th of them (one shuffle each).
      auto* wide = FixedVectorType::get(mem_, unsigned(8 * count));
      loop(lanes_ / 8, [&](Value* group) {
        Value* at = b_.CreateMul(b_.CreateAdd(first, b_.CreateMul(group, c64(8))), c64(rowSize));
        Value* all = b_.CreateAlignedLoad(wide, b_.CreateGEP(mem_, base, at), Align(uint64_t(bytes_)));
        for (int64_t e = 0; e < count; ++e) {
          std::vector<int> mask;
          for (int64_t k = 0; k < 8; ++k) mask.push_back(int(e + k * count));
          Value* lanes8 = count == 1 ? all : b_.CreateShuffleVector(all, mask);
          Value* to = b_.CreateAdd(c64(e * lanes_), b_.CreateMul(group, c64(8)));
          b_.CreateAlignedStore(dom_->enter(lanes8), b_.CreateGEP(mem_, slot, to), Align(uint64_t(bytes_)));
        }
      });
      return;
    }
    loop(lanes_, [&](Value* lane) {
      Value* in = valid ? b_.CreateICmpSLT(lane, valid) : ConstantInt::getTrue(ctx_);
      // Missing lanes repeat the block's first sample: they compute what a
      // real sample computes (no spurious division by zero) and are never
      // written back.
      Value* sample = b_.CreateSelect(in, b_.CreateAdd(first, lane), first);
      Value* row = b_.CreateAdd(b_.CreateMul(sample, c64(rowSize)), c64(offset));
      noVectorize(loop(count - tiled, [&](Value* r) {
        Value* e = b_.CreateAdd(c64(tiled), r);
        Value* v = dom_->enter(dom_->loadNumber(base, b_.CreateAdd(row, e)));
        dom_->storeLane(work_, b_.CreateAdd(c64(layout_.slot[id]), e), lane, v);
      }));
    });
  }

  // The output lanes (of the current seed) back to the rows of y, where the
  // result of seed s, element e goes to s * seedStride + e * elemStride.
  void scatterOutput(Value* y, Value* first, Value* valid) {
    const ir::OutputLayout& lay = g_.layout;
    NodeId out = g_.output;
    int64_t outSize = ir::numElements(g_.nodes[out].shape);
    Value* seedBase = seed_ ? b_.CreateMul(seed_, c64(lay.seedStride)) : c64(0);
    auto rowOf = [&](Value* lane) {  // the index of the row's first number in y
      Value* sample = b_.CreateAdd(first, lane);
      return b_.CreateAdd(b_.CreateMul(sample, c64(lay.rowSize)), seedBase);
    };
    if (!varying(out) || g_.nodes[out].op == Op::Seed) {  // the same for every sample (a seed has no slot)
      range(c64(0), valid ? valid : c64(lanes_), [&](Value* lane) {
        Value* row = rowOf(lane);
        vectorMode_ = false;
        noVectorize(loop(outSize, [&](Value* e) {
          dom_->storeNumber(y, b_.CreateAdd(row, b_.CreateMul(e, c64(lay.elemStride))), dom_->leave(load(out, e)));
        }));
        vectorMode_ = true;
      });
      return;
    }
    auto* v8 = FixedVectorType::get(mem_, 8);
    Value* slot = b_.CreateGEP(mem_, work_, c64(layout_.slot[out] * lanes_));
    int64_t tiled = valid == nullptr && dom_->transposable() && lanes_ % 8 == 0 && lay.elemStride == 1 ? outSize / 8 * 8 : 0;
    if (tiled > 0) {
      loop(lanes_ / 8, [&](Value* group) {
        loop(tiled / 8, [&](Value* chunk) {
          std::vector<Value*> cols;
          for (int e = 0; e < 8; ++e) {
            Value* element = b_.CreateAdd(b_.CreateMul(chunk, c64(8)), c64(e));
            Value* at = b_.CreateAdd(b_.CreateMul(element, c64(lanes_)), b_.CreateMul(group, c64(8)));
            cols.push_back(dom_->leave(b_.CreateAlignedLoad(v8, b_.CreateGEP(mem_, slot, at), Align(uint64_t(bytes_)))));
          }
          std::vector<Value*> rows = transpose8(cols);
          for (int r = 0; r < 8; ++r) {
            Value* row = rowOf(b_.CreateAdd(b_.CreateMul(group, c64(8)), c64(r)));
            b_.CreateAlignedStore(rows[size_t(r)], b_.CreateGEP(mem_, y, b_.CreateAdd(row, b_.CreateMul(chunk, c64(8)))),
                                  Align(uint64_t(bytes_)));
          }
        });
      });
    }
    if (tiled == outSize) return;
    auto body = [&](Value* lane) {
      Value* row = rowOf(lane);
      noVectorize(loop(outSize - tiled, [&](Value* r) {
        Value* e = b_.CreateAdd(c64(tiled), r);
        Value* v = dom_->loadLane(work_, b_.CreateAdd(c64(layout_.slot[out]), e), lane);
        dom_->storeNumber(y, b_.CreateAdd(row, b_.CreateMul(e, c64(lay.elemStride))), dom_->leave(v));
      }));
    };
    if (valid)
      range(c64(0), valid, body);
    else
      noVectorize(loop(lanes_, body));
  }

  // ---- functions

  // void block(ctx, begin, end): blocks [begin, end) of L samples each.
  Function* emitBlockFunction() {
    auto* fty = FunctionType::get(Type::getVoidTy(ctx_), {ptr_, i64_, i64_}, false);
    Function* f = Function::Create(fty, GlobalValue::InternalLinkage, symbol_ + "_block", m_);
    b_.SetInsertPoint(BasicBlock::Create(ctx_, "entry", f));
    Value* ctx = f->getArg(0);
    auto field = [&](unsigned k, Type* t) { return b_.CreateLoad(t, b_.CreateStructGEP(ctxTy_, ctx, k)); };
    theta_ = field(0, ptr_);
    Value* x = field(1, ptr_);
    aux_[0] = field(2, ptr_);
    aux_[1] = field(3, ptr_);
    Value* y = field(4, ptr_);
    Value* batch = field(5, i64_);
    uniform_ = field(6, ptr_);
    modCtx_ = field(7, ptr_);
    dom_->setModulus(modCtx_);
    int64_t workBytes = std::max<int64_t>(layout_.varyingVectors, 1) * lanes_ * bytes_;
    work_ = b_.CreateCall(runtime("nagrt_alloc", ptr_, {i64_}), {c64(workBytes)});
    vectorMode_ = true;
    const bool summed = g_.layout.sumSamples;
    const int64_t outSize = ir::numElements(g_.nodes[g_.output].shape);
    Value* sums = nullptr;  // summed: one vector of lane-wise partial sums per output element
    if (summed) {
      NAG_ASSERT(real_ && g_.layout.seeds == 1, "sums over samples are real and unseeded");
      sums = b_.CreateCall(runtime("nagrt_alloc", ptr_, {i64_}), {c64(outSize * lanes_ * bytes_)});
      loop(outSize, [&](Value* e) { b_.CreateAlignedStore(zero(), b_.CreateGEP(vec_, sums, e), vectorAlign()); });
    }

    range(f->getArg(1), f->getArg(2), [&](Value* blk) {
      Value* first = b_.CreateMul(blk, c64(lanes_));
      Value* valid = b_.CreateSub(batch, first);
      valid = b_.CreateSelect(b_.CreateICmpSLT(valid, c64(lanes_)), valid, c64(lanes_));
      Value* full = b_.CreateICmpEQ(valid, c64(lanes_));
      // Samples into lanes: full blocks move 8x8 tiles through registers; the
      // last, partial block goes value by value with zeros in missing lanes.
      ifElse(full, [&] { gatherInputs(x, first, nullptr); }, [&] { gatherInputs(x, first, valid); });
      std::vector<NodeId> parts = outputParts();
      bool assembled = parts.size() == 1 && parts[0] == g_.output;
      for (NodeId id = 0; id < g_.nodes.size(); ++id)
        if (layout_.level[id] == kVarying && (assembled || id != g_.output)) emitNode(id);
      // Then, once per seed (once when there is no seed loop), the seeded
      // values and the results back to the samples' rows.
      auto perSeed = [&] {
        for (NodeId id = 0; id < g_.nodes.size(); ++id)
          if (layout_.level[id] == kSeeded) emitNode(id);
        if (summed)
          addToSums(sums, valid);
        else
          ifElse(full, [&] { scatterOutput(y, first, nullptr); }, [&] { scatterOutput(y, first, valid); });
      };
      if (g_.layout.seeds > 1 || hasSeed()) {
        loop(g_.layout.seeds, [&](Value* s) {
          seed_ = s;
          perSeed();
        });
        seed_ = nullptr;
      } else {
        perSeed();
      }
    });
    if (summed) {
      // The lanes' partial sums, each added up in lane order (an ordered reduction: no reassociation).
      loop(outSize, [&](Value* e) {
        Value* lanes = b_.CreateAlignedLoad(vec_, b_.CreateGEP(vec_, sums, e), vectorAlign());
        dom_->storeNumber(y, e, b_.CreateFAddReduce(dom_->zero(false), lanes));
      });
      b_.CreateCall(runtime("nagrt_free", Type::getVoidTy(ctx_), {ptr_}), {sums});
    }
    b_.CreateCall(runtime("nagrt_free", Type::getVoidTy(ctx_), {ptr_}), {work_});
    b_.CreateRetVoid();
    vectorMode_ = false;
    return f;
  }

  // sums[e] += the output's element e in the block's valid lanes (the missing lanes of a partial block repeat its
  // first sample and add nothing).
  // An output that is a concatenation is read from its parts (it is never assembled: see outputParts).
  void addToSums(Value* sums, Value* valid) {
    std::vector<Constant*> index;
    for (unsigned lane = 0; lane < lanes_; ++lane) index.push_back(ConstantInt::get(i64_, lane));
    Value* mask = b_.CreateICmpULT(ConstantVector::get(index), b_.CreateVectorSplat(lanes_, valid));
    int64_t offset = 0;
    for (NodeId part : outputParts()) {
      int64_t at = offset;
      loop(ir::numElements(g_.nodes[part].shape), [&](Value* e) {
        Value* to = b_.CreateGEP(vec_, sums, b_.CreateAdd(c64(at), e));
        Value* v = b_.CreateSelect(mask, load(part, e), zero());
        b_.CreateAlignedStore(add_(b_.CreateAlignedLoad(vec_, to, vectorAlign()), v), to, vectorAlign());
      });
      offset += ir::numElements(g_.nodes[part].shape);
    }
  }

  // What a summed output is added up from: the parts of a concatenation (so it need not be assembled), or itself.
  std::vector<NodeId> outputParts() const {
    const ir::Node& out = g_.nodes[g_.output];
    if (g_.layout.sumSamples && out.op == Op::Concat && varying(g_.output)) return out.operands;
    return {g_.output};
  }

  bool hasSeed() const {
    for (const ir::Node& n : g_.nodes)
      if (n.op == Op::Seed) return true;
    return false;
  }

  // eval: void SYMBOL(theta, x, y, batch); derived functions take the extra
  // arguments too: void SYMBOL(theta, x, a, b, y, batch).
  void emitEntryFunction(Function* block) {
    bool derived = derived_;
    std::vector<Type*> params = derived ? std::vector<Type*>{ptr_, ptr_, ptr_, ptr_, ptr_, i64_}
                                        : std::vector<Type*>{ptr_, ptr_, ptr_, i64_};
    if (dom_->takesModulus()) params.push_back(ptr_);  // const nag_modulus*
    auto* fty = FunctionType::get(Type::getVoidTy(ctx_), params, false);
    Function* f = Function::Create(fty, GlobalValue::ExternalLinkage, symbol_, m_);
    BasicBlock* entry = BasicBlock::Create(ctx_, "entry", f);
    BasicBlock* body = BasicBlock::Create(ctx_, "body", f);
    BasicBlock* done = BasicBlock::Create(ctx_, "done", f);
    b_.SetInsertPoint(entry);
    if (dom_->takesModulus()) {
      // A modulus the domain cannot compute with (a _mod32 kernel given p >= 2^31) computes nothing and sets
      // `vanished` to -1: never a silent wrong residue.
      Value* modulus = f->getArg(derived ? 6 : 4);
      dom_->setModulus(modulus);
      if (Value* bad = dom_->refusesModulus()) {
        BasicBlock* refuse = BasicBlock::Create(ctx_, "refuse", f);
        BasicBlock* accepted = BasicBlock::Create(ctx_, "modulus_ok", f);
        b_.CreateCondBr(bad, refuse, accepted);
        b_.SetInsertPoint(refuse);
        b_.CreateStore(c64(-1), b_.CreateGEP(i64_, modulus, c64(4)));
        b_.CreateBr(done);
        b_.SetInsertPoint(accepted);
      }
    }
    Value* batch = f->getArg(derived ? 5 : 3);
    b_.CreateCondBr(b_.CreateICmpSGT(batch, c64(0)), body, done);
    b_.SetInsertPoint(body);
    theta_ = f->getArg(0);
    Value* x = f->getArg(1);
    Value* null = ConstantPointerNull::get(ptr_);
    aux_[0] = derived ? f->getArg(2) : null;
    aux_[1] = derived ? f->getArg(3) : null;
    Value* y = f->getArg(derived ? 4 : 2);
    modCtx_ = dom_->takesModulus() ? f->getArg(derived ? 6 : 4) : static_cast<Value*>(null);
    dom_->setModulus(modCtx_);
    uniform_ = b_.CreateCall(runtime("nagrt_alloc", ptr_, {i64_}), {c64(std::max<int64_t>(layout_.uniformElements, 1) * bytes_)});
    vectorMode_ = false;
    for (NodeId id = 0; id < g_.nodes.size(); ++id)
      if (layout_.level[id] == kUniform) emitNode(id);
    Value* ctx = b_.CreateAlloca(ctxTy_);
    Value* fields[] = {theta_, x, aux_[0], aux_[1], y, batch, uniform_, modCtx_};
    for (unsigned k = 0; k < 8; ++k) b_.CreateStore(fields[k], b_.CreateStructGEP(ctxTy_, ctx, k));
    Value* blocks = b_.CreateUDiv(b_.CreateAdd(batch, c64(lanes_ - 1)), c64(lanes_));
    if (g_.layout.sumSamples) {  // one sum: on this thread, in block order (callers split large batches)
      b_.CreateCall(block->getFunctionType(), block, {ctx, c64(0), blocks});
    } else {
      // A call with less work than a thread's wake-up and wait (a few blocks of a small network, as the path
      // tracker makes millions of) runs on the calling thread: handing it to the pool cost cnn3's monodromy
      // more in futex waits than the work itself (2.9 s against 0.5 s on one thread).
      BasicBlock* serial = BasicBlock::Create(ctx_, "serial", f);
      BasicBlock* parallel = BasicBlock::Create(ctx_, "parallel", f);
      BasicBlock* joined = BasicBlock::Create(ctx_, "joined", f);
      b_.CreateCondBr(b_.CreateICmpULT(blocks, c64(serialBlocks())), serial, parallel);
      b_.SetInsertPoint(serial);
      b_.CreateCall(block->getFunctionType(), block, {ctx, c64(0), blocks});
      b_.CreateBr(joined);
      b_.SetInsertPoint(parallel);
      b_.CreateCall(runtime("nagrt_parallel_for", Type::getVoidTy(ctx_), {i64_, ptr_, ptr_}), {blocks, block, ctx});
      b_.CreateBr(joined);
      b_.SetInsertPoint(joined);
    }
    b_.CreateCall(runtime("nagrt_free", Type::getVoidTy(ctx_), {ptr_}), {uniform_});
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    b_.CreateRetVoid();
  }
};

}  // namespace

void emitFunction(Module& m, const ir::Graph& g, const Options& o, const std::string& symbol, bool derived) {
  Emitter(m, g, o, symbol, derived).emit();
}

}  // namespace nag::codegen
