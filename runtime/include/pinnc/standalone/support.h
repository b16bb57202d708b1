// support.h — the driver of a standalone solver written by `pinnc emit`: trains with the
// runtime, evaluates the solution on a fine grid, reports like `pinnc train` and writes
// solution.csv, loss.csv and model.json in the same formats. C++17, standard library +
// the runtime only (this header is embedded into every emitted solver).
#ifndef PINNC_STANDALONE_SUPPORT_H
#define PINNC_STANDALONE_SUPPORT_H

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "pinnc/kernel_abi.h"
#include "pinnc/trainer.h"

namespace pinnc::standalone {

/// What the emitted code fixes at generation time: the problem, the runtime settings and
/// the text pieces that need the compiler (report lines, the static parts of model.json).
struct Spec {
  const pinnc_problem* problem = nullptr;
  rt::TrainerSettings settings;
  std::string source_file, variable;
  std::vector<std::string> unknowns;           ///< names, per unknown
  std::vector<std::string> equation_text;      ///< "FILE:LINE: the residual of `...`"
  std::vector<std::string> condition_text;     ///< "FILE:LINE: the condition `...`"
  std::string report_head;                     ///< the report's first two lines (problem, setup)
  std::string stages;                          ///< "adam:300,lm:200"
  std::string precision = "f64";
  std::string model_json_head;                 ///< "{ ... "problem": {...},\n"
  std::string model_json_trial;                ///< " "trial": [...],\n"
  std::string activation = "tanh";
  int fine_grid = 1001;
};

/// One optimizer stage as pinnc's driver builds it (other fields: runtime defaults).
inline rt::Stage make_stage(rt::OptimizerKind kind, int64_t epochs, double lr, double momentum) {
  rt::Stage s;
  s.optimizer = kind;
  s.epochs = epochs;
  s.lr = lr;
  s.momentum = momentum;
  return s;
}

/// %.17g: enough digits to round-trip a double (as pinnc's CSV files).
inline std::string format_number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// printf-style formatting into a std::string.
template <class... Args>
std::string format(const char* fmt, Args... args) {
  const int n = std::snprintf(nullptr, 0, fmt, args...);
  std::string s(std::size_t(n > 0 ? n : 0), '\0');
  std::snprintf(s.data(), s.size() + 1, fmt, args...);
  return s;
}

/// A JSON number as pinnc's model.json writes it: shortest round-trip digits, decimal
/// notation for exponents -4 < n <= 15 ("0.4", "300.0"), else "1.5e-07"; null when not
/// finite (JSON has no NaN).
inline std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  const std::string sci(buf, res.ptr);
  const std::size_t e = sci.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  const int k = int(digits.size()), n = std::atoi(sci.c_str() + e + 1) + 1;  // v = 0.digits * 10^n
  std::string out = v < 0 ? "-" : "";
  if (k <= n && n <= 15) {
    out += digits + std::string(std::size_t(n - k), '0') + ".0";
  } else if (0 < n && n <= 15) {
    out += digits.substr(0, std::size_t(n)) + "." + digits.substr(std::size_t(n));
  } else if (-4 < n && n <= 0) {
    out += "0." + std::string(std::size_t(-n), '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    const int x = n - 1;
    out += format("e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
  }
  return out;
}

/// Writes every file to a temporary name beside it, then renames them all: either all
/// are replaced or none is. False (with *error) on failure.
inline bool write_all_atomically(const std::vector<std::pair<std::string, std::string>>& files,
                                 std::string* error) {
  std::vector<std::string> temps;
  auto cleanup = [&temps] {
    for (const std::string& t : temps) std::remove(t.c_str());
  };
  for (const auto& [path, content] : files) {
    const std::filesystem::path p(path);
    const std::string tmp = (p.parent_path() / ("." + p.filename().string() + ".tmp")).string();
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) {
      *error = "cannot write '" + tmp + "'";
      cleanup();
      return false;
    }
    temps.push_back(tmp);
    bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    ok = std::fflush(f) == 0 && ok;
    ok = std::fclose(f) == 0 && ok;
    if (!ok) {
      *error = "cannot write '" + tmp + "'";
      cleanup();
      return false;
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i)
    if (std::rename(temps[i].c_str(), files[i].first.c_str()) != 0) {
      *error = "cannot replace '" + files[i].first + "'";
      temps.erase(temps.begin(), temps.begin() + std::ptrdiff_t(i));
      cleanup();
      return false;
    }
  return true;
}

/// One row of loss.csv.
struct LossRow {
  int64_t epoch = 0;
  std::string optimizer;
  rt::LossTerms terms;
};

/// Everything one run found out (the standalone counterpart of pinnc's TrainReport).
struct Run {
  rt::TrainResult result;
  double seconds = 0;
  std::vector<LossRow> history;
  std::vector<double> theta;
  rt::NetworkShape shape;
  std::vector<double> grid, u, residuals;  ///< u: ABI layout [(j(K+1)+k) n + p]; residuals [e n + p]
  double residual_rms = 0, training_residual_rms = 0;
  bool have_reference = false;
  std::vector<std::vector<double>> reference;  ///< [j][p], NaN rows where none
  std::vector<double> rel_l2, max_abs;
  double rel_l2_all = NAN, max_abs_all = 0;
  std::vector<std::string> warnings;
};

template <class Scalar>
void train_in(const Spec& spec, Run& run) {
  rt::Trainer<Scalar> trainer(*spec.problem, spec.settings);
  const auto start = std::chrono::steady_clock::now();
  run.result = trainer.train([&run](const rt::EpochReport& r) {
    run.history.push_back({r.epoch, rt::optimizer_name(r.optimizer), *r.loss});
    return true;
  });
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.theta = trainer.network().weights();
  run.shape = trainer.network().shape();
}

/// The fine-grid evaluation, the error against the file's exact solution, the verdict.
inline void evaluate(const Spec& spec, Run& run) {
  const pinnc_problem& pb = *spec.problem;
  const int U = pb.n_unknowns, K = pb.order, E = pb.n_equations;
  const Eigen::Index n = spec.fine_grid;
  run.grid.resize(std::size_t(n));
  for (Eigen::Index i = 0; i < n; ++i) run.grid[std::size_t(i)] = pb.t0 + (pb.t1 - pb.t0) * double(i) / double(n - 1);
  run.grid.back() = pb.t1;
  rt::Network<double> net(run.shape);
  net.set_weights(run.theta);
  run.u.assign(std::size_t(U * (K + 1) * n), 0.0);
  rt::evaluate_solution(pb, net, pb.params, run.grid.data(), n, K, run.u.data());
  run.residuals.assign(std::size_t(E * n), 0.0);
  rt::evaluate_residuals(pb, net, pb.params, run.grid.data(), n, run.residuals.data());
  double ss = 0;
  for (double r : run.residuals) ss += r * r;
  run.residual_rms = std::sqrt(ss / double(run.residuals.size()));
  run.training_residual_rms = std::sqrt(run.result.final_loss.residual / std::max(1, E));

  run.reference.assign(std::size_t(U), std::vector<double>(std::size_t(n), NAN));
  if (pb.kernels.exact_f64) {
    std::vector<double> ex(std::size_t(U * (K + 1) * n));
    pb.kernels.exact_f64(pb.kernels.ctx, n, run.grid.data(), pb.params, ex.data());
    for (int j = 0; j < U; ++j)
      for (Eigen::Index i = 0; i < n; ++i) run.reference[std::size_t(j)][std::size_t(i)] = ex[std::size_t(j * (K + 1) * n + i)];
  }
  double diff_all = 0, norm_all = 0;
  for (int j = 0; j < U; ++j) {
    const std::vector<double>& ref = run.reference[std::size_t(j)];
    double d2 = 0, n2 = 0, mx = 0;
    bool ok = true;
    for (Eigen::Index i = 0; i < n && ok; ++i) {
      const double r = ref[std::size_t(i)], v = run.u[std::size_t(j * (K + 1) * n + i)];
      ok = std::isfinite(r);
      d2 += (v - r) * (v - r);
      n2 += r * r;
      mx = std::max(mx, std::fabs(v - r));
    }
    if (!ok) {
      run.rel_l2.push_back(NAN);
      run.max_abs.push_back(NAN);
      continue;
    }
    run.have_reference = true;
    run.rel_l2.push_back(n2 > 0 ? std::sqrt(d2 / n2) : std::sqrt(d2 / double(n)));
    run.max_abs.push_back(mx);
    diff_all += d2, norm_all += n2;
    run.max_abs_all = std::max(run.max_abs_all, mx);
  }
  if (run.have_reference)
    run.rel_l2_all = norm_all > 0 ? std::sqrt(diff_all / norm_all) : std::sqrt(diff_all / double(n));

  if (run.have_reference && !(run.rel_l2_all <= 1e-2))
    run.warnings.push_back(format("the relative L2 error %.3g is above 1e-2", run.rel_l2_all));
  if (!(run.residual_rms <= std::max(10 * run.training_residual_rms, 1e-3)))
    run.warnings.push_back(format(
        "the residual RMS on a fine grid (%.3g) is far above the one on the training points (%.3g): "
        "the network fits the points but not the equation between them; use more --points",
        run.residual_rms, run.training_residual_rms));
  if (!run.have_reference && !(run.residual_rms <= 1e-2))
    run.warnings.push_back(
        format("the residual RMS %.3g is above 1e-2 and no reference exists to check against", run.residual_rms));
  if (pb.n_conditions > 0 && !(run.result.final_loss.conditions <= 1e-6))
    run.warnings.push_back(
        format("the soft conditions are not met (condition loss %.3g)", run.result.final_loss.conditions));
}

/// Column name of d^k u / dt^k: y, y', y''.
inline std::string derivative_name(const std::string& unknown, int k) { return unknown + std::string(std::size_t(k), '\''); }

inline std::string solution_csv(const Spec& spec, const Run& run) {
  const pinnc_problem& pb = *spec.problem;
  const int U = pb.n_unknowns, K = pb.order, E = pb.n_equations;
  const std::size_t n = run.grid.size();
  std::string out = spec.variable;
  for (int j = 0; j < U; ++j)
    for (int k = 0; k <= pb.unknown_order[j]; ++k) out += "," + derivative_name(spec.unknowns[std::size_t(j)], k);
  for (int j = 0; j < U; ++j)
    if (std::isfinite(run.reference[std::size_t(j)][0])) out += "," + spec.unknowns[std::size_t(j)] + "_exact";
  for (int e = 0; e < E; ++e) out += E == 1 ? std::string(",residual") : format(",residual%d", e + 1);
  out += '\n';
  for (std::size_t i = 0; i < n; ++i) {
    out += format_number(run.grid[i]);
    for (int j = 0; j < U; ++j)
      for (int k = 0; k <= pb.unknown_order[j]; ++k) out += "," + format_number(run.u[std::size_t(j * (K + 1) + k) * n + i]);
    for (int j = 0; j < U; ++j)
      if (std::isfinite(run.reference[std::size_t(j)][0])) out += "," + format_number(run.reference[std::size_t(j)][i]);
    for (int e = 0; e < E; ++e) out += "," + format_number(run.residuals[std::size_t(e) * n + i]);
    out += '\n';
  }
  return out;
}

inline std::string loss_csv(const Spec& spec, const Run& run) {
  std::string out = "epoch,optimizer,total,residual,conditions";
  for (int e = 0; e < spec.problem->n_equations; ++e) out += format(",equation%d", e + 1);
  for (int c = 0; c < spec.problem->n_conditions; ++c) out += format(",condition%d", c + 1);
  out += '\n';
  for (const LossRow& r : run.history) {
    out += format("%lld,%s,", static_cast<long long>(r.epoch), r.optimizer.c_str()) + format_number(r.terms.total) +
           "," + format_number(r.terms.residual) + "," + format_number(r.terms.conditions);
    for (double v : r.terms.equation) out += "," + format_number(v);
    for (double v : r.terms.condition) out += "," + format_number(v);
    out += '\n';
  }
  return out;
}

/// model.json: the precomputed head and trial parts around the trained network and results.
inline std::string model_json(const Spec& spec, const Run& run) {
  std::string out = spec.model_json_head;
  out += " \"network\": {\n  \"widths\": [\n";
  for (std::size_t i = 0; i < run.shape.widths.size(); ++i)
    out += format("   %d%s\n", run.shape.widths[i], i + 1 < run.shape.widths.size() ? "," : "");
  out += "  ],\n  \"activation\": \"" + spec.activation + "\",\n";
  out += "  \"input_scale\": " + json_number(run.shape.input_scale) + ",\n";
  out += "  \"input_shift\": " + json_number(run.shape.input_shift) + ",\n  \"theta\": [\n";
  for (std::size_t i = 0; i < run.theta.size(); ++i)
    out += "   " + json_number(run.theta[i]) + (i + 1 < run.theta.size() ? ",\n" : "\n");
  out += "  ]\n },\n" + spec.model_json_trial;
  const rt::LossTerms& l = run.result.final_loss;
  const std::pair<const char*, double> numbers[] = {
      {"loss", l.total},          {"loss_residual", l.residual}, {"loss_conditions", l.conditions},
      {"residual_rms", run.residual_rms}, {"rel_l2", run.rel_l2_all}, {"max_abs", run.max_abs_all},
      {"epochs", double(run.result.epochs)}};
  out += " \"results\": {\n";
  for (const auto& [k, v] : numbers) out += format("  \"%s\": ", k) + json_number(v) + ",\n";
  out += "  \"precision\": \"" + spec.precision + "\",\n";
  out += std::string("  \"reference\": \"") + (run.have_reference ? "exact" : "none") + "\",\n";
  out += std::string("  \"verdict\": \"") + (run.warnings.empty() ? "trusted" : "not trusted") + "\"\n }\n}\n";
  return out;
}

inline std::string report(const Spec& spec, const Run& run) {
  std::string out = spec.report_head;
  out += format("training  %lld epochs (%s) in %.3f s, stopped: %s\n", static_cast<long long>(run.result.epochs),
                spec.stages.c_str(), run.seconds, rt::stop_reason_name(run.result.reason));
  const rt::LossTerms& l = run.result.final_loss;
  out += format("loss      total %.3e  residual %.3e  conditions %.3e\n", l.total, l.residual, l.conditions);
  out += format("residual  RMS %.3e on %zu evenly spaced points (training points: %.3e)\n", run.residual_rms,
                run.grid.size(), run.training_residual_rms);
  if (!run.have_reference) {
    out += "error     no reference solution: the file gives no exact solution (no classical integrator in the "
           "standalone solver)\n";
  } else {
    out += "error     against the file's exact solution:\n";
    for (std::size_t j = 0; j < spec.unknowns.size(); ++j)
      if (!std::isnan(run.rel_l2[j]))
        out += format("          %-8s relative L2 %.3e   max abs %.3e\n", spec.unknowns[j].c_str(), run.rel_l2[j],
                      run.max_abs[j]);
  }
  if (run.warnings.empty()) {
    out += "verdict   trusted\n";
  } else {
    out += "verdict   NOT TO BE TRUSTED:\n";
    for (const std::string& w : run.warnings) out += "          - " + w + "\n";
  }
  return out;
}

/// Names the source line of a non-finite term ("equation 0" -> the equation's line).
inline std::string divergence_message(const Spec& spec, const std::string& message) {
  for (std::size_t e = 0; e < spec.equation_text.size(); ++e)
    if (message.find("equation " + std::to_string(e)) != std::string::npos)
      return spec.equation_text[e] + " became NaN or infinite";
  for (std::size_t c = 0; c < spec.condition_text.size(); ++c)
    if (message.find("condition " + std::to_string(c)) != std::string::npos)
      return spec.condition_text[c] + " became NaN or infinite";
  return spec.source_file + ": training diverged (" + message + ")";
}

/// The solver's main: `solver [--out DIR] [--quiet]`, training in precision Scalar (the
/// evaluation afterwards is float64, as in pinnc). Exit codes as `pinnc train`:
/// 0 trusted, 2 usage or output errors, 3 diverged (nothing written), 4 not trusted.
template <class Scalar>
int run_main(const Spec& spec, int argc, char** argv) {
  std::string out_dir = ".";
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--out" || a == "-o") && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: %s [--out DIR] [--quiet]\ntrains the network for %s and writes DIR/solution.csv, "
                  "loss.csv, model.json (default DIR: .)\n", argv[0], spec.source_file.c_str());
      return 0;
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s' (usage: %s [--out DIR] [--quiet])\n", argv[0], a.c_str(),
                   argv[0]);
      return 2;
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec || !std::filesystem::is_directory(out_dir)) {
    std::fprintf(stderr, "%s: cannot create the output folder '%s'\n", argv[0], out_dir.c_str());
    return 2;
  }
  Run run;
  try {
    train_in<Scalar>(spec, run);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 2;
  }
  if (run.result.reason == rt::StopReason::non_finite) {
    std::fprintf(stderr,
                 "%s\nerror: training diverged at epoch %lld (%s); nothing was written.\n"
                 "hint: lower the learning rate (--lr), train in float64 (--precision f64), or check that "
                 "the equation has a bounded solution on the interval\n",
                 divergence_message(spec, run.result.message).c_str(), static_cast<long long>(run.result.epochs),
                 rt::stop_reason_name(run.result.reason));
    return 3;
  }
  evaluate(spec, run);
  const std::filesystem::path dir(out_dir);
  std::string error;
  if (!write_all_atomically({{(dir / "solution.csv").string(), solution_csv(spec, run)},
                             {(dir / "loss.csv").string(), loss_csv(spec, run)},
                             {(dir / "model.json").string(), model_json(spec, run)}},
                            &error)) {
    std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
    return 2;
  }
  if (!quiet) {
    std::string text = report(spec, run);
    text += "output    " + out_dir + "/{solution.csv, loss.csv, model.json}\n";
    std::fputs(text.c_str(), stdout);
  }
  return run.warnings.empty() ? 0 : 4;
}

}  // namespace pinnc::standalone

#endif  // PINNC_STANDALONE_SUPPORT_H
