// version.h — pinnc's version string, printed by `pinnc --version` and stamped into outputs.
#ifndef PINNC_VERSION_H
#define PINNC_VERSION_H

namespace pinnc {

/// "0.1.0"
const char* version();

}  // namespace pinnc

#endif  // PINNC_VERSION_H
