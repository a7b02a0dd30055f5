#include <Poco/Logger.h>

#include <iostream>

#include "kernel/app/App.h"
#include "kernel/cli/Commands.h"

namespace ruche::cli {

int runServe(const CommandLine& line) {
  config::Settings settings = line.settings();
  setUpLogging(settings.logLevel);
  blockStopSignals();
  app::App app(settings);
  app.start();
  auto& log = Poco::Logger::get("ruche");
  log.information("serving %s on %s (database: %s)", app.url(), settings.http.listenHost + ":" + std::to_string(app.port()),
                  app.services().db.target().describe());
  std::cout << "Ruche is running at " << app.url() << std::endl;
  std::string signal = waitForStopSignal();
  log.information("%s received: finishing in-flight requests", signal);
  app.stop();
  log.information("stopped");
  return 0;
}

}  // namespace ruche::cli
