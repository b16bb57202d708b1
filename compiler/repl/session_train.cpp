// session_train.cpp — the REPL commands around a trained solution: :train (warm start
// when the network is unchanged), evaluation at points, :plot, :savemodel, :emit.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "codegen/cpp/evaluator.h"
#include "codegen/cpp/standalone.h"
#include "frontend/lexer.h"
#include "frontend/parser.h"
#include "plot/plot.h"
#include "repl/point_eval.h"
#include "repl/session.h"
#include "repl/session_impl.h"
#include "symbolic/symbolic.h"
#include "train/files.h"

namespace pinnc::repl {

namespace {

std::string widths_text(const std::vector<int>& widths) {
  std::string s;
  for (std::size_t i = 0; i < widths.size(); ++i) s += (i ? "-" : "") + std::to_string(widths[i]);
  return s;
}

/// Splits at blanks.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

}  // namespace

bool Session::options_for(const Problem& problem, const SourceFile& src, TrainOptions* opt,
                          const std::map<std::string, std::string>& run_flags) const {
  std::string error;
  for (const FileSetting& s : problem.settings)
    if (!opt->set(s.key, s.value, &error)) {
      console_.err(render_message(src, Message{Severity::Error, s.range, error, {}}));
      return false;
    }
  for (const std::string& key : option_keys())
    if (auto it = run_flags.find(key); it != run_flags.end() && !opt->set(key, it->second, &error)) {
      console_.err(fmt::format("error: {}={}: {}\n", key, it->second, error));
      return false;
    }
  return true;
}

int Session::settings_words(std::string_view args, const SourceFile& input, const char* command,
                            std::map<std::string, std::string>* out) const {
  const auto& keys = option_keys();
  for (std::string_view w : words(args)) {
    std::size_t eq = w.find('=');
    std::string key(w.substr(0, eq));
    if (key.rfind("--", 0) == 0) key = key.substr(2);
    for (const auto& [alias, name] : setting_aliases())
      if (key == alias) key = name;
    if (eq == std::string_view::npos || std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string all;
      for (const std::string& k : keys) all += (all.empty() ? "" : " ") + k;
      return usage_error(input,
                         eq == std::string_view::npos
                             ? fmt::format("'{}' is not a setting: {} takes key=value, e.g. epochs=2000", w, command)
                             : fmt::format("unknown setting '{}'", key),
                         "settings: " + all);
    }
    std::string value(w.substr(eq + 1)), error;
    TrainOptions scratch;
    if (!scratch.set(key, value, &error)) return usage_error(input, fmt::format("{}: {}", key, error));
    (*out)[key] = value;
  }
  return kOk;
}

train::Model Session::evaluation_model() const {
  train::Model m = trained_->model;
  for (const auto& r : m.bundle)
    if (auto it = bundle_values_.find(r.name); it != bundle_values_.end())
      m.params[static_cast<std::size_t>(r.index)].second = it->second;
  return m;
}

int Session::cmd_param(std::string_view args, const SourceFile& input) {
  if (!trained_ || trained_->model.bundle.empty())
    return usage_error(input, "there is no trained solution bundle", "a bundle has a ranged parameter, as in "
                       "'param k in [0.5, 2]'; train it with :train");
  const train::Model& model = trained_->model;
  std::string text(trim(args));
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of(" \t,", start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    start = text.find_first_not_of(" \t,", end);
    if (start == std::string::npos) start = text.size();
    if (word.empty()) continue;
    const std::size_t eq = word.find('=');
    char* stop = nullptr;
    const double v = eq == std::string::npos ? 0 : std::strtod(word.c_str() + eq + 1, &stop);
    if (eq == std::string::npos || eq + 1 == word.size() || *stop != '\0' || !std::isfinite(v))
      return usage_error(input, fmt::format("'{}' is not name=value", word), "e.g. :param k=1.7");
    const std::string name = word.substr(0, eq);
    auto r = std::find_if(model.bundle.begin(), model.bundle.end(), [&](const auto& b) { return b.name == name; });
    if (r == model.bundle.end())
      return usage_error(input, fmt::format("'{}' is not a ranged parameter of the trained bundle", name));
    if (v < r->lower || v > r->upper)
      console_.err(fmt::format("warning: {} = {} lies outside the trained range [{}, {}]; values there are "
                               "extrapolation\n", name, v, r->lower, r->upper));
    bundle_values_[name] = v;
  }
  std::string line;
  const train::Model m = evaluation_model();
  for (const auto& r : m.bundle)
    line += fmt::format("{}{} = {}", line.empty() ? "" : ", ", r.name,
                        sym::format_number(m.params[static_cast<std::size_t>(r.index)].second));
  console_.out("bundle values: " + line + "\n");
  return kOk;
}

int Session::cmd_set(std::string_view args, const SourceFile& input) {
  if (trim(args).empty()) {
    console_.out(settings_line());
    return kOk;
  }
  std::map<std::string, std::string> flags;
  if (int rc = settings_words(args, input, ":set", &flags)) return rc;
  // Each becomes a `set key = value` statement (replacing one for the same key), so the
  // settings show in :show, are saved by :save and are reset by :load, like the file's.
  for (const std::string& key : option_keys())
    if (auto it = flags.find(key); it != flags.end()) {
      TrainOptions scratch;  // the value as the settings write it (hidden=[5] -> net = 5)
      std::string error;
      scratch.set(key, it->second, &error);
      const std::string line = fmt::format("set {} = {}", key, scratch.value_of(key));
      if (int rc = enter_statements(input_file(input_name_, line_number_, line), line)) return rc;
    }
  return kOk;
}

std::string Session::settings_line() const {
  Compiled c = compile(stmts_);
  TrainOptions opt;
  if (c.problem) {
    std::string error;
    for (const FileSetting& s : c.problem->settings) opt.set(s.key, s.value, &error);
  }
  std::string out = "training settings:";
  for (const auto& [k, v] : opt.describe()) out += fmt::format(" {}={}", k, v);
  return out + "\n  (`set` statements and :set key=value change them for every run, :train key=value for one run)\n";
}

int Session::cmd_train(std::string_view args, const SourceFile& input) {
  // key=value settings for this run only, validated before anything changes.
  std::map<std::string, std::string> flags;
  if (int rc = settings_words(args, input, ":train", &flags)) return rc;

  Compiled c = compile(stmts_);
  if (!c.problem) {
    print_diagnostics(c, true);
    console_.err("nothing to train until the problem checks\n");
    return kInputError;
  }
  TrainOptions opt;
  if (!options_for(*c.problem, c.src, &opt, flags)) return kInputError;

  std::string error;
  auto fresh = std::make_unique<Trained>();
  fresh->backend = hooks_.make_backend ? hooks_.make_backend(spelling(opt.backend), &error) : nullptr;
  if (!fresh->backend) {
    console_.err(fmt::format("error: {}\n", error.empty() ? "no kernel backend" : error));
    return kUsageError;
  }
  const std::size_t n_unknowns = c.problem->unknowns.size();
  fresh->prep = train::prepare(std::move(*c.problem), opt, *fresh->backend, &error);
  if (!fresh->prep) {
    fresh.reset();
    console_.err(fmt::format("error: {}\n", error));
    return kTrainingFailed;
  }

  std::vector<int> widths{1};
  const std::vector<int> hidden = opt.hidden_widths(n_unknowns);
  widths.insert(widths.end(), hidden.begin(), hidden.end());
  widths.push_back(static_cast<int>(n_unknowns));
  const std::vector<double>* initial = nullptr;
  if (trained_ && trained_->report.widths == widths && trained_->opt.activation == opt.activation &&
      trained_->report.theta.size() > 0) {
    initial = &trained_->report.theta;
    console_.out(fmt::format("warm start from the previous weights (network {} {})\n", widths_text(widths),
                             rt::activation_name(opt.activation)));
  } else if (trained_) {
    console_.out(fmt::format("cold start: the network changed ({} {} -> {} {})\n",
                             widths_text(trained_->report.widths), rt::activation_name(trained_->opt.activation),
                             widths_text(widths), rt::activation_name(opt.activation)));
  }

  if (hooks_.training) hooks_.training(true);
  try {
    fresh->report = train::run_training(*fresh->prep, opt, initial, hooks_.progress);
  } catch (const std::exception& e) {
    if (hooks_.training) hooks_.training(false);
    std::string what = e.what();
    if (what.rfind("pinnc::rt::Trainer: ", 0) == 0) what = what.substr(20);
    fresh.reset();
    console_.err(fmt::format("error: {}\n", what));
    return kUsageError;
  }
  if (hooks_.training) hooks_.training(false);
  const train::TrainReport& rep = fresh->report;
  if (rep.diverged) {
    console_.err(fmt::format(
        "{}\nerror: training diverged at epoch {}; the previous solution is kept.\n"
        "hint: lower the learning rate (:train lr=1e-4), train in float64 (:train precision=f64), or check that "
        "the equation has a bounded solution on the interval\n",
        rep.message, rep.epochs));
    fresh.reset();
    return kTrainingFailed;
  }
  fresh->opt = opt;
  fresh->model = train::make_model(*fresh->prep, opt, rep);
  fresh->source = stmts_.text();
  trained_ = std::move(fresh);
  std::string out = train::report_text(*trained_->prep, opt, rep);
  if (rep.stop_reason == "callback")
    out += fmt::format("stopped   interrupted at epoch {}: the weights reached so far are kept\n", rep.epochs);
  console_.out(out);
  return kOk;
}

int Session::cmd_eval(std::string_view args, const SourceFile& input) {
  if (trim(args).empty()) return usage_error(input, ":eval takes an expression, e.g. :eval y(2.5)");
  DiagnosticEngine diags;
  std::vector<Token> tokens = lex(input, diags);
  ast::ExprPtr e = diags.has_errors() ? nullptr : parse_expression(tokens, diags);
  if (!e) {
    console_.err(render_all(input, diags));
    return kInputError;
  }
  // Names and parameters are the current problem's when it checks (what the user sees in
  // :show), else the trained problem's, else only numbers and builtins. Unknowns take
  // the trained solution's values, matched by name.
  std::optional<Problem> current;
  Problem* problem = nullptr;
  if (Compiled c = compile(stmts_); c.problem) {
    current = std::move(c.problem);
    problem = &*current;
  } else if (trained_) {
    problem = &trained_->prep->problem;
  } else {
    current.emplace();
    current->ctx = std::make_unique<sym::Context>();
    current->indep_name = stmts_.indep_name();
    problem = &*current;
  }
  SolutionFn solution;
  int max_order = problem->order;
  const train::Model eval_model = trained_ ? evaluation_model() : train::Model();
  if (trained_ && current)  // an identified parameter has the trained value, a ranged one :param's
    for (Param& q : problem->params)
      for (const auto& [name, value] : eval_model.params)
        if (q.variable() && name == q.name) q.value = value;
  if (trained_) {
    max_order = trained_->prep->problem.order;
    solution = [this, problem, &eval_model](int j, int k, double t) -> std::optional<double> {
      const std::vector<Unknown>& trained = trained_->prep->problem.unknowns;
      const std::string& name = problem->unknowns[static_cast<std::size_t>(j)].name;
      for (std::size_t i = 0; i < trained.size(); ++i)
        if (trained[i].name == name) {
          std::vector<double> u;
          train::evaluate_model(*trained_->prep, eval_model, {t}, k, &u);
          return u[i * static_cast<std::size_t>(k + 1) + static_cast<std::size_t>(k)];
        }
      return std::nullopt;
    };
  }
  const bool uses_solution = mentions_unknown(*problem, *e);
  std::vector<Message> messages;
  std::optional<double> v = evaluate_at_points(*problem, *e, input, solution, max_order, diags, &messages);
  std::string err;
  for (const Message& m : messages) err += render_message(input, m);
  if (!diags.diagnostics().empty()) err += render_all(input, diags);
  if (v && uses_solution && trained_ && !eval_model.bundle.empty() && bundle_values_.empty()) {
    std::string at;
    for (const auto& r : eval_model.bundle)
      at += (at.empty() ? "" : ", ") + fmt::format("{} = {}", r.name, eval_model.params[static_cast<std::size_t>(r.index)].second);
    err += "note: a solution bundle, evaluated at " + at + " (the middle of the range); set other values with :param " +
           eval_model.bundle.front().name + "=VALUE\n";
  }
  if (v && uses_solution && trained_ && trained_->source != stmts_.text())
    err += "note: the statements changed since the last :train; this is that run's solution\n";
  if (v && uses_solution && trained_ && !trained_->report.trusted)
    err += "warning: the last :train was NOT TO BE TRUSTED; this value may be wrong\n";
  console_.err(err);
  if (!v) return kInputError;
  console_.out(fmt::format("{} = {}\n", trim(input.line_text(line_number_)), sym::format_number(*v)));
  return kOk;
}

int Session::cmd_plot(std::string_view args, const SourceFile& input) {
  if (!trained_) return usage_error(input, "there is no trained solution to plot", "train one with :train");
  std::string dir = "out/repl", error;
  plot::PlotOptions options;
  std::optional<double> extrapolate;
  for (std::string_view w : words(args)) {
    std::size_t eq = w.find('=');
    std::string key(w.substr(0, eq == std::string_view::npos ? 0 : eq)), value(w.substr(eq + 1));
    if (eq == std::string_view::npos) {
      dir = std::string(w);
    } else if (key == "phase" && value.find(',') != std::string::npos) {
      options.phase_x = value.substr(0, value.find(','));
      options.phase_y = value.substr(value.find(',') + 1);
      if (!plot::check_phase(plot::phase_names(plot::from_session(*trained_->prep, trained_->report)),
                             options.phase_x, options.phase_y, &error))
        return usage_error(input, error);
    } else if (key == "extrapolate") {
      char* end = nullptr;
      double t = std::strtod(value.c_str(), &end);
      if (value.empty() || *end || !std::isfinite(t)) return usage_error(input, "extrapolate= takes a number");
      extrapolate = t;
    } else {
      return usage_error(input, fmt::format("'{}' is not a :plot argument", w),
                         ":plot [DIR] [phase=X,Y] [extrapolate=T]");
    }
  }
  const std::filesystem::path d(dir);
  const Trained& tr = *trained_;
  if (!train::prepare_dir(d, &error) ||
      !train::write_all_atomically({{d / "solution.csv", train::solution_csv(*tr.prep, tr.report)},
                                    {d / "loss.csv", train::loss_csv(*tr.prep, tr.report)},
                                    {d / "model.json", train::to_json(tr.model)}},
                                   &error))
    return usage_error(input, error);
  std::string out = fmt::format("wrote {}/{{solution.csv, loss.csv, model.json}}\n", dir);
  plot::RunData data = plot::from_session(*tr.prep, tr.report);
  if (extrapolate && !plot::add_extrapolation(*tr.prep, tr.model, *extrapolate, &data, &error))
    return usage_error(input, error);
  std::vector<std::string> written;
  if (!plot::write_plots(data, options, d, &written, &error)) {
    console_.out(out);
    console_.err(fmt::format("warning: no plots: {}\n", error));
    return kOk;
  }
  out += "plots    ";
  for (const std::string& w : written) out += " " + w;
  out += '\n';
  console_.out(out);
  return kOk;
}

int Session::cmd_savemodel(std::string_view args, const SourceFile& input) {
  std::string path(trim(args));
  if (path.empty()) return usage_error(input, ":savemodel takes a file name, e.g. :savemodel model.json");
  if (!trained_) return usage_error(input, "there is no trained solution to save", "train one with :train");
  std::string error;
  if (!train::write_atomically(path, train::to_json(trained_->model), &error)) return usage_error(input, error);
  console_.out(fmt::format("saved the trained model to {} (pinnc eval {} --at ...)\n", path, path));
  if (const std::string w = post::untrusted_warning(trained_->model); !w.empty()) console_.err(w + "\n");
  return kOk;
}

int Session::cmd_emit(std::string_view args, const SourceFile& input) {
  std::string path(trim(args)), error;
  if (path.empty())
    return usage_error(input, ":emit takes a file name: solver.cpp (a training program) or name.hpp (an evaluator "
                              "of the trained solution)");
  const std::filesystem::path file(path);
  const std::string ext = file.extension().string(), name = file.filename().string();
  if (ext != ".cpp" && ext != ".cc" && ext != ".cxx" && ext != ".hpp" && ext != ".h")
    return usage_error(input, "'" + name + "' is neither C++ source nor a header",
                       ":emit solver.cpp writes a training program, :emit name.hpp an evaluator header");
  std::string text;
  if (ext == ".hpp" || ext == ".h") {
    if (!trained_)
      return usage_error(input, "an evaluator header needs a trained solution", "train one with :train, or emit a .cpp");
    try {
      text = cppgen::emit_evaluator(trained_->model, trained_->prep->problem, trained_->prep->lowered,
                                    cppgen::namespace_name(file.stem().string()), name);
    } catch (const std::invalid_argument& e) {
      return usage_error(input, e.what());
    }
  } else {
    Compiled c = compile(stmts_);
    if (!c.problem) {
      print_diagnostics(c, true);
      return kInputError;
    }
    TrainOptions opt;
    if (!options_for(*c.problem, c.src, &opt, {})) return kInputError;
    // Lowered and planned as `pinnc emit` does (no kernels are bound).
    const lower::Lowered lowered = lower::lower(*c.problem, plan::condition_mode(opt));
    text = cppgen::emit_standalone(*c.problem, lowered, plan::make_run_spec(*c.problem, lowered, opt, "emitted C++"),
                                   name);
  }
  if (!train::write_atomically(file, text, &error)) return usage_error(input, error);
  console_.out(ext == ".hpp" || ext == ".h"
                   ? fmt::format("wrote {}: the trained solution as a header (namespace {})\n", path,
                                 cppgen::namespace_name(file.stem().string()))
                   : fmt::format("wrote {}: a standalone training program ({})\n", path,
                                 cppgen::standalone_build_line(name)));
  return kOk;
}

}  // namespace pinnc::repl
