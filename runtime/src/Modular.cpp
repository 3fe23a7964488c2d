// Modular.cpp — Montgomery arithmetic set-up and the helpers generated modular code calls.
#include "nag_runtime.h"

namespace {

using u128 = unsigned __int128;

uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p) { return uint64_t(u128(a) * b % p); }

uint64_t powmod(uint64_t a, uint64_t e, uint64_t p) {
  uint64_t r = 1 % p;
  for (a %= p; e; e >>= 1, a = mulmod(a, a, p))
    if (e & 1) r = mulmod(r, a, p);
  return r;
}

}  // namespace

extern "C" int nagrt_modulus_init(nag_modulus* m, uint64_t p) {
  if (p < 3 || p % 2 == 0 || p >= (uint64_t(1) << 62)) return 1;
  uint64_t inv = p;  // Newton: inv = p^-1 mod 2^64, doubling correct bits each step
  for (int i = 0; i < 6; ++i) inv *= 2 - p * inv;
  m->p = p;
  m->pinv = uint64_t(0) - inv;
  m->r = uint64_t((u128(1) << 64) % p);
  m->r2 = mulmod(m->r, m->r, p);
  m->vanished = 0;
  bool narrow = p < (uint64_t(1) << 31);
  m->r32 = narrow ? (uint64_t(1) << 32) % p : 0;
  m->r2_32 = narrow ? mulmod(m->r32, m->r32, p) : 0;
  return 0;
}

namespace {

// num/den mod p in Montgomery form x R, R = 2^64 (rmodp = m->r) or 2^32 (m->r32).
uint64_t rational(int64_t num, int64_t den, nag_modulus* m, uint64_t rmodp) {
  uint64_t p = m->p;
  auto residue = [p](int64_t v) {
    uint64_t r = uint64_t(v < 0 ? -(v + 1) : v) % p;  // |v| without overflow at INT64_MIN
    if (v < 0) r = (p - (r + 1) % p) % p;
    return r;
  };
  uint64_t n = residue(num), d = residue(den);
  if (d == 0) {
    __atomic_fetch_add(&m->vanished, 1, __ATOMIC_RELAXED);
    return 0;
  }
  uint64_t q = mulmod(n, powmod(d, p - 2, p), p);  // p is prime: d^(p-2) = d^-1
  return mulmod(q, rmodp, p);                       // to Montgomery form
}

// a = x R; the result is x^-1 R = a^-1 R^2 (r2modp = R^2 mod p).
uint64_t inverse(uint64_t a, nag_modulus* m, uint64_t r2modp) {
  uint64_t p = m->p;
  if (a == 0) {
    __atomic_fetch_add(&m->vanished, 1, __ATOMIC_RELAXED);
    return 0;
  }
  return mulmod(powmod(a, p - 2, p), r2modp, p);
}

}  // namespace

extern "C" uint64_t nagrt_mod_rational(int64_t num, int64_t den, nag_modulus* m) { return rational(num, den, m, m->r); }
extern "C" uint64_t nagrt_mod_inverse(uint64_t a, nag_modulus* m) { return inverse(a, m, m->r2); }
extern "C" uint64_t nagrt_mod_rational32(int64_t num, int64_t den, nag_modulus* m) {
  return rational(num, den, m, m->r32);
}
extern "C" uint64_t nagrt_mod_inverse32(uint64_t a, nag_modulus* m) { return inverse(a, m, m->r2_32); }
