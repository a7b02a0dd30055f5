#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

namespace ruche::cli {

/// A running `ruche serve` reloads on SIGHUP: it finishes the requests in
/// flight, stops, and starts again in the same process (same pid, so
/// systemd's `ExecReload=kill -HUP $MAINPID` fits), loading the plugins
/// installed meanwhile. The pid file in the data folder lets
/// `ruche plugin install` ask the server of that folder to do so.

/// Writes DATA/ruche.pid with this process's id.
void writePidFile(const std::string& dataDir);
/// Removes DATA/ruche.pid if it names this process.
void removePidFile(const std::string& dataDir);
/// The pid of a live server on this data folder, if any.
std::optional<pid_t> runningServer(const std::string& dataDir);
/// Sends SIGHUP to the server of this data folder; its pid, or none if no server runs.
std::optional<pid_t> askServerToReload(const std::string& dataDir);

/// Marks that the process must start again once the command returns.
void requestRestart();
bool restartRequested();
/// Replaces this process by a fresh `ruche` with the same arguments. Returns
/// only on failure (with errno set).
void restartProcess(char** argv);

}  // namespace ruche::cli
