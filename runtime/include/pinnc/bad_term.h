// bad_term.h — which loss term became NaN or infinite, as data (not text), so that the
// compiler's driver can name the source line of the equation or condition.
#ifndef PINNC_RT_BAD_TERM_H
#define PINNC_RT_BAD_TERM_H

#include <string>

namespace pinnc::rt {

enum class TermKind { none, equation, condition, data, total, gradient };

struct BadTerm {
  TermKind kind = TermKind::none;
  int index = -1;  ///< equation or (soft) condition index in kernel order; -1 for the others
};

/// "equation 0", "condition 2", "data", "total", "gradient" ("" for none).
inline std::string term_name(const BadTerm& b) {
  switch (b.kind) {
    case TermKind::none: return "";
    case TermKind::equation: return "equation " + std::to_string(b.index);
    case TermKind::condition: return "condition " + std::to_string(b.index);
    case TermKind::data: return "data";
    case TermKind::total: return "total";
    case TermKind::gradient: return "gradient";
  }
  return "";
}

}  // namespace pinnc::rt

#endif  // PINNC_RT_BAD_TERM_H
