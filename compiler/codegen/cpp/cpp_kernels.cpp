// cpp_kernels.cpp — kernel IR -> C++ text (built with fmt from the IR, one line per
// instruction).
#include "codegen/cpp/cpp_kernels.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>

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

/// A Select comparison in C++ (ordered, as the IR's: false when either side is NaN).
const char* comparison(sym::Cmp cmp) {
  switch (cmp) {
    case sym::Cmp::Lt: return "<";
    case sym::Cmp::Le: return "<=";
    case sym::Cmp::Gt: return ">";
    case sym::Cmp::Ge: return ">=";
    case sym::Cmp::Eq: return "==";
  }
  return "?";
}

/// Comments from the IR go into // comments: no newlines, no line splices.
std::string comment_text(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\\') c = ' ';
  return s;
}

/// The parameter list of a kernel of signature `sig` in scalar type T, as kernel_abi.h
/// declares it: "void* ctx, int64_t P, const T* t, ...".
std::string parameters(const lower::KernelSignature& sig, const std::string& T) {
  std::string out = "void* ctx";
  for (const lower::KernelArg& a : sig.args) {
    switch (a.role) {
      case lower::ArgRole::COUNT: out += fmt::format(", int64_t {}", a.name); break;
      case lower::ArgRole::TIME:
      case lower::ArgRole::STACK:
      case lower::ArgRole::PARAMS: out += fmt::format(", const {}* {}", T, a.name); break;
      case lower::ArgRole::OUT:
      case lower::ArgRole::OPTIONAL_OUT: out += fmt::format(", {}* {}", T, a.name); break;
    }
  }
  return out;
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
    const lower::KernelSignature& sig = lower::signature(k.kind);
    std::string out = fmt::format("template <class T>\n{} void {}({}) {{\n", storage, k.name, parameters(sig, "T"));
    out += "  (void)ctx;";
    for (const lower::KernelArg& a : sig.args) out += fmt::format(" (void){};", a.name);
    out += "\n";
    for (const lower::Block& b : k.blocks) {
      std::string indent = "    ";
      if (b.point >= 0) {
        out += fmt::format("  if (P > {}) {{{}\n    const int64_t p = {};\n    (void)p;\n", b.point,
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
    const std::vector<lower::KernelArg> outputs = lower::signature(kind).outputs();
    for (const lower::Store& s : b.stores) {
      const lower::KernelArg& arr = outputs.at(s.array);
      // A fixed-point block stores one value per slot; an every-point block a column.
      std::string line = b.point >= 0 ? fmt::format("{}[{}] = {};", arr.name, s.slot, name[s.value])
                                      : fmt::format("{}[{} * P + p] = {};", arr.name, s.slot, name[s.value]);
      if (arr.role == lower::ArgRole::OPTIONAL_OUT) line = fmt::format("if ({}) {}", arr.name, line);
      out += ind + line;
      if (!s.comment.empty()) out += "  // " + comment_text(s.comment);
      out += '\n';
    }
    return out;
  }

  /// One instruction's expression, from its op's class in the table (ops.h).
  std::string expr(const Instr& in, const std::vector<std::string>& name) {
    auto a = [&](std::size_t i) { return name[in.args[i]]; };
    if (in.int_exponent != 0) {  // x^n by repeated multiplication, as sym::powi
      const int m = in.int_exponent < 0 ? -in.int_exponent : in.int_exponent;
      std::string s = a(0);
      for (int i = 1; i < m; ++i) s += " * " + a(0);
      return in.int_exponent < 0 ? fmt::format("T(1) / ({})", s) : s;
    }
    const sym::OpInfo& info = sym::op_info(in.op);
    switch (info.cls) {
      case sym::OpClass::Leaf: break;  // printed by block()
      case sym::OpClass::Sum:
      case sym::OpClass::Product: {
        std::string s = a(0);
        for (std::size_t i = 1; i < in.args.size(); ++i)
          s += fmt::format(" {} {}", info.cls == sym::OpClass::Sum ? '+' : '*', a(i));
        return s;
      }
      case sym::OpClass::Libm: {  // std::sin(float) is sinf: the function the JIT calls
        std::string s = fmt::format("std::{}(", info.libm);
        for (std::size_t i = 0; i < in.args.size(); ++i) s += (i ? ", " : "") + a(i);
        return s + ")";
      }
      case sym::OpClass::Select: {  // the first case that holds, else NaN
        auto operand = [&](const sym::SelectOperand& o) {
          return o.arg >= 0 ? a(static_cast<std::size_t>(o.arg)) : literal(o.value);
        };
        std::string s;
        for (int i = 0; i < info.select.n; ++i) {
          const sym::SelectCase& c = info.select.cases[static_cast<std::size_t>(i)];
          s += fmt::format("{} {} {} ? {} : ", operand(c.lhs), comparison(c.cmp), operand(c.rhs), operand(c.result));
        }
        return s + literal(std::numeric_limits<double>::quiet_NaN());
      }
    }
    throw std::logic_error("pinnc bug (cpp_kernels.cpp): instruction of no op class");
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
  if (m.has_aux) out += pr.kernel(m.aux) + "\n";
  out += "extern \"C\" {\n";
  for (int i = 0; i < lower::kKernelKindCount; ++i) {
    const lower::KernelSignature& sig = lower::signature(static_cast<KernelKind>(i));
    if (!m.has(sig.kind)) continue;
    std::string call = "ctx";
    for (const lower::KernelArg& a : sig.args) call += fmt::format(", {}", a.name);
    for (const char* T : {"double", "float"}) {
      const bool f32 = T[0] == 'f';
      if (f32 && !sig.has_f32) continue;
      const std::string& name = m.kernel(sig.kind).name;
      out += fmt::format("void {}_{}({}) {{\n  {}<{}>({});\n}}\n", name, f32 ? "f32" : "f64", parameters(sig, T), name,
                         T, call);
    }
  }
  out += "}  // extern \"C\"\n";
  return out;
}

namespace {

/// The module's patterns with the names of their pinnc_problem fields.
std::vector<std::pair<std::string, const lower::Pattern*>> patterns(const lower::KernelModule& m) {
  return {{"residual_partials", &m.residual_partials},
          {"residual_param_partials", &m.residual_param_partials},
          {"condition_partials", &m.condition_partials},
          {"condition_param_partials", &m.condition_param_partials}};
}

}  // namespace

std::string emit_pattern_arrays(const lower::KernelModule& m) {
  std::string out;
  for (const auto& [name, pattern] : patterns(m)) {
    if (pattern->size() == 0) continue;
    out += fmt::format("/// {}: the structurally non-zero partial derivatives as (row, col) pairs.\n", name);
    for (const auto& [suffix, values] : {std::pair{"row", &pattern->row}, std::pair{"col", &pattern->col}}) {
      out += fmt::format("const int32_t {}_{}[] = {{", name, suffix);
      for (std::size_t n = 0; n < values->size(); ++n)
        out += fmt::format("{}{}{}", n % 16 == 0 ? "\n    " : " ", (*values)[n], n + 1 < values->size() ? "," : "");
      out += "\n};\n";
    }
    out += "\n";
  }
  return out;
}

std::string emit_abi_wiring(const lower::KernelModule& m, const std::string& pb, const std::string& data_ns,
                            const std::string& kernels_ns) {
  std::string out;
  for (const auto& [name, pattern] : patterns(m))
    if (pattern->size() > 0)
      out += fmt::format("  {0}.{1} = {{{2}, {3}{1}_row, {3}{1}_col}};\n", pb, name, pattern->size(), data_ns);
  for (int i = 0; i < lower::kKernelKindCount; ++i) {
    const lower::KernelSignature& sig = lower::signature(static_cast<KernelKind>(i));
    if (!m.has(sig.kind)) continue;
    for (const char* tag : {"f64", "f32"})
      if (tag[1] == '6' || sig.has_f32)
        out += fmt::format("  {}.kernels.{}_{} = {}{}_{};\n", pb, sig.name, tag, kernels_ns, m.kernel(sig.kind).name, tag);
  }
  return out;
}

}  // namespace pinnc::cppgen
