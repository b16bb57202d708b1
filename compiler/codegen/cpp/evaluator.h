// evaluator.h — `pinnc emit --model MODEL.json`: a dependency-free C++ header that
// evaluates a trained solution (weights as constants, Taylor-mode forward in plain
// scalar code, the trial-solution wrapping printed from the kernel IR).
#ifndef PINNC_CODEGEN_CPP_EVALUATOR_H
#define PINNC_CODEGEN_CPP_EVALUATOR_H

#include <string>

#include "lower/lower.h"
#include "pinnc/post/outcome.h"
#include "sema/problem.h"

namespace pinnc::cppgen {

/// A namespace name for `name`: itself when it is a plain identifier that is not a C++
/// keyword or reserved, else a sanitised, prefixed form (see identifier()).
std::string namespace_name(const std::string& name);

/// True for C++20 keywords and alternative tokens (and, or, ...).
bool is_cpp_keyword(const std::string& word);

/// The header for `model` (its problem re-compiled and lowered) in namespace
/// `ns` (already a valid identifier). `header_name` is the file name it is saved as (for
/// the include guard and the opening comment). Deterministic. Throws std::invalid_argument
/// when the model's activation is unknown.
std::string emit_evaluator(const post::ModelFile& model, const Problem& problem, const lower::Lowered& lowered,
                           const std::string& ns, const std::string& header_name);

}  // namespace pinnc::cppgen

#endif  // PINNC_CODEGEN_CPP_EVALUATOR_H
