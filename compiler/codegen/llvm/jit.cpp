// jit.cpp — LLVM ORC LLJIT backend: kernel IR -> LLVM IR -> native kernels.
#include "codegen/llvm/jit.h"

#include <llvm/Config/llvm-config.h>

namespace pinnc::jit {

std::string llvm_version() { return LLVM_VERSION_STRING; }

}  // namespace pinnc::jit
