// kernel_ir.cpp — slot counts and the textual dump of the kernel IR.
#include "lower/kernel_ir.h"

#include <fmt/format.h>

namespace pinnc::lower {

uint32_t KernelModule::slots(KernelKind kind, uint32_t array) const {
  const uint32_t s = static_cast<uint32_t>(n_unknowns * (order + 1));
  switch (kind) {
    case KernelKind::Residual:
      return array == 0 ? n_equations : array == 1 ? n_equations * s : n_equations * n_params;
    case KernelKind::Conditions:
      return array == 0 ? n_conditions : array == 1 ? n_conditions * s : n_conditions * n_params;
    case KernelKind::Trial:
    case KernelKind::Exact:
      return s;
  }
  return 0;
}

namespace {

const char* input_name(Input in) {
  switch (in) {
    case Input::T: return "t";
    case Input::U: return "u";
    case Input::Param: return "param";
  }
  return "?";
}

const char* array_name(KernelKind kind, uint32_t array) {
  switch (kind) {
    case KernelKind::Residual:
    case KernelKind::Conditions: return array == 0 ? "r" : array == 1 ? "dr" : "dr_dparams";
    case KernelKind::Trial: return array == 0 ? "A" : "B";
    case KernelKind::Exact: return "u";
  }
  return "?";
}

}  // namespace

std::string dump(const Kernel& k) {
  std::string out = fmt::format("kernel {}\n", k.name);
  for (const Block& b : k.blocks) {
    out += b.point < 0 ? std::string("  block (every point)") : fmt::format("  block (point {})", b.point);
    if (!b.comment.empty()) out += "  # " + b.comment;
    out += '\n';
    for (std::size_t i = 0; i < b.code.size(); ++i) {
      const Instr& in = b.code[i];
      out += fmt::format("    %{} = ", i);
      if (in.op == sym::Op::Const) {
        out += fmt::format("const {}", in.value);
      } else if (in.op == sym::Op::Symbol) {
        out += in.input == Input::T ? "load t" : fmt::format("load {}[{}]", input_name(in.input), in.slot);
      } else {
        out += sym::op_info(in.op).name;
        if (in.op == sym::Op::Pow && in.int_exponent != 0) out += fmt::format("i[{}]", in.int_exponent);
        for (std::size_t a = 0; a < in.args.size(); ++a) out += fmt::format("{}%{}", a ? ", " : " ", in.args[a]);
      }
      out += '\n';
    }
    for (const Store& s : b.stores) {
      out += fmt::format("    {}[{}] = %{}", array_name(k.kind, s.array), s.slot, s.value);
      if (!s.comment.empty()) out += "  # " + s.comment;
      out += '\n';
    }
  }
  return out;
}

std::string dump(const KernelModule& m) {
  std::string out = fmt::format("# U={} K={} E={} C={} Q={}\n", m.n_unknowns, m.order, m.n_equations,
                                m.n_conditions, m.n_params);
  out += dump(m.residual);
  out += dump(m.conditions);
  if (m.has_trial) out += dump(m.trial);
  if (m.has_exact) out += dump(m.exact);
  return out;
}

}  // namespace pinnc::lower
