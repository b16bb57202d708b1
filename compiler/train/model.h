// model.h — model.json: a trained solution, enough to evaluate it and to emit code for it.
//
// Schema (format "pinnc-model", version 1), documented in README.md:
//   format, version, pinnc          identification
//   source: {file, text}            the problem as written (re-compiled by eval/emit/repl)
//   settings: {key: value, ...}     every training setting used, as `pinnc train` flags
//   problem: {variable, interval: [t0, t1], order, unknowns: [{name, order}],
//             params: [{name, value}]}
//   network: {widths: [1, hidden..., U], activation, input_scale, input_shift,
//             theta: [...]}         theta is the runtime's flat parameter vector: per layer
//                                   l, W_l (width(l+1) x width(l), column-major) then b_l
//   trial: [{unknown, kind, A, B}]  the hard-constraint wrapping u = A + B*N (printed
//                                   expressions in the variable), "soft" where none
//   results: {...}                  loss terms, errors, time (informational)
#ifndef PINNC_TRAIN_MODEL_H
#define PINNC_TRAIN_MODEL_H

#include <string>
#include <utility>
#include <vector>

namespace pinnc::train {

struct ModelUnknown {
  std::string name;
  int order = 0;
};

struct ModelTrial {
  std::string unknown, kind, a, b;
};

struct Model {
  static constexpr int kFormatVersion = 1;
  int version = kFormatVersion;
  std::string pinnc_version;
  std::string source_file, source_text;
  std::vector<std::pair<std::string, std::string>> settings;
  std::string variable = "t";
  double t0 = 0, t1 = 1;
  int order = 0;
  std::vector<ModelUnknown> unknowns;
  std::vector<std::pair<std::string, double>> params;
  std::vector<int> widths;
  std::string activation;
  double input_scale = 1, input_shift = 0;
  std::vector<double> theta;
  std::vector<ModelTrial> trial;
  std::vector<std::pair<std::string, double>> results;  ///< numbers only, in report order
  std::vector<std::pair<std::string, std::string>> notes;  ///< text results (verdict, ...)
};

/// Serialises deterministically (fixed key order, 17 significant digits).
std::string to_json(const Model& m);

/// Parses and validates; false with *error saying what is wrong (e.g. "not a pinnc model",
/// a newer format version, inconsistent sizes).
bool from_json(const std::string& text, Model* m, std::string* error);

}  // namespace pinnc::train

#endif  // PINNC_TRAIN_MODEL_H
