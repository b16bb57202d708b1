// version.cpp — see version.h.
#include "version.h"

namespace pinnc {

const char* version() { return "0.1.0"; }

}  // namespace pinnc
