#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernel/app/App.h"
#include "tests/support/HttpClient.h"
#include "tests/support/SmtpSink.h"

namespace ruche::testing {

/// The two storage backends every integration test runs on.
enum class Backend { Sqlite, Postgres };
const char* backendName(Backend backend);
std::vector<Backend> allBackends();

/// A folder under /tmp removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A fresh, empty database: a SQLite file in `dir`, or a new database in the
/// throwaway PostgreSQL cluster the CTest fixture started (RUCHE_TEST_PG_DIR).
std::string freshDatabaseUrl(Backend backend, const std::filesystem::path& dir);

/// A real Ruche on a loopback port (port 0), a real database of `backend`,
/// and a real SMTP sink that receives its mail.
class TestServer {
 public:
  struct Options {
    bool mailServerDown = false;  ///< point smtp.port at a closed port
    /// More configuration keys (e.g. "plugins.dirs"), applied last.
    std::map<std::string, std::string> settings;
  };
  explicit TestServer(Backend backend) : TestServer(backend, Options{}) {}
  TestServer(Backend backend, Options options);
  ~TestServer();

  app::App& app() { return *app_; }
  app::Services& services() { return app_->services(); }
  SmtpSink& smtp() { return smtp_; }
  /// Takes the mail server down (mail goes to a closed port and fails) or
  /// brings it back (mail reaches the sink again), while the app runs.
  void setMailServerDown(bool down) { mailServerDown_->store(down); }
  int port() const { return app_->port(); }
  const std::filesystem::path& dataDir() const { return dir_.path(); }

  /// A new HTTP client with its own cookie jar.
  HttpClient client() const { return HttpClient("127.0.0.1", static_cast<unsigned short>(app_->port())); }

  /// A verified account created directly (no mail); returns its id.
  long long createAccount(const std::string& email, const std::string& password, const std::string& name,
                          bool federationAdmin = false);
  /// A client signed in through the real login form.
  HttpClient signedIn(const std::string& email, const std::string& password) const;
  /// An association created directly in the database; returns its id.
  long long createAssociation(const std::string& slug, const std::string& name);
  /// A published remote mission created directly in the database; returns its id.
  long long createMission(long long associationId, const std::string& title);
  /// Gives the account a role (admin | coordinator | volunteer) in the association.
  void grantRole(long long accountId, long long associationId, const std::string& role);

  /// The first column of the first row of `sql` (a test's check), as an
  /// integer or as text; 0 or "" when there is no row.
  long long scalar(const std::string& sql);
  std::string scalarText(const std::string& sql);
  /// Runs `sql` behind the server's back (a test's set-up).
  void execute(const std::string& sql);
  /// Waits up to `limit` until no event delivery is pending; whether none is.
  bool waitForDeliveries(std::chrono::milliseconds limit);

  /// Options whose plugins folder `dir` holds a copy of the built test
  /// plugins `names` (from RUCHE_TEST_PLUGINS), e.g. {"petitions"}.
  static Options withPlugins(const std::filesystem::path& dir, const std::vector<std::string>& names);

 private:
  TempDir dir_;
  SmtpSink smtp_;
  std::shared_ptr<std::atomic<bool>> mailServerDown_ = std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<app::App> app_;
};

}  // namespace ruche::testing
