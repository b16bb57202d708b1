// names.h — "did you mean ...?" suggestions by edit distance.
#ifndef PINNC_BASE_NAMES_H
#define PINNC_BASE_NAMES_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinnc {

/// Edit distance (insertions, deletions, substitutions, adjacent transpositions),
/// capped at `cap` + 1.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap = 8);

/// The candidate closest to `name` if it is close enough to be a likely typo: one that
/// differs only in case first (Sin -> sin, Y -> y), else the nearest by edit distance
/// ignoring case (<= max(1, size/3), names of two or more characters); ties go to the
/// alphabetically first candidate.
std::optional<std::string> closest_name(std::string_view name,
                                        const std::vector<std::string>& candidates);

}  // namespace pinnc

#endif  // PINNC_BASE_NAMES_H
