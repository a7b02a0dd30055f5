#include "tests/kernel/TestServer.h"

#include <Poco/Logger.h>
#include <Poco/Net/ServerSocket.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unistd.h>

#include "kernel/auth/Secrets.h"
#include "kernel/config/SettingsLoader.h"

namespace ruche::testing {
namespace {

std::string runAndRead(const std::string& command) {
  std::array<char, 512> buffer{};
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("cannot run " + command);
  }
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
    output += buffer.data();
  }
  int status = pclose(pipe);
  if (status != 0) {
    throw std::runtime_error(command + " failed (" + std::to_string(status) + "): " + output);
  }
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) {
    output.pop_back();
  }
  return output;
}

// The cluster folder may be overridden, e.g. to share one started by hand.
std::string clusterDir() {
  const char* value = std::getenv("RUCHE_TEST_PG_DIR");
  return value != nullptr && *value != '\0' ? value : RUCHE_TEST_PG_DIR;
}

// One argon2 hash per password for the whole test binary: hashing costs
// ~0.2 s of CPU, and accounts created by fixtures need no distinct salts.
std::string cachedHash(const std::string& password) {
  static std::mutex mutex;
  static std::map<std::string, std::string> hashes;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = hashes.find(password);
  if (it == hashes.end()) {
    it = hashes.emplace(password, auth::hashPassword(password)).first;
  }
  return it->second;
}

}  // namespace

const char* backendName(Backend backend) {
  return backend == Backend::Sqlite ? "sqlite" : "postgresql";
}

std::vector<Backend> allBackends() {
  return {Backend::Sqlite, Backend::Postgres};
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ruche-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary folder");
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string freshDatabaseUrl(Backend backend, const std::filesystem::path& dir) {
  if (backend == Backend::Sqlite) {
    return "sqlite:" + (dir / "ruche.db").string();
  }
  static std::atomic<int> counter{0};
  std::string name = "t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  if (!std::filesystem::exists(std::filesystem::path(clusterDir()) / "url")) {
    throw std::runtime_error("no PostgreSQL test cluster in " + clusterDir() +
                             ": run the tests through ctest, whose fixture starts it");
  }
  return runAndRead(std::string(RUCHE_TEST_PG_CLUSTER) + " createdb " + clusterDir() + " " + name);
}

namespace {
// A loopback port nobody listens on: bound, read, closed.
int closedPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  int port = socket.address().port();
  socket.close();
  return port;
}

// Real SMTP either way: to the sink, or to a closed port while "down".
class SwitchableMailer : public mail::Mailer {
 public:
  SwitchableMailer(const config::SmtpSettings& up, std::shared_ptr<std::atomic<bool>> down)
      : mail::Mailer(up), down_(std::move(down)), closed_([&] {
          config::SmtpSettings settings = up;
          settings.port = closedPort();
          return settings;
        }()) {}
  std::vector<std::string> sendAll(
      const std::vector<mail::OutgoingMail>& mails,
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max()) override {
    return down_->load() ? closed_.sendAll(mails, deadline) : mail::Mailer::sendAll(mails, deadline);
  }

 private:
  std::shared_ptr<std::atomic<bool>> down_;
  mail::Mailer closed_;
};
}  // namespace

TestServer::TestServer(Backend backend, Options options) {
  Poco::Logger::root().setLevel("warning");
  std::map<std::string, std::string> overrides = {
      {"data.dir", dir_.path().string()},
      {"http.listen", "127.0.0.1:0"},
      {"database.url", freshDatabaseUrl(backend, dir_.path())},
      {"database.pool", "4"},
      {"smtp.host", "127.0.0.1"},
      {"smtp.port", std::to_string(smtp_.port())},
      {"smtp.from", "Ruche <no-reply@ruche.test>"},
      {"log.level", "warning"},
      // The tests' webhook receivers listen on 127.0.0.1.
      {"webhooks.allow_private", "true"},
      // Tests change rows behind the server's back (SQL straight to the
      // database): no read cache, unless a test asks for one.
      {"database.read_cache_ms", "0"},
  };
  overrides["themes.dir"] = RUCHE_TEST_THEMES;
  for (const auto& [key, value] : options.settings) {
    overrides[key] = value;
  }
  config::Settings settings = config::loadSettings(std::nullopt, {}, overrides);
  mailServerDown_->store(options.mailServerDown);
  app_ = std::make_unique<app::App>(settings, std::make_unique<SwitchableMailer>(settings.smtp, mailServerDown_));
  app_->start();
}

TestServer::~TestServer() {
  app_->stop();
}

long long TestServer::createAccount(const std::string& email, const std::string& password, const std::string& name,
                                    bool federationAdmin) {
  return services().accounts.create({email, password, name, "fr"}, true, federationAdmin, cachedHash(password));
}

HttpClient TestServer::signedIn(const std::string& email, const std::string& password) const {
  HttpClient http = client();
  auto response = http.postFormWithCsrf("/login", "/login", {{"email", email}, {"password", password}});
  if (response.status != 303) {
    throw std::runtime_error("login of " + email + " failed with status " + std::to_string(response.status));
  }
  return http;
}

long long TestServer::createAssociation(const std::string& slug, const std::string& name) {
  long long id = 0;
  long long now = storage::nowSeconds();
  std::string charter = "Je m'engage à respecter les personnes accompagnées.";
  services().db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO associations (slug, name, charter, created_at) VALUES (:s, :n, :c, :t) RETURNING id",
        soci::use(slug), soci::use(name), soci::use(charter), soci::use(now), soci::into(id);
  });
  return id;
}

long long TestServer::createMission(long long associationId, const std::string& title) {
  long long id = 0;
  long long now = storage::nowSeconds();
  services().db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO missions (association_id, title, description, kind, mode, status, created_at, updated_at) "
           "VALUES (:a, :t, 'Une mission', 'regular', 'remote', 'published', :c, :u) RETURNING id",
        soci::use(associationId), soci::use(title), soci::use(now), soci::use(now), soci::into(id);
  });
  return id;
}

void TestServer::grantRole(long long accountId, long long associationId, const std::string& role) {
  long long now = storage::nowSeconds();
  services().db.transaction([&](soci::session& sql) {
    sql << "DELETE FROM memberships WHERE account_id = :a AND association_id = :s", soci::use(accountId),
        soci::use(associationId);
    sql << "INSERT INTO memberships (account_id, association_id, role, created_at) VALUES (:a, :s, :r, :t)",
        soci::use(accountId), soci::use(associationId), soci::use(role), soci::use(now);
  });
}

long long TestServer::scalar(const std::string& sql) {
  storage::Database::Session session(services().db);
  long long value = 0;
  *session << sql, soci::into(value);
  return value;
}

std::string TestServer::scalarText(const std::string& sql) {
  storage::Database::Session session(services().db);
  std::string value;
  *session << sql, soci::into(value);
  return value;
}

void TestServer::execute(const std::string& sql) {
  storage::Database::Session session(services().db);
  *session << sql;
}

bool TestServer::waitForDeliveries(std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (scalar("SELECT COUNT(*) FROM event_deliveries WHERE status = 'pending'") == 0) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

TestServer::Options TestServer::withPlugins(const std::filesystem::path& dir, const std::vector<std::string>& names) {
#ifdef RUCHE_TEST_PLUGINS
  for (const auto& name : names) {
    std::filesystem::copy(std::filesystem::path(RUCHE_TEST_PLUGINS) / name / name, dir / name,
                          std::filesystem::copy_options::recursive);
  }
#else
  if (!names.empty()) {
    throw std::logic_error("this test binary is built without RUCHE_TEST_PLUGINS: no test plugins to copy");
  }
#endif
  Options options;
  options.settings["plugins.dirs"] = dir.string();
  return options;
}

}  // namespace ruche::testing
