// cli.h — argument parsing shared by the subcommands (CLI11, with pinnc's exit codes).
#ifndef PINNC_DRIVER_CLI_H
#define PINNC_DRIVER_CLI_H

#include <optional>

#include <CLI/CLI.hpp>

namespace pinnc::driver {

/// Parses argv into `app`. Returns an exit code when the command must stop here: 0 after
/// printing --help, 2 (usage error) after printing what is wrong; nullopt to go on.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return std::nullopt;
}

}  // namespace pinnc::driver

#endif  // PINNC_DRIVER_CLI_H
