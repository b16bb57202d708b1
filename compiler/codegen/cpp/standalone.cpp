// standalone.cpp — see standalone.h. The program is assembled from a small structure of
// text pieces (comment, runtime, kernels, problem data, main), each printed with fmt.
#include "codegen/cpp/standalone.h"

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "codegen/cpp/cpp_kernels.h"
#include "codegen/cpp/runtime_embed.h"
#include "pinnc/runtime.h"
#include "train/model.h"
#include "version.h"

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

/// The runtime's settings exactly as pinnc's training session derives them.
std::string settings_code(const train::Prepared& prep, const train::TrainOptions& opt) {
  rt::Activation act{};
  rt::Sampling sampling{};
  if (!rt::parse_activation(opt.activation, act) || !rt::parse_sampling(opt.sampling, sampling))
    throw std::logic_error("pinnc bug (standalone.cpp): settings were not validated");
  std::string hidden;
  for (int w : opt.net) hidden += (hidden.empty() ? "" : ", ") + std::to_string(w);
  std::string out;
  auto line = [&out](const std::string& code, const std::string& comment) {
    out += fmt::format("  {:<58}// {}\n", code, comment);
  };
  line(fmt::format("s.hidden = {{{}}};", hidden), "net: hidden layer widths");
  line(fmt::format("s.activation = rt::Activation::{};", rt::activation_name(act)), "act");
  line(fmt::format("s.init = rt::Init::{};", opt.init == "torch" ? "torch_uniform" : "glorot_normal"),
       "init: " + opt.init);
  line(fmt::format("s.input_scaling = {};", opt.scaling ? "true" : "false"), "scaling: map [t0, t1] to [-1, 1]");
  out += "  s.schedule = {\n";
  for (const train::Stage& st : opt.schedule) {
    rt::OptimizerKind kind{};
    if (!rt::parse_optimizer(st.optimizer, kind))
      throw std::logic_error("pinnc bug (standalone.cpp): unknown optimizer " + st.optimizer);
    const int epochs = st.epochs ? st.epochs : opt.epochs;
    const double lr = opt.lr > 0 ? opt.lr : (kind == rt::OptimizerKind::sgd ? 8e-3 : 1e-3);
    out += fmt::format("      pinnc::standalone::make_stage(rt::OptimizerKind::{}, /*epochs=*/{}, /*lr=*/{}, "
                       "/*momentum=*/{}),\n",
                       rt::optimizer_name(kind), epochs, number(lr), number(opt.momentum));
  }
  out += "  };\n";
  line(fmt::format("s.points = {};", opt.points), "points: collocation points");
  line(fmt::format("s.sampling.kind = rt::Sampling::{};", rt::sampling_name(sampling)), "sampling: " + opt.sampling);
  line(fmt::format("s.sampling.sigma = {};", number(opt.jitter)), "jitter sigma, in units of t");
  line(fmt::format("s.sampling.resample_every = {};", opt.resample), "resample");
  line(fmt::format("s.seed = {}u;", opt.seed), "seed: same seed, same result");
  line(fmt::format("s.condition_weights.assign({}, {});", prep.abi.n_conditions, number(opt.condition_weight)),
       "cond-weight, per soft condition");
  line(fmt::format("s.loss_tolerance = {};", number(opt.tolerance)), "tol: stop below this loss (0: off)");
  line(fmt::format("s.threads = {};", opt.threads), "threads");
  return out;
}

/// model.json as `pinnc train` writes it, split around the parts only training knows.
void model_json_pieces(const train::Prepared& prep, const train::TrainOptions& opt, std::string* head,
                       std::string* trial) {
  train::TrainReport rep;
  rep.widths = {1};
  for (int w : opt.net) rep.widths.push_back(w);
  rep.widths.push_back(prep.abi.n_unknowns);
  const std::string json = train::to_json(train::make_model(prep, opt, rep));
  const std::size_t net = json.find("\n \"network\": {"), tr = json.find("\n \"trial\": ["),
                    res = json.find("\n \"results\": {");
  if (net == std::string::npos || tr == std::string::npos || res == std::string::npos || !(net < tr && tr < res))
    throw std::logic_error("pinnc bug (standalone.cpp): unexpected model.json layout");
  *head = json.substr(0, net + 1);
  *trial = json.substr(tr + 1, res - tr);
}

/// The report's first two lines (problem, setup), exactly as `pinnc train` prints them.
std::string report_head(const train::Prepared& prep, const train::TrainOptions& opt) {
  train::TrainReport rep;
  rep.widths = {1};
  for (int w : opt.net) rep.widths.push_back(w);
  rep.widths.push_back(prep.abi.n_unknowns);
  std::size_t n = 0;
  for (std::size_t l = 1; l < rep.widths.size(); ++l) n += std::size_t(rep.widths[l]) * (rep.widths[l - 1] + 1);
  rep.theta.assign(n, 0.0);
  std::string text = train::report_text(prep, opt, rep);
  std::size_t second = text.find('\n', text.find('\n') + 1);
  return text.substr(0, second + 1);
}

std::string problem_code(const train::Prepared& prep) {
  const Problem& p = prep.problem;
  const lower::KernelModule& m = prep.lowered.module;
  std::string out = "namespace problem_data {\n\n";
  if (!prep.condition_points.empty()) {
    out += "/// The points of the soft conditions (loss terms), in kernel order.\n";
    out += "const double condition_points[] = {\n";
    for (std::size_t c = 0; c < prep.condition_points.size(); ++c) {
      const Condition& cond = p.conditions[prep.lowered.soft_conditions[c]];
      out += fmt::format("    {},  // line {}: {}\n", number(prep.condition_points[c]), cond.line,
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
                     "  pb.n_params = {};\n",
                     m.n_unknowns, m.order, m.n_equations, m.n_conditions, m.n_params);
  out += fmt::format("  pb.t0 = {};\n  pb.t1 = {};\n", number(p.t0), number(p.t1));
  out += fmt::format("  pb.condition_points = {};\n",
                     prep.condition_points.empty() ? "nullptr" : "problem_data::condition_points");
  out += fmt::format("  pb.params = {};\n", p.params.empty() ? "nullptr" : "problem_data::params");
  out += "  pb.unknown_order = problem_data::unknown_order;\n";
  out += emit_abi_wiring(m, "pb", "problem_data::", "problem_kernels::");
  out += "  return pb;\n}\n";
  return out;
}

std::string main_code(const train::Prepared& prep, const train::TrainOptions& opt) {
  const Problem& p = prep.problem;
  std::string head, trial;
  model_json_pieces(prep, opt, &head, &trial);
  std::string stages;
  for (const auto& [k, v] : opt.describe())
    if (k == "opt") stages = v;
  std::string out = "int main(int argc, char** argv) {\n  namespace rt = pinnc::rt;\n";
  out += "  const pinnc_problem problem = make_problem();\n  pinnc::standalone::Spec spec;\n";
  out += "  spec.problem = &problem;\n\n";
  out += "  // Training settings, as pinnc derived them from the file's `set` lines and the flags.\n";
  out += "  rt::TrainerSettings& s = spec.settings;\n";
  out += settings_code(prep, opt);
  out += fmt::format("  spec.precision = {};\n\n", string_literal(opt.precision));
  out += "  // What the report and the output files say.\n";
  out += fmt::format("  spec.source_file = {};\n", string_literal(p.file_name));
  out += fmt::format("  spec.variable = {};\n", string_literal(p.indep_name));
  std::string names;
  for (const Unknown& u : p.unknowns) names += (names.empty() ? "" : ", ") + string_literal(u.name);
  out += fmt::format("  spec.unknowns = {{{}}};\n", names);
  out += "  spec.equation_text = {\n";
  for (const Equation& e : p.equations)
    out += "      " + string_literal(fmt::format("{}:{}: the residual of `{}`", p.file_name, e.line, e.text)) + ",\n";
  out += "  };\n  spec.condition_text = {\n";
  for (int c : prep.lowered.soft_conditions) {
    const Condition& cond = p.conditions[c];
    out += "      " + string_literal(fmt::format("{}:{}: the condition `{}`", p.file_name, cond.line, cond.text)) +
           ",\n";
  }
  out += "  };\n";
  out += fmt::format("  spec.stages = {};\n", string_literal(stages));
  out += fmt::format("  spec.activation = {};\n", string_literal(opt.activation));
  out += "  spec.report_head =\n      " + multiline_literal(report_head(prep, opt), "      ") + ";\n";
  out += "  spec.model_json_head =\n      " + multiline_literal(head, "      ") + ";\n";
  out += "  spec.model_json_trial =\n      " + multiline_literal(trial, "      ") + ";\n\n";
  out += fmt::format("  return pinnc::standalone::run_main<{}>(spec, argc, argv);  // trains in {}\n}}\n",
                     opt.precision == "f32" ? "float" : "double", opt.precision);
  return out;
}

}  // namespace

std::string standalone_build_line(const std::string& source_name) {
  std::string binary = std::filesystem::path(source_name).stem().string();
  if (binary.empty() || binary == source_name) binary = "solver";
  return fmt::format("g++ -std=c++17 -O2 -march=native -ffp-contract=off -I/usr/include/eigen3 {} -o {}",
                     source_name, binary);
}

std::string emit_standalone(const train::Prepared& prep, const train::TrainOptions& opt,
                            const std::string& output_name) {
  const Problem& p = prep.problem;
  const lower::KernelModule& m = prep.lowered.module;
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
         "// Needs only a C++17 compiler, Eigen 3.4 and Boost's header-only Boost.Random (sobol sampling).\n"
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
  out += problem_code(prep) + "\n";
  out += "// ==== 4. settings and main() ================================================================\n\n";
  out += main_code(prep, opt);
  return out;
}

}  // namespace pinnc::cppgen
