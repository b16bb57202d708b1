// probe.cpp — one translation unit that includes PINNC_PROBE_HEADER, compiled against one
// layer's include roots by tests/tests.cmake: it must fail for a header above the layer
// (the layering is enforced) and build for one the layer may use (the probe itself works).
#include PINNC_PROBE_HEADER

int pinnc_layering_probe = 0;
