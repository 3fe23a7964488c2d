// Domain.h — codegen-internal: the number domains of the evaluation emitter (f64/f32, mod p, complex f64).
//
// The loop nests of EmitEval.cpp ask a Domain for types, arithmetic,
// constants and the moves between memory and registers, and never branch on
// which domain it is. A value is one LLVM value in every domain: a scalar
// (uniform: computed once per call) or a vector of L lanes (varying: one
// sample per lane). Complex numbers keep their real and imaginary parts in
// two halves of one vector, so addition is one vector instruction.
#pragma once

#include "codegen/Codegen.h"
#include "support/Rational.h"

#include <llvm/IR/IRBuilder.h>

#include <memory>

namespace nag::codegen {

/// One number domain: how values are represented, combined and moved.
class Domain {
public:
  Domain(llvm::IRBuilder<>& b, unsigned lanes) : b_(b), lanes_(lanes) {}
  virtual ~Domain() = default;

  /// The domain for these options (precision, modular or complex).
  static std::unique_ptr<Domain> create(llvm::Module& m, llvm::IRBuilder<>& b, const Options& o);

  /// The type of one number in memory (double, float, i64; complex: double, two of them).
  virtual llvm::Type* memoryType() const = 0;
  /// Memory values per number: 1, or 2 (complex: real, imaginary).
  virtual int64_t memoryPerNumber() const { return 1; }
  int64_t bytesPerNumber() const { return int64_t(memoryType()->getPrimitiveSizeInBits() / 8) * memoryPerNumber(); }
  /// The register type of a uniform value and of a varying one (L lanes).
  virtual llvm::Type* scalarType() const = 0;
  virtual llvm::Type* vectorType() const = 0;
  unsigned lanes() const { return lanes_; }
  /// Whether 8x8 register transposes may move samples in and out of lanes.
  virtual bool transposable() const { return true; }
  /// Whether the entry function takes a trailing `nag_modulus*`.
  virtual bool takesModulus() const { return false; }
  /// An i1 that is true when the modulus (set by setModulus) is one this domain cannot compute with, evaluated
  /// once at a function's entry; null when every modulus will do.
  virtual llvm::Value* refusesModulus() { return nullptr; }
  /// Set per function: the modulus context (modular domain only).
  void setModulus(llvm::Value* modulus) { modulus_ = modulus; }
  /// Whether constants are computed per call (they depend on p) and live in U.
  virtual bool constantsPerCall() const { return false; }

  /// A scalar as a vector of L equal lanes.
  virtual llvm::Value* splat(llvm::Value* scalar) = 0;
  virtual llvm::Value* zero(bool vector);
  virtual llvm::Value* one(bool vector) = 0;
  /// The scalar constant q (compile time; per-call domains compute it at run time).
  virtual llvm::Value* constant(const Rational& q) = 0;
  /// A memory initializer for the constant q: memoryPerNumber() values.
  virtual std::vector<llvm::Constant*> constantData(const Rational& q) = 0;

  virtual llvm::Value* add(llvm::Value* a, llvm::Value* c) = 0;
  virtual llvm::Value* sub(llvm::Value* a, llvm::Value* c) = 0;
  virtual llvm::Value* neg(llvm::Value* a) = 0;
  virtual llvm::Value* mul(llvm::Value* a, llvm::Value* c) = 0;
  virtual llvm::Value* div(llvm::Value* a, llvm::Value* c) = 0;

  /// From memory representation into the domain's (Montgomery form) and back.
  virtual llvm::Value* enter(llvm::Value* v) { return v; }
  virtual llvm::Value* leave(llvm::Value* v) { return v; }
  /// Number `index` of the array at `base` (in memory representation), and the store.
  virtual llvm::Value* loadNumber(llvm::Value* base, llvm::Value* index);
  virtual void storeNumber(llvm::Value* base, llvm::Value* index, llvm::Value* v);
  /// Lane `lane` of vector `vectorIndex` of the workspace at `work`, as a scalar, and the store.
  virtual llvm::Value* loadLane(llvm::Value* work, llvm::Value* vectorIndex, llvm::Value* lane);
  virtual void storeLane(llvm::Value* work, llvm::Value* vectorIndex, llvm::Value* lane, llvm::Value* v);

protected:
  llvm::IRBuilder<>& b_;
  unsigned lanes_;
  llvm::Value* modulus_ = nullptr;
  llvm::Value* c64(int64_t v) { return b_.getInt64(uint64_t(v)); }
};

}  // namespace nag::codegen
