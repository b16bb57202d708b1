// kernel_ir.cpp — the kernel signatures (from kernel_abi.h), slot counts, patterns and the
// textual dump of the kernel IR.
#include "lower/kernel_ir.h"

#include <array>
#include <stdexcept>

#include <fmt/format.h>

namespace pinnc::lower {

namespace {

// Each kind's argument list, expanded from its ARGS macro.
#define PINNC_ARG_ROW_(S, ROLE, name) KernelArg{ArgRole::ROLE, #name},
#define PINNC_ARG_LIST_(kind, ARGS, F32) constexpr KernelArg kArgs_##kind[] = {ARGS(PINNC_ARG_ROW_, _)};
PINNC_KERNEL_KINDS(PINNC_ARG_LIST_)
#undef PINNC_ARG_LIST_
#undef PINNC_ARG_ROW_

#define PINNC_SIGNATURE_ROW_(kind, ARGS, F32) KernelSignature{KernelKind::kind, #kind, F32 != 0, kArgs_##kind},
const std::array<KernelSignature, kKernelKindCount> kSignatures = {{PINNC_KERNEL_KINDS(PINNC_SIGNATURE_ROW_)}};
#undef PINNC_SIGNATURE_ROW_

}  // namespace

const KernelSignature& signature(KernelKind kind) { return kSignatures.at(static_cast<std::size_t>(kind)); }

std::vector<KernelArg> KernelSignature::outputs() const {
  std::vector<KernelArg> out;
  for (const KernelArg& a : args)
    if (a.is_output()) out.push_back(a);
  return out;
}

ArgRole input_role(Input in) {
  switch (in) {
    case Input::T: return ArgRole::TIME;
    case Input::U: return ArgRole::STACK;
    case Input::Param: return ArgRole::PARAMS;
  }
  throw std::logic_error("pinnc bug: input without an argument role");
}

pinnc_pattern Pattern::abi() const {
  pinnc_pattern p{};
  p.n = static_cast<int32_t>(row.size());
  p.row = row.empty() ? nullptr : row.data();
  p.col = col.empty() ? nullptr : col.data();
  return p;
}

const Kernel& KernelModule::kernel(KernelKind kind) const {
  switch (kind) {
    case KernelKind::residual: return residual;
    case KernelKind::conditions: return conditions;
    case KernelKind::trial: return trial;
    case KernelKind::exact: return exact;
    case KernelKind::aux: return aux;
  }
  throw std::logic_error("pinnc bug: kernel kind without a kernel");
}

bool KernelModule::has(KernelKind kind) const {
  switch (kind) {
    case KernelKind::residual:
    case KernelKind::conditions: return true;
    case KernelKind::trial: return has_trial;
    case KernelKind::exact: return has_exact;
    case KernelKind::aux: return has_aux;
  }
  return false;
}

uint32_t KernelModule::slots(KernelKind kind, uint32_t array) const {
  const uint32_t s = static_cast<uint32_t>(n_unknowns * (order + 1));
  auto n = [](const Pattern& p) { return static_cast<uint32_t>(p.size()); };
  switch (kind) {
    case KernelKind::residual:
      return array == 0 ? n_equations : array == 1 ? n(residual_partials) : n(residual_param_partials);
    case KernelKind::conditions:
      return array == 0 ? n_conditions : array == 1 ? n(condition_partials) : n(condition_param_partials);
    case KernelKind::trial:
    case KernelKind::exact:
      return s;
    case KernelKind::aux:
      return static_cast<uint32_t>(n_aux);
  }
  return 0;
}

void KernelModule::describe(pinnc_problem* abi) const {
  abi->n_unknowns = n_unknowns;
  abi->order = order;
  abi->n_equations = n_equations;
  abi->n_conditions = n_conditions;
  abi->n_params = n_params;
  abi->n_aux = n_aux;
  abi->residual_partials = residual_partials.abi();
  abi->residual_param_partials = residual_param_partials.abi();
  abi->condition_partials = condition_partials.abi();
  abi->condition_param_partials = condition_param_partials.abi();
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

std::string array_name(KernelKind kind, uint32_t array) {
  const std::vector<KernelArg> outs = signature(kind).outputs();
  return array < outs.size() ? std::string(outs[array].name) : "?";
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
  out += fmt::format("# non-zero partials: residual d/du {}, d/dparams {}; conditions d/du {}, d/dparams {}\n",
                     m.residual_partials.size(), m.residual_param_partials.size(), m.condition_partials.size(),
                     m.condition_param_partials.size());
  out += dump(m.residual);
  out += dump(m.conditions);
  if (m.has_trial) out += dump(m.trial);
  if (m.has_exact) out += dump(m.exact);
  if (m.has_aux) out += dump(m.aux);
  return out;
}

}  // namespace pinnc::lower
