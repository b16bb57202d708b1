// session.cpp — the REPL session: input lines, statements entered and replaced, and the
// commands that look at the problem (:show, :derive, :check, :delete, :clear).
#include "repl/session.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "pipeline/compile.h"
#include "frontend/lexer.h"
#include "frontend/parser.h"
#include "repl/session_impl.h"
#include "sema/print_problem.h"
#include "settings/options.h"

namespace pinnc::repl {

bool is_incompleteness(DiagId id) {
  switch (id) {
    case DiagId::NoEquations:
    case DiagId::EquationCount:
    case DiagId::MissingInterval:
    case DiagId::MissingConditions:
    case DiagId::NotDifferentiated:
    case DiagId::UnknownName:  // may be defined by a later statement (a parameter, an unknown)
    case DiagId::ParamUndetermined:  // an identified parameter before its equation or data
      return true;
    default:
      return false;
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

SourceRange args_range(const SourceFile& input) {
  const std::string& text = input.text();
  std::size_t line_start = text.rfind('\n');
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  std::size_t begin = line_start, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return SourceRange{static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
}

SourceFile input_file(const std::string& name, uint32_t number, std::string_view line) {
  std::string text(number > 0 ? number - 1 : 0, '\n');
  text += line;
  return SourceFile(name, std::move(text));
}

namespace {

/// Names differentiated anywhere in `text` (the session's statements).
void differentiated_in(const std::string& text, std::set<std::string>* out) {
  SourceFile src("session", text);
  DiagnosticEngine diags;
  ast::Program prog = parse(lex(src, diags), diags);
  for (const ast::Stmt& s : prog.stmts) collect_differentiated(s, out);
}

/// Diagnostics in the order render_all prints them (by location, unlocated last).
std::vector<const Diagnostic*> by_location(const DiagnosticEngine& diags) {
  std::vector<const Diagnostic*> out;
  for (const Diagnostic& d : diags.diagnostics()) out.push_back(&d);
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic* a, const Diagnostic* b) {
    uint64_t ka = a->located && a->id != DiagId::TooManyErrors ? a->range.begin : UINT64_MAX;
    uint64_t kb = b->located && b->id != DiagId::TooManyErrors ? b->range.begin : UINT64_MAX;
    return ka < kb;
  });
  return out;
}

std::string summary(int errors, int warnings) {
  std::string s;
  if (errors > 0) s += fmt::format("{} error{}", errors, errors == 1 ? "" : "s");
  if (warnings > 0) s += fmt::format("{}{} warning{}", s.empty() ? "" : ", ", warnings, warnings == 1 ? "" : "s");
  return s.empty() ? s : s + '\n';
}

/// Where the statements of one input line sit in the session text and in the line.
struct Placed {
  std::size_t index = 0;    ///< statement number in the candidate list
  uint32_t input_begin = 0; ///< offset of its text in the input SourceFile
};

/// `r` moved from the session text into the input line, when it lies inside one of `placed`.
std::optional<SourceRange> to_input(SourceRange r, const StatementList& list, const std::vector<Placed>& placed) {
  for (const Placed& p : placed) {
    uint32_t begin = list.offset(p.index);
    uint32_t end = begin + static_cast<uint32_t>(list.items()[p.index].text.size());
    if (r.begin >= begin && r.end <= end && r.begin <= end)
      return SourceRange{r.begin - begin + p.input_begin, r.end - begin + p.input_begin};
  }
  return std::nullopt;
}

}  // namespace

Session::Session(Console& console, Hooks hooks) : console_(console), hooks_(std::move(hooks)) {}

Session::~Session() = default;

const train::TrainReport& Session::last_report() const { return trained_->report; }

int Session::run_line(std::string_view line) {
  ++line_number_;
  std::string_view t = trim(line);
  if (t.empty() || t.front() == '#') return kOk;
  if (t.front() == ':') {
    // The command word is blanked out of the input file, so that an argument that is an
    // expression (:eval y(1)) keeps its columns in diagnostics.
    std::string blanked(line);
    std::size_t colon = blanked.find(':');
    std::size_t end = colon;
    while (end < blanked.size() && !std::isspace(static_cast<unsigned char>(blanked[end]))) ++end;
    std::fill(blanked.begin() + static_cast<std::ptrdiff_t>(colon), blanked.begin() + static_cast<std::ptrdiff_t>(end),
              ' ');
    return run_command(line, input_file(input_name_, line_number_, blanked));
  }
  return enter_statements(input_file(input_name_, line_number_, line), line);
}

Session::Compiled Session::compile(const StatementList& list) const {
  Compiled c;
  c.src = SourceFile("session", list.text());
  c.problem = compile_source(c.src, c.diags, xpp::Dialect::Pinnc);
  for (const Diagnostic& d : c.diags.diagnostics())
    if (d.severity() != Severity::Warning && !is_incompleteness(d.id)) c.only_incomplete = false;
  if (c.diags.stopped()) c.only_incomplete = false;
  return c;
}

std::string Session::status_line(const Compiled& c) const {
  if (c.problem) {
    const Problem& p = *c.problem;
    std::string unknowns;
    for (const Unknown& u : p.unknowns)
      unknowns += fmt::format("{}{} (order {})", unknowns.empty() ? "" : ", ", u.name, u.order);
    return fmt::format("ready: unknown{} {}; {} in [{}, {}]; :train to solve\n", p.unknowns.size() == 1 ? "" : "s",
                       unknowns, p.indep_name, p.t0, p.t1);
  }
  std::vector<std::string> what;
  for (const Diagnostic* d : by_location(c.diags))
    if (d->severity() == Severity::Error && std::find(what.begin(), what.end(), d->message) == what.end())
      what.push_back(d->message);
  std::string text;
  for (std::size_t i = 0; i < what.size() && i < 3; ++i) text += (i ? "; " : "") + what[i];
  if (what.size() > 3) text += fmt::format("; {} more (:check lists them)", what.size() - 3);
  return "incomplete: " + text + '\n';
}

void Session::print_diagnostics(const Compiled& c, bool deferred_too) const {
  int errors = 0, warnings = 0;
  std::string text;
  for (const Diagnostic* d : by_location(c.diags)) {
    if (!deferred_too && is_incompleteness(d->id)) continue;
    text += render(c.src, *d);
    (d->severity() == Severity::Warning ? warnings : errors)++;
  }
  console_.err(text + summary(errors, warnings));
}

int Session::enter_statements(const SourceFile& input, std::string_view line) {
  DiagnosticEngine diags;
  std::vector<Token> tokens = lex(input, diags);
  if (diags.has_errors()) {
    console_.err(render_all(input, diags));
    return kInputError;
  }
  // A statement has a top-level '=' or starts with a keyword or `NAME in`; anything else
  // is an expression to evaluate.
  bool statement = false;
  for (const Token& t : tokens) statement = statement || t.kind == Tok::Equals;
  std::size_t first = 0;
  while (first < tokens.size() && tokens[first].kind == Tok::Newline) ++first;
  if (first < tokens.size()) {
    Tok k = tokens[first].kind;
    statement = statement || k == Tok::KwParam || k == Tok::KwExact || k == Tok::KwSet || k == Tok::KwData ||
                (first + 1 < tokens.size() && tokens[first + 1].kind == Tok::KwIn);
  }
  if (!statement) return cmd_eval(line, input);

  ast::Program prog = parse(tokens, diags);
  if (diags.has_errors()) {
    console_.err(render_all(input, diags));
    return kInputError;
  }
  if (prog.stmts.empty()) return kOk;

  StatementList cand = stmts_;
  std::set<std::string> unknowns;
  differentiated_in(cand.text(), &unknowns);
  std::string indep = cand.indep_name();
  for (const ast::Stmt& s : prog.stmts) {
    collect_differentiated(s, &unknowns);
    if (s.kind == ast::StmtKind::Interval) indep = s.name;
  }
  std::vector<Placed> placed;
  std::vector<std::string> notes;
  for (const ast::Stmt& s : prog.stmts) {
    Statement st = make_statement(s, input, unknowns, indep);
    std::string label = st.label;
    auto [index, old] = cand.put(std::move(st));
    placed.push_back(Placed{index, s.range.begin});
    if (old) notes.push_back(fmt::format("replaced {} (line {} was: {})\n", label, index + 1, old->text));
  }

  Compiled c = compile(cand);
  // Errors and warnings inside the new statements are shown in the input line; others in
  // the session text (the lines :show lists).
  int errors = 0, warnings = 0;
  std::string text;
  for (const Diagnostic* d : by_location(c.diags)) {
    if (is_incompleteness(d->id)) continue;
    std::optional<SourceRange> at = d->located ? to_input(d->range, cand, placed) : std::nullopt;
    bool in_line = at.has_value();
    for (const DiagNote& n : d->notes) in_line = in_line && to_input(n.range, cand, placed).has_value();
    if (d->severity() == Severity::Warning && !in_line) continue;  // shown when their line was entered
    if (in_line) {
      Diagnostic moved = *d;
      moved.range = *at;
      for (DiagNote& n : moved.notes) n.range = *to_input(n.range, cand, placed);
      text += render(input, moved);
    } else {
      text += render(c.src, *d);
    }
    (d->severity() == Severity::Warning ? warnings : errors)++;
  }
  if (!c.only_incomplete) {
    console_.err(text + summary(errors, warnings) + "the session is unchanged\n");
    return kInputError;
  }
  stmts_ = std::move(cand);
  std::string out;
  for (const std::string& n : notes) out += n;
  console_.out(out);
  if (!text.empty()) console_.err(text + summary(errors, warnings));
  console_.out(status_line(c));
  return kOk;
}

int Session::cmd_show(std::string_view, const SourceFile&) {
  std::string out;
  if (stmts_.empty()) {
    out += "no statements yet: type e.g. `t in [0, 5]`, `y' = -y`, `y(0) = 1`\n";
  } else {
    std::size_t width = std::to_string(stmts_.size()).size();
    for (std::size_t i = 0; i < stmts_.size(); ++i)
      out += fmt::format(" {:>{}} | {}\n", i + 1, width, stmts_.items()[i].text);
  }
  out += status_line(compile(stmts_));
  out += settings_line();
  if (trained_) {
    const train::TrainReport& r = trained_->report;
    out += fmt::format("trained: {} epochs, loss {:.3e}, residual RMS {:.3e}", r.epochs, r.final_loss.total,
                       r.residual_rms);
    if (!r.reference_kind.empty()) out += fmt::format(", relative L2 error {:.3e}", r.rel_l2_all);
    out += r.trusted ? ", trusted" : ", not to be trusted";
    if (trained_->source != stmts_.text()) out += " (the statements changed since)";
    out += '\n';
  } else {
    out += "not trained yet\n";
  }
  console_.out(out);
  return kOk;
}

int Session::cmd_derive(std::string_view, const SourceFile&) {
  Compiled c = compile(stmts_);
  if (!c.problem) {
    print_diagnostics(c, true);
    return kInputError;
  }
  console_.out(describe(*c.problem));
  return kOk;
}

int Session::cmd_check(std::string_view, const SourceFile&) {
  Compiled c = compile(stmts_);
  print_diagnostics(c, true);
  console_.out(c.problem ? "ok: " + status_line(c).substr(7) : status_line(c));
  return c.problem ? kOk : kInputError;
}

int Session::cmd_delete(std::string_view args, const SourceFile& input) {
  std::string_view a = trim(args);
  std::size_t n = 0;
  auto [ptr, ec] = std::from_chars(a.data(), a.data() + a.size(), n);
  if (a.empty() || ec != std::errc() || ptr != a.data() + a.size() || n < 1 || n > stmts_.size()) {
    return usage_error(input,
                       stmts_.empty() ? "there are no statements to delete"
                                      : fmt::format(":delete takes a line number from 1 to {}", stmts_.size()),
                       "`:show` lists the statements with their numbers");
  }
  StatementList cand = stmts_;
  cand.erase(n - 1);
  Compiled c = compile(cand);
  if (!c.only_incomplete) {
    print_diagnostics(c, false);
    console_.err(fmt::format("line {} is still needed; the session is unchanged\n", n));
    return kInputError;
  }
  console_.out(fmt::format("deleted line {}: {}\n", n, stmts_.items()[n - 1].text));
  stmts_ = std::move(cand);
  console_.out(status_line(c));
  return kOk;
}

int Session::cmd_clear(std::string_view, const SourceFile&) {
  stmts_.clear();
  trained_.reset();
  bundle_values_.clear();
  console_.out("cleared the statements (settings included) and the trained solution\n");
  return kOk;
}

}  // namespace pinnc::repl
