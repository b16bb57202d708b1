// test_post.cpp — the runtime's post-training text (runtime/include/pinnc/post/): JSON
// numbers and strings, the model file round trip through the compiler's reader, and the
// divergence message mapped from structured data.
#include <doctest/doctest.h>

#include <cmath>

#include "pinnc/post/format.h"
#include "pinnc/post/text.h"
#include "train/model.h"

using namespace pinnc;

TEST_CASE("post: JSON numbers are shortest round-trip, decimal for moderate exponents") {
  CHECK(post::json_number(0.4) == "0.4");
  CHECK(post::json_number(300) == "300.0");
  CHECK(post::json_number(-2.5) == "-2.5");
  CHECK(post::json_number(1.5e-7) == "1.5e-07");
  CHECK(post::json_number(1e20) == "1e+20");
  CHECK(post::json_number(0.0001) == "0.0001");
  CHECK(post::json_number(NAN) == "null");
  // The shortest form (a printer that is merely round-trip wrote ...341 here).
  CHECK(post::json_number(0.16086338775431341) == "0.1608633877543134");
  for (double v : {0.1, 1.0 / 3, -1e-300, 123456789.125, 6.02e23, 2.2250738585072014e-308})
    CHECK(std::strtod(post::json_number(v).c_str(), nullptr) == v);
  CHECK(post::shortest(5) == "5");
  CHECK(post::shortest(1e-300) == "1e-300");
}

TEST_CASE("post: JSON strings escape controls and replace invalid UTF-8") {
  CHECK(post::json_string("a\"b\\c\n\t") == "\"a\\\"b\\\\c\\n\\t\"");
  CHECK(post::json_string(std::string("\x01", 1)) == "\"\\u0001\"");
  CHECK(post::json_string("π ok") == "\"π ok\"");
  CHECK(post::json_string("\xff") == "\"\xEF\xBF\xBD\"");
  CHECK(post::json_string("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong
  CHECK(post::json_string("\xE2\x88") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // truncated
}

TEST_CASE("post: model.json written by the runtime reads back identically") {
  post::ModelFile m;
  m.pinnc_version = "0.1.0";
  m.source_file = "x.ode";
  m.source_text = "t in [0, 1]\ny' = -y # \"quoted\"\n";
  m.settings = {{"net", "4"}, {"act", "tanh"}};
  m.t0 = -1, m.t1 = 2.5;
  m.order = 1;
  m.unknowns = {{"y", 1}};
  m.params = {{"k", 0.1}};
  m.widths = {1, 4, 1};
  m.activation = "tanh";
  m.input_scale = 2.0 / 3.5;
  m.input_shift = -1.0 / 3.5;
  for (int i = 0; i < 13; ++i) m.theta.push_back(std::sin(i + 0.5) / 3);
  m.trial = {{"y", "initial value", "1", "t + 1"}};
  m.results = {{"loss", 1.25e-9}, {"rel_l2", NAN}};
  m.notes = {{"verdict", "trusted"}};
  const std::string text = post::to_json(m);
  train::Model back;
  std::string error;
  REQUIRE_MESSAGE(train::from_json(text, &back, &error), error);
  CHECK(back.source_text == m.source_text);
  CHECK(back.settings == m.settings);
  CHECK(back.t0 == m.t0);
  CHECK(back.t1 == m.t1);
  CHECK(back.theta == m.theta);  // bit for bit
  CHECK(back.input_scale == m.input_scale);
  CHECK(back.trial.size() == 1);
  CHECK(back.trial[0].b == "t + 1");
  CHECK(back.results.size() == 1);  // NaN is null, which is not a number
  CHECK(back.notes == m.notes);
  CHECK(post::to_json(back).find("\"rel_l2\"") == std::string::npos);
}

TEST_CASE("post: a diverged term names its own source line (equation 1 is not equation 10)") {
  post::RunInfo info;
  info.source_file = "big.ode";
  for (int e = 0; e < 12; ++e) info.equation_where.push_back("big.ode:" + std::to_string(e + 3) + ": eq" + std::to_string(e));
  info.condition_where = {"big.ode:20: the condition `y(0) = 1`"};
  CHECK(post::divergence_message(info, {rt::TermKind::equation, 10}, "x") == "big.ode:13: eq10 became NaN or infinite");
  CHECK(post::divergence_message(info, {rt::TermKind::equation, 1}, "x") == "big.ode:4: eq1 became NaN or infinite");
  CHECK(post::divergence_message(info, {rt::TermKind::condition, 0}, "x").rfind("big.ode:20:", 0) == 0);
  CHECK(post::divergence_message(info, {rt::TermKind::gradient, -1}, "loss became non-finite") ==
        "big.ode: training diverged (loss became non-finite)");
}
