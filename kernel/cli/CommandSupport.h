#pragma once

#include <functional>
#include <memory>
#include <string>

#include "kernel/app/App.h"
#include "kernel/cli/CommandLine.h"
#include "kernel/http/HttpError.h"
#include "kernel/storage/Database.h"

/// What the admin commands (user, org, doctor, demo) share.
namespace ruche::cli {

/// Opens the configured database (one connection) and applies pending migrations.
std::unique_ptr<storage::Database> openMigratedDatabase(const config::Settings& settings);

/// A validation error as one line per field ("email: must be …"), for the console.
std::string describe(const http::HttpError& error);

/// The value of a required --option; UsageError when it is missing.
std::string requiredOption(const CommandLine& line, const std::string& name);

/// Starts `app`, calls `announce(url)` once it listens, waits for SIGINT,
/// SIGTERM or SIGHUP and stops after in-flight requests; after SIGHUP the
/// process starts again (see Reload.h). Call blockStopSignals() and
/// set up logging before building the App (it starts threads).
int serveUntilStopped(app::App& app, const config::Settings& settings,
                      const std::function<void(const std::string& url)>& announce);

}  // namespace ruche::cli
