// stiff.cpp — post/stiff.h's integrator compiled as C++17 for pinnc itself (uBLAS in
// Boost 1.74 does not compile as C++20; see post/stiff.h).
#define PINNC_STIFF_INLINE
#include "pinnc/post/stiff_impl.h"
