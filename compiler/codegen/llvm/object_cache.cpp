// object_cache.cpp — see object_cache.h.
#include "codegen/llvm/object_cache.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include <llvm/Support/xxhash.h>

namespace pinnc::jit {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'P', 'I', 'N', 'N', 'C', 'O', 'B', '1'};
constexpr std::size_t kKeyChars = 64;  // SHA-256 in hex
constexpr std::size_t kHeader = sizeof kMagic + kKeyChars + 8 + 8;
constexpr const char* kExtension = ".pobj";

bool valid_key(std::string_view key) {
  return key.size() == kKeyChars &&
         std::all_of(key.begin(), key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

uint64_t checksum(std::string_view payload) { return llvm::xxh3_64bits(llvm::StringRef(payload.data(), payload.size())); }

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t get_u64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

}  // namespace

CacheOptions CacheOptions::from_environment() {
  CacheOptions o;
  if (const char* d = env("PINNC_CACHE_DIR"))
    o.dir = d;
  else if (const char* x = env("XDG_CACHE_HOME"))
    o.dir = (fs::path(x) / "pinnc").string();
  else if (const char* h = env("HOME"))
    o.dir = (fs::path(h) / ".cache" / "pinnc").string();
  o.enabled = !o.dir.empty();
  if (const char* mb = env("PINNC_CACHE_MAX_MB")) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(mb, &end, 10);
    if (end && *end == '\0' && v < (1ull << 40)) o.max_bytes = v << 20;
  }
  return o;
}

std::string ObjectStore::path(std::string_view key) const {
  return (fs::path(opt_.dir) / (std::string(key) + kExtension)).string();
}

std::optional<std::string> ObjectStore::load(std::string_view key) const {
  if (!opt_.enabled || !valid_key(key)) return std::nullopt;
  const std::string file = path(key);
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad() || bytes.size() < kHeader) return std::nullopt;
  const char* h = bytes.data();
  if (std::memcmp(h, kMagic, sizeof kMagic) != 0) return std::nullopt;
  if (std::string_view(h + sizeof kMagic, kKeyChars) != key) return std::nullopt;
  const uint64_t size = get_u64(h + sizeof kMagic + kKeyChars);
  const uint64_t sum = get_u64(h + sizeof kMagic + kKeyChars + 8);
  if (size != bytes.size() - kHeader) return std::nullopt;
  if (checksum(std::string_view(bytes).substr(kHeader)) != sum) return std::nullopt;
  std::error_code ec;  // the time of use, so that trimming removes the least recently used
  fs::last_write_time(file, fs::file_time_type::clock::now(), ec);
  bytes.erase(0, kHeader);
  return bytes;
}

void ObjectStore::store(std::string_view key, std::string_view payload) const {
  if (!opt_.enabled || !valid_key(key)) return;
  std::error_code ec;
  fs::create_directories(opt_.dir, ec);
  if (ec) return;
  std::string bytes(kMagic, sizeof kMagic);
  bytes += key;
  put_u64(bytes, payload.size());
  put_u64(bytes, checksum(payload));
  bytes += payload;
  // A name no other process or thread uses: pid and a per-process counter.
  static std::atomic<unsigned> counter{0};
  const std::string tmp = path(key) + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      fs::remove(tmp, ec);
      return;
    }
  }
  fs::rename(tmp, path(key), ec);
  if (ec) {
    fs::remove(tmp, ec);
    return;
  }
  trim();
}

void ObjectStore::trim() const {
  struct Entry {
    fs::path path;
    uint64_t size;
    fs::file_time_type used;
  };
  std::vector<Entry> entries;
  uint64_t total = 0;
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(opt_.dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    std::error_code e;
    const auto used = fs::last_write_time(p, e);
    if (e) continue;
    if (name.find(".tmp.") != std::string::npos) {  // left by a run that was killed mid-write
      if (now - used > std::chrono::hours(1)) fs::remove(p, e);
      continue;
    }
    if (p.extension() != kExtension) continue;
    const uint64_t size = fs::file_size(p, e);
    if (e) continue;
    entries.push_back({p, size, used});
    total += size;
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.used < b.used; });
  for (const Entry& e : entries) {
    if (total <= opt_.max_bytes) break;
    std::error_code r;
    if (fs::remove(e.path, r)) total -= e.size;
  }
}

}  // namespace pinnc::jit
