// Equations.h — the lowest-degree equations of the neurovariety in the coefficients of f, exactly over Q.
#pragma once

#include "nag_runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nagrt {

/// A coefficient coordinate c_{o,alpha}: the coefficient of x^alpha in output o.
struct Coordinate {
  int64_t output = 0;
  std::vector<int> alpha;
  std::string name;      ///< "c_0_2_0_0" (output, then the exponents of x_1..x_n)
  std::string monomial;  ///< "x_1^2"
};

/// The coordinates of the coefficient space (nag_model.degree_set), output by
/// output, degrees ascending, lexicographically descending within a degree.
std::vector<Coordinate> coefficientCoordinates(const nag_model& m);

/// What `equations` was asked.
struct EquationOptions {
  int64_t maxDegree = 0;  ///< 0: up to the first degree with equations
  int64_t maxColumns = 20000;
  uint64_t seed = 1;
  bool progress = false;
};

/// One equation: terms (numerator/denominator text, exponents over `support`).
struct Equation {
  int degree = 0;
  std::vector<std::pair<std::string, std::vector<int>>> terms;
};

/// Per degree: the monomial matrix and what its kernel held, first prime.
struct EquationStep {
  int64_t k = 0, rows = 0, cols = 0, kernel = 0, multiples = 0, generators = 0;
};

/// The equations and their evidence.
struct EquationResult {
  bool cone = false;
  std::string coneWitness;
  std::vector<Coordinate> coordinates;
  std::vector<int64_t> support;  ///< indices of the coordinates not identically zero
  std::vector<int64_t> zero;     ///< the others (each is a linear equation c = 0)
  std::vector<Equation> equations;
  std::vector<EquationStep> steps;
  int64_t lastDegree = 0;   ///< every degree up to this one was searched
  std::string stopped;      ///< why the search stopped before --max-degree, if it did
  bool fills = false;       ///< V is dense in the space of the support coordinates: no equations to search
  std::vector<uint64_t> primes;     ///< primes whose echelon forms agreed and were lifted
  std::vector<uint64_t> discarded;  ///< primes whose pivots disagreed with the majority
  uint64_t verifyPrime = 0;
  int64_t verifyPoints = 0;
  bool verified = false;
};

/// The monomial evaluation kernel mod p at image points in coefficient
/// coordinates, degree by degree; new generators modulo multiples of lower
/// ones; canonical RREF per prime, CRT + rational reconstruction until one
/// more prime changes nothing; verification at fresh points mod a fresh prime.
EquationResult findEquations(const nag_model& m, const EquationOptions& o);

/// The Jacobian criterion's rank: the rank mod p of the differentials of the
/// vanishing coordinates and of r's equations at the coefficients of f_theta
/// (theta given mod p). It is at most the rank over Q at the rational point
/// theta reduces from, which is at most N - dim V when the equations vanish on
/// V; -1 when a denominator of f vanished at theta mod p.
int64_t equationJacobianRank(const nag_model& m, const EquationResult& r, const std::vector<uint64_t>& theta, uint64_t p,
                             uint64_t seed);

}  // namespace nagrt
