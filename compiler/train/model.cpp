// model.cpp — model.json reading with nlohmann::json (the writer is post/text.h).
#include "train/model.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pinnc::train {

using json = nlohmann::ordered_json;

bool from_json(const std::string& text, Model* m, std::string* error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    *error = "not valid JSON";
    return false;
  }
  try {
    if (!j.is_object() || j.value("format", "") != "pinnc-model") {
      *error = "not a pinnc model (missing \"format\": \"pinnc-model\")";
      return false;
    }
    Model out;
    out.version = j.at("version").get<int>();
    if (out.version > Model::kFormatVersion) {
      *error = fmt::format("version: model format {} is newer than this pinnc reads ({}); update pinnc",
                           out.version, Model::kFormatVersion);
      return false;
    }
    out.pinnc_version = j.value("pinnc", "");
    out.partial = j.value("partial", false);
    out.source_file = j.at("source").at("file").get<std::string>();
    out.source_text = j.at("source").at("text").get<std::string>();
    for (auto& [k, v] : j.at("settings").items()) out.settings.emplace_back(k, v.get<std::string>());
    const json& p = j.at("problem");
    out.variable = p.at("variable").get<std::string>();
    out.t0 = p.at("interval").at(0).get<double>();
    out.t1 = p.at("interval").at(1).get<double>();
    out.order = p.at("order").get<int>();
    for (const json& u : p.at("unknowns")) out.unknowns.push_back({u.at("name").get<std::string>(), u.at("order").get<int>()});
    for (const json& q : p.at("params")) out.params.emplace_back(q.at("name").get<std::string>(), q.at("value").get<double>());
    const json& n = j.at("network");
    out.widths = n.at("widths").get<std::vector<int>>();
    out.activation = n.at("activation").get<std::string>();
    out.input_scale = n.at("input_scale").get<double>();
    out.input_shift = n.at("input_shift").get<double>();
    out.theta = n.at("theta").get<std::vector<double>>();
    // A bundle's parameters, named: their index among problem.params (-1: not there).
    auto param_index = [&](const std::string& name) {
      auto q = std::find_if(out.params.begin(), out.params.end(), [&](const auto& p) { return p.first == name; });
      return q == out.params.end() ? -1 : static_cast<int>(q - out.params.begin());
    };
    if (n.contains("param_inputs"))
      for (const json& in : n.at("param_inputs")) {
        const std::string name = in.at("name").get<std::string>();
        out.param_inputs.push_back({name, param_index(name), in.at("scale").get<double>(), in.at("shift").get<double>()});
        if (out.param_inputs.back().index < 0) {
          *error = "network.param_inputs names '" + name + "', which is not one of the problem's params";
          return false;
        }
      }
    if (j.contains("bundle"))
      for (const json& b : j.at("bundle")) {
        const std::string name = b.at("name").get<std::string>();
        out.bundle.push_back({name, param_index(name), b.at("lower").get<double>(), b.at("upper").get<double>()});
        if (out.bundle.back().index < 0 || !(out.bundle.back().lower < out.bundle.back().upper)) {
          *error = "bundle: '" + name + "' is not a parameter of the problem, or its range is empty";
          return false;
        }
      }
    if (out.param_inputs.size() != out.bundle.size()) {
      *error = "network.param_inputs and bundle do not list the same parameters";
      return false;
    }
    if (j.contains("windows"))
      for (const json& w : j.at("windows"))
        out.pieces.push_back({w.at("interval").at(0).get<double>(), w.at("interval").at(1).get<double>(),
                              w.at("start").get<std::vector<double>>(), w.at("input_scale").get<double>(),
                              w.at("input_shift").get<double>(), w.at("theta").get<std::vector<double>>()});
    for (const json& t : j.at("trial"))
      out.trial.push_back({t.at("unknown").get<std::string>(), t.at("kind").get<std::string>(),
                           t.at("A").get<std::string>(), t.at("B").get<std::string>()});
    for (auto& [k, v] : j.at("results").items()) {
      if (v.is_number()) out.results.emplace_back(k, v.get<double>());
      else if (v.is_string()) out.notes.emplace_back(k, v.get<std::string>());
    }
    // Consistency: widths and theta must describe the same network.
    if (out.widths.size() < 2 || out.widths.front() != 1 + static_cast<int>(out.param_inputs.size()) ||
        out.widths.back() != static_cast<int>(out.unknowns.size())) {
      *error = fmt::format("network.widths: the first must be {} (time{}) and the last {} (one per unknown)",
                           1 + out.param_inputs.size(), out.param_inputs.empty() ? "" : " and the bundle's parameters",
                           out.unknowns.size());
      return false;
    }
    std::size_t count = 0;
    for (std::size_t l = 1; l < out.widths.size(); ++l) {
      if (out.widths[l] < 1) {
        *error = fmt::format("network.widths[{}]: a layer's width must be at least 1", l);
        return false;
      }
      count += static_cast<std::size_t>(out.widths[l]) * (out.widths[l - 1] + 1);
    }
    if (count != out.theta.size()) {
      *error = fmt::format("network.theta: the widths need {} weights but it has {}", count, out.theta.size());
      return false;
    }
    // A piecewise solution: windows in order, covering the interval, each network whole.
    std::size_t states = 0;
    for (const auto& u : out.unknowns) states += static_cast<std::size_t>(std::max(0, u.order));
    for (std::size_t i = 0; i < out.pieces.size(); ++i) {
      const post::Piece& w = out.pieces[i];
      const double expect_a = i == 0 ? out.t0 : out.pieces[i - 1].b;
      if (!(w.b > w.a) || w.a != expect_a || (i + 1 == out.pieces.size() && w.b != out.t1)) {
        *error = fmt::format("windows[{}]: the windows must cover the interval in order, end to end", i);
        return false;
      }
      if (w.theta.size() != count) {
        *error = fmt::format("windows[{}].theta: the widths need {} weights but it has {}", i, count, w.theta.size());
        return false;
      }
      if (w.start.size() != states) {
        *error = fmt::format("windows[{}].start: the state needs {} values but it has {}", i, states, w.start.size());
        return false;
      }
    }
    if (out.version < 2 && !out.pieces.empty()) {
      *error = "windows need model format version 2";
      return false;
    }
    *m = std::move(out);
  } catch (const json::exception& e) {
    *error = std::string("malformed model: ") + e.what();
    return false;
  }
  return true;
}

}  // namespace pinnc::train
