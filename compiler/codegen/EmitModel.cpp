// EmitModel.cpp — the nag_model descriptor (nag_runtime.h) as constant data, and main().
#include "codegen/Emit.h"

#include "ir/Serialize.h"
#include "support/InternalError.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>

namespace nag::codegen {

using namespace llvm;

namespace {

class ModelEmitter {
public:
  ModelEmitter(Module& m) : m_(m), ctx_(m.getContext()) {
    i32_ = Type::getInt32Ty(ctx_);
    i64_ = Type::getInt64Ty(ctx_);
    ptr_ = PointerType::getUnqual(ctx_);
    // The structs of nag_runtime.h, field by field (natural C layout).
    tensorTy_ = StructType::get(ctx_, {ptr_, i32_, ptr_, i64_, i64_});
    argTy_ = StructType::get(ctx_, {ptr_, ptr_, i32_});
    symTy_ = StructType::get(ctx_, {ptr_, i64_});
    auto* pair64 = ArrayType::get(i64_, 2);
    auto* pair32 = ArrayType::get(i32_, 2);
    fnTy_ = StructType::get(ctx_, {ptr_, ptr_, ptr_, i64_, i32_, pair64, pair32});
    genTy_ = StructType::get(ctx_, {i32_, i64_, ptr_});
    modelTy_ = StructType::get(ctx_, {i32_, ptr_, ptr_, i32_, ptr_, i32_, ptr_, i64_, tensorTy_, i32_, ptr_, i64_, ptr_,
                                      i64_, i64_, ptr_, i32_, ptr_, i64_, ptr_, ptr_, i32_, i32_, i32_, ptr_, ptr_, ptr_, ptr_, ptr_,
                                      ptr_, i64_, i64_, i64_, ptr_, i32_, i64_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_, i32_, ptr_, ptr_, ptr_});
  }

  // eval_mod/jac_theta_mod of the descriptor: the R = 2^64 kernel, or the R = 2^32 one when that is all there is
  // (modular_prime_bits says which primes they take).
  Constant* wideOrNarrow(const ir::Graph& g, const std::string& fn) {
    if (Function* wide = m_.getFunction(suffixedSymbol(g, fn, "mod"))) return wide;
    return orNull(m_.getFunction(suffixedSymbol(g, fn, "mod32")));
  }

  void emit(const ir::Graph& g, const ir::ModelDescription& d, const Options& o, bool withMain) {
    std::vector<Constant*> args, inputs, params, syms, fns;
    for (const ir::DerivedFunction& f : d.derived) {
      if (f.graph.layout.sumSamples) continue;  // not per sample: a field of its own (loss_grad_theta)
      Function* fn = m_.getFunction(functionSymbol(g, f.name));
      NAG_ASSERT(fn, "derived functions are emitted before the descriptor");
      uint64_t sizes[2] = {0, 0};
      uint32_t perSample[2] = {0, 0};
      for (size_t k = 0; k < f.graph.aux.size() && k < 2; ++k) {
        sizes[k] = uint64_t(ir::numElements(f.graph.aux[k].shape));
        perSample[k] = f.graph.aux[k].perSample;
      }
      fns.push_back(ConstantStruct::get(
          fnTy_, {str(f.name), str(f.mode), fn, ConstantInt::get(i64_, uint64_t(f.graph.layout.rowSize)),
                  ConstantInt::get(i32_, f.graph.aux.size()),
                  ConstantDataArray::get(ctx_, ArrayRef<uint64_t>(sizes, 2)),
                  ConstantDataArray::get(ctx_, ArrayRef<uint32_t>(perSample, 2))}));
    }
    for (const ir::ArgInfo& a : g.args)
      args.push_back(ConstantStruct::get(argTy_, {str(a.name), str(a.value), ConstantInt::get(i32_, a.overridden)}));
    for (const ir::InputInfo& in : g.inputs) inputs.push_back(tensor(in.name, in.shape, in.offset));
    for (const ir::ParamInfo& p : g.params) params.push_back(tensor(p.path, p.shape, p.offset));
    for (const ir::Symmetry& s : d.symmetries)
      syms.push_back(ConstantStruct::get(symTy_, {str(s.description), ConstantInt::get(i64_, uint64_t(s.dimension))}));
    std::vector<Constant*> gens;
    for (size_t si = 0; si < d.symmetries.size(); ++si)
      for (const ir::Generator& gen : d.symmetries[si].generators) {
        std::vector<uint64_t> terms;
        terms.reserve(gen.size() * 3);
        for (const ir::GeneratorTerm& t : gen) {
          terms.push_back(uint64_t(t.row));
          terms.push_back(uint64_t(t.col));
          terms.push_back(uint64_t(t.coeff));
        }
        Constant* data = ConstantPointerNull::get(ptr_);
        if (!terms.empty()) {
          auto* init = ConstantDataArray::get(ctx_, terms);
          data = new GlobalVariable(m_, init->getType(), true, GlobalValue::PrivateLinkage, init, "generator");
        }
        gens.push_back(ConstantStruct::get(genTy_, {ConstantInt::get(i32_, si), ConstantInt::get(i64_, gen.size()), data}));
      }
    std::string degrees;
    for (int64_t k : d.cls.degreeSet) degrees += (degrees.empty() ? "" : ",") + std::to_string(k);
    bool poly = d.cls.cls == ir::AlgebraicClass::Polynomial;
    Function* eval = m_.getFunction(evalSymbol(g));
    NAG_ASSERT(eval, "the eval function is emitted before the descriptor");
    Constant* fields[] = {
        ConstantInt::get(i32_, 7),  // NAG_ABI_VERSION
        str(g.name),
        str(d.source),
        ConstantInt::get(i32_, args.size()),
        array(argTy_, args, "args"),
        ConstantInt::get(i32_, inputs.size()),
        array(tensorTy_, inputs, "inputs"),
        ConstantInt::get(i64_, uint64_t(g.inputCount())),
        tensor("output", g.node(g.output).shape, 0),
        ConstantInt::get(i32_, params.size()),
        array(tensorTy_, params, "params"),
        ConstantInt::get(i64_, uint64_t(g.paramCount())),
        str(ir::toString(d.cls.cls)),
        ConstantInt::get(i64_, uint64_t(d.cls.degree)),
        ConstantInt::get(i64_, uint64_t(d.cls.minDegree)),
        str(d.ambientDimension),
        ConstantInt::get(i32_, syms.size()),
        array(symTy_, syms, "symmetries"),
        ConstantInt::get(i64_, uint64_t(d.symmetryDimension)),
        str(d.expectedDimension),
        eval,
        ConstantInt::get(i32_, o.lanes),
        ConstantInt::get(i32_, o.precision == Precision::F32 ? 32 : 64),
        ConstantInt::get(i32_, fns.size()),
        array(fnTy_, fns, "functions"),
        wideOrNarrow(g, "eval"),
        wideOrNarrow(g, "jac_theta"),
        str(reason(d)),
        str(ir::serialize(g)),
        str(poly ? degrees : ""),
        ConstantInt::get(i64_, uint64_t(poly ? d.cls.thetaDegree : -1)),
        ConstantInt::get(i64_, uint64_t(poly ? d.cls.totalDegree : -1)),
        ConstantInt::get(i64_, uint64_t(d.linearRank)),
        str(d.linearRankBound),
        ConstantInt::get(i32_, d.affine ? 1 : 0),
        ConstantInt::get(i64_, gens.size()),
        array(genTy_, gens, "generators"),
        orNull(m_.getFunction(suffixedSymbol(g, "eval", "complex"))),
        orNull(m_.getFunction(suffixedSymbol(g, "jac_theta", "complex"))),
        orNull(m_.getFunction(suffixedSymbol(g, "hess_theta", "complex"))),
        orNull(m_.getFunction(suffixedSymbol(g, "eval", "mod32"))),
        orNull(m_.getFunction(suffixedSymbol(g, "jac_theta", "mod32"))),
        ConstantInt::get(i32_, m_.getFunction(suffixedSymbol(g, "eval", "mod")) ? 62 : 31),
        orNull(m_.getFunction(functionSymbol(g, "loss_grad_theta"))),
        str(o.kernels),
        str(d.inputMatrix),
    };
    auto* model = new GlobalVariable(m_, modelTy_, true, GlobalValue::PrivateLinkage,
                                     ConstantStruct::get(modelTy_, fields), "nag_model");
    // const nag_model* nag_NAME_model(void)
    Function* get = Function::Create(FunctionType::get(ptr_, false), GlobalValue::ExternalLinkage, modelSymbol(g), m_);
    IRBuilder<> b(BasicBlock::Create(ctx_, "entry", get));
    b.CreateRet(model);
    // The same under a fixed name, for loaders that open one library at a
    // time (Python's ctypes): const nag_model* nag_library_model(void).
    Function* fixed = Function::Create(FunctionType::get(ptr_, false), GlobalValue::ExternalLinkage, "nag_library_model", m_);
    IRBuilder<> fb(BasicBlock::Create(ctx_, "entry", fixed));
    fb.CreateRet(model);
    if (!withMain) return;
    // int main(int argc, char** argv) { return nagrt_main(nag_NAME_model(), argc, argv); }
    Function* main = Function::Create(FunctionType::get(i32_, {i32_, ptr_}, false), GlobalValue::ExternalLinkage, "main", m_);
    FunctionCallee run = m_.getOrInsertFunction("nagrt_main", FunctionType::get(i32_, {ptr_, i32_, ptr_}, false));
    IRBuilder<> mb(BasicBlock::Create(ctx_, "entry", main));
    mb.CreateRet(mb.CreateCall(run, {model, main->getArg(0), main->getArg(1)}));
  }

private:
  Module& m_;
  LLVMContext& ctx_;
  Type* i32_;
  Type* i64_;
  PointerType* ptr_;
  StructType* tensorTy_;
  StructType* argTy_;
  StructType* symTy_;
  StructType* genTy_;
  StructType* modelTy_;
  StructType* fnTy_;

  Constant* orNull(Function* f) { return f ? static_cast<Constant*>(f) : ConstantPointerNull::get(ptr_); }

  // Why a network is not polynomial, for messages ("relu at relu.nag:9:19").
  static std::string reason(const ir::ModelDescription& d) {
    if (d.cls.cls == ir::AlgebraicClass::Polynomial) return "";
    return std::string(ir::spelling(d.cls.culprit)) + (d.culpritPlace.empty() ? "" : " at " + d.culpritPlace);
  }

  Constant* str(const std::string& s) {
    auto* init = ConstantDataArray::getString(ctx_, s, true);
    auto* gv = new GlobalVariable(m_, init->getType(), true, GlobalValue::PrivateLinkage, init, "str");
    gv->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    return gv;
  }

  Constant* array(StructType* elem, const std::vector<Constant*>& items, const char* name) {
    if (items.empty()) return ConstantPointerNull::get(ptr_);
    auto* ty = ArrayType::get(elem, items.size());
    return new GlobalVariable(m_, ty, true, GlobalValue::PrivateLinkage, ConstantArray::get(ty, items), name);
  }

  Constant* tensor(const std::string& name, const ir::Shape& shape, int64_t offset) {
    std::vector<uint64_t> dims(shape.begin(), shape.end());
    Constant* shapePtr = ConstantPointerNull::get(ptr_);
    if (!dims.empty()) {
      auto* init = ConstantDataArray::get(ctx_, dims);
      shapePtr = new GlobalVariable(m_, init->getType(), true, GlobalValue::PrivateLinkage, init, "shape");
    }
    return ConstantStruct::get(tensorTy_, {str(name), ConstantInt::get(i32_, shape.size()), shapePtr,
                                           ConstantInt::get(i64_, uint64_t(offset)),
                                           ConstantInt::get(i64_, uint64_t(ir::numElements(shape)))});
  }
};

}  // namespace

void emitModel(Module& m, const ir::Graph& g, const ir::ModelDescription& d, const Options& o, bool withMain) {
  ModelEmitter(m).emit(g, d, o, withMain);
}

std::unique_ptr<Module> buildModule(LLVMContext& ctx, const ir::Graph& g, const ir::ModelDescription& d,
                                    const Options& given, bool withMain) {
  Options o = given;
  if (o.lanes == 0) o.lanes = defaultLanes(o);
  // The exact and complex kernels compute in 64-bit words whatever eval's precision.
  Options wide = given;
  wide.precision = Precision::F64;
  unsigned wideLanes = given.lanes != 0 ? given.lanes : defaultLanes(wide);
  auto m = std::make_unique<Module>(g.name, ctx);
  emitFunction(*m, g, o, evalSymbol(g), false);
  for (const ir::DerivedFunction& f : d.derived) emitFunction(*m, f.graph, o, functionSymbol(g, f.name), true);
  // Algebraic networks also get f and its θ-Jacobian in exact arithmetic mod
  // p (the dimension report) and in complex doubles (the path tracker).
  auto emitAlso = [&](NumberDomain domain, unsigned lanes, const char* suffix, std::vector<std::string> derived) {
    Options other = o;
    other.domain = domain;
    other.precision = Precision::F64;
    other.lanes = lanes;
    emitFunction(*m, g, other, suffixedSymbol(g, "eval", suffix), false);
    for (const ir::DerivedFunction& f : d.derived)
      if (std::find(derived.begin(), derived.end(), f.name) != derived.end())
        emitFunction(*m, f.graph, other, suffixedSymbol(g, f.name, suffix), true);
  };
  // Both modular widths: R = 2^32 for the primes below 2^31 that every
  // default run takes (fast to compile and to run), R = 2^64 for the rest.
  if (d.modularOk) {
    emitAlso(NumberDomain::Modular32, wideLanes, "mod32", {"jac_theta"});
    if (o.wideModular) emitAlso(NumberDomain::Modular, wideLanes, "mod", {"jac_theta"});
  }
  // Complex values take two vectors; the tracker's batches are small (the
  // evaluation points of one image point), so 8 lanes suffice. The Hessian
  // serves the critical-point equations (their Jacobian is second order).
  if (o.complexKernels && d.cls.cls != ir::AlgebraicClass::NonAlgebraic)
    emitAlso(NumberDomain::Complex, std::min(wideLanes, 8u), "complex", {"jac_theta", "hess_theta"});
  emitModel(*m, g, d, o, withMain);
  std::string problems;
  raw_string_ostream os(problems);
  if (verifyModule(*m, &os)) NAG_UNREACHABLE("generated LLVM IR does not verify: " + os.str());
  return m;
}

}  // namespace nag::codegen
