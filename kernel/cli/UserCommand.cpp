// `ruche user create|list|grant|admin`: accounts from the command line, for
// the first federation admin and for scripts.
#include <iomanip>
#include <iostream>

#include "kernel/auth/Accounts.h"
#include "kernel/cli/CommandSupport.h"
#include "kernel/cli/Commands.h"
#include "kernel/domain/Associations.h"
#include "kernel/http/Validator.h"

namespace ruche::cli {
namespace {

long long accountByEmail(storage::Database& db, const std::string& rawEmail) {
  http::Validator v;
  std::string email = v.email("email", rawEmail);
  v.check();
  storage::Database::Session session(db);
  long long id = 0;
  *session << "SELECT id FROM accounts WHERE email = :e AND deleted_at IS NULL", soci::use(email), soci::into(id);
  if (!session->got_data()) {
    throw http::unprocessable({{"email", "no account uses " + email, "unknown_account"}});
  }
  return id;
}

int create(const CommandLine& line, const config::Settings& settings, storage::Database& db) {
  auth::NewAccount input;
  input.email = requiredOption(line, "email");
  input.displayName = requiredOption(line, "name");
  if (auto password = line.option("password")) {
    input.password = *password;
  } else {
    // Read from standard input so the password stays out of the shell history.
    std::getline(std::cin, input.password);
    if (!input.password.empty() && input.password.back() == '\r') {
      input.password.pop_back();
    }
  }
  mail::Mailer mailer(settings.smtp);
  themes::Catalog noTexts;  // create() sends no mail
  auth::Accounts accounts(db, mailer, noTexts, settings.baseUrl);
  bool admin = line.flag("admin");
  long long id = accounts.create(input, true, admin);
  std::cout << "created account " << id << " for " << http::Validator().email("email", input.email)
            << (admin ? " (federation admin)" : "") << std::endl;
  return 0;
}

int list(storage::Database& db) {
  storage::Database::Session session(db);
  long long id = 0;
  std::string email;
  std::string name;
  int admin = 0;
  soci::indicator emailInd = soci::i_null;
  soci::indicator verifiedInd = soci::i_null;
  long long verified = 0;
  soci::statement st = (session->prepare << "SELECT id, email, display_name, federation_admin, email_verified_at "
                                            "FROM accounts WHERE deleted_at IS NULL ORDER BY id",
                        soci::into(id), soci::into(email, emailInd), soci::into(name), soci::into(admin),
                        soci::into(verified, verifiedInd));
  st.execute();
  std::cout << std::left << std::setw(6) << "ID" << std::setw(36) << "E-MAIL" << std::setw(30) << "NAME"
            << "FLAGS\n";
  int count = 0;
  while (st.fetch()) {
    std::string flags;
    if (admin != 0) {
      flags += "federation-admin ";
    }
    if (verifiedInd != soci::i_ok) {
      flags += "unverified";
    }
    std::cout << std::left << std::setw(6) << id << std::setw(36) << (emailInd == soci::i_ok ? email : "-")
              << std::setw(30) << name << flags << "\n";
    ++count;
  }
  std::cout << count << " account" << (count == 1 ? "" : "s") << std::endl;
  return 0;
}

int grant(const CommandLine& line, storage::Database& db) {
  std::string slug = requiredOption(line, "org");
  std::string role = requiredOption(line, "role");
  long long accountId = accountByEmail(db, requiredOption(line, "email"));
  domain::Associations associations(db);
  auto association = associations.bySlug(slug);
  if (!association) {
    throw http::unprocessable({{"org", "no association named " + slug, "unknown_association"}});
  }
  associations.grantRole(association->id, accountId, role);
  std::cout << requiredOption(line, "email") << " is now " << role << " of " << association->slug << std::endl;
  return 0;
}

int makeAdmin(const CommandLine& line, storage::Database& db) {
  long long accountId = accountByEmail(db, requiredOption(line, "email"));
  db.transaction([&](soci::session& sql) {
    sql << "UPDATE accounts SET federation_admin = 1 WHERE id = :id", soci::use(accountId);
  });
  std::cout << requiredOption(line, "email") << " is now a federation admin" << std::endl;
  return 0;
}

}  // namespace

int runUser(const CommandLine& line) {
  if (line.args.empty()) {
    throw UsageError("say what to do: create, list, grant or admin");
  }
  const std::string& action = line.args[0];
  if (action != "create" && action != "list" && action != "grant" && action != "admin") {
    throw UsageError("unknown action \"" + action + "\"");
  }
  config::Settings settings = line.settings();
  auto db = openMigratedDatabase(settings);
  try {
    if (action == "create") {
      return create(line, settings, *db);
    }
    if (action == "list") {
      return list(*db);
    }
    if (action == "grant") {
      return grant(line, *db);
    }
    return makeAdmin(line, *db);
  } catch (const http::HttpError& error) {
    std::cerr << "ruche user " << action << ": " << describe(error) << std::endl;
    return 1;
  }
}

}  // namespace ruche::cli
