// standalone.h — `pinnc emit FILE.ode`: one C++17 file that trains the problem's network
// without pinnc (the runtime embedded, the kernels printed from the kernel IR, the
// settings and a main()), reporting and writing files like `pinnc train`.
#ifndef PINNC_CODEGEN_CPP_STANDALONE_H
#define PINNC_CODEGEN_CPP_STANDALONE_H

#include <string>

#include "lower/lower.h"
#include "plan/run_spec.h"
#include "sema/problem.h"

namespace pinnc::cppgen {

/// The exact build line written into the file's opening comment (`solver.cpp` replaced
/// by `source_name`, the output binary named after it without extension).
std::string standalone_build_line(const std::string& source_name);

/// The whole program for a lowered problem and the run planned for it (its settings and
/// what its report says). `output_name` is the file name it will be saved as (for the
/// build line). Deterministic.
std::string emit_standalone(const Problem& problem, const lower::Lowered& lowered, const plan::RunSpec& run,
                            const std::string& output_name);

}  // namespace pinnc::cppgen

#endif  // PINNC_CODEGEN_CPP_STANDALONE_H
