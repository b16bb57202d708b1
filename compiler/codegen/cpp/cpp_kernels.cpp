// cpp_kernels.cpp — kernel IR -> C++ text (built with fmt from the IR, one line per
// instruction).
#include "codegen/cpp/cpp_kernels.h"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace pinnc::cppgen {

using lower::Input;
using lower::Instr;
using lower::KernelKind;
using sym::Op;

std::string identifier(const std::string& prefix, const std::string& name) {
  std::string out = prefix;
  char prev = prefix.empty() ? '\0' : prefix.back();
  for (unsigned char c : name) {
    bool plain = std::isalnum(c) || (c == '_' && prev != '_');
    if (plain) out += static_cast<char>(c);
    else out += fmt::format("_x{:02x}", c);
    prev = static_cast<char>(c);
  }
  return out;
}

std::string string_literal(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c >= 0x7f) out += fmt::format("\\{:03o}", c);
    else if (c == '?') out += "\\?";  // no trigraphs
    else out += static_cast<char>(c);
  }
  return out + "\"";
}

namespace {

std::string literal(double v) {
  if (std::isnan(v)) return "std::numeric_limits<T>::quiet_NaN()";
  if (std::isinf(v)) return v > 0 ? "std::numeric_limits<T>::infinity()" : "-std::numeric_limits<T>::infinity()";
  std::string s = fmt::format("{:.17g}", v);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return "T(" + s + ")";
}

/// Comments from the IR go into // comments: no newlines, no line splices.
std::string comment_text(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\\') c = ' ';
  return s;
}

class Printer {
 public:
  Printer(const lower::KernelModule& m, const KernelNames& n) : m_(m), n_(n) {}

  std::string slot_name(uint32_t slot) const {
    const int k1 = m_.order + 1;
    const int j = static_cast<int>(slot) / k1, k = static_cast<int>(slot) % k1;
    std::string base = j < static_cast<int>(n_.unknowns.size()) ? n_.unknowns[j] : fmt::format("u{}", j);
    return k == 0 ? identifier("u_", base) : identifier(fmt::format("d{}_", k), base);
  }

  std::string kernel(const lower::Kernel& k, const std::string& storage = "static") {
    std::string sig;
    switch (k.kind) {
      case KernelKind::Residual:
      case KernelKind::Conditions:
        sig = "int64_t P, const T* t, const T* u, const T* params, T* r, T* dr, T* dr_dparams";
        break;
      case KernelKind::Trial: sig = "int64_t P, const T* t, const T* params, T* A, T* B"; break;
      case KernelKind::Exact: sig = "int64_t P, const T* t, const T* params, T* u"; break;
    }
    std::string out = fmt::format("template <class T>\n{} void {}({}) {{\n", storage, k.name, sig);
    std::vector<std::string> unused;
    switch (k.kind) {
      case KernelKind::Residual:
      case KernelKind::Conditions: unused = {"t", "u", "params", "r", "dr", "dr_dparams"}; break;
      case KernelKind::Trial: unused = {"t", "params", "A", "B"}; break;
      case KernelKind::Exact: unused = {"t", "params", "u"}; break;
    }
    out += "  (void)P;";
    for (const auto& u : unused) out += fmt::format(" (void){};", u);
    out += "\n";
    for (const lower::Block& b : k.blocks) {
      std::string indent = "    ";
      if (b.point >= 0) {
        out += fmt::format("  if (P > {}) {{{}\n    const int64_t p = {};\n", b.point,
                           b.comment.empty() ? "" : "  // " + comment_text(b.comment), b.point);
      } else {
        out += "  for (int64_t p = 0; p < P; ++p) {\n";
      }
      out += block(k.kind, b, indent);
      out += "  }\n";
    }
    return out + "}\n";
  }

 private:
  std::string array(KernelKind kind, uint32_t a) const {
    switch (kind) {
      case KernelKind::Residual:
      case KernelKind::Conditions: return a == 0 ? "r" : a == 1 ? "dr" : "dr_dparams";
      case KernelKind::Trial: return a == 0 ? "A" : "B";
      case KernelKind::Exact: return "u";
    }
    return "?";
  }

  std::string block(KernelKind kind, const lower::Block& b, const std::string& ind) {
    std::vector<std::string> name(b.code.size());
    // Only instructions that reach a store are printed (no unused variables).
    std::vector<bool> live(b.code.size(), false);
    for (const lower::Store& s : b.stores) live[s.value] = true;
    for (std::size_t i = b.code.size(); i-- > 0;)
      if (live[i])
        for (uint32_t a : b.code[i].args) live[a] = true;
    std::string out;
    for (std::size_t i = 0; i < b.code.size(); ++i) {
      const Instr& in = b.code[i];
      if (!live[i]) continue;
      if (in.op == Op::Symbol) {
        switch (in.input) {
          case Input::T: name[i] = identifier("t_", n_.variable); out += fmt::format("{}const T {} = t[p];\n", ind, name[i]); break;
          case Input::U:
            name[i] = slot_name(in.slot);
            out += fmt::format("{}const T {} = u[{} * P + p];\n", ind, name[i], in.slot);
            break;
          case Input::Param:
            name[i] = in.slot < n_.params.size() ? identifier("p_", n_.params[in.slot]) : fmt::format("p_{}", in.slot);
            out += fmt::format("{}const T {} = params[{}];\n", ind, name[i], in.slot);
            break;
        }
        continue;
      }
      if (in.op == Op::Const) {
        name[i] = literal(in.value);
        continue;
      }
      name[i] = fmt::format("v{}", i);
      out += fmt::format("{}const T {} = {};\n", ind, name[i], expr(in, name));
    }
    for (const lower::Store& s : b.stores) {
      std::string line = fmt::format("{}[{} * P + p] = {};", array(kind, s.array), s.slot, name[s.value]);
      if (s.array == 2) line = "if (dr_dparams) " + line;
      out += ind + line;
      if (!s.comment.empty()) out += "  // " + comment_text(s.comment);
      out += '\n';
    }
    return out;
  }

  std::string expr(const Instr& in, const std::vector<std::string>& name) {
    auto a = [&](std::size_t i) { return name[in.args[i]]; };
    auto fn = [&](const char* f) { return fmt::format("std::{}({})", f, a(0)); };
    auto chain = [&](const char* op) {
      std::string s = a(0);
      for (std::size_t i = 1; i < in.args.size(); ++i) s += fmt::format(" {} {}", op, a(i));
      return s;
    };
    switch (in.op) {
      case Op::Const:
      case Op::Symbol: break;
      case Op::Add: return chain("+");
      case Op::Mul: return chain("*");
      case Op::Pow: {
        if (in.int_exponent == 0) return fmt::format("std::pow({}, {})", a(0), a(1));
        const int m = in.int_exponent < 0 ? -in.int_exponent : in.int_exponent;
        std::string s = a(0);
        for (int i = 1; i < m; ++i) s += " * " + a(0);
        return in.int_exponent < 0 ? fmt::format("T(1) / ({})", s) : s;
      }
      case Op::Sin: return fn("sin");
      case Op::Cos: return fn("cos");
      case Op::Tan: return fn("tan");
      case Op::Asin: return fn("asin");
      case Op::Acos: return fn("acos");
      case Op::Atan: return fn("atan");
      case Op::Sinh: return fn("sinh");
      case Op::Cosh: return fn("cosh");
      case Op::Tanh: return fn("tanh");
      case Op::Exp: return fn("exp");
      case Op::Log: return fn("log");
      case Op::Sqrt: return fn("sqrt");
      case Op::Abs: return fn("fabs");
      case Op::Sign: return fmt::format("{0} > T(0) ? T(1) : {0} < T(0) ? T(-1) : T(0)", a(0));
      case Op::Step: return fmt::format("{0} > T(0) ? T(1) : {0} < T(0) ? T(0) : T(0.5)", a(0));
      case Op::Min: return fmt::format("{1} < {0} ? {1} : {0}", a(0), a(1));
      case Op::Max: return fmt::format("{1} > {0} ? {1} : {0}", a(0), a(1));
    }
    return "T(0)";
  }

  const lower::KernelModule& m_;
  const KernelNames& n_;
};

}  // namespace

std::string emit_kernel(const lower::KernelModule& m, const lower::Kernel& kernel, const KernelNames& names,
                        const std::string& storage) {
  return Printer(m, names).kernel(kernel, storage);
}

std::string emit_kernels(const lower::KernelModule& m, const KernelNames& names) {
  Printer pr(m, names);
  std::string out;
  out += "// ---- problem kernels (generated from pinnc's kernel IR) ----\n";
  out += pr.kernel(m.residual) + "\n" + pr.kernel(m.conditions) + "\n";
  if (m.has_trial) out += pr.kernel(m.trial) + "\n";
  if (m.has_exact) out += pr.kernel(m.exact) + "\n";
  out += "extern \"C\" {\n";
  for (const char* tag : {"f64", "f32"}) {
    const char* T = tag[1] == '6' ? "double" : "float";
    out += fmt::format(
        "void {0}_{1}(int64_t P, const {2}* t, const {2}* u, const {2}* params, {2}* r, {2}* dr, {2}* drp) {{\n"
        "  {0}<{2}>(P, t, u, params, r, dr, drp);\n}}\n",
        m.residual.name, tag, T);
    out += fmt::format(
        "void {0}_{1}(int64_t P, const {2}* t, const {2}* u, const {2}* params, {2}* r, {2}* dr, {2}* drp) {{\n"
        "  {0}<{2}>(P, t, u, params, r, dr, drp);\n}}\n",
        m.conditions.name, tag, T);
    if (m.has_trial)
      out += fmt::format(
          "void {0}_{1}(int64_t P, const {2}* t, const {2}* params, {2}* A, {2}* B) {{\n"
          "  {0}<{2}>(P, t, params, A, B);\n}}\n",
          m.trial.name, tag, T);
  }
  if (m.has_exact)
    out += fmt::format(
        "void {0}_f64(int64_t P, const double* t, const double* params, double* u) {{\n"
        "  {0}<double>(P, t, params, u);\n}}\n",
        m.exact.name);
  out += "}  // extern \"C\"\n";
  return out;
}

}  // namespace pinnc::cppgen
