// diagnostic.h — diagnostics: the kind registry, one reported diagnostic, and the engine
// that collects them during a run. Rendering to text lives in diagnostic_render.cpp.
#ifndef PINNC_FRONTEND_DIAGNOSTIC_H
#define PINNC_FRONTEND_DIAGNOSTIC_H

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/source.h"

namespace pinnc {

/// How bad a diagnostic is. `Bug` is a failure inside pinnc, never the user's fault.
enum class Severity : uint8_t { Error, Warning, Bug };

/// Every diagnostic kind (see diagnostic_kinds.def for the list with codes and messages).
enum class DiagId : uint16_t {
#define DIAG(name, code, severity, golden, format) name,
#include "frontend/diagnostic_kinds.def"
#undef DIAG
};

/// One row of the registry.
struct DiagKind {
  DiagId id;
  std::string_view code;    ///< stable id such as "E-unknown-name"
  Severity severity;
  bool golden;              ///< a tests/golden/ file must produce it
  std::string_view format;  ///< message with {0}, {1}, ... placeholders
};

/// The registry row of a kind.
const DiagKind& diag_kind(DiagId id);
/// All registered kinds, in registry order.
std::span<const DiagKind> all_diag_kinds();

/// A secondary location with a message ("previously defined here").
struct DiagNote {
  SourceRange range;
  std::string message;
};

/// One reported diagnostic, with its message already formatted.
struct Diagnostic {
  DiagId id;
  std::string message;
  SourceRange range;
  bool located = true;  ///< false only for whole-input problems and internal errors
  std::vector<std::string> hints;
  std::vector<DiagNote> notes;

  Severity severity() const { return diag_kind(id).severity; }
};

/// Fills `{0}`, `{1}`, ... in `format` from `args` (a missing argument leaves the braces).
std::string format_message(std::string_view format, std::span<const std::string> args);

class DiagnosticEngine;

/// Returned by DiagnosticEngine::report to attach hints and notes; a no-op when the
/// diagnostic was dropped (error limit reached).
class DiagBuilder {
 public:
  DiagBuilder(DiagnosticEngine* engine, std::size_t index) : engine_(engine), index_(index) {}
  /// Adds a `hint: ...` line.
  DiagBuilder& hint(std::string text);
  /// Adds a note pointing at another place in the source.
  DiagBuilder& note(SourceRange range, std::string text);

 private:
  DiagnosticEngine* engine_;
  std::size_t index_;
};

/// Collects the diagnostics of one run (several per run; emitting is separate from
/// printing). Stops accepting errors after kMaxErrors and says so once.
class DiagnosticEngine {
 public:
  static constexpr int kMaxErrors = 50;
  static constexpr int kMaxWarnings = 100;

  /// Reports a diagnostic at `range` with message arguments `args`.
  DiagBuilder report(DiagId id, SourceRange range, std::initializer_list<std::string> args = {});
  DiagBuilder report(DiagId id, SourceRange range, std::span<const std::string> args);
  /// Reports a diagnostic that has no location (whole-input problems, internal errors).
  DiagBuilder report_unlocated(DiagId id, std::initializer_list<std::string> args = {});
  /// Reports an internal error: a bug in pinnc, with where in pinnc it happened.
  DiagBuilder bug(std::string what, std::string_view where);

  int error_count() const { return errors_; }
  int warning_count() const { return warnings_; }
  bool has_errors() const { return errors_ > 0; }
  /// True once the error limit was reached; phases should stop early.
  bool stopped() const { return stopped_; }
  /// Diagnostics in the order they were reported.
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }
  /// True if a diagnostic of this kind was reported.
  bool has(DiagId id) const;

 private:
  friend class DiagBuilder;
  DiagBuilder add(Diagnostic d);
  std::vector<Diagnostic> diags_;
  int errors_ = 0, warnings_ = 0;
  bool stopped_ = false;
};

/// Renders one diagnostic:
///   file:line:col: error: message [E-code]
///    line | source text
///         |     ^~~~
///     hint: ...
std::string render(const SourceFile& src, const Diagnostic& d);
/// Renders all diagnostics, ordered by location (stable), then a summary line such as
/// "2 errors, 1 warning" when there were any.
std::string render_all(const SourceFile& src, const DiagnosticEngine& engine);

}  // namespace pinnc

#endif  // PINNC_FRONTEND_DIAGNOSTIC_H
