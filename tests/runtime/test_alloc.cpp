// test_alloc.cpp — no heap allocation inside a training epoch, for every optimizer and
// sampler. Two guards: a replaced global operator new counts C++ allocations, and Eigen's
// EIGEN_RUNTIME_NO_MALLOC (set up in rt_test_util.h) flags Eigen's own mallocs.
#include "rt_test_util.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> g_news{0};
}

// The replacements pair malloc with free, which GCC cannot see through.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t n) {
  ++g_news;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  ++g_news;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace pinnc::rt;

namespace {

// Trains one stage; between the callbacks of epochs 2 and 12 (i.e. across ten whole
// epochs: sampling, loss, gradient, NaN check, step) nothing may be allocated.
template <class Scalar = double>
void check_no_alloc(const pinnc_problem& pb, OptimizerKind k, Sampling smp, bool with_data,
                    std::vector<int> hidden = {8, 8}, int64_t points = 32, int threads = 1) {
  TrainerSettings s;
  s.hidden = hidden;
  s.points = points;
  s.threads = threads;
  s.sampling.kind = smp;
  s.sampling.resample_every = 3;
  if (with_data) s.data = {{0.5, 0, 0.6}, {1.5, 0, 0.2}};
  Stage st;
  st.optimizer = k, st.epochs = 15, st.lr = 1e-3;
  s.schedule = {st};
  Trainer<Scalar> tr(pb, s);
  long news0 = 0, news1 = -1;
  const long eigen0 = rt_test::eigen_assert_failures.load();
  tr.train([&](const EpochReport& e) {
    if (e.epoch == 2) {
      news0 = g_news.load();
      Eigen::internal::set_is_malloc_allowed(false);
    }
    if (e.epoch == 12) {
      Eigen::internal::set_is_malloc_allowed(true);
      news1 = g_news.load();
    }
    return true;
  });
  Eigen::internal::set_is_malloc_allowed(true);
  CHECK(news1 == news0);
  CHECK(rt_test::eigen_assert_failures.load() == eigen0);
}

}  // namespace

TEST_CASE("no heap allocation inside an epoch: every optimizer, sampler, trial, data") {
  for (bool hard : {false, true}) {
    const pinnc_problem pb = rt_test::decay_problem(0, 2, hard);
    for (OptimizerKind k : {OptimizerKind::sgd, OptimizerKind::adam, OptimizerKind::lbfgs, OptimizerKind::lm}) {
      for (Sampling smp : {Sampling::grid, Sampling::jittered_grid, Sampling::uniform, Sampling::sobol}) {
        const std::string name = std::string(optimizer_name(k)) + "/" + sampling_name(smp) + (hard ? "/hard" : "/soft");
        CAPTURE(name);
        check_no_alloc(pb, k, smp, !hard);
      }
    }
  }
}

TEST_CASE("no heap allocation inside an epoch with several point blocks on three threads") {
  const pinnc_problem pb = rt_test::decay_problem(0, 2, true);
  for (OptimizerKind k : {OptimizerKind::adam, OptimizerKind::lbfgs, OptimizerKind::lm}) {
    CAPTURE(optimizer_name(k));
    check_no_alloc(pb, k, Sampling::jittered_grid, false, {8, 8}, 200, 3);
  }
}

TEST_CASE("the allocation guards themselves work (so the test above can fail)") {
  const long n0 = g_news.load();
  void* volatile p = ::operator new(16);  // an explicit call cannot be elided
  ::operator delete(p);
  CHECK(g_news.load() == n0 + 1);
  const long e0 = rt_test::eigen_assert_failures.load();
  rt_test::eigen_assert_quiet = true;
  Eigen::internal::set_is_malloc_allowed(false);
  Eigen::VectorXd x(1000);  // a heap allocation while forbidden: counted, not aborted
  Eigen::internal::set_is_malloc_allowed(true);
  rt_test::eigen_assert_quiet = false;
  x.setZero();
  CHECK(rt_test::eigen_assert_failures.load() == e0 + 1);
  rt_test::eigen_assert_failures = e0;
}

TEST_CASE("no heap allocation inside an epoch at the seed's size (large GEMM blocks)") {
  // 50-50-50 over 501 points: Eigen's GEMM blocking buffers are largest here.
  const pinnc_problem pb = rt_test::decay_problem(0, 5);
  for (OptimizerKind k : {OptimizerKind::sgd, OptimizerKind::adam}) {
    const std::string name = optimizer_name(k);
    CAPTURE(name);
    check_no_alloc<float>(pb, k, Sampling::jittered_grid, false, {50, 50, 50}, 501);
    check_no_alloc<double>(pb, k, Sampling::jittered_grid, false, {50, 50, 50}, 501);
  }
  // LM through the points form (M = 202 < N = 2651) and the parameter form (M > N).
  check_no_alloc<double>(pb, OptimizerKind::lm, Sampling::grid, false, {50, 50}, 201);
  check_no_alloc<double>(pb, OptimizerKind::lm, Sampling::grid, false, {10, 10}, 400);
  check_no_alloc<double>(pb, OptimizerKind::lbfgs, Sampling::grid, false, {50, 50, 50}, 501);
}
