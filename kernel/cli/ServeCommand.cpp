#include <iostream>

#include "kernel/app/App.h"
#include "kernel/cli/CommandSupport.h"
#include "kernel/cli/Commands.h"

namespace ruche::cli {

int runServe(const CommandLine& line) {
  config::Settings settings = line.settings();
  setUpLogging(settings.logLevel);
  blockStopSignals();
  app::App app(settings);
  return serveUntilStopped(app, settings,
                           [](const std::string& url) { std::cout << "Ruche is running at " << url << std::endl; });
}

}  // namespace ruche::cli
