// standalone.cpp — see standalone.h. The program is assembled from a small structure of
// text pieces (comment, runtime, kernels, problem data, main), each printed with fmt.
#include "codegen/cpp/standalone.h"

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "codegen/cpp/cpp_kernels.h"
#include "codegen/cpp/runtime_embed.h"
#include "pinnc/runtime.h"
#include "pinnc/post/outcome.h"
#include "base/version.h"

namespace pinnc::cppgen {

namespace {

/// A double as a C++ literal in shortest round-trip form (always with '.' or 'e').
std::string number(double v) {
  if (!std::isfinite(v)) throw std::logic_error("pinnc bug (standalone.cpp): non-finite constant");
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

/// Text in a // comment: no line splices, no carriage returns.
std::string comment_safe(std::string s) {
  for (char& c : s)
    if (c == '\\' || c == '\r' || c == '\n') c = ' ';
  return s;
}

/// A long text as adjacent string literals, one per line of the text, indented.
std::string multiline_literal(const std::string& text, const std::string& indent) {
  if (text.empty()) return "\"\"";
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string::npos ? text.size() : nl + 1;
    if (!out.empty()) out += "\n" + indent;
    out += string_literal(text.substr(start, end - start));
    start = end;
  }
  return out;
}

/// A bound as C++: a number, or +-HUGE_VAL for none.
std::string bound_literal(double v) {
  if (std::isinf(v)) return v > 0 ? "HUGE_VAL" : "-HUGE_VAL";
  return number(v);
}

/// The runtime's settings as code: printed from the one mapping of options to runtime
/// settings (plan::trainer_settings), so the emitted solver cannot derive them differently.
std::string settings_code(const rt::TrainerSettings& st) {
  std::string hidden;
  for (int w : st.hidden) hidden += (hidden.empty() ? "" : ", ") + std::to_string(w);
  std::string out;
  auto line = [&out](const std::string& code, const std::string& comment) {
    out += fmt::format("  {:<58}// {}\n", code, comment);
  };
  line(fmt::format("s.hidden = {{{}}};", hidden), "net: hidden layer widths");
  line(fmt::format("s.activation = rt::Activation::{};", rt::activation_name(st.activation)), "act");
  line(fmt::format("s.leaky_slope = {};", number(st.leaky_slope)), "leaky_relu's slope for x < 0");
  line(fmt::format("s.init = rt::Init::{};", st.init == rt::Init::torch_uniform ? "torch_uniform" : "glorot_normal"),
       "init");
  line(fmt::format("s.input_scaling = {};", st.input_scaling ? "true" : "false"), "scaling: map [t0, t1] to [-1, 1]");
  out += "  s.schedule = {\n";
  const rt::Stage defaults;
  for (const rt::Stage& sg : st.schedule) {
    // The mapping sets these four; a stage field it would set beyond them must be printed too.
    if (sg.beta1 != defaults.beta1 || sg.beta2 != defaults.beta2 || sg.eps != defaults.eps ||
        sg.history != defaults.history || sg.lambda0 != defaults.lambda0 || sg.patience != defaults.patience ||
        sg.min_improvement != defaults.min_improvement)
      throw std::logic_error("pinnc bug (standalone.cpp): a stage setting is not printed");
    out += fmt::format("      pinnc::standalone::make_stage(rt::OptimizerKind::{}, /*epochs=*/{}, /*lr=*/{}, "
                       "/*momentum=*/{}),\n",
                       rt::optimizer_name(sg.optimizer), sg.epochs, number(sg.lr), number(sg.momentum));
  }
  out += "  };\n";
  line(fmt::format("s.points = {};", st.points), "points: collocation points");
  line(fmt::format("s.sampling.kind = rt::Sampling::{};", rt::sampling_name(st.sampling.kind)),
       "sampling");
  line(fmt::format("s.sampling.sigma = {};", number(st.sampling.sigma)), "jitter sigma, in units of t");
  line(fmt::format("s.sampling.resample_every = {};", st.sampling.resample_every), "resample");
  line(fmt::format("s.seed = {}u;", st.seed), "seed: same seed, same result");
  std::string weights;
  for (double w : st.condition_weights) weights += (weights.empty() ? "" : ", ") + number(w);
  line(fmt::format("s.condition_weights = {{{}}};", weights), "cond-weight, per soft condition");
  line(fmt::format("s.loss_tolerance = {};", number(st.loss_tolerance)), "tol: stop below this loss (0: off)");
  line(fmt::format("s.threads = {};", st.threads), "threads");
  if (!st.params.empty())
    throw std::logic_error("pinnc bug (standalone.cpp): parameter overrides are not printed");
  line(fmt::format("s.data_weight = {};", number(st.data_weight)), "data-weight");
  if (!st.data.empty()) {
    out += "  s.data = {  // the `data` measurements: {t, unknown, value}\n";
    for (const rt::DataPoint& d : st.data)
      out += fmt::format("      {{{}, {}, {}}},\n", number(d.t), d.unknown, number(d.value));
    out += "  };\n";
  }
  // Parameter indices with their lower and upper bounds: three braced lists.
  auto indexed = [&](const char* field, const std::vector<int>& q, const std::vector<double>& lo,
                     const std::vector<double>& hi, const std::string& what) {
    if (q.empty()) return;
    std::string qs, los, his;
    for (std::size_t i = 0; i < q.size(); ++i) {
      qs += (i ? ", " : "") + std::to_string(q[i]);
      los += (i ? ", " : "") + bound_literal(lo[i]);
      his += (i ? ", " : "") + bound_literal(hi[i]);
    }
    line(fmt::format("s.{} = {{{}}};", field, qs), what);
    line(fmt::format("s.{}_lower = {{{}}};", field, los), "their lower bounds");
    line(fmt::format("s.{}_upper = {{{}}};", field, his), "their upper bounds");
  };
  indexed("bundle", st.bundle, st.bundle_lower, st.bundle_upper, "a solution bundle: parameters that are network inputs");
  if (!st.bundle.empty()) line(fmt::format("s.bundle_samples = {};", st.bundle_samples), "bundle-samples, per parameter");
  indexed("identify", st.identify, st.identify_lower, st.identify_upper,
          "parameters identified from the data (param k = ?)");
  return out;
}

/// A list of strings as a braced initializer, one per line.
std::string string_list(const std::vector<std::string>& items, const std::string& indent) {
  if (items.empty()) return "{}";
  std::string out = "{\n";
  for (const std::string& s : items) out += indent + "    " + string_literal(s) + ",\n";
  return out + indent + "}";
}

/// What the compiler knew about the run (post::RunInfo) as code.
std::string info_code(const post::RunInfo& info) {
  std::string out;
  out += fmt::format("  i.pinnc_version = {};\n", string_literal(info.pinnc_version));
  out += fmt::format("  i.source_file = {};\n", string_literal(info.source_file));
  out += "  i.source_text =\n      " + multiline_literal(info.source_text, "      ") + ";\n";
  out += fmt::format("  i.variable = {};\n", string_literal(info.variable));
  out += fmt::format("  i.t0 = {};\n  i.t1 = {};\n  i.order = {};\n", number(info.t0), number(info.t1), info.order);
  out += "  i.unknowns = {\n";
  for (const post::UnknownInfo& u : info.unknowns)
    out += fmt::format("      {{{}, {}, {}, {}, {}}},\n", string_literal(u.name), u.order, string_literal(u.trial_kind),
                       string_literal(u.trial_a), string_literal(u.trial_b));
  out += "  };\n  i.params = {\n";
  for (const auto& [name, value] : info.params)
    out += fmt::format("      {{{}, {}}},\n", string_literal(name), number(value));
  out += "  };\n";
  out += "  i.equation_where = " + string_list(info.equation_where, "  ") + ";\n";
  out += "  i.aux_names = " + string_list(info.aux_names, "  ") + ";\n";
  out += "  i.identified = {\n";
  for (const post::IdentifiedInfo& q : info.identified)
    out += fmt::format("      {{{}, {}, {}, {}, {}}},\n", string_literal(q.name), q.index, number(q.guess),
                       bound_literal(q.lower), bound_literal(q.upper));
  out += "  };\n";
  out += "  i.data_files = " + string_list(info.data_files, "  ") + ";\n";
  out += fmt::format("  i.data_noise = {};\n", number(info.data_noise));
  out += "  i.bundle = {\n";
  for (const post::RangedInfo& r : info.bundle)
    out += fmt::format("      {{{}, {}, {}, {}}},\n", string_literal(r.name), r.index, number(r.lower), number(r.upper));
  out += "  };\n";
  out += "  i.condition_where = " + string_list(info.condition_where, "  ") + ";\n";
  out += "  i.settings = {\n";
  for (const auto& [k, v] : info.settings) out += fmt::format("      {{{}, {}}},\n", string_literal(k), string_literal(v));
  out += "  };\n";
  out += fmt::format("  i.activation = {};\n  i.sampling = {};\n  i.precision = {};\n  i.backend = {};\n",
                     string_literal(info.activation), string_literal(info.sampling), string_literal(info.precision),
                     string_literal(info.backend));
  out += fmt::format("  i.stages = {};\n  i.points = {};\n", string_literal(info.stages), info.points);
  const post::ReferencePlan& r = info.reference;
  out += "  // The classical reference (post/reference.h on the residual kernel), as pinnc planned it.\n";
  out += fmt::format("  i.reference.possible = {};\n", r.possible ? "true" : "false");
  out += fmt::format("  i.reference.variable = {};\n", string_literal(r.variable));
  out += fmt::format("  i.reference.linear = {};\n  i.reference.explicit_form = {};\n", r.linear ? "true" : "false",
                     r.explicit_form ? "true" : "false");
  if (r.possible && !r.boundary) {
    std::string x0;
    for (double v : r.x0) x0 += (x0.empty() ? "" : ", ") + number(v);
    out += fmt::format("  i.reference.a = {};\n  i.reference.x0 = {{{}}};\n", number(r.a), x0);
  } else if (r.possible) {
    std::string values;
    for (const post::PlainValue& v : r.values)
      values += fmt::format("{}{{{}, {}, {}, {}}}", values.empty() ? "" : ", ", v.unknown, v.order, number(v.point),
                            number(v.value));
    out += fmt::format("  i.reference.boundary = true;\n  i.reference.values = {{{}}};\n", values);
    for (const post::AffineCondition& c : r.affine) {
      std::string terms;
      for (const post::AffineCondition::Term& t : c.terms)
        terms += fmt::format("{}{{{}, {}, {}}}", terms.empty() ? "" : ", ", t.unknown, t.order, number(t.coefficient));
      out += fmt::format("  i.reference.affine.push_back({{{}, {}, {{{}}}}});\n", number(c.point), number(c.value), terms);
    }
  } else {
    out += fmt::format("  i.reference.why_not = {};\n", string_literal(r.why_not));
  }
  out += fmt::format("  i.rtol = {};\n  i.atol = {};\n", number(info.rtol), number(info.atol));
  out += fmt::format("  i.fine_grid = {};\n", info.fine_grid);
  out += fmt::format("  i.windows = {};\n  i.budget = {};\n", string_literal(info.windows), number(info.budget));
  out += fmt::format("  i.memory_limit = {};\n", number(info.memory_limit));
  return out;
}

std::string problem_code(const Problem& p, const lower::Lowered& lowered) {
  const lower::KernelModule& m = lowered.module;
  const std::vector<double>& points = lowered.soft_points;
  std::string out = "namespace problem_data {\n\n";
  if (!points.empty()) {
    out += "/// The points of the soft conditions (loss terms), in kernel order.\n";
    out += "const double condition_points[] = {\n";
    for (std::size_t c = 0; c < points.size(); ++c) {
      const Condition& cond = p.conditions[lowered.soft_conditions[c]];
      out += fmt::format("    {},  // line {}: {}\n", number(points[c]), cond.line,
                         comment_safe(cond.text));
    }
    out += "};\n\n";
  }
  if (!p.params.empty()) {
    out += "/// Parameter values, in declaration order.\n";
    out += "const double params[] = {\n";
    for (const Param& q : p.params) out += fmt::format("    {},  // {}\n", number(q.value), comment_safe(q.name));
    out += "};\n\n";
  }
  out += "/// The highest derivative order of each unknown.\n";
  out += "const int32_t unknown_order[] = {\n";
  for (const Unknown& u : p.unknowns) out += fmt::format("    {},  // {}\n", u.order, comment_safe(u.name));
  out += "};\n\n" + emit_pattern_arrays(m) + "}  // namespace problem_data\n\n";

  out += "/// The problem as the runtime sees it (kernel_abi.h).\n";
  out += "static pinnc_problem make_problem() {\n  pinnc_problem pb{};\n";
  out += fmt::format("  pb.n_unknowns = {};\n  pb.order = {};\n  pb.n_equations = {};\n  pb.n_conditions = {};\n"
                     "  pb.n_params = {};\n  pb.n_aux = {};\n",
                     m.n_unknowns, m.order, m.n_equations, m.n_conditions, m.n_params, m.n_aux);
  out += fmt::format("  pb.t0 = {};\n  pb.t1 = {};\n", number(p.t0), number(p.t1));
  out += fmt::format("  pb.condition_points = {};\n",
                     points.empty() ? "nullptr" : "problem_data::condition_points");
  out += fmt::format("  pb.params = {};\n", p.params.empty() ? "nullptr" : "problem_data::params");
  out += "  pb.unknown_order = problem_data::unknown_order;\n";
  out += emit_abi_wiring(m, "pb", "problem_data::", "problem_kernels::");
  out += "  return pb;\n}\n";
  return out;
}

std::string main_code(const plan::RunSpec& run) {
  std::string out = "int main(int argc, char** argv) {\n  namespace rt = pinnc::rt;\n";
  out += "  const pinnc_problem problem = make_problem();\n  pinnc::standalone::Spec spec;\n";
  out += "  spec.problem = &problem;\n\n";
  out += "  // Training settings, as pinnc derived them from the file's `set` lines and the flags.\n";
  out += "  rt::TrainerSettings& s = spec.settings;\n";
  out += settings_code(run.settings);
  out += "\n  // What the report and the output files say about the problem and the run.\n";
  out += "  pinnc::post::RunInfo& i = spec.info;\n";
  out += info_code(run.info);
  out += fmt::format("\n  return pinnc::standalone::run_main<{}>(spec, argc, argv);  // trains in {}\n}}\n",
                     run.precision == Precision::f32 ? "float" : "double", spelling(run.precision));
  return out;
}

}  // namespace

std::string standalone_build_line(const std::string& source_name) {
  std::string binary = std::filesystem::path(source_name).stem().string();
  if (binary.empty() || binary == source_name) binary = "solver";
  return fmt::format("g++ -std=c++17 -O2 -march=native -ffp-contract=off -I/usr/include/eigen3 {} -o {}",
                     source_name, binary);
}

std::string emit_standalone(const Problem& p, const lower::Lowered& lowered, const plan::RunSpec& run,
                            const std::string& output_name) {
  const lower::KernelModule& m = lowered.module;
  std::string out;
  out += fmt::format("// {} — a standalone physics-informed solver for {}, written by pinnc {} (`pinnc emit`).\n",
                     comment_safe(std::filesystem::path(output_name).filename().string()), comment_safe(p.file_name),
                     version());
  out += "//\n// Build:\n//   " + comment_safe(standalone_build_line(output_name)) + "\n";
  const std::string build = standalone_build_line(output_name);
  out += "// Run:\n//   ./" + comment_safe(build.substr(build.rfind(' ') + 1)) + " [--out DIR] [--quiet]\n";
  out += "// trains the network with the settings in main() (the same seed, so the same result as `pinnc train`\n"
         "// with these settings), prints a report and writes DIR/solution.csv, loss.csv and model.json (default\n"
         "// DIR: the current folder). model.json is readable by `pinnc eval` and `pinnc emit --model`.\n"
         "// Needs only a C++17 compiler, Eigen 3.4 and Boost's header-only libraries (Boost.Random for\n"
         "// sobol sampling, Boost.Odeint for the classical reference solution).\n"
         "// -ffp-contract=off keeps a*b+c unfused, as in pinnc, so the numbers agree bit for bit.\n//\n";
  out += "// The problem (" + comment_safe(p.file_name) + "):\n";
  std::size_t start = 0;
  while (start < p.source.size()) {
    std::size_t nl = p.source.find('\n', start);
    std::string line = p.source.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += "//   " + comment_safe(line) + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  out += "//\n// Sections: 1. pinnc's runtime (header-only, Eigen)  2. the problem's kernels  3. the problem\n"
         "// description  4. settings and main().\n\n";
  out += "// ==== 1. pinnc's runtime ===================================================================\n\n";
  // Eigen is third-party code: its headers' warnings (e.g. unused variables in its AVX
  // kernels under -Wall) are not this file's, so they are silenced where Eigen is included.
  out += "#pragma GCC diagnostic push\n#pragma GCC diagnostic ignored \"-Wunused-variable\"\n"
         "#pragma GCC diagnostic ignored \"-Wunused-parameter\"\n"
         "#pragma GCC diagnostic ignored \"-Wmaybe-uninitialized\"\n"
         "#pragma GCC diagnostic ignored \"-Wuninitialized\"\n"
         "#pragma GCC diagnostic ignored \"-Wdeprecated-copy\"\n"
         "#include <Eigen/Cholesky>\n#include <Eigen/Core>\n#pragma GCC diagnostic pop\n\n";
  out += amalgamate_runtime({"pinnc/runtime.h", "pinnc/standalone/support.h"});
  out += "// ==== 2. the problem's kernels (residuals, conditions, trial solution, exact solution) ======\n\n";
  out += "#include <cmath>\n#include <cstdint>\n#include <limits>\n\n";
  KernelNames names;
  names.variable = p.indep_name;
  for (const Unknown& u : p.unknowns) names.unknowns.push_back(u.name);
  for (const Param& q : p.params) names.params.push_back(q.name);
  // In a namespace: the ABI's typedef names (pinnc_trial_f64, ...) equal the kernels' symbol names.
  out += "namespace problem_kernels {\n\n" + emit_kernels(m, names) + "\n}  // namespace problem_kernels\n\n";
  out += "// ==== 3. the problem ========================================================================\n\n";
  out += problem_code(p, lowered) + "\n";
  out += "// ==== 4. settings and main() ================================================================\n\n";
  out += main_code(run);
  return out;
}

}  // namespace pinnc::cppgen
