// test_options.cpp — the settings schema (compiler/settings/options.h): one parser for
// flags, `set` lines and the REPL; describe() writes values that set() reads back.
#include <doctest/doctest.h>

#include <set>

#include "settings/options.h"

using namespace pinnc;

TEST_CASE("options: the schema lists every key once, with help, in describe() order") {
  const TrainOptions opt;
  const auto described = opt.describe();
  REQUIRE(described.size() == setting_schema().size());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < described.size(); ++i) {
    CHECK(described[i].first == setting_schema()[i].key);
    CHECK(option_keys()[i] == setting_schema()[i].key);
    CHECK(std::string(setting_schema()[i].help).size() > 5);
    CHECK(seen.insert(described[i].first).second);
  }
}

TEST_CASE("options: every described value reads back to the same settings") {
  TrainOptions a;
  std::string error;
  REQUIRE(a.set("net", "16,8,4", &error));
  REQUIRE(a.set("act", "silu", &error));
  REQUIRE(a.set("opt", "sgd:7,lbfgs:3,lm", &error));
  REQUIRE(a.set("lr", "0.003", &error));
  REQUIRE(a.set("sampling", "jitter:0.25", &error));
  REQUIRE(a.set("precision", "f32", &error));
  REQUIRE(a.set("init", "torch", &error));
  REQUIRE(a.set("conditions", "soft", &error));
  REQUIRE(a.set("backend", "interp", &error));
  REQUIRE(a.set("scaling", "off", &error));
  for (const TrainOptions& o : {TrainOptions(), a}) {
    TrainOptions b;
    for (const auto& [k, v] : o.describe()) {
      if (v == "default") continue;
      INFO(k << " = " << v);
      CHECK(b.set(k, v, &error));
    }
    CHECK(b.describe() == o.describe());
  }
  // The typed fields hold what was set.
  CHECK(a.activation == rt::Activation::silu);
  CHECK(a.schedule.size() == 3);
  CHECK(a.schedule[1].optimizer == rt::OptimizerKind::lbfgs);
  CHECK(a.schedule[1].epochs == 3);
  CHECK(a.sampling == rt::Sampling::jittered_grid);
  CHECK(a.jitter == 0.25);
  CHECK(a.f32());
  CHECK(a.init == InitChoice::torch);
  CHECK(a.conditions == ConditionChoice::soft);
  CHECK(a.backend == BackendChoice::interp);
  CHECK(!a.scaling);
  CHECK(a.stages() == "sgd:7,lbfgs:3,lm:1000");
  CHECK(a.value_of("opt") == "sgd:7,lbfgs:3,lm:1000");
}

TEST_CASE("options: bad values say what is accepted; unknown keys list the keys") {
  TrainOptions o;
  std::string error;
  CHECK_FALSE(o.set("act", "swish", &error));  // runtime alias, not a settings spelling
  CHECK(error.find("tanh") != std::string::npos);
  CHECK_FALSE(o.set("opt", "adam:0", &error));
  CHECK(error.find("positive") != std::string::npos);
  CHECK_FALSE(o.set("opt", "newton:5", &error));
  CHECK(error.find("adam:2000,lm:200") != std::string::npos);
  CHECK_FALSE(o.set("sampling", "grid:0.1", &error));
  CHECK(error.find("only jitter") != std::string::npos);
  CHECK_FALSE(o.set("precision", "f16", &error));
  CHECK_FALSE(o.set("points", "1", &error));
  CHECK_FALSE(o.set("nope", "1", &error));
  CHECK(error.find("settings are: net, act") != std::string::npos);
  // Nothing was changed by the failures.
  CHECK(o.describe() == TrainOptions().describe());
}

TEST_CASE("options: long names and a bracketed net") {
  TrainOptions o;
  std::string error;
  CHECK(o.set("hidden", "[32, 32]", &error));
  CHECK(o.net == std::vector<int>{32, 32});
  CHECK(o.set("activation", "sin", &error));
  CHECK(o.activation == rt::Activation::sin);
  CHECK(o.set("tolerance", "1e-9", &error));
  CHECK(o.tolerance == 1e-9);
  CHECK(default_lr(rt::OptimizerKind::sgd) == 8e-3);
  CHECK(default_lr(rt::OptimizerKind::adam) == 1e-3);
}

TEST_CASE("options: epochs is the total budget, never ignored") {
  std::string error;
  {  // the default schedule scales in proportion
    TrainOptions o;
    CHECK(o.stages() == "adam:300,lm:200");
    CHECK(o.value_of("epochs") == "500");
    REQUIRE(o.set("epochs", "2000", &error));
    CHECK(o.stages() == "adam:1200,lm:800");
    CHECK(o.total_epochs() == 2000);
    REQUIRE(o.set("epochs", "7", &error));
    CHECK(o.total_epochs() == 7);
    CHECK_FALSE(o.set("epochs", "1", &error));  // two stages need two epochs
  }
  {  // stages without a count share what is left
    TrainOptions o;
    REQUIRE(o.set("opt", "sgd", &error));
    REQUIRE(o.set("epochs", "10000", &error));
    CHECK(o.stages() == "sgd:10000");
    REQUIRE(o.set("opt", "adam:100,lbfgs,lm", &error));
    REQUIRE(o.set("epochs", "301", &error));
    CHECK(o.stages() == "adam:100,lbfgs:100,lm:101");
    CHECK_FALSE(o.set("epochs", "101", &error));
    CHECK(error.find("already take 100 epochs") != std::string::npos);
  }
  {  // a schedule that fixes every stage refuses another total, accepts its own
    TrainOptions o;
    REQUIRE(o.set("opt", "adam:400,lm:300", &error));
    CHECK(o.set("epochs", "700", &error));
    CHECK_FALSE(o.set("epochs", "100", &error));
    CHECK(error.find("every stage of opt = adam:400,lm:300 has its own epoch count") != std::string::npos);
    CHECK(o.stages() == "adam:400,lm:300");
  }
  {  // a total given first leaves at least one epoch for each stage without a count
    // (fuzz_settings found `epochs = 10` then `opt = adam:100,lm` giving lm -90 epochs;
    // tests/fuzz/corpus/fuzz_settings/crash_epochs_then_opt*)
    TrainOptions o;
    REQUIRE(o.set("epochs", "10", &error));
    CHECK_FALSE(o.set("opt", "adam:100,lm", &error));
    CHECK(error.find("the stages with their own counts take 100 of the 10 epochs") != std::string::npos);
    CHECK_FALSE(o.set("opt", "adam:10,lm", &error));  // 0 left for lm
    REQUIRE(o.set("opt", "adam:4,lm", &error));
    CHECK(o.stages() == "adam:4,lm:6");
  }
}

TEST_CASE("options: net auto picks the widths from the number of unknowns; a given net wins") {
  TrainOptions o;
  CHECK(o.net.empty());
  CHECK(o.hidden_widths(1) == std::vector<int>{24, 24});
  CHECK(o.hidden_widths(5) == std::vector<int>{24, 24});
  CHECK(o.hidden_widths(6) == std::vector<int>{16, 16});
  CHECK(o.hidden_widths(50) == std::vector<int>{16, 16});
  std::string error;
  REQUIRE(o.set("net", "32", &error));
  CHECK(o.hidden_widths(50) == std::vector<int>{32});
  REQUIRE(o.set("net", "auto", &error));
  CHECK(o.net.empty());
  CHECK(o.describe().front() == std::pair<std::string, std::string>{"net", "auto"});
  CHECK_FALSE(o.set("net", "auto,3", &error));
  CHECK(error.find("expected auto or hidden widths") != std::string::npos);
}
