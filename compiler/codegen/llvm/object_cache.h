// object_cache.h — the on-disk cache of compiled kernel objects, so that a second run of
// an unchanged problem skips LLVM's optimiser and code generator (docs/ARCHITECTURE.md,
// "The object cache"). No LLVM header here: the store deals in bytes and file names.
//
// An entry is one file `<key>.pobj`, where key is the SHA-256 (hex) of everything that
// decides the machine code: the kernel IR before optimisation, the target CPU and its
// features, the LLVM version, the pinnc version and a hash of jit.cpp. The file holds a header
// (magic, the key again, payload size, xxh3 checksum of the payload) and the object.
// Entries are written to a unique temporary name and renamed, so concurrent runs see
// either no entry or a whole one; an entry whose header or checksum does not match is
// never loaded (the kernels are compiled again and the entry rewritten).
#ifndef PINNC_CODEGEN_LLVM_OBJECT_CACHE_H
#define PINNC_CODEGEN_LLVM_OBJECT_CACHE_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pinnc::jit {

/// Where the cache lives and how large it may grow.
struct CacheOptions {
  bool enabled = false;
  std::string dir;                     ///< the folder holding the entries
  uint64_t max_bytes = 256ull << 20;   ///< after a store, oldest entries go until the total fits

  /// Enabled, in $PINNC_CACHE_DIR, else $XDG_CACHE_HOME/pinnc, else $HOME/.cache/pinnc
  /// (disabled when none is set); size limit from $PINNC_CACHE_MAX_MB (default 256).
  static CacheOptions from_environment();
};

/// The entries of one cache folder. Every operation is best effort: a folder that cannot
/// be created or written makes a store do nothing, never an error.
class ObjectStore {
 public:
  explicit ObjectStore(CacheOptions options) : opt_(std::move(options)) {}

  /// The payload of entry `key` when it exists and is intact (its time of use is
  /// refreshed, for the size limit); nullopt otherwise.
  std::optional<std::string> load(std::string_view key) const;
  /// Writes entry `key` (temporary file + rename), then trims the folder to the limit.
  void store(std::string_view key, std::string_view payload) const;

  /// The file that holds entry `key`.
  std::string path(std::string_view key) const;

 private:
  void trim() const;
  CacheOptions opt_;
};

}  // namespace pinnc::jit

#endif  // PINNC_CODEGEN_LLVM_OBJECT_CACHE_H
