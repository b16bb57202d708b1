// fuzz_model.cpp — libFuzzer target: model.json loading (compiler/train/model.cpp) on
// arbitrary bytes. A file is either refused with a message or read into a model whose sizes
// agree, and what is read writes back (runtime/include/pinnc/post/text.h) to a file that
// reads again to the same bytes when written once more. Seeds: tests/fuzz/corpus/fuzz_model
// (models written by pinnc train). Build and run: scripts/fuzz.sh [SECONDS].
#include <cstddef>
#include <cstdint>
#include <string>

#include "train/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pinnc;
  const std::string text(reinterpret_cast<const char*>(data), size);
  train::Model m;
  std::string error;
  if (!train::from_json(text, &m, &error)) {
    if (error.empty()) __builtin_trap();  // a refusal always says why
    return 0;
  }
  // Accepted: the network's weights fit its widths (the loader's consistency check).
  std::size_t count = 0;
  for (std::size_t l = 1; l < m.widths.size(); ++l) count += std::size_t(m.widths[l]) * std::size_t(m.widths[l - 1] + 1);
  if (m.widths.size() < 2 || count != m.theta.size()) __builtin_trap();
  for (const post::Piece& w : m.pieces)
    if (w.theta.size() != count) __builtin_trap();
  (void)post::untrusted_warning(m);
  // Round trip: what is read is written, read back and written to the same bytes.
  const std::string once = train::to_json(m);
  train::Model again;
  if (!train::from_json(once, &again, &error)) __builtin_trap();
  if (train::to_json(again) != once) __builtin_trap();
  return 0;
}
