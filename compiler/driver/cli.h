// cli.h — argument parsing shared by the subcommands (CLI11, with pinnc's exit codes).
#ifndef PINNC_DRIVER_CLI_H
#define PINNC_DRIVER_CLI_H

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/names.h"
#include "xpp/xpp_reader.h"

namespace pinnc::driver {

/// Parses argv into `app`. Returns an exit code when the command must stop here: 0 after
/// printing --help, 2 (usage error) after printing what is wrong; nullopt to go on.
/// CLI11's message for `e` in pinnc's words: "pinnc train: unknown option '--epoch'; did
/// you mean '--epochs'?", "--out is given twice", "--lr needs a value", "FILE is missing".
inline std::string command_line_error(const CLI::App& app, const CLI::ParseError& e) {
  const std::string cmd = app.get_name(), what = e.what();
  std::vector<std::string> longs;
  for (const CLI::Option* o : app.get_options())
    for (const std::string& n : o->get_lnames()) longs.push_back("--" + n);
  const std::string usage = "see '" + cmd + " --help'";
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    // "The following arguments were not expected: 100 --epoch": name the first option.
    std::string list = what.substr(what.find(':') + 1), first_option, first_other;
    std::size_t pos = 0;
    while (pos < list.size()) {
      const std::size_t b = list.find_first_not_of(' ', pos);
      if (b == std::string::npos) break;
      const std::size_t end = list.find(' ', b);
      const std::string arg = list.substr(b, end == std::string::npos ? std::string::npos : end - b);
      if (arg.rfind("-", 0) == 0 && first_option.empty()) first_option = arg;
      if (arg.rfind("-", 0) != 0 && first_other.empty()) first_other = arg;
      pos = end == std::string::npos ? list.size() : end;
    }
    if (!first_option.empty()) {
      const std::string name = first_option.substr(0, first_option.find('='));
      const auto near = closest_name(name, longs);
      return cmd + ": unknown option '" + name + "'" + (near ? "; did you mean '" + *near + "'?" : "; " + usage);
    }
    return cmd + ": unexpected argument '" + first_other + "'; " + usage;
  }
  const std::string opt = what.substr(0, what.find(':'));
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    if (what.find("At Most") != std::string::npos) return cmd + ": " + opt + " is given more than once; give it once";
    if (what.find("missing") != std::string::npos) return cmd + ": " + opt + " needs a value, e.g. " + opt + " VALUE";
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e)) return cmd + ": " + what + " (" + usage + ")";
  return cmd + ": " + what + " (" + usage + ")";
}

/// Parses argv into `app`. Returns an exit code when the command must stop here: 0 after
/// printing --help, 2 (usage error) after printing what is wrong; nullopt to go on.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s\n", command_line_error(app, e).c_str());
    return 2;
  }
  return std::nullopt;
}

/// `--dialect auto|pinnc|xpp` (check, train, emit, convert): the language the file is in;
/// auto decides from its content (xpp::detect).
inline void add_dialect_option(CLI::App& app, std::string& dialect) {
  dialect = "auto";
  app.add_option("--dialect", dialect, "the file's language: auto (from its content), pinnc, or xpp (XPPAUT)")
      ->check(CLI::IsMember({"auto", "pinnc", "xpp"}));
}
inline xpp::Dialect dialect_of(const std::string& text) { return xpp::parse_dialect(text).value_or(xpp::Dialect::Auto); }

}  // namespace pinnc::driver

#endif  // PINNC_DRIVER_CLI_H
