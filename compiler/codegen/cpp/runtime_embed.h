// runtime_embed.h — pinnc's runtime headers as text inside the pinnc binary (generated at
// build time by cmake/embed_runtime.cmake), and their amalgamation into one block of C++
// for standalone solvers.
#ifndef PINNC_CODEGEN_CPP_RUNTIME_EMBED_H
#define PINNC_CODEGEN_CPP_RUNTIME_EMBED_H

#include <string>
#include <vector>

namespace pinnc::cppgen {

/// One embedded header: its include path ("pinnc/network.h") and its text.
struct EmbeddedFile {
  const char* name;
  const char* text;
};

/// Every header under runtime/include/pinnc/, sorted by name (defined in the generated
/// embedded_runtime.cpp).
const std::vector<EmbeddedFile>& embedded_runtime();

/// The headers reachable from `roots` through `#include "pinnc/..."`, each once and after
/// everything it includes (depth-first, in include order), with those include lines
/// removed; system includes (<Eigen/Core>, ...) stay where they are. Each header is
/// preceded by a `// ---- pinnc/NAME ----` line. Throws std::logic_error (a pinnc bug) when
/// an included header is not embedded.
std::string amalgamate_runtime(const std::vector<std::string>& roots);

}  // namespace pinnc::cppgen

#endif  // PINNC_CODEGEN_CPP_RUNTIME_EMBED_H
