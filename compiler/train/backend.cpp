// backend.cpp — the interpreter backend.
#include "train/backend.h"

namespace pinnc::train {

bool InterpBackend::bind(const lower::KernelModule& module, bool, pinnc_problem* abi, std::string*) {
  binding_.reset();  // the previous binding releases the process-wide slot first
  binding_ = std::make_unique<interp::Binding>(module);
  abi->residual_f64 = binding_->residual_f64();
  abi->conditions_f64 = binding_->conditions_f64();
  abi->trial_f64 = binding_->trial_f64();
  abi->exact_f64 = binding_->exact_f64();
  abi->residual_f32 = binding_->residual_f32();
  abi->conditions_f32 = binding_->conditions_f32();
  abi->trial_f32 = binding_->trial_f32();
  return true;
}

}  // namespace pinnc::train
