#include "kernel/cli/Commands.h"
#include "kernel/plugins/PluginInstaller.h"

namespace ruche::cli {

/// The help of `ruche plugin new`, for whichever command reaches it.
const char* const kPluginNewHelp =
    "Usage: ruche plugin new NAME [--dir DIR]\n\n"
    "Creates DIR/NAME/ (DIR defaults to the current folder): a plugin's CMake project,\n"
    "plugin.json with one setting, a page and a JSON route, a template, French and\n"
    "English messages, a migration and a doctest test. NAME is 2 to 31 characters among\n"
    "a-z, 0-9 and _, starting with a letter; an existing folder is never touched.\n"
    "Build it against the installed SDK with\n"
    "  cmake -S DIR/NAME -B DIR/NAME/build -DCMAKE_PREFIX_PATH=<SDK prefix>\n"
    "  cmake --build DIR/NAME/build\n"
    "and install DIR/NAME/build/NAME/ with `ruche plugin install`.\n";

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
      {"user", "create and list accounts, give roles",
       "Usage: ruche user create --email E --name N [--password P] [--admin]\n"
       "       ruche user list\n"
       "       ruche user grant --email E --org SLUG --role admin|coordinator|volunteer\n"
       "       ruche user admin --email E\n"
       "Every form also takes [--config FILE] [--data DIR].\n\n"
       "  create   a verified account; without --password, the password is read as\n"
       "           one line from standard input (keeps it out of the shell history)\n"
       "  --admin  make the new account a federation admin\n"
       "  list     every account, with its flags\n"
       "  grant    give (or change) the account's role in an association\n"
       "  admin    make an existing account a federation admin\n",
       runUser},
      {"org", "create and list associations",
       "Usage: ruche org create --slug S --name N [--description D]\n"
       "       ruche org list\n"
       "       ruche org grant --org SLUG --email E --role admin|coordinator|volunteer\n"
       "Every form also takes [--config FILE] [--data DIR].\n\n"
       "  create   a new association; S is 2 to 40 characters among a-z, 0-9 and -\n"
       "  list     every association and its number of members\n"
       "  grant    give (or change) an account's role in the association\n",
       runOrg},
      {"plugin", "create, install, list, remove, enable and disable plugins",
       std::string(kPluginNewHelp) + "\n" +
           std::string("Usage: ruche plugin list\n"
                       "       ruche plugin install PATH [--upgrade]\n"
                       "       ruche plugin remove NAME [--purge]\n"
                       "       ruche plugin enable NAME [--org SLUG]\n"
                       "       ruche plugin disable NAME [--org SLUG]\n"
                       "Every form also takes [--config FILE] [--data DIR].\n\n"
                       "  list       every plugin of plugins.dirs and of the database: version, state,\n"
                       "             associations where enabled, and the check of its manifest and library\n"
                       "  install    checks the plugin folder PATH (plugin.json, NAME.so, migrations), copies\n"
                       "             it into the first folder of plugins.dirs and applies its migrations\n"
                       "  --upgrade  replace an installed plugin by the same or a newer version\n"
                       "  remove     deletes the plugin's folder; its data is kept\n"
                       "  --purge    also drops its tables and deletes its settings and enablement\n"
                       "  enable     switch the plugin on for the federation (also after it failed or\n"
                       "             crashed), or with --org for one association\n"
                       "  disable    switch it off for the federation, or with --org for one association\n\n") +
           plugins::restartAdvice() + "\nExits 1 when the plugin is refused or unknown, with the reason.\n",
       runPlugin},
      {"doctor", "check the installation",
       "Usage: ruche doctor [--config FILE] [--data DIR]\n\n"
       "Checks the configuration, the data folder, the database and its migrations,\n"
       "the themes and the mail server, one line each: OK, WARN or FAIL.\n"
       "Exits 0 when nothing failed, 1 otherwise (2 when the configuration is invalid).\n",
       runDoctor},
      {"demo", "run a demonstration instance with sample data",
       "Usage: ruche demo [--config FILE] [--data DIR] [--listen HOST:PORT]\n\n"
       "On first run, fills the data folder (default ./ruche-data) with a demo\n"
       "federation: associations, missions, volunteers, applications and hours, and an\n"
       "admin account admin@demo.ruche.local whose password is generated and kept in\n"
       "DIR/demo-admin.txt. Then serves like `ruche serve` until SIGTERM or SIGINT.\n"
       "Running it again on the same folder reuses the data and prints the same login.\n",
       runDemo},
  };
  return table;
}

}  // namespace ruche::cli
