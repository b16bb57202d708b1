// model_file.cpp — see model_file.h.
#include "driver/model_file.h"

#include <cstdio>

#include "train/files.h"

namespace pinnc::driver {

int load_model_file(const char* cmd, const std::string& path, LoadedModel* out) {
  std::string text, error;
  if (!train::read_file(path, &text, &error)) {
    std::fprintf(stderr, "pinnc %s: %s\n", cmd, error.c_str());
    return 2;
  }
  if (!train::from_json(text, &out->model, &error)) {
    std::fprintf(stderr, "pinnc %s: %s: %s\n", cmd, path.c_str(), error.c_str());
    return 1;
  }
  out->prep = train::prepare_model(out->model, out->backend, &out->options, &error);
  if (!out->prep) {
    std::fprintf(stderr, "pinnc %s: %s: %s\n", cmd, path.c_str(), error.c_str());
    return 1;
  }
  return 0;
}

}  // namespace pinnc::driver
