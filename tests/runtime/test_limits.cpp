// test_limits.cpp — the memory estimate (runtime/include/pinnc/post/limits.h): it grows
// with the points and the network as the allocations do, names the largest part, and a
// run over the limit is refused by train_and_evaluate before anything is trained.
#include "rt_test_util.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "pinnc/post/march.h"

using namespace pinnc;
using namespace pinnc::rt;

namespace {

TrainerSettings settings(int64_t points, std::vector<int> hidden, OptimizerKind k) {
  TrainerSettings s;
  s.hidden = std::move(hidden);
  s.points = points;
  Stage st;
  st.optimizer = k, st.epochs = 10;
  s.schedule = {st};
  return s;
}

}  // namespace

TEST_CASE("memory_estimate: Levenberg-Marquardt's weights x residuals, the blocks, the history") {
  const pinnc_problem pb = rt_test::decay_problem(0, 1, /*hard=*/true);
  post::RunInfo info;
  // 1-24-24-1: 673 weights; LM holds the transposed Jacobian and its gathered copy
  // (2 x 673 x 100000 doubles) and two 673^2 normal-equation matrices.
  const post::MemoryEstimate lm = post::memory_estimate(pb, info, settings(100000, {24, 24}, OptimizerKind::lm));
  CHECK(lm.largest.find("Levenberg-Marquardt") != std::string::npos);
  CHECK(lm.largest.find("673 weights x 100000 residuals") != std::string::npos);
  CHECK(lm.largest_bytes == doctest::Approx(8.0 * (2.0 * 673 * 100000 + 2.0 * 673 * 673)));
  // Adam has no Jacobian: the collocation blocks are the largest part, linear in the points.
  const post::MemoryEstimate a1 = post::memory_estimate(pb, info, settings(100000, {24, 24}, OptimizerKind::adam));
  const post::MemoryEstimate a2 = post::memory_estimate(pb, info, settings(200000, {24, 24}, OptimizerKind::adam));
  CHECK(a1.largest.find("collocation blocks (100000 points") != std::string::npos);
  CHECK(a2.largest_bytes == doctest::Approx(2 * a1.largest_bytes).epsilon(0.01));
  CHECK(a1.bytes < lm.bytes);
  // A billion epochs are a billion loss rows.
  TrainerSettings many = settings(100, {8}, OptimizerKind::adam);
  many.schedule[0].epochs = 1000000000;
  CHECK(post::memory_estimate(pb, info, many).largest.find("loss history") != std::string::npos);
}

TEST_CASE("memory_check: over the limit, a message with the sizes and the remedies; refused before training") {
  const pinnc_problem pb = rt_test::decay_problem(0, 1, /*hard=*/true);
  post::RunInfo info;
  info.memory_limit = 1e6;  // bytes
  const TrainerSettings s = settings(100000, {24, 24}, OptimizerKind::lm);
  const std::string why = post::memory_check(pb, info, s);
  CHECK(why.find("more than the limit of 0.000931 GiB (--memory)") != std::string::npos);
  CHECK(why.find("fewer --points") != std::string::npos);
  CHECK_THROWS_WITH_AS(post::train_and_evaluate<double>(pb, info, s, nullptr, nullptr, post::Progress()),
                       doctest::Contains("Levenberg-Marquardt"), std::invalid_argument);
  info.memory_limit = 1e12;
  CHECK(post::memory_check(pb, info, s).empty());
  info.memory_limit = 0;  // 80% of this machine's memory
  CHECK(post::physical_memory() > 0);
  CHECK(post::memory_check(pb, info, settings(100, {8}, OptimizerKind::lm)).empty());
}
