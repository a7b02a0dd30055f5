// `ruche org create|list|grant`: associations from the command line.
#include <iomanip>
#include <iostream>

#include "kernel/cli/CommandSupport.h"
#include "kernel/cli/Commands.h"
#include "kernel/domain/Associations.h"
#include "kernel/http/Validator.h"

namespace ruche::cli {
namespace {

int create(const CommandLine& line, storage::Database& db) {
  domain::AssociationInput input;
  input.slug = requiredOption(line, "slug");
  input.name = requiredOption(line, "name");
  input.description = line.option("description").value_or("");
  long long id = domain::Associations(db).create(input);
  std::cout << "created association " << id << " (" << input.slug << ")" << std::endl;
  return 0;
}

int list(storage::Database& db) {
  domain::Associations associations(db);
  auto all = associations.list();
  std::cout << std::left << std::setw(6) << "ID" << std::setw(42) << "SLUG" << std::setw(50) << "NAME"
            << "MEMBERS\n";
  for (const auto& a : all) {
    std::cout << std::left << std::setw(6) << a.id << std::setw(42) << a.slug << std::setw(50) << a.name
              << associations.members(a.id).size() << "\n";
  }
  std::cout << all.size() << " association" << (all.size() == 1 ? "" : "s") << std::endl;
  return 0;
}

int grant(const CommandLine& line, storage::Database& db) {
  std::string slug = requiredOption(line, "org");
  std::string role = requiredOption(line, "role");
  http::Validator v;
  std::string email = v.email("email", requiredOption(line, "email"));
  v.check();
  domain::Associations associations(db);
  auto association = associations.bySlug(slug);
  if (!association) {
    throw http::unprocessable({{"org", "no association named " + slug, "unknown_association"}});
  }
  long long accountId = 0;
  {
    storage::Database::Session session(db);
    *session << "SELECT id FROM accounts WHERE email = :e AND deleted_at IS NULL", soci::use(email),
        soci::into(accountId);
    if (!session->got_data()) {
      throw http::unprocessable({{"email", "no account uses " + email, "unknown_account"}});
    }
  }
  associations.grantRole(association->id, accountId, role);
  std::cout << email << " is now " << role << " of " << association->slug << std::endl;
  return 0;
}

}  // namespace

int runOrg(const CommandLine& line) {
  if (line.args.empty()) {
    throw UsageError("say what to do: create, list or grant");
  }
  const std::string& action = line.args[0];
  if (action != "create" && action != "list" && action != "grant") {
    throw UsageError("unknown action \"" + action + "\"");
  }
  auto db = openMigratedDatabase(line.settings());
  try {
    if (action == "create") {
      return create(line, *db);
    }
    if (action == "list") {
      return list(*db);
    }
    return grant(line, *db);
  } catch (const http::HttpError& error) {
    std::cerr << "ruche org " << action << ": " << describe(error) << std::endl;
    return 1;
  }
}

}  // namespace ruche::cli
