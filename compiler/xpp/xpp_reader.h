// xpp_reader.h — reads XPPAUT's plain-text .ode format into pinnc's syntax tree.
//
// XPPAUT files (par/init/aux lines, x'=..., dx/dt=..., fixed variables, user functions,
// @ options, done) become the ast::Program that the same model written in pinnc's
// language would parse to, with source ranges into the XPPAUT file, so that sema and
// every later phase treat both dialects alike and diagnostics point into the file the
// user wrote. What XPPAUT reads but pinnc cannot solve (tables, Wiener processes, maps,
// delays, arrays, ...) is refused with a located E-xpp-unsupported; nothing is guessed.
// docs/XPPAUT.md lists the mapping construct by construct.
#ifndef PINNC_XPP_XPP_READER_H
#define PINNC_XPP_XPP_READER_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/ast.h"
#include "frontend/diagnostic.h"
#include "frontend/source.h"

namespace pinnc::xpp {

/// The input language of a file.
enum class Dialect { Auto, Pinnc, Xpp };

/// "auto", "pinnc", "xpp" (for flags); nullopt for anything else.
std::optional<Dialect> parse_dialect(std::string_view text);

/// Reads the content and decides: pinnc's language when the file has an interval
/// statement (`t in [a, b]`); XPPAUT when it has none and has a statement only XPPAUT has
/// (par, p, init, i, aux, number, done, wiener, table, ..., an @ or ! line, a quoted
/// comment line). A file of equations and conditions alone (x'=-x, x(0)=1) reads the same
/// in both languages but for the interval, so it stays pinnc's, whose error for the
/// missing interval suggests --dialect xpp: a forgotten interval is never silently
/// XPPAUT's default [0, 20].
Dialect detect(std::string_view text);

/// What the reader did beyond a literal translation (defaults applied, options read but
/// not used, names renamed), one sentence each; printed by check/convert/train.
struct Reading {
  ast::Program program;
  std::vector<std::string> notes;
};

/// Reads an XPPAUT file. Errors (unsupported constructs, malformed lines) go to `diags`
/// with their location; the program holds every statement that was read.
Reading read(const SourceFile& src, DiagnosticEngine& diags);

}  // namespace pinnc::xpp

#endif  // PINNC_XPP_XPP_READER_H
