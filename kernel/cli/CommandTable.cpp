#include "kernel/cli/Commands.h"

namespace ruche::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"serve", "run the web server",
       "Usage: ruche serve [--config FILE] [--data DIR] [--listen HOST:PORT]\n\n"
       "Applies pending migrations, then serves until SIGTERM or SIGINT; in-flight\n"
       "requests finish before it exits.\n",
       runServe},
      {"migrate", "apply database migrations",
       "Usage: ruche migrate [--config FILE] [--data DIR] [--status]\n\n"
       "Applies every pending migration, each in its own transaction.\n"
       "  --status   list each module's applied and known versions, change nothing\n",
       runMigrate},
  };
  return table;
}

}  // namespace ruche::cli
