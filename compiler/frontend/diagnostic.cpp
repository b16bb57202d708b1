// diagnostic.cpp — the diagnostic registry and the engine that collects diagnostics.
#include "frontend/diagnostic.h"

#include <array>
#include <utility>

namespace pinnc {

namespace {

constexpr std::array kKinds = {
#define DIAG(name, code, severity, golden, format) \
  DiagKind{DiagId::name, code, Severity::severity, golden, format},
#include "frontend/diagnostic_kinds.def"
#undef DIAG
};

}  // namespace

const DiagKind& diag_kind(DiagId id) { return kKinds[static_cast<std::size_t>(id)]; }

std::span<const DiagKind> all_diag_kinds() { return kKinds; }

std::string format_message(std::string_view format, std::span<const std::string> args) {
  std::string out;
  out.reserve(format.size() + 32);
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '{' && i + 2 < format.size() && format[i + 1] >= '0' &&
        format[i + 1] <= '9' && format[i + 2] == '}') {
      auto n = static_cast<std::size_t>(format[i + 1] - '0');
      if (n < args.size()) {
        out += args[n];
        i += 2;
        continue;
      }
    }
    out += format[i];
  }
  return out;
}

DiagBuilder& DiagBuilder::hint(std::string text) {
  if (engine_) engine_->diags_[index_].hints.push_back(std::move(text));
  return *this;
}

DiagBuilder& DiagBuilder::note(SourceRange range, std::string text) {
  if (engine_) engine_->diags_[index_].notes.push_back(DiagNote{range, std::move(text)});
  return *this;
}

DiagBuilder DiagnosticEngine::report(DiagId id, SourceRange range,
                                     std::initializer_list<std::string> args) {
  return report(id, range, std::span<const std::string>(args.begin(), args.size()));
}

DiagBuilder DiagnosticEngine::report(DiagId id, SourceRange range,
                                     std::span<const std::string> args) {
  Diagnostic d;
  d.id = id;
  d.message = format_message(diag_kind(id).format, args);
  d.range = range;
  return add(std::move(d));
}

DiagBuilder DiagnosticEngine::report_unlocated(DiagId id, std::initializer_list<std::string> args) {
  Diagnostic d;
  d.id = id;
  d.message = format_message(diag_kind(id).format,
                             std::span<const std::string>(args.begin(), args.size()));
  d.located = false;
  return add(std::move(d));
}

DiagBuilder DiagnosticEngine::bug(std::string what, std::string_view where) {
  Diagnostic d;
  d.id = DiagId::Internal;
  d.message = std::move(what);
  d.located = false;
  d.hints.push_back("this is a bug in pinnc (in " + std::string(where) +
                    "), not in your input; please report it");
  return add(std::move(d));
}

bool DiagnosticEngine::has(DiagId id) const {
  for (const auto& d : diags_)
    if (d.id == id) return true;
  return false;
}

DiagBuilder DiagnosticEngine::add(Diagnostic d) {
  switch (d.severity()) {
    case Severity::Bug:
      break;  // always kept
    case Severity::Warning:
      if (stopped_ || warnings_ >= kMaxWarnings) return DiagBuilder(nullptr, 0);
      ++warnings_;
      break;
    case Severity::Error:
      if (stopped_) return DiagBuilder(nullptr, 0);
      if (errors_ >= kMaxErrors) {
        stopped_ = true;
        Diagnostic stop;
        stop.id = DiagId::TooManyErrors;
        std::string n = std::to_string(kMaxErrors);
        stop.message = format_message(diag_kind(DiagId::TooManyErrors).format,
                                      std::span<const std::string>(&n, 1));
        stop.range = d.range;
        stop.located = d.located;
        ++errors_;
        diags_.push_back(std::move(stop));
        return DiagBuilder(nullptr, 0);
      }
      break;
  }
  if (d.severity() != Severity::Warning) ++errors_;
  diags_.push_back(std::move(d));
  return DiagBuilder(this, diags_.size() - 1);
}

}  // namespace pinnc
