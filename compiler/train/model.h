// model.h — reading model.json (a trained solution, enough to evaluate it and to emit
// code for it). The file's data type, schema and writer are the runtime's
// (runtime/include/pinnc/post/outcome.h, post/text.h), shared with emitted solvers.
#ifndef PINNC_TRAIN_MODEL_H
#define PINNC_TRAIN_MODEL_H

#include <string>
#include <utility>
#include <vector>

#include "pinnc/post/outcome.h"
#include "pinnc/post/text.h"

namespace pinnc::train {

using Model = post::ModelFile;
using ModelUnknown = post::ModelFile::Unknown;
using ModelTrial = post::ModelFile::Trial;

/// Serialises deterministically (fixed key order, shortest round-trip numbers).
using post::to_json;

/// Parses and validates; false with *error saying what is wrong (e.g. "not a pinnc model",
/// a newer format version, inconsistent sizes).
bool from_json(const std::string& text, Model* m, std::string* error);

}  // namespace pinnc::train

#endif  // PINNC_TRAIN_MODEL_H
