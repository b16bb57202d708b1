// bench_runtime_epoch.cpp — time per epoch of the seed setup on the pinnc runtime.
//
// The PyTorch seed setup (the peer that bench/run.py runs): y' + y = 0 on [0, 5], y(0) = 1 as a
// soft condition, MLP 1-50-50-50-1 with LeakyReLU, 501 points jittered by N(0, 0.1) each
// epoch, SGD lr 8e-3, float32, PyTorch init, no input scaling, one thread. One epoch is
// sampling + forward (orders 0 and 1) + residual kernel + backward + SGD step; 31.3 MFLOP
// by the peer's count (98% in twelve 50 x 50 x 501 GEMMs). Not a test: prints numbers.
//
// usage: bench_runtime_epoch [epochs=2000] [repeats=5] [threads=1]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "pinnc/runtime.h"

namespace {

// The residual kernel the compiler would emit for y' + k y = 0 (k = params[0]).
void residual(void*, int64_t P, const float* t, const float* u, const float* q, float* r, float* dr,
              float* drp) {
  (void)t, (void)drp;
  const float k = q[0];
  for (int64_t p = 0; p < P; ++p) {
    r[p] = u[P + p] + k * u[p];
    dr[p] = k;
    dr[P + p] = 1.0f;
  }
}
void conditions(void*, int64_t, const float*, const float* u, const float*, float* r, float* dr, float*) {
  r[0] = u[0] - 1.0f;
  dr[0] = 1.0f;
}

const double kK[1] = {1.0};
const double kCond[1] = {0.0};
const int32_t kOrder[1] = {1};
const int32_t kRows[2] = {0, 0}, kSlots[2] = {0, 1}, kZero[1] = {0};  // dr/dy, dr/dy'; dG/dy

}  // namespace

int main(int argc, char** argv) {
  const long epochs = argc > 1 ? std::atol(argv[1]) : 2000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 1;
  pinnc_problem pb{};
  pb.n_unknowns = 1, pb.order = 1, pb.n_equations = 1, pb.n_conditions = 1, pb.n_params = 1;
  pb.t0 = 0, pb.t1 = 5;
  pb.condition_points = kCond, pb.params = kK, pb.unknown_order = kOrder;
  pb.residual_partials = {2, kRows, kSlots}, pb.condition_partials = {1, kZero, kZero};
  pb.kernels.residual_f32 = residual, pb.kernels.conditions_f32 = conditions;

  using namespace pinnc::rt;
  TrainerSettings s;
  s.hidden = {50, 50, 50};
  s.activation = Activation::leaky_relu;
  s.init = Init::torch_uniform;
  s.input_scaling = false;
  s.points = 501;
  s.sampling.kind = Sampling::jittered_grid;
  s.sampling.sigma = 0.1;
  s.seed = 0;
  s.threads = threads;
  Stage sgd;
  sgd.optimizer = OptimizerKind::sgd, sgd.lr = 8e-3, sgd.epochs = epochs;
  s.schedule = {sgd};

  const double mflop = 31.3;
  double best = 1e30;
  TrainResult last;
  for (int rep = 0; rep < repeats; ++rep) {
    Trainer<float> tr(pb, s);  // allocation happens here, outside the timed loop
    const auto t0 = std::chrono::steady_clock::now();
    last = tr.train();
    const auto t1 = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count() / double(epochs);
    best = ms < best ? ms : best;
    std::printf("run %d: %.4f ms/epoch  %.1f GFLOP/s  final loss %.3e\n", rep, ms, mflop / ms,
                last.final_loss.total);
  }
  std::printf("best: %.4f ms/epoch, %.1f GFLOP/s (31.3 MFLOP/epoch; target 0.25 ms, peer 0.75 ms)\n",
              best, mflop / best);

  // The GEMM-only floor on this machine right now (the same products through the same
  // kernels as network.h, nothing else): absolute times drift with load, so compare
  // against this. Activations are stored points-major ((K+1)P x width, one more column
  // of ones for the bias): forward Z = [H 1] [W b]^T and the adjoint dH = dZ W run on
  // point_gemm.h, the weight gradient [dW db] += dZ^T [H 1] on Eigen's GEMM.
  {
    const Eigen::Index n = 50, C = 1002;
    Eigen::MatrixXf Wb = Eigen::MatrixXf::Random(n, n + 1), H = Eigen::MatrixXf::Random(C, n + 1),
                    Z = Eigen::MatrixXf::Zero(C, n), G = Eigen::MatrixXf::Zero(n, n + 1);
    GemmPlan<float, Eigen::RowMajor, Eigen::ColMajor> gw(n, n + 1, C);
    double gbest = 1e30;
    for (int rep = 0; rep < repeats; ++rep) {
      const auto t0 = std::chrono::steady_clock::now();
      for (long e = 0; e < epochs; ++e) {
        for (int l = 0; l < 2; ++l) point_gemm<float>(C, n, n + 1, H.data(), C, Wb.data(), n, 1, Z.data(), C);
        for (int l = 0; l < 2; ++l) gw.run(Z.data(), C, H.data(), C, G.data(), n);
        for (int l = 0; l < 2; ++l) point_gemm<float>(C, n, n, Z.data(), C, Wb.data(), 1, n, H.data(), C);
      }
      const auto t1 = std::chrono::steady_clock::now();
      const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count() / double(epochs);
      gbest = ms < gbest ? ms : gbest;
    }
    const double gflop = 6 * 2.0 * 50 * 50 * 1002 * 1e-6;
    std::printf("GEMM-only floor (six 50x50x1002 GEMMs = %.1f MFLOP): %.4f ms, %.1f GFLOP/s; "
                "epoch / floor = %.2f\n", gflop, gbest, gflop / gbest, best / gbest);
  }
  return 0;
}
