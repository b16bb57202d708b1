// version.cpp — see version.h.
#include "base/version.h"

namespace pinnc {

const char* version() { return "0.1.0"; }

}  // namespace pinnc
