// Cache.h — compiled programs and libraries kept by a hash of everything that determines them.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace nag {
class SourceManager;
}

namespace nag::driver {

/// FNV-1a: a hash that is the same on every run and machine.
uint64_t fnv1a(const std::string& s);

/// The cache folder: $NAGC_CACHE_DIR, else $XDG_CACHE_HOME/nagc, else
/// ~/.cache/nagc; created when missing; "" when none can be used.
std::string cacheDirectory();

/// Which nagc and runtime make builds: nagc's version and the size,
/// modification time and inode of the nagc executable and the runtime
/// library, so that a rebuilt nagc never reuses what an older one cached.
std::string buildIdentity();

/// Every file of a compilation as name, size and contents: the main file and
/// the whole closure of its imports (and -D buffers), in load order.
std::string sourceContents(const SourceManager& sources);

/// Loads `input` and its imports (no checks beyond loading) and returns
/// sourceContents of them; on failure sets `error` to the diagnostics.
std::string sourceClosure(const std::string& input, const std::vector<std::string>& stdlibPaths, std::string& error);

/// A cache key: the SHA-256 of the key material, in hex.
std::string cacheKey(const std::string& material);

/// What a look-up found.
enum class CacheResult { Hit, Miss, Corrupt };

/// Copies entry `key` of `dir` to `dest` (permission bits `mode`, refusing
/// `inputs`, see nagrt::writeOutput) when the content hash stored in it
/// matches its content. A corrupt entry (tampered, truncated, unreadable
/// header) is removed and `note` says what was wrong.
CacheResult cacheFetch(const std::string& dir, const std::string& key, const std::string& dest, unsigned mode,
                       const std::vector<std::string>& inputs, std::string& note);

/// Stores the file `from` as entry `key` of `dir`: a header with the content's
/// SHA-256 and size, then the content, written atomically (so concurrent
/// stores of one key each leave a whole entry). False on failure.
bool cacheStore(const std::string& dir, const std::string& key, const std::string& from);

/// `nagc cache --info` (clear = false) or `--clear` on `dir`. Exit status.
int cacheCommand(const std::string& dir, bool clear, std::ostream& out, std::ostream& err);

}  // namespace nag::driver
