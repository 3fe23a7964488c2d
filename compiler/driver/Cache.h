// Cache.h — compiled programs and libraries kept by content hash, so that a repeated build is instant.
#pragma once

#include <cstdint>
#include <string>

namespace nag::driver {

/// FNV-1a: a hash that is the same on every run and machine.
uint64_t fnv1a(const std::string& s);

/// The cache folder: $NAGC_CACHE_DIR, else $XDG_CACHE_HOME/nagc, else
/// ~/.cache/nagc; created when missing; "" when none can be used.
std::string cacheDirectory();

/// Which nagc and runtime make builds: their sizes and modification times,
/// so that a rebuilt nagc never reuses what an older one cached.
std::string buildIdentity();

/// Copies `from` to `to` through a temporary file and a rename, keeping the
/// permission bits; false on failure (nothing half-written is left).
bool copyAtomically(const std::string& from, const std::string& to);

}  // namespace nag::driver
