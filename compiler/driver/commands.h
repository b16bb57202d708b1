// commands.h — the subcommands of `pinnc`; each parses its own arguments (argv[0] is the
// subcommand name) and returns the process exit code (see README: 0 ok, 1 input errors,
// 2 usage errors, 3 training failed, 4 trained but not to be trusted).
#ifndef PINNC_DRIVER_COMMANDS_H
#define PINNC_DRIVER_COMMANDS_H

namespace pinnc::driver {

int check_main(int argc, char** argv);  // cmd_check.cpp
int train_main(int argc, char** argv);  // cmd_train.cpp
int eval_main(int argc, char** argv);   // cmd_eval.cpp
int emit_main(int argc, char** argv);   // cmd_emit.cpp
int repl_main(int argc, char** argv);   // cmd_repl.cpp
int plot_main(int argc, char** argv);   // cmd_plot.cpp
int convert_main(int argc, char** argv);  // cmd_convert.cpp

}  // namespace pinnc::driver

#endif  // PINNC_DRIVER_COMMANDS_H
