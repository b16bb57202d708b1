// test_lexer.cpp — tokens, numbers, comments, separators and bad bytes.
#include <doctest/doctest.h>

#include <random>
#include <set>

#include "frontend_test_util.h"

using namespace pinnc;
using pinnc::testing::has_code;

namespace {

std::vector<Tok> kinds(const std::string& text, DiagnosticEngine* d = nullptr) {
  SourceFile src("t.ode", text);
  DiagnosticEngine local;
  std::vector<Tok> out;
  for (const Token& t : lex(src, d ? *d : local)) out.push_back(t.kind);
  return out;
}

std::vector<double> numbers(const std::string& text) {
  SourceFile src("t.ode", text);
  DiagnosticEngine d;
  std::vector<double> out;
  for (const Token& t : lex(src, d))
    if (t.kind == Tok::Number) out.push_back(t.number);
  CHECK_FALSE(d.has_errors());
  return out;
}

}  // namespace

TEST_CASE("lexer: a statement of the decay example") {
  CHECK(kinds("y' + k*y = 0") == std::vector<Tok>{Tok::Ident, Tok::Prime, Tok::Plus, Tok::Ident,
                                                  Tok::Star, Tok::Ident, Tok::Equals, Tok::Number,
                                                  Tok::Newline, Tok::Eof});
  CHECK(kinds("param k = 1") ==
        std::vector<Tok>{Tok::KwParam, Tok::Ident, Tok::Equals, Tok::Number, Tok::Newline, Tok::Eof});
  CHECK(kinds("t in [0, 5]") == std::vector<Tok>{Tok::Ident, Tok::KwIn, Tok::LBracket, Tok::Number,
                                                 Tok::Comma, Tok::Number, Tok::RBracket,
                                                 Tok::Newline, Tok::Eof});
}

TEST_CASE("lexer: numbers") {
  CHECK(numbers("1 1.5 .5 1e-3 2.5E+4 7. 0.000") == std::vector<double>{1, 1.5, 0.5, 1e-3, 2.5e4, 7, 0});
}

TEST_CASE("lexer: comments, blank lines and ';' collapse into single separators") {
  CHECK(kinds("# only a comment\n\n\n") == std::vector<Tok>{Tok::Eof});
  CHECK(kinds("a = 1 # c\n\n;;\n b = 2") ==
        std::vector<Tok>{Tok::Ident, Tok::Equals, Tok::Number, Tok::Newline, Tok::Ident,
                         Tok::Equals, Tok::Number, Tok::Newline, Tok::Eof});
  CHECK(kinds("a = 1\r\n") == std::vector<Tok>{Tok::Ident, Tok::Equals, Tok::Number, Tok::Newline, Tok::Eof});
  // Non-ASCII and even NUL bytes are fine inside comments.
  DiagnosticEngine d;
  kinds(std::string("# caf\xc3\xa9 \0 \xff\nx = 1", 17), &d);
  CHECK_FALSE(d.has_errors());
}

TEST_CASE("lexer: keywords and primes") {
  CHECK(kinds("exact set data from in") == std::vector<Tok>{Tok::KwExact, Tok::KwSet, Tok::KwData,
                                                           Tok::KwFrom, Tok::KwIn, Tok::Newline, Tok::Eof});
  CHECK(kinds("y''''") == std::vector<Tok>{Tok::Ident, Tok::Prime, Tok::Prime, Tok::Prime,
                                           Tok::Prime, Tok::Newline, Tok::Eof});
  CHECK(kinds("params") == std::vector<Tok>{Tok::Ident, Tok::Newline, Tok::Eof});
}

TEST_CASE("lexer: malformed numbers are diagnosed") {
  for (const char* bad : {"1e", "1e+", "2y", "1.2.3", "1e999"}) {
    CAPTURE(bad);
    DiagnosticEngine d;
    kinds(bad, &d);
    CHECK(has_code(d, "E-bad-number"));
    CHECK(d.error_count() == 1);
  }
}

TEST_CASE("lexer: strings") {
  DiagnosticEngine d;
  CHECK(kinds("data y from \"a.csv\"", &d) ==
        std::vector<Tok>{Tok::KwData, Tok::Ident, Tok::KwFrom, Tok::String, Tok::Newline, Tok::Eof});
  CHECK_FALSE(d.has_errors());
  kinds("\"open\nx = 1", &d);
  CHECK(has_code(d, "E-unterminated-string"));
}

TEST_CASE("lexer: bad bytes give one diagnostic per run, never a crash") {
  DiagnosticEngine d;
  kinds(std::string("x = \0\0\0\x01\xff\xfe y", 12), &d);
  CHECK(d.error_count() == 1);
  CHECK(has_code(d, "E-invalid-character"));

  DiagnosticEngine d2;
  kinds("y\xe2\x80\xb2 = 1", &d2);  // U+2032 PRIME
  REQUIRE(d2.diagnostics().size() == 1);
  CHECK(d2.diagnostics()[0].hints.at(0).find("apostrophe") != std::string::npos);

  // Random binary: terminates, diagnostics bounded by the error limit.
  std::mt19937_64 rng(7);
  std::string junk(1 << 16, '\0');
  for (char& c : junk) c = static_cast<char>(rng());
  DiagnosticEngine d3;
  std::vector<Tok> toks = kinds(junk, &d3);
  CHECK(toks.back() == Tok::Eof);
  CHECK(d3.error_count() <= DiagnosticEngine::kMaxErrors + 1);
}

TEST_CASE("lexer: a large input is lexed in linear time") {
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "y' = -k*y + 1e-3\n";
  DiagnosticEngine d;
  std::vector<Tok> toks = kinds(big, &d);
  CHECK(toks.size() == 200000u * 10 + 1);
  CHECK_FALSE(d.has_errors());
}

TEST_CASE("source: line and column of offsets") {
  SourceFile src("f", "ab\ncd\r\n\nlast");
  CHECK(src.line_col(0).line == 1);
  CHECK(src.line_col(4).line == 2);
  CHECK(src.line_col(4).col == 2);
  CHECK(src.line_text(2) == "cd");
  CHECK(src.line_text(3) == "");
  CHECK(src.line_text(4) == "last");
  CHECK(src.line_count() == 4);
  CHECK(src.line_col(1000).line == 4);  // clamped
  CHECK(src.slice({8, 100}) == "last");
}

TEST_CASE("diagnostics: rendering with caret, hint and note") {
  SourceFile src("f.ode", "param k = 1\ny' = -kk*y\n");
  DiagnosticEngine d;
  d.report(DiagId::UnknownName, {18, 20}, {"kk"}).hint("did you mean 'k'?").note({6, 7}, "k is here");
  std::string out = render_all(src, d);
  CHECK(out ==
        "f.ode:2:7: error: unknown name 'kk' [E-unknown-name]\n"
        " 2 | y' = -kk*y\n"
        "   |       ^~\n"
        "  hint: did you mean 'k'?\n"
        "f.ode:1:7: note: k is here\n"
        " 1 | param k = 1\n"
        "   |       ^\n"
        "1 error\n");
}

TEST_CASE("diagnostics: internal errors are marked as pinnc bugs") {
  SourceFile src("f.ode", "");
  DiagnosticEngine d;
  d.bug("invariant broken", "sema/x.cpp");
  std::string out = render_all(src, d);
  CHECK(out.find("internal error: invariant broken [B-internal]") != std::string::npos);
  CHECK(out.find("bug in pinnc (in sema/x.cpp)") != std::string::npos);
  CHECK(d.has_errors());
}

TEST_CASE("diagnostics: the registry has unique codes with matching prefixes") {
  std::set<std::string_view> seen;
  for (const DiagKind& k : all_diag_kinds()) {
    CAPTURE(k.code);
    CHECK(seen.insert(k.code).second);
    char want = k.severity == Severity::Error ? 'E' : k.severity == Severity::Warning ? 'W' : 'B';
    CHECK(k.code[0] == want);
    CHECK(&diag_kind(k.id) == &k);
  }
}

TEST_CASE("lexer: a UTF-8 byte-order mark is accepted; columns start after it") {
  pinnc::testing::Compiled c("\xEF\xBB\xBFt in [0, 1]\ny' = -y\ny(0) = 1\n");
  REQUIRE_MESSAGE(c.problem, c.rendered());
  CHECK(c.src.text().rfind("t in", 0) == 0);
  pinnc::testing::Compiled bad("\xEF\xBB\xBFt in [0, 1]\ny' = -y + q\ny(0) = 1\n");
  CHECK(bad.rendered().find("test.ode:2:") != std::string::npos);
}

TEST_CASE("lexer: look-alikes of pi, minus, prime and times: one error each with a hint, no follow-on errors") {
  DiagnosticEngine d;
  const auto toks = kinds("2\xCF\x80 \xE2\x88\x92 y\xE2\x80\xB2 a\xC3\x97" "b", &d);
  CHECK(toks == std::vector<Tok>{Tok::Number, Tok::Star, Tok::Ident, Tok::Minus, Tok::Ident, Tok::Prime, Tok::Ident,
                                 Tok::Star, Tok::Ident, Tok::Newline, Tok::Eof});
  CHECK(d.error_count() == 4);
  pinnc::testing::Compiled c("param k = 2\xCF\x80\nt in [0, 1]\ny' = \xE2\x88\x92k*y\ny(0) = 1\n");
  CHECK(c.diags.error_count() == 2);  // the two characters, nothing else
  const std::string text = c.rendered();
  CHECK(text.find("hint: write pi for the constant") != std::string::npos);
  CHECK(text.find("hint: write minus with the ASCII '-'") != std::string::npos);
  CHECK(text.find("E-syntax") == std::string::npos);
}
