// Exact.h — numbers read exactly from text (runtime-internal).
#pragma once

#include <gmp.h>

#include "nag_runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nagrt {

/// A number's text and its line in the file.
struct ExactToken {
  std::string text;
  int64_t line;
};

/// The numbers of `spec` as exact tokens: the blank- or comma-separated
/// tokens of a text file or of standard input ("-"; '#' starts a comment),
/// or the `count` values of random:SEED or a .npy file, each double written
/// as the exact rational it is ("-3/4"). Directories, unreadable and
/// oversized files are refused by the data reader (readInputBytes).
std::vector<ExactToken> readExactTokens(const std::string& spec, const std::string& what, int64_t count);

/// One number written as text, exactly: "-3", "0.125", "1/3", "2.5e-3" (the
/// text's value, not the nearest double). False when it is not such a number.
bool parseExact(const std::string& tok, mpq_t out);

/// A nonzero constant of the network whose numerator or denominator is
/// divisible by p (its text, as the IR carries it), or "": mod p such a
/// constant is 0 or a division by 0, and every result mod p is that of
/// another network (a constant equal to the prime gave "dimension 0").
/// Poly.cpp, from the IR the program carries (read once per model).
std::string constantZeroModP(const nag_model& m, uint64_t p);

/// nagrt_modulus_init for the exact computations on `m`: refuses (nagrt::Error)
/// a prime that makes one of m's nonzero constants 0, with the constant,
/// the prime and `what` the computation is.
void initModulus(const nag_model& m, nag_modulus* mod, uint64_t p, const std::string& what);

/// The primes m's modular kernels take: below 2^62, or 2^31 for a program
/// compiled without the R = 2^64 kernels (initModulus refuses the others).
uint64_t modularPrimeLimit(const nag_model& m);

/// m's modular eval and theta-Jacobian for mod->p: the R = 2^32 kernels for
/// p < 2^31, the R = 2^64 ones above.
void evalMod(const nag_model& m, const uint64_t* theta, const uint64_t* x, uint64_t* y, int64_t batch,
             nag_modulus* mod);
void jacThetaMod(const nag_model& m, const uint64_t* theta, const uint64_t* x, uint64_t* y, int64_t batch,
                 nag_modulus* mod);

}  // namespace nagrt
