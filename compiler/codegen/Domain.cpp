// Domain.cpp — the three number domains of the evaluation emitter: IEEE floats, integers mod p, complex doubles.
#include "codegen/Domain.h"

#include "support/InternalError.h"

#include <llvm/IR/Module.h>
#include <mpfr.h>

namespace nag::codegen {

using namespace llvm;

namespace {

// The float or double nearest to an exact rational (round to nearest, ties
// to even), rounded once: directly from the rational at the target precision.
double nearest(const Rational& q, bool single) {
  mpfr_t f;
  mpfr_init2(f, single ? 24 : 53);
  mpfr_set_q(f, q.get_mpq_t(), MPFR_RNDN);
  double d = single ? double(mpfr_get_flt(f, MPFR_RNDN)) : mpfr_get_d(f, MPFR_RNDN);
  mpfr_clear(f);
  return d;
}

Align alignmentOf(Type* t) { return Align(t->getPrimitiveSizeInBits() / 8); }

// ---- IEEE double or float: the hardware operations (FMA contraction allowed).
class FloatDomain final : public Domain {
public:
  FloatDomain(IRBuilder<>& b, unsigned lanes, bool single)
      : Domain(b, lanes), single_(single),
        scalar_(single ? Type::getFloatTy(b.getContext()) : Type::getDoubleTy(b.getContext())),
        vector_(FixedVectorType::get(scalar_, lanes)) {}
  Type* memoryType() const override { return scalar_; }
  Type* scalarType() const override { return scalar_; }
  Type* vectorType() const override { return vector_; }
  Value* splat(Value* s) override { return b_.CreateVectorSplat(lanes_, s); }
  Value* one(bool vector) override {
    Value* s = ConstantFP::get(scalar_, 1.0);
    return vector ? splat(s) : s;
  }
  Value* constant(const Rational& q) override { return ConstantFP::get(scalar_, nearest(q, single_)); }
  std::vector<Constant*> constantData(const Rational& q) override { return {ConstantFP::get(scalar_, nearest(q, single_))}; }
  Value* add(Value* a, Value* c) override { return b_.CreateFAdd(a, c); }
  Value* sub(Value* a, Value* c) override { return b_.CreateFSub(a, c); }
  Value* neg(Value* a) override { return b_.CreateFNeg(a); }
  Value* mul(Value* a, Value* c) override { return b_.CreateFMul(a, c); }
  Value* div(Value* a, Value* c) override { return b_.CreateFDiv(a, c); }

private:
  bool single_;
  Type* scalar_;
  FixedVectorType* vector_;
};

// ---- Integers mod p in Montgomery form: residues a R mod p, p odd, so that
// a product is one multiplication and one reduction:
//   mont(a, b) = (a b + m p) / R with m = (a b mod R) (-p^-1) mod R,
// which is < 2p and needs at most one final subtraction. Two widths:
// - R = 2^64, p < 2^62: a 64x64->128 product, which vectors of i128 give
//   LLVM to legalize lane by lane (slow to compile and to run);
// - R = 2^32, p < 2^31: residues still in 64-bit words (the same memory
//   layout and runtime arrays) whose high halves are zero, so every product
//   is a 32x32->64 vector multiplication (vpmuludq), three per mont().
// The context (nag_modulus*) holds p, -p^-1 mod 2^64 (its low half is
// -p^-1 mod 2^32), R^2 mod p and R mod p for both widths.
class ModularDomain final : public Domain {
public:
  ModularDomain(Module& m, IRBuilder<>& b, unsigned lanes, bool narrow)
      : Domain(b, lanes), m_(m), i64_(b.getInt64Ty()), vector_(FixedVectorType::get(i64_, lanes)), narrow_(narrow) {}
  Type* memoryType() const override { return i64_; }
  Type* scalarType() const override { return i64_; }
  Type* vectorType() const override { return vector_; }
  bool takesModulus() const override { return true; }
  // R = 2^32 needs p < 2^31: nagrt_modulus_init leaves r32 at 0 otherwise.
  Value* refusesModulus() override { return narrow_ ? b_.CreateICmpEQ(field(5), c64(0)) : nullptr; }
  bool constantsPerCall() const override { return true; }
  Value* splat(Value* s) override { return b_.CreateVectorSplat(lanes_, s); }
  Value* one(bool vector) override { return vector ? splat(field(kOne())) : field(kOne()); }
  // Each constant num / den becomes its residue, computed by the runtime.
  Value* constant(const Rational& q) override {
    NAG_ASSERT(q.get_num().fits_slong_p() && q.get_den().fits_slong_p(),
               "modular constants fit in 64 bits (checked by the driver)");
    FunctionCallee conv = m_.getOrInsertFunction(
        narrow_ ? "nagrt_mod_rational32" : "nagrt_mod_rational", FunctionType::get(i64_, {i64_, i64_, b_.getPtrTy()}, false));
    return b_.CreateCall(conv, {c64(q.get_num().get_si()), c64(q.get_den().get_si()), modulus_});
  }
  std::vector<Constant*> constantData(const Rational&) override {
    NAG_UNREACHABLE("modular constants are computed per call");
  }
  Value* add(Value* a, Value* c) override {
    Value* p = like(a, field(0));
    Value* sum = b_.CreateAdd(a, c);
    return b_.CreateSelect(b_.CreateICmpUGE(sum, p), b_.CreateSub(sum, p), sum);
  }
  Value* sub(Value* a, Value* c) override {
    Value* diff = b_.CreateSub(a, c);
    return b_.CreateSelect(b_.CreateICmpULT(a, c), b_.CreateAdd(diff, like(a, field(0))), diff);
  }
  Value* neg(Value* a) override { return sub(Constant::getNullValue(a->getType()), a); }
  Value* mul(Value* a, Value* c) override { return montmul(a, c); }
  // a c^-1, the inverse from the runtime lane by lane (a zero denominator
  // counts in the context's `vanished` and gives 0).
  Value* div(Value* a, Value* c) override {
    FunctionCallee inv = m_.getOrInsertFunction(narrow_ ? "nagrt_mod_inverse32" : "nagrt_mod_inverse",
                                                FunctionType::get(i64_, {i64_, b_.getPtrTy()}, false));
    Value* r;
    if (auto* vt = dyn_cast<FixedVectorType>(c->getType())) {
      r = PoisonValue::get(vt);
      for (unsigned lane = 0; lane < vt->getNumElements(); ++lane)
        r = b_.CreateInsertElement(r, b_.CreateCall(inv, {b_.CreateExtractElement(c, lane), modulus_}), lane);
    } else {
      r = b_.CreateCall(inv, {c, modulus_});
    }
    return montmul(a, r);
  }
  Value* enter(Value* v) override { return montmul(v, like(v, field(kSquare()))); }
  Value* leave(Value* v) override { return montmul(v, like(v, c64(1))); }

private:
  Module& m_;
  Type* i64_;
  FixedVectorType* vector_;
  bool narrow_;

  // nag_modulus fields (runtime/include/nag_runtime.h): p, pinv, r2, r, vanished, r32, r2_32.
  unsigned kSquare() const { return narrow_ ? 6 : 2; }
  unsigned kOne() const { return narrow_ ? 5 : 3; }

  Value* field(unsigned k) { return b_.CreateLoad(i64_, b_.CreateGEP(i64_, modulus_, c64(k))); }
  Value* like(Value* v, Value* scalar) {
    if (auto* vt = dyn_cast<FixedVectorType>(v->getType())) return b_.CreateVectorSplat(vt->getNumElements(), scalar);
    return scalar;
  }
  Value* montmul(Value* a, Value* c) { return narrow_ ? montmul32(a, c) : montmul64(a, c); }
  // R = 2^32: a, c < p < 2^31 in 64-bit words. The masks tell LLVM the high
  // halves are zero, which makes each 64-bit multiplication a vpmuludq:
  //   t = a c < 2^62; m = (t mod 2^32)(-p^-1) mod 2^32; u = (t + m p) / 2^32 < 2p.
  Value* montmul32(Value* a, Value* c) {
    Value* low = like(a, c64(0xFFFFFFFFull));
    Value* p = like(a, field(0));
    Value* pinv = b_.CreateAnd(like(a, field(1)), low);
    Value* t = b_.CreateMul(b_.CreateAnd(a, low), b_.CreateAnd(c, low));
    Value* m = b_.CreateAnd(b_.CreateMul(b_.CreateAnd(t, low), pinv), low);
    Value* u = b_.CreateLShr(b_.CreateAdd(t, b_.CreateMul(m, b_.CreateAnd(p, low))), like(a, c64(32)));
    return b_.CreateSelect(b_.CreateICmpUGE(u, p), b_.CreateSub(u, p), u);
  }
  Value* montmul64(Value* a, Value* c) {
    Type* t = a->getType();
    Type* wide = t->isVectorTy() ? static_cast<Type*>(FixedVectorType::get(b_.getInt128Ty(), cast<FixedVectorType>(t)->getNumElements()))
                                 : b_.getInt128Ty();
    Value* p = like(a, field(0));
    Value* pinv = like(a, field(1));
    Value* prod = b_.CreateMul(b_.CreateZExt(a, wide), b_.CreateZExt(c, wide));
    Value* m = b_.CreateMul(b_.CreateTrunc(prod, t), pinv);
    Value* sum = b_.CreateAdd(prod, b_.CreateMul(b_.CreateZExt(m, wide), b_.CreateZExt(p, wide)));
    Value* r = b_.CreateTrunc(b_.CreateLShr(sum, ConstantInt::get(wide, 64)), t);
    return b_.CreateSelect(b_.CreateICmpUGE(r, p), b_.CreateSub(r, p), r);
  }
};

// ---- Complex doubles. In memory a number is two doubles (real, imaginary:
// the layout of C's double _Complex and std::complex<double>). In registers a
// scalar is <2 x double> and a vector of L lanes is <2L x double>: the L real
// parts, then the L imaginary parts, so that addition, subtraction and
// negation are single vector operations and a product is four.
class ComplexDomain final : public Domain {
public:
  ComplexDomain(IRBuilder<>& b, unsigned lanes)
      : Domain(b, lanes), double_(b.getDoubleTy()), scalar_(FixedVectorType::get(double_, 2)),
        vector_(FixedVectorType::get(double_, 2 * lanes)) {}
  Type* memoryType() const override { return double_; }
  int64_t memoryPerNumber() const override { return 2; }
  Type* scalarType() const override { return scalar_; }
  Type* vectorType() const override { return vector_; }
  bool transposable() const override { return false; }
  Value* splat(Value* s) override {
    SmallVector<int, 64> mask;
    for (int part = 0; part < 2; ++part)
      for (unsigned lane = 0; lane < lanes_; ++lane) mask.push_back(part);
    return b_.CreateShuffleVector(s, PoisonValue::get(scalar_), mask);
  }
  Value* one(bool vector) override {
    Value* s = pair(1.0, 0.0);
    return vector ? splat(s) : s;
  }
  Value* constant(const Rational& q) override { return pair(nearest(q, false), 0.0); }
  std::vector<Constant*> constantData(const Rational& q) override {
    return {ConstantFP::get(double_, nearest(q, false)), ConstantFP::get(double_, 0.0)};
  }
  Value* add(Value* a, Value* c) override { return b_.CreateFAdd(a, c); }
  Value* sub(Value* a, Value* c) override { return b_.CreateFSub(a, c); }
  Value* neg(Value* a) override { return b_.CreateFNeg(a); }
  // (a + bi)(c + di) = (ac - bd) + (ad + bc)i
  Value* mul(Value* a, Value* c) override {
    auto [ar, ai] = split(a);
    auto [cr, ci] = split(c);
    return join(b_.CreateFSub(b_.CreateFMul(ar, cr), b_.CreateFMul(ai, ci)),
                b_.CreateFAdd(b_.CreateFMul(ar, ci), b_.CreateFMul(ai, cr)));
  }
  // a / c = a conj(c) / |c|^2 (the textbook formula: it overflows only when
  // |c|^2 does, far outside what a path tracker meets; a zero c gives NaN).
  Value* div(Value* a, Value* c) override {
    auto [ar, ai] = split(a);
    auto [cr, ci] = split(c);
    Value* norm = b_.CreateFAdd(b_.CreateFMul(cr, cr), b_.CreateFMul(ci, ci));
    return join(b_.CreateFDiv(b_.CreateFAdd(b_.CreateFMul(ar, cr), b_.CreateFMul(ai, ci)), norm),
                b_.CreateFDiv(b_.CreateFSub(b_.CreateFMul(ai, cr), b_.CreateFMul(ar, ci)), norm));
  }
  Value* loadNumber(Value* base, Value* index) override {
    return b_.CreateAlignedLoad(scalar_, b_.CreateGEP(double_, base, b_.CreateMul(index, c64(2))), Align(8));
  }
  void storeNumber(Value* base, Value* index, Value* v) override {
    b_.CreateAlignedStore(v, b_.CreateGEP(double_, base, b_.CreateMul(index, c64(2))), Align(8));
  }
  Value* loadLane(Value* work, Value* vectorIndex, Value* lane) override {
    Value* re = b_.CreateAdd(b_.CreateMul(vectorIndex, c64(2 * lanes_)), lane);
    Value* im = b_.CreateAdd(re, c64(lanes_));
    Value* s = b_.CreateInsertElement(PoisonValue::get(scalar_), b_.CreateLoad(double_, b_.CreateGEP(double_, work, re)), uint64_t(0));
    return b_.CreateInsertElement(s, b_.CreateLoad(double_, b_.CreateGEP(double_, work, im)), uint64_t(1));
  }
  void storeLane(Value* work, Value* vectorIndex, Value* lane, Value* v) override {
    Value* re = b_.CreateAdd(b_.CreateMul(vectorIndex, c64(2 * lanes_)), lane);
    Value* im = b_.CreateAdd(re, c64(lanes_));
    b_.CreateStore(b_.CreateExtractElement(v, uint64_t(0)), b_.CreateGEP(double_, work, re));
    b_.CreateStore(b_.CreateExtractElement(v, uint64_t(1)), b_.CreateGEP(double_, work, im));
  }

private:
  Type* double_;
  FixedVectorType* scalar_;
  FixedVectorType* vector_;

  Constant* pair(double re, double im) {
    return ConstantVector::get({ConstantFP::get(double_, re), ConstantFP::get(double_, im)});
  }
  // The real and the imaginary halves of a scalar or vector value, and back.
  std::pair<Value*, Value*> split(Value* v) {
    unsigned n = cast<FixedVectorType>(v->getType())->getNumElements() / 2;
    SmallVector<int, 64> re, im;
    for (unsigned k = 0; k < n; ++k) {
      re.push_back(int(k));
      im.push_back(int(n + k));
    }
    return {b_.CreateShuffleVector(v, re), b_.CreateShuffleVector(v, im)};
  }
  Value* join(Value* re, Value* im) {
    unsigned n = cast<FixedVectorType>(re->getType())->getNumElements();
    SmallVector<int, 128> mask;
    for (unsigned k = 0; k < 2 * n; ++k) mask.push_back(int(k));
    return b_.CreateShuffleVector(re, im, mask);
  }
};

}  // namespace

Value* Domain::zero(bool vector) { return Constant::getNullValue(vector ? vectorType() : scalarType()); }

Value* Domain::loadNumber(Value* base, Value* index) {
  return b_.CreateAlignedLoad(memoryType(), b_.CreateGEP(memoryType(), base, index), alignmentOf(memoryType()));
}

void Domain::storeNumber(Value* base, Value* index, Value* v) {
  b_.CreateAlignedStore(v, b_.CreateGEP(memoryType(), base, index), alignmentOf(memoryType()));
}

Value* Domain::loadLane(Value* work, Value* vectorIndex, Value* lane) {
  Value* at = b_.CreateAdd(b_.CreateMul(vectorIndex, c64(lanes_)), lane);
  return b_.CreateLoad(memoryType(), b_.CreateGEP(memoryType(), work, at));
}

void Domain::storeLane(Value* work, Value* vectorIndex, Value* lane, Value* v) {
  Value* at = b_.CreateAdd(b_.CreateMul(vectorIndex, c64(lanes_)), lane);
  b_.CreateStore(v, b_.CreateGEP(memoryType(), work, at));
}

std::unique_ptr<Domain> Domain::create(Module& m, IRBuilder<>& b, const Options& o) {
  switch (o.domain) {
    case NumberDomain::Modular: return std::make_unique<ModularDomain>(m, b, o.lanes, false);
    case NumberDomain::Modular32: return std::make_unique<ModularDomain>(m, b, o.lanes, true);
    case NumberDomain::Complex: return std::make_unique<ComplexDomain>(b, o.lanes);
    case NumberDomain::Real: break;
  }
  return std::make_unique<FloatDomain>(b, o.lanes, o.precision == Precision::F32);
}

}  // namespace nag::codegen
