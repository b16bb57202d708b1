// evaluator.cpp — see evaluator.h. The header is assembled from named pieces (opening
// comment, constants, activation rule, Taylor forward, trial kernel, accessors).
#include "codegen/cpp/evaluator.h"

#include <cctype>
#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "codegen/cpp/cpp_kernels.h"
#include "pinnc/post/text.h"
#include "base/version.h"

namespace pinnc::cppgen {

namespace {

std::string number(double v) {
  if (!std::isfinite(v)) throw std::invalid_argument("the model holds a non-finite number");
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string comment_safe(std::string s) {
  for (char& c : s)
    if (c == '\\' || c == '\r' || c == '\n') c = ' ';
  return s;
}

bool plain_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (unsigned char c : s)
    if (!std::isalnum(c) && c != '_') return false;
  // Reserved in C++: a double underscore anywhere, or an underscore then a capital first.
  if (s.find("__") != std::string::npos || (s[0] == '_' && (s.size() == 1 || std::isupper(static_cast<unsigned char>(s[1])))))
    return false;
  return true;
}

/// s^(i)(z) for i = 0..K of each activation, as C++ statements filling s[0..K]. The
/// rules are those of the runtime's activation.h, written for one scalar.
std::string activation_body(const std::string& act, int K) {
  std::string out;
  auto set = [&](int i, const std::string& e) {
    if (i <= K) out += fmt::format("  s[{}] = {};\n", i, e);
  };
  // The logistic sigma and its derivatives as polynomials in sigma times q = sigma(1 - sigma),
  // written to arr[first..first+count).
  auto logistic = [&](const char* arr, int first, int count) {
    out += "  const double sg = z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));\n";
    out += "  const double sm = z >= 0 ? std::exp(-z) / (1.0 + std::exp(-z)) : 1.0 / (1.0 + std::exp(z));  // 1 - sg\n";
    out += "  const double q = sg * sm;\n  (void)q;\n";
    const char* rule[] = {"sg", "q", "q * (1.0 - 2.0 * sg)", "q * (1.0 + sg * (-6.0 + 6.0 * sg))",
                          "q * (1.0 + sg * (-14.0 + sg * (36.0 - 24.0 * sg)))"};
    for (int i = 0; i < count && i < 5; ++i) out += fmt::format("  {}[{}] = {};\n", arr, first + i, rule[i]);
  };
  if (act == "tanh") {
    out += "  const double y = std::tanh(z), y2 = y * y, d = 1.0 - y2;\n  (void)d;\n";
    set(0, "y");
    set(1, "d");
    set(2, "-2.0 * y * d");
    set(3, "d * (6.0 * y2 - 2.0)");
    set(4, "y * d * (16.0 - 24.0 * y2)");
  } else if (act == "sin") {
    out += "  const double sn = std::sin(z), cs = std::cos(z);\n";
    const char* cyc[] = {"sn", "cs", "-sn", "-cs", "sn"};
    for (int i = 0; i <= K; ++i) set(i, cyc[i]);
    if (K == 0) out += "  (void)cs;\n";
  } else if (act == "sigmoid") {
    logistic("s", 0, K + 1);
  } else if (act == "softplus") {
    out += "  s[0] = (z > 0 ? z : 0.0) + std::log1p(std::exp(-std::fabs(z)));\n";
    if (K >= 1) logistic("s", 1, K);
  } else if (act == "silu") {
    // Leibniz: s_n = z sigma_n + n sigma_{n-1}.
    out += "  double g[5] = {0, 0, 0, 0, 0};  // sigma and its derivatives\n";
    logistic("g", 0, K + 1);
    out += "  s[0] = z * g[0];\n";
    for (int n = 1; n <= K; ++n) out += fmt::format("  s[{0}] = z * g[{0}] + {0}.0 * g[{1}];\n", n, n - 1);
  } else if (act == "gelu") {
    out += "  const double Phi = 0.5 * std::erfc(-z * 0.70710678118654752440);\n";
    out += "  const double phi = std::exp(-0.5 * z * z) * 0.39894228040143267794, z2 = z * z;\n";
    out += "  (void)phi, (void)z2;\n";
    set(0, "z * Phi");
    set(1, "Phi + z * phi");
    set(2, "(2.0 - z2) * phi");
    set(3, "z * (z2 - 4.0) * phi");
    set(4, "(-4.0 + z2 * (7.0 - z2)) * phi");
  } else if (act == "leaky_relu") {
    out += "  const double slope = 0.01;  // the runtime's leaky_relu slope\n";
    set(0, "z > 0 ? z : slope * z");
    set(1, "z > 0 ? 1.0 : slope");
    for (int i = 2; i <= K; ++i) set(i, "0.0");
  } else if (act == "identity") {
    set(0, "z");
    set(1, "1.0");
    for (int i = 2; i <= K; ++i) set(i, "0.0");
  } else {
    throw std::invalid_argument("unknown activation '" + act + "' in the model");
  }
  return out;
}

/// Faa di Bruno's rule to order K for one neuron: h[k] = d^k/dt^k act(z(t)).
std::string faa_di_bruno(int K) {
  const char* rule[] = {
      "s[0]",
      "s[1] * z[1]",
      "s[2] * z[1] * z[1] + s[1] * z[2]",
      "s[3] * z[1] * z[1] * z[1] + 3.0 * s[2] * z[1] * z[2] + s[1] * z[3]",
      "s[4] * z1s * z1s + 6.0 * s[3] * z1s * z[2] +\n         "
      "s[2] * (3.0 * z[2] * z[2] + 4.0 * z[1] * z[3]) + s[1] * z[4]"};
  std::string out = K >= 4 ? "  const double z1s = z[1] * z[1];\n" : "";
  for (int k = 0; k <= K; ++k) out += fmt::format("  h[{}] = {};\n", k, rule[k]);
  return out;
}

std::string double_array(const std::string& name, const double* v, std::size_t n, const std::string& doc) {
  std::string out = fmt::format("/// {}\nconstexpr double {}[] = {{", doc, name);
  for (std::size_t i = 0; i < n; ++i) out += (i % 4 == 0 ? "\n    " : " ") + number(v[i]) + ",";
  return out + "\n};\n";
}

int binomial(int n, int k) {
  int r = 1;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

}  // namespace

bool is_cpp_keyword(const std::string& w) {
  static const std::set<std::string> kw = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
      "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
      "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
      "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
      "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
      "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
      "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
      "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
      // not keywords, but names whose use as a namespace or function would break the header
      "std", "final", "override", "import", "module", "NULL", "assert", "errno"};
  return kw.count(w) > 0;
}

std::string namespace_name(const std::string& name) {
  if (plain_identifier(name) && !is_cpp_keyword(name) && name.rfind("pinnc_", 0) != 0) return name;
  return identifier("ns_", name);
}

std::string emit_evaluator(const post::ModelFile& model, const Problem& p, const lower::Lowered& lowered,
                           const std::string& ns, const std::string& header_name) {
  const lower::KernelModule& m = lowered.module;
  std::vector<double> param_values;
  for (const Param& q : p.params) param_values.push_back(q.value);
  const int U = static_cast<int>(p.unknowns.size()), K = p.order, L = static_cast<int>(model.widths.size()) - 1;

  // Accessor names: the unknown's own name where that is safe, else a sanitised one.
  const std::set<std::string> reserved = {"t_min", "t_max", "n_unknowns", "order", "detail", "solution",
                                          "in_interval", ns};
  std::vector<std::string> base(static_cast<std::size_t>(U));
  std::set<std::string> used(reserved);
  auto names_of = [K](const std::string& b) {
    std::vector<std::string> v{b};
    for (int k = 1; k <= K; ++k) v.push_back(fmt::format("{}_d{}", b, k));
    return v;
  };
  auto free = [&used](const std::vector<std::string>& v) {
    for (const auto& s : v)
      if (used.count(s) || is_cpp_keyword(s)) return false;
    return true;
  };
  for (int j = 0; j < U; ++j) {
    const std::string& name = p.unknowns[j].name;
    std::string b = plain_identifier(name) ? name : identifier("u_", name);
    if (!free(names_of(b))) b = identifier("u_", name);
    if (!free(names_of(b))) b = fmt::format("unknown{}", j);
    if (!free(names_of(b))) throw std::logic_error("pinnc bug (evaluator.cpp): no free name for an unknown");
    for (const auto& s : names_of(b)) used.insert(s);
    base[j] = b;
  }

  // A solution bundle: every function takes the ranged parameters' values after t.
  const bool bundle = !model.param_inputs.empty();
  if (bundle && !model.pieces.empty())
    throw std::logic_error("pinnc bug (evaluator.cpp): a bundle with time windows");
  std::string bundle_params, bundle_args;  // ", double k", ", k"
  for (const post::ParamInput& in : model.param_inputs) {
    std::string a = plain_identifier(in.name) && !is_cpp_keyword(in.name) && !used.count(in.name) && in.name != "t" &&
                            in.name != "u"
                        ? in.name
                        : identifier("p_", in.name);
    bundle_params += ", double " + a;
    bundle_args += ", " + a;
  }

  std::string guard = "PINNC_";
  for (unsigned char c : ns + "_" + std::filesystem::path(header_name).filename().string())
    if (std::isalnum(c)) guard += static_cast<char>(std::toupper(c));
    else if (guard.back() != '_') guard += '_';

  std::string widths;
  for (int w : model.widths) widths += (widths.empty() ? "" : "-") + std::to_string(w);
  std::string out;
  const std::string hname = comment_safe(std::filesystem::path(header_name).filename().string());
  out += fmt::format("// {} — the trained solution of {} as plain C++ (standard library only), written by\n"
                     "// pinnc {} (`pinnc emit --model`) from a model trained with pinnc {}.\n//\n",
                     hname, comment_safe(model.source_file), version(), comment_safe(model.pinnc_version));
  out += fmt::format("// Usage:\n//   #include \"{}\"\n", hname);
  for (int j = 0; j < U; ++j) {
    out += fmt::format("//   {}::{}({}{})           {}({})\n", ns, base[j], comment_safe(p.indep_name), bundle_args,
                       comment_safe(p.unknowns[j].name), comment_safe(p.indep_name));
    for (int k = 1; k <= K; ++k)
      out += fmt::format("//   {}::{}_d{}({}{})        d^{} {}/d{}^{}\n", ns, base[j], k, comment_safe(p.indep_name),
                         bundle_args, k, comment_safe(p.unknowns[j].name), comment_safe(p.indep_name), k);
  }
  out += fmt::format("//   {}::solution({}{}, u)      all at once: u[j][k] = d^k u_j/d{}^k, j in the order above\n//\n",
                     ns, comment_safe(p.indep_name), bundle_args, comment_safe(p.indep_name));
  for (const post::RangedInfo& r : model.bundle)
    out += fmt::format("// A solution bundle: {} takes any value in [{}, {}], where the network was trained.\n",
                       comment_safe(r.name), number(r.lower), number(r.upper));
  out += fmt::format("// Valid interval: {} in [{}, {}] ({}::t_min, {}::t_max), where the network was trained.\n"
                     "// Calls outside it are allowed, but the values there are extrapolation, which a trained\n"
                     "// network does poorly; {}::in_interval({}) tells which case applies.\n//\n",
                     comment_safe(p.indep_name), number(model.t0), number(model.t1), ns, ns, ns,
                     comment_safe(p.indep_name));
  std::string kinds;
  for (int j = 0; j < U; ++j)
    kinds += fmt::format("{}{}: {}", j ? ", " : "", comment_safe(p.unknowns[j].name), lowered.trial[j].kind);
  out += fmt::format("// Network {} ({}), input x = input_scale*{} + input_shift; each unknown is\n"
                     "// u = A + B*N with the network output N and the trial functions A, B that make the hard\n"
                     "// conditions exact ({}). Derivatives are exact (Taylor-mode), not finite differences.\n",
                     widths, model.activation, comment_safe(p.indep_name), kinds);
  if (!model.pieces.empty())
    out += fmt::format("// Piecewise (time-marching): {} windows, each with its own network and initial-value trial\n"
                       "// functions from the state where the previous window ends; a derivative at a window's edge\n"
                       "// is the right-hand window's.\n",
                       model.pieces.size());
  for (const auto& [k, v] : model.results)
    if (k == "loss" || k == "rel_l2" || k == "residual_rms" || k == "rel_error" || k == "error_bound")
      out += fmt::format("// Training result ({}): {:.3e}\n", k, v);
  if (const std::string kind = post::model_note(model, "error_bound_kind"); !kind.empty() && kind != "none")
    out += fmt::format("// The error_bound above is a Gronwall {} from the network's residual, relative to the\n"
                       "// solution's scale (README: \"How the verdict is reached\").\n",
                       kind);
  if (const std::string verdict = post::model_note(model, "verdict"); !verdict.empty())
    out += fmt::format("// Verdict of the training run: {}.\n", verdict);
  if (const std::string w = post::untrusted_warning(model); !w.empty())
    out += "// WARNING: " + comment_safe(w.substr(std::string("warning: ").size())) + ".\n";
  out += fmt::format("\n#ifndef {0}\n#define {0}\n\n#include <cmath>\n#include <cstdint>\n#include <limits>\n\n", guard);
  out += fmt::format("namespace {} {{\n\n", ns);
  out += fmt::format("/// The trained interval of {}: [t_min, t_max]. Outside it the values are extrapolation.\n",
                     comment_safe(p.indep_name));
  out += fmt::format("constexpr double t_min = {};\nconstexpr double t_max = {};\n", number(model.t0), number(model.t1));
  out += "/// The number of unknowns and the highest derivative order the functions provide.\n";
  out += fmt::format("constexpr int n_unknowns = {};\nconstexpr int order = {};\n\n", U, K);
  out += "namespace detail {\n\n";
  out += fmt::format("constexpr double input_scale = {};\nconstexpr double input_shift = {};\n", number(model.input_scale),
                     number(model.input_shift));
  if (!param_values.empty()) {
    out += "/// Parameter values:";
    for (const Param& q : p.params) out += " " + comment_safe(q.name);
    out += "\nconstexpr double params[] = {";
    for (std::size_t i = 0; i < param_values.size(); ++i) out += (i ? ", " : "") + number(param_values[i]);
    out += "};\n";
  } else {
    out += "constexpr const double* params = nullptr;  // the problem has no parameters\n";
  }
  if (bundle) {
    std::string idx, sc, sh;
    for (const post::ParamInput& in : model.param_inputs) {
      idx += (idx.empty() ? "" : ", ") + std::to_string(in.index);
      sc += (sc.empty() ? "" : ", ") + number(in.scale);
      sh += (sh.empty() ? "" : ", ") + number(in.shift);
    }
    out += fmt::format("/// The bundle's parameters as network inputs: x = scale*value + shift.\n"
                       "constexpr int n_params = {};\nconstexpr int n_param_inputs = {};\n"
                       "constexpr int param_input_index[] = {{{}}};\nconstexpr double param_input_scale[] = {{{}}};\n"
                       "constexpr double param_input_shift[] = {{{}}};\n",
                       param_values.size(), model.param_inputs.size(), idx, sc, sh);
  }
  out += "\n";
  const bool piecewise = !model.pieces.empty();
  const std::size_t n_windows = piecewise ? model.pieces.size() : 1;
  int max_width = 1;
  for (int l = 0; l < L; ++l) max_width = std::max(max_width, model.widths[l + 1]);
  for (std::size_t w = 0; w < n_windows; ++w) {
    const std::vector<double>& theta = piecewise ? model.pieces[w].theta : model.theta;
    const std::string suffix = piecewise ? fmt::format("_w{}", w) : "";
    std::size_t off = 0;
    for (int l = 0; l < L; ++l) {
      const int rows = model.widths[l + 1], cols = model.widths[l];
      out += double_array(fmt::format("W{}{}", l + 1, suffix), theta.data() + off, std::size_t(rows) * cols,
                          fmt::format("{}Layer {}: weights, {} x {}, entry (r, c) at [r + {} c].",
                                      piecewise ? fmt::format("Window {}: ", w) : "", l + 1, rows, cols, rows));
      off += std::size_t(rows) * cols;
      out += double_array(fmt::format("b{}{}", l + 1, suffix), theta.data() + off, std::size_t(rows),
                          fmt::format("{}Layer {}: biases.", piecewise ? fmt::format("Window {}: ", w) : "", l + 1));
      off += std::size_t(rows);
    }
  }
  out += "\nstruct Layer {\n  int rows, cols;\n  const double* W;\n  const double* b;\n};\n";
  out += fmt::format("constexpr int n_layers = {};\nconstexpr int max_width = {};\n", L, max_width);
  if (!piecewise) {
    out += "constexpr Layer layers[] = {";
    for (int l = 0; l < L; ++l)
      out += fmt::format("{}{{{}, {}, W{}, b{}}}", l ? ", " : "", model.widths[l + 1], model.widths[l], l + 1, l + 1);
    out += "};\n\n";
  } else {
    // The windows of the piecewise solution (time-marching): window w covers [a, b) (the
    // last one its right end too), with its own network and initial state.
    std::size_t states = 0;
    for (const Unknown& u : p.unknowns) states += std::size_t(u.order);
    for (std::size_t w = 0; w < n_windows; ++w) {
      if (states)
        out += double_array(fmt::format("start_w{}", w), model.pieces[w].start.data(), states,
                            fmt::format("Window {}: u_j^(k) at its start, k < order of u_j, unknowns in order.", w));
      out += fmt::format("constexpr Layer layers_w{}[] = {{", w);
      for (int l = 0; l < L; ++l)
        out += fmt::format("{}{{{}, {}, W{}_w{}, b{}_w{}}}", l ? ", " : "", model.widths[l + 1], model.widths[l], l + 1, w,
                           l + 1, w);
      out += "};\n";
    }
    out += "\nstruct Window {\n  double a, b, input_scale, input_shift;\n  const Layer* layers;\n  const double* start;\n};\n";
    out += fmt::format("constexpr int n_windows = {};\nconstexpr Window windows[] = {{\n", n_windows);
    for (std::size_t w = 0; w < n_windows; ++w) {
      const post::Piece& pc = model.pieces[w];
      out += fmt::format("    {{{}, {}, {}, {}, layers_w{}, {}}},\n", number(pc.a), number(pc.b), number(pc.input_scale),
                         number(pc.input_shift), w, states ? fmt::format("start_w{}", w) : "nullptr");
    }
    out += "};\n";
    out += "constexpr int unknown_order[] = {";
    for (std::size_t j = 0; j < p.unknowns.size(); ++j) out += fmt::format("{}{}", j ? ", " : "", p.unknowns[j].order);
    out += "};\n\n";
    out += "/// The window that holds t: the first with t < b, else the last (as pinnc eval picks it).\n"
           "inline int window_of(double t) {\n"
           "  for (int w = 0; w + 1 < n_windows; ++w)\n    if (t < windows[w].b) return w;\n  return n_windows - 1;\n}\n\n";
    out += "/// The window's trial functions (runtime/include/pinnc/window.h in pinnc's sources):\n"
           "/// A_j = sum_{i<m} s_i (t-a)^i/i!, B_j = ((t-a)/L)^m, L = b - a, and their derivatives.\n"
           "inline void window_trial(const Window& w, double t, double* A, double* B) {\n"
           "  const double L = w.b - w.a;\n"
           "  const double d = t - w.a;\n"
           "  int offset = 0;\n"
           "  for (int j = 0; j < n_unknowns; ++j) {\n"
           "    const int m = unknown_order[j];\n"
           "    const double* s = w.start + offset;\n"
           "    for (int k = 0; k <= order; ++k) {\n"
           "      double bc = 1;\n"
           "      for (int i = 0; i < k; ++i) bc *= double(m - i) / L;\n"
           "      double acc = 0;\n"
           "      for (int i = m - 1; i >= k; --i) acc = acc * d / double(i - k + 1) + s[i];\n"
           "      A[j * (order + 1) + k] = acc;\n"
           "      if (k > m) {\n        B[j * (order + 1) + k] = 0;\n      } else {\n"
           "        double x = 1;\n        const double ratio = d / L;\n"
           "        for (int i = 0; i < m - k; ++i) x *= ratio;\n"
           "        B[j * (order + 1) + k] = bc * x;\n      }\n    }\n    offset += m;\n  }\n}\n\n";
  }

  out += fmt::format("/// s[i] = d^i {}/dz^i at z, i = 0..order.\ninline void activation(double z, double* s) {{\n",
                     model.activation);
  out += activation_body(model.activation, K) + "}\n\n";
  out += "/// Faa di Bruno's rule: h[k] = d^k/dt^k act(z(t)) from z[k] = d^k z/dt^k.\n";
  out += "inline void taylor_activation(const double* z, double* h) {\n  double s[order + 1];\n"
         "  activation(z[0], s);\n";
  out += faa_di_bruno(K) + "}\n\n";
  // pinnc's runtime multiplies matrices with Eigen, whose kernels fuse a*b+c when the CPU
  // has FMA instructions; the header follows whatever the pinnc that wrote it did.
#ifdef __FMA__
  constexpr bool fused = true;
#else
  constexpr bool fused = false;
#endif
  out += fmt::format("/// a*b + c as pinnc's matrix products compute it ({}), so that the values agree with\n"
                     "/// `pinnc eval` to rounding.\ninline double multiply_add(double a, double b, double c) {{ return {}; }}\n\n",
                     fused ? "fused, as on CPUs with FMA" : "unfused", fused ? "std::fma(a, b, c)" : "a * b + c");
  out += "/// The network output N_j and its derivatives with respect to t: out[j][k] = d^k N_j/dt^k.\n";
  out += std::string("inline void network(const Layer* layers, double input_scale, double input_shift, double t,\n") +
         (bundle ? "                    const double* q,\n" : "") +
         "                    double out[n_unknowns][order + 1]) {\n";
  out += "  double h[max_width][order + 1] = {};  // the layer's input, Taylor coefficients per neuron\n";
  out += "  double z[max_width][order + 1] = {};\n";
  out += "  h[0][0] = input_scale * t + input_shift;\n";
  if (K >= 1) out += "  h[0][1] = input_scale;  // dx/dt; higher derivatives of x are 0\n";
  if (bundle)
    out += "  for (int i = 0; i < n_param_inputs; ++i)  // the bundle's parameters: constant in t\n"
           "    h[1 + i][0] = param_input_scale[i] * q[param_input_index[i]] + param_input_shift[i];\n";
  out += "  for (int l = 0; l < n_layers; ++l) {\n"
         "    const Layer& layer = layers[l];\n"
         "    for (int r = 0; r < layer.rows; ++r)\n"
         "      for (int k = 0; k <= order; ++k) {\n"
         "        double acc = 0.0;\n"
         "        for (int c = 0; c < layer.cols; ++c) acc = multiply_add(layer.W[r + layer.rows * c], h[c][k], acc);\n"
         "        z[r][k] = k == 0 ? layer.b[r] + acc : acc;\n"
         "      }\n"
         "    if (l + 1 == n_layers) break;  // the output layer is linear\n"
         "    for (int r = 0; r < layer.rows; ++r) taylor_activation(z[r], h[r]);\n"
         "  }\n"
         "  for (int j = 0; j < n_unknowns; ++j)\n"
         "    for (int k = 0; k <= order; ++k) out[j][k] = z[j][k];\n}\n\n";
  KernelNames kn;
  kn.variable = p.indep_name;
  for (const Unknown& u : p.unknowns) kn.unknowns.push_back(u.name);
  for (const Param& q : p.params) kn.params.push_back(q.name);
  if (m.has_trial && !piecewise) {
    out += "/// The trial functions A_j, B_j and their derivatives (printed from pinnc's kernel IR):\n"
           "/// A[(j(order+1) + k) P + p] = d^k A_j/dt^k at t[p], B likewise.\n";
    out += emit_kernel(m, m.trial, kn, "inline") + "\n";
  }
  out += "}  // namespace detail\n\n";

  out += "/// Every unknown and its derivatives at t: u[j][k] = d^k u_j/dt^k (unknowns:";
  for (const Unknown& u : p.unknowns) out += " " + comment_safe(u.name);
  out += ").\n/// Outside [t_min, t_max] the values are extrapolation.\n";
  out += "inline void solution(double t" + bundle_params + ", double u[n_unknowns][order + 1]) {\n";
  if (bundle) {
    out += "  double q[detail::n_params];\n  for (int i = 0; i < detail::n_params; ++i) q[i] = detail::params[i];\n";
    std::vector<std::string> names;
    for (std::size_t i = 0, start = 2; i < model.param_inputs.size(); ++i) {  // ", double k, double w"
      const std::size_t next = bundle_params.find(", double ", start);
      names.push_back(bundle_params.substr(start + 7, (next == std::string::npos ? bundle_params.size() : next) - start - 7));
      start = next == std::string::npos ? bundle_params.size() : next + 2;
    }
    for (std::size_t i = 0; i < model.param_inputs.size(); ++i)
      out += fmt::format("  q[{}] = {};\n", model.param_inputs[i].index, names[i]);
    out += "  double N[n_unknowns][order + 1];\n"
           "  detail::network(detail::layers, detail::input_scale, detail::input_shift, t, q, N);\n";
  } else if (piecewise)
    out += "  const detail::Window& w = detail::windows[detail::window_of(t)];\n"
           "  double N[n_unknowns][order + 1];\n  detail::network(w.layers, w.input_scale, w.input_shift, t, N);\n";
  else
    out += "  double N[n_unknowns][order + 1];\n"
           "  detail::network(detail::layers, detail::input_scale, detail::input_shift, t, N);\n";
  if (!m.has_trial && !piecewise) {
    out += "  for (int j = 0; j < n_unknowns; ++j)\n    for (int k = 0; k <= order; ++k) u[j][k] = N[j][k];\n}\n\n";
  } else {
    out += "  // u = A + B N, by Leibniz' rule: u^(k) = A^(k) + sum_i C(k, i) B^(i) N^(k-i).\n";
    out += "  double A[n_unknowns * (order + 1)], B[n_unknowns * (order + 1)];\n";
    if (piecewise)
      out += "  detail::window_trial(w, t, A, B);\n";
    else
      out += fmt::format("  detail::{}<double>(nullptr, 1, &t, {}, A, B);\n", m.trial.name, bundle ? "q" : "detail::params");
    out += "  constexpr double binomial[order + 1][order + 1] = {  // C(k, i)\n";
    for (int n = 0; n <= K; ++n) {
      out += "      {";
      for (int k = 0; k <= K; ++k) out += fmt::format("{}{}.0", k ? ", " : "", k <= n ? binomial(n, k) : 0);
      out += "},\n";
    }
    out += "  };\n";
    out += "  for (int j = 0; j < n_unknowns; ++j)\n"
           "    for (int k = 0; k <= order; ++k) {\n"
           "      double v = A[j * (order + 1) + k];\n"
           "      for (int i = 0; i <= k; ++i) v += binomial[k][i] * B[j * (order + 1) + i] * N[j][k - i];\n"
           "      u[j][k] = v;\n"
           "    }\n}\n\n";
  }
  out += "/// True when t lies in the trained interval (elsewhere the values are extrapolation).\n";
  out += "inline bool in_interval(double t) { return t >= t_min && t <= t_max; }\n\n";
  for (int j = 0; j < U; ++j)
    for (int k = 0; k <= K; ++k) {
      const std::vector<std::string> nm = names_of(base[j]);
      if (k == 0)
        out += fmt::format("/// {}({}); valid on [t_min, t_max].\n", comment_safe(p.unknowns[j].name),
                           comment_safe(p.indep_name));
      else
        out += fmt::format("/// d^{} {}/d{}^{} at {}; valid on [t_min, t_max].\n", k, comment_safe(p.unknowns[j].name),
                           comment_safe(p.indep_name), k, comment_safe(p.indep_name));
      out += fmt::format("inline double {}(double t{}) {{\n  double u[n_unknowns][order + 1];\n  solution(t{}, u);\n"
                         "  return u[{}][{}];\n}}\n",
                         nm[k], bundle_params, bundle_args, j, k);
    }
  out += fmt::format("\n}}  // namespace {}\n\n#endif  // {}\n", ns, guard);
  return out;
}

}  // namespace pinnc::cppgen
