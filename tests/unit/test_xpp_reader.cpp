// test_xpp_reader.cpp — the XPPAUT reader (compiler/xpp): dialect detection, and that each
// supported construct reads as the pinnc program written by hand would. The golden files
// in tests/golden/xpp/ cover the printed forms and the refusals; tests/e2e/test_xppaut.py
// compares the results with XPPAUT itself.
#include <doctest/doctest.h>

#include "frontend_test_util.h"

using namespace pinnc;
using pinnc::testing::has_code;

namespace {

/// The pinnc text of an XPPAUT program, without the header comments; "" after errors.
std::string converted(const std::string& text, DiagnosticEngine* d_out = nullptr) {
  SourceFile src("m.ode", text);
  DiagnosticEngine d;
  Reading reading;
  std::optional<Problem> p = compile_source(src, d, xpp::Dialect::Xpp, &reading);
  if (d_out) *d_out = d;
  if (!p) return "";
  std::string out;
  std::size_t pos = 0;
  while (pos < reading.pinnc_text.size()) {
    std::size_t nl = reading.pinnc_text.find('\n', pos);
    std::string line = reading.pinnc_text.substr(pos, nl - pos);
    if (line.rfind("#", 0) != 0) out += line + "\n";
    pos = nl + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("xpp: dialect detection") {
  using xpp::Dialect;
  CHECK(xpp::detect("t in [0, 5]\ny' = -y\ny(0) = 1\n") == Dialect::Pinnc);
  CHECK(xpp::detect("param k = 1\nt in [0, 5]\ny' + k*y = 0\ny(0) = 1\n") == Dialect::Pinnc);
  // Equations and conditions alone read alike in both languages but for the interval:
  // pinnc's (whose missing-interval error suggests --dialect xpp).
  CHECK(xpp::detect("x'=-x\nx(0)=1\n") == Dialect::Pinnc);
  CHECK(xpp::detect("dx/dt = -x\n") == Dialect::Pinnc);
  CHECK(xpp::detect("par a=1\nx'=-a*x\n") == Dialect::Xpp);
  CHECK(xpp::detect("# c\ninit x=1\nx'=-x\ndone\n") == Dialect::Xpp);
  CHECK(xpp::detect("@ total=5\n") == Dialect::Xpp);
  CHECK(xpp::detect("\" a description line\n") == Dialect::Xpp);
  // pinnc files that forgot their interval stay pinnc's (so the error is pinnc's own).
  CHECK(xpp::detect("y' + y = 0\ny(0) = 1\n") == Dialect::Pinnc);
  CHECK(xpp::detect("p k=1\ny' = -k*y\n") == Dialect::Xpp);
  CHECK(xpp::detect("param k = 1\nset epochs = 10\ny'' + y = 0\n") == Dialect::Pinnc);
  CHECK(xpp::parse_dialect("xpp") == Dialect::Xpp);
  CHECK(!xpp::parse_dialect("fortran"));
}

TEST_CASE("xpp: keywords by their first letter, lists with commas or spaces, case folded") {
  CHECK(converted("P A=1, B = 2 c=-3\nParameters d=4\nnum e=5\nI X=1 y=2\nX'=a*x+b+c+d+e\ndY/dT=-y\n@ total=2\n") ==
        "param a = 1\nparam b = 2\nparam c = -3\nparam d = 4\nparam e = 5\nt in [0, 2]\nx' = a*x + b + c + d + e\n"
        "y' = -y\nx(0) = 1\ny(0) = 2\n");
}

TEST_CASE("xpp: t0 and total set the interval; initial values sit at t0; defaults are XPPAUT's") {
  CHECK(converted("x'=-x\nx(0)=3\n@ t0=1, total=4\n") == "t in [1, 5]\nx' = -x\nx(1) = 3\n");
  CHECK(converted("x'=-x\n") == "t in [0, 20]\nx' = -x\nx(0) = 0\n");
}

TEST_CASE("xpp: fixed variables become functions of what they use; constants become parameters") {
  CHECK(converted("par g=2\nhalf=g/2\nf=half*x+t\nh=f*y\nx'=-h\ny'=f\ninit x=1,y=1\n@ total=1\n") ==
        "param g = 2\nt in [0, 1]\nparam half = g/2\nf(x, t) = half*x + t\nh(x, y, t) = f(x, t)*y\n"
        "x' = -h(x, y, t)\ny' = f(x, t)\nx(0) = 1\ny(0) = 1\n");
}

TEST_CASE("xpp: derived parameters, user functions, ** and if-then-else, flr and ln, continuations") {
  CHECK(converted("par a=2\n!b=a**2\nsq(u,v)=u*u+v\nx'=if(x<b)then(sq(x,a))else(-x) \\\n  + flr(t) + ln(a)\n"
                  "x(0)=1\n@ total=1\n") ==
        "param a = 2\nparam b = a^2\nt in [0, 1]\nsq(u, v) = u*u + v\nx' = if(x < b, sq(x, a), -x) + floor(t) + log(a)\n"
        "x(0) = 1\n");
}

TEST_CASE("xpp: a function may take t, as XPPAUT reads is(t)=... (not a Volterra equation)") {
  CHECK(converted("par ip=2\nis(t)=ip*heav(t-1)\nf(t,x)=t*x\nx'=-x+is(t)+f(t,x)\nx(0)=1\n@ total=2\n") ==
        "param ip = 2\nt in [0, 2]\nis(t) = ip*heav(t - 1)\nf(t, x) = t*x\nx' = -x + is(t) + f(t, x)\nx(0) = 1\n");
}

TEST_CASE("xpp: aux quantities come last, with fixed variables resolved") {
  CHECK(converted("par k=2\nf=k*x\nx'=-f\nx(0)=1\naux rate=f+t\na flux=x*k\n@ total=1\n") ==
        "param k = 2\nt in [0, 1]\nf(x) = k*x\nx' = -f(x)\nx(0) = 1\naux rate = f(x) + t\naux flux = x*k\n");
}

TEST_CASE("xpp: arrays expand as XPPAUT expands them") {
  DiagnosticEngine d;
  CHECK(converted("x[1..3]'=x[j-1]-x[j]\ninit x[1..3]=1\n@ total=1\n", &d).empty());
  CHECK(has_code(d, "E-unknown-name"));  // x0, located where x[j-1] is written
  CHECK(converted("u1'=-u1\nu[2..3]'=u[j-1]-u[j]+0.5*[j]\n%[1..2]\nv[j]'=u[j+1]\nv[j](0)=[j]\n%\naux s[1..2]=u[j]\n"
                  "@ total=1\n") ==
        "t in [0, 1]\nu1' = -u1\nu2' = u1 - u2 + 0.5*2\nu3' = u2 - u3 + 0.5*3\nv1' = u2\nv2' = u3\nu1(0) = 0\n"
        "u2(0) = 0\nu3(0) = 0\nv1(0) = 1\nv2(0) = 2\naux s1 = u1\naux s2 = u2\n");
}

TEST_CASE("xpp: names pinnc reserves are renamed, everywhere") {
  DiagnosticEngine d;
  CHECK(converted("par step=1, in=2\nx'=-step*x+in\nx(0)=1\n@ total=1\n", &d) ==
        "param step_ = 1\nparam in_ = 2\nt in [0, 1]\nx' = -step_*x + in_\nx(0) = 1\n");
}

TEST_CASE("xpp: everything after done is ignored; CRLF and quoted comment lines are fine") {
  CHECK(converted("\" a model\r\nx'=-x\r\nx(0)=1\r\n@ total=1\r\ndone\r\ntable f x.tab\r\nwiener w\r\n") ==
        "t in [0, 1]\nx' = -x\nx(0) = 1\n");
}

TEST_CASE("xpp: refused constructs and malformed lines are located errors, and nothing is read") {
  struct Case {
    const char* text;
    const char* code;
  };
  const Case cases[] = {
      {"x'=-x\ntable f f.tab\n", "E-xpp-unsupported"},
      {"x'=-x+delay(x,1)\n", "E-xpp-unsupported"},
      {"x(t+1)=x/2\n", "E-xpp-unsupported"},
      {"u(t)=exp(-t)+int{exp(-t)*u}\n", "E-xpp-unsupported"},  // XPPAUT's Volterra form: int{} in x(t)=...
      {"x[1..3]'=-x[2*j]\n", "E-xpp-unsupported"},
      {"x[j]'=-x[j]\n", "E-xpp-syntax"},
      {"x[3..1]'=-x[j]\n", "E-xpp-syntax"},
      {"%[1..2]\nx[j]'=-x[j]\n", "E-xpp-syntax"},
      {"x[1..600]'=-x[j]\ninit x[1..600]=1\n", "E-xpp-syntax"},  // over the 1000 lines arrays may make
      {"x'=-x\n@ meth=discrete\n", "E-xpp-unsupported"},
      {"x'=-x\n0=x+1\n", "E-xpp-unsupported"},
      {"3\nx'=-x\n", "E-xpp-unsupported"},
      {"x''=-x\n", "E-xpp-syntax"},
      {"x'=-x\nfrobnicate x=1\n", "E-xpp-syntax"},
      {"x'=if(x>0)then(1)\n", "E-xpp-syntax"},
      {"x'=-x\ninit y=1\n", "E-xpp-syntax"},
      {"x'=-x\npar a\n", "E-xpp-syntax"},
      {"x'=-x $ 2\n", "E-invalid-character"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    DiagnosticEngine d;
    CHECK(converted(c.text, &d).empty());
    CHECK(has_code(d, c.code));
    for (const Diagnostic& x : d.diagnostics()) CHECK(x.located);
  }
}

TEST_CASE("xpp: a switch in the equations is noted") {
  SourceFile src("m.ode", "x'=heav(t-1)-x\nx(0)=0\n@ total=2\n");
  DiagnosticEngine d;
  std::optional<Problem> p = compile_source(src, d, xpp::Dialect::Xpp);
  REQUIRE(p);
  bool noted = false;
  for (const std::string& n : p->notes) noted = noted || n.find("switch (heav)") != std::string::npos;
  CHECK(noted);
}
