// model_file.h — loading a trained model for the commands that read model.json (eval, emit).
#ifndef PINNC_DRIVER_MODEL_FILE_H
#define PINNC_DRIVER_MODEL_FILE_H

#include <memory>
#include <string>

#include "interp/interp_backend.h"
#include "train/model.h"
#include "train/session.h"

namespace pinnc::driver {

/// A model file re-created as a trained solution (interpreter kernels, no LLVM needed).
struct LoadedModel {
  train::Model model;
  interp::InterpBackend backend;
  TrainOptions options;
  std::unique_ptr<train::Prepared> prep;
};

/// Reads, validates and prepares `path` (a model.json, or a run folder holding one). On failure prints "pinnc CMD: ..." to stderr and
/// returns the exit code (2 unreadable file, 1 invalid model); 0 on success.
int load_model_file(const char* cmd, const std::string& path, LoadedModel* out);

}  // namespace pinnc::driver

#endif  // PINNC_DRIVER_MODEL_FILE_H
