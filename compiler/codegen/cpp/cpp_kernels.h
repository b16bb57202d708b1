// cpp_kernels.h — the C++ backend: prints the kernel IR as C++ functions with the
// runtime's ABI (kernel_abi.h). The LLVM backend and this printer lower the same IR and
// neither knows of the other (docs/ARCHITECTURE.md, "Layers").
#ifndef PINNC_CODEGEN_CPP_CPP_KERNELS_H
#define PINNC_CODEGEN_CPP_CPP_KERNELS_H

#include <string>
#include <vector>

#include "lower/kernel_ir.h"

namespace pinnc::cppgen {

/// Source names used to make the generated code readable.
struct KernelNames {
  std::string variable = "t";
  std::vector<std::string> unknowns;  ///< per unknown j
  std::vector<std::string> params;    ///< per parameter q
};

/// A C++ identifier for a user name: prefixed so it can never be a C++ keyword or clash
/// with the generated code's own names, and with characters outside [A-Za-z0-9_] (and
/// runs of underscores) escaped so distinct names stay distinct.
std::string identifier(const std::string& prefix, const std::string& name);

/// C++17 source: a template per kernel (one body for both precisions) and extern "C"
/// entry points `<kernel name>_f64` / `_f32` with the ABI's signatures. Deterministic.
/// Evaluation order matches the interpreter's (left-to-right sums and products,
/// integer powers by repeated multiplication), so with -ffp-contract=off the results
/// agree bit for bit.
std::string emit_kernels(const lower::KernelModule& m, const KernelNames& names);

/// One kernel of `m` alone, as `template <class T> STORAGE void NAME(...)` (storage e.g.
/// "static", or "inline" in a header); no extern "C" entry point.
std::string emit_kernel(const lower::KernelModule& m, const lower::Kernel& kernel, const KernelNames& names,
                        const std::string& storage);

/// The partial-derivative patterns of `m` (kernel_abi.h's pinnc_pattern) as C++ arrays
/// `const int32_t NAME_row[]`, `NAME_col[]`, NAME the pinnc_problem field; none for an
/// empty pattern.
std::string emit_pattern_arrays(const lower::KernelModule& m);

/// Statements `PB.field = ...;` wiring into the pinnc_problem named `pb` the patterns
/// (the arrays of emit_pattern_arrays, qualified with `data_ns`) and every kernel entry
/// point of emit_kernels (qualified with `kernels_ns`); ctx is left as it is (NULL).
std::string emit_abi_wiring(const lower::KernelModule& m, const std::string& pb, const std::string& data_ns,
                            const std::string& kernels_ns);

/// A C++ string literal with every character outside printable ASCII escaped.
std::string string_literal(const std::string& s);

}  // namespace pinnc::cppgen

#endif  // PINNC_CODEGEN_CPP_CPP_KERNELS_H
