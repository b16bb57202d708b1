// jit.h — the LLVM ORC backend behind one small door: no LLVM header is included here.
#ifndef PINNC_CODEGEN_LLVM_JIT_H
#define PINNC_CODEGEN_LLVM_JIT_H

#include <string>

namespace pinnc::jit {

/// The LLVM version the backend was built with ("19.1.7").
std::string llvm_version();

}  // namespace pinnc::jit

#endif  // PINNC_CODEGEN_LLVM_JIT_H
