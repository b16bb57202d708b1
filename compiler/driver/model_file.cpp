// model_file.cpp — see model_file.h.
#include "driver/model_file.h"

#include <cstdio>
#include <filesystem>

#include "pinnc/post/text.h"
#include "train/files.h"

namespace pinnc::driver {

int load_model_file(const char* cmd, const std::string& given, LoadedModel* out) {
  std::string text, error;
  // A run's folder (out/decay) stands for the model.json in it.
  std::string path = given;
  std::error_code ec;
  if (std::filesystem::is_directory(given, ec)) {
    path = (std::filesystem::path(given) / "model.json").string();
    if (!std::filesystem::exists(path, ec)) {
      std::fprintf(stderr, "pinnc %s: '%s' is a folder without a model.json; give a run's folder (pinnc train --out) "
                           "or its model.json\n", cmd, given.c_str());
      return 2;
    }
  }
  if (!train::read_file(path, &text, &error)) {
    std::fprintf(stderr, "pinnc %s: %s\n", cmd, error.c_str());
    return 2;
  }
  if (!train::from_json(text, &out->model, &error)) {
    std::fprintf(stderr, "pinnc %s: %s: %s\n", cmd, path.c_str(), error.c_str());
    return 1;
  }
  if (const std::string w = post::untrusted_warning(out->model); !w.empty()) std::fprintf(stderr, "%s\n", w.c_str());
  out->prep = train::prepare_model(out->model, out->backend, &out->options, &error);
  if (!out->prep) {
    std::fprintf(stderr, "pinnc %s: %s: %s\n", cmd, path.c_str(), error.c_str());
    return 1;
  }
  return 0;
}

}  // namespace pinnc::driver
