#pragma once

#include <string>
#include <vector>

#include "kernel/cli/CommandLine.h"

namespace ruche::cli {

/// One `ruche` command: its name, one-line summary, full help, and runner.
struct Command {
  std::string name;
  std::string summary;
  std::string help;
  int (*run)(const CommandLine&);
};

/// Every command, in the order `ruche --help` lists them.
const std::vector<Command>& commands();

int runServe(const CommandLine& line);
int runMigrate(const CommandLine& line);
int runUser(const CommandLine& line);
int runOrg(const CommandLine& line);
int runDoctor(const CommandLine& line);
int runDemo(const CommandLine& line);
int runPlugin(const CommandLine& line);
/// `ruche plugin new NAME [--dir DIR]`: writes a new plugin's folder. Takes
/// the args of `ruche plugin new NAME` ("new", NAME) or of a command of its
/// own (NAME).
int runPluginNew(const CommandLine& line);

/// Console logging with the request id in every line, at `level`.
void setUpLogging(const std::string& level);
/// Waits until what was logged so far is written (the log is written in
/// batches by a background thread).
void syncLogs();
/// Writes out log lines still queued; main calls it before exiting.
void flushLogs();

/// Blocks SIGINT/SIGTERM/SIGHUP in every thread; call before starting threads.
void blockStopSignals();
/// Waits until SIGINT, SIGTERM or SIGHUP arrives; returns its name.
std::string waitForStopSignal();

}  // namespace ruche::cli
