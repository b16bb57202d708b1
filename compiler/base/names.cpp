// names.cpp — edit distance and name suggestions for diagnostics.
#include "base/names.h"

#include <cctype>

#include <algorithm>

namespace pinnc {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
  // Optimal string alignment: insertions, deletions, substitutions and transpositions of
  // neighbours (omgea -> omega is one edit).
  std::size_t la = a.size(), lb = b.size();
  if ((la > lb ? la - lb : lb - la) > cap) return cap + 1;
  std::vector<std::size_t> prev2(lb + 1), prev(lb + 1), cur(lb + 1);
  for (std::size_t j = 0; j <= lb; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= la; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= lb; ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[lb], cap + 1);
}

std::optional<std::string> closest_name(std::string_view name,
                                        const std::vector<std::string>& candidates) {
  if (name.size() > 64) return std::nullopt;
  std::vector<std::string> sorted = candidates;
  std::sort(sorted.begin(), sorted.end());
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string lname = lower(name);
  // Names that differ only in case (Sin for sin, Y for y) first, even one letter long.
  for (const auto& c : sorted)
    if (c != name && lower(c) == lname) return c;
  // One-letter names are too short to tell a typo from a different name.
  if (name.size() < 2) return std::nullopt;
  std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  std::optional<std::string> best;
  std::size_t best_d = limit + 1;
  for (const auto& c : sorted) {
    if (c == name) continue;
    std::size_t d = edit_distance(lname, lower(c), limit);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace pinnc
