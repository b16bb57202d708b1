// bad_term.h — which loss term became NaN or infinite, as data (not text), so that the
// compiler's driver can name the source line of the equation or condition.
#ifndef PINNC_RT_BAD_TERM_H
#define PINNC_RT_BAD_TERM_H

namespace pinnc::rt {

enum class TermKind { none, equation, condition, data, total, gradient };

struct BadTerm {
  TermKind kind = TermKind::none;
  int index = -1;  ///< equation or (soft) condition index in kernel order; -1 for the others
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_BAD_TERM_H
