#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "kernel/plugins/PluginArchive.h"
#include "kernel/plugins/PluginStore.h"
#include "tests/kernel/TestServer.h"

// Installing a plugin from the admin panel: a .tar.gz of the plugin's folder
// posted as multipart/form-data to /admin/plugins/install. The archives are
// made here with GNU tar from the built cli_probe plugin.
using namespace ruche::testing;
namespace fs = std::filesystem;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kBoundary = "----RucheUploadTest7f3a";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

/// Runs a shell command built from fixed text and test paths; fails the test if it fails.
void run(const std::string& command) {
  INFO(command);
  REQUIRE(std::system(command.c_str()) == 0);
}

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

/// A copy of the built cli_probe folder under `dir`/stage/cli_probe, for an archive to be made of.
fs::path stagedProbe(const fs::path& dir) {
  fs::path staged = dir / "stage" / "cli_probe";
  fs::create_directories(staged.parent_path());
  fs::copy(RUCHE_TEST_PROBE_PLUGIN, staged, fs::copy_options::recursive);
  return staged;
}

/// `tar -czf dir/NAME -C dir/stage <members>`: the archive's bytes.
std::string makeArchive(const fs::path& dir, const std::string& name, const std::string& members,
                        const std::string& options = "") {
  fs::path archive = dir / name;
  run("tar -czf " + quoted(archive) + " " + options + " -C " + quoted(dir / "stage") + " " + members);
  return readFile(archive);
}

/// A good archive of the probe plugin.
std::string probeArchive(const fs::path& dir) {
  stagedProbe(dir);
  return makeArchive(dir, "cli_probe.tar.gz", "cli_probe");
}

struct Upload {
  std::string filename = "cli_probe.tar.gz";
  std::string content;
  bool upgrade = false;
  bool withCsrf = true;
};

std::string multipartBody(const std::string& csrf, const Upload& upload) {
  std::string body;
  auto field = [&body](const std::string& disposition, const std::string& content, const std::string& type = "") {
    body += "--" + kBoundary + "\r\nContent-Disposition: form-data; " + disposition + "\r\n";
    if (!type.empty()) {
      body += "Content-Type: " + type + "\r\n";
    }
    body += "\r\n" + content + "\r\n";
  };
  if (upload.withCsrf) {
    field("name=\"_csrf\"", csrf);
  }
  field("name=\"archive\"; filename=\"" + upload.filename + "\"", upload.content, "application/gzip");
  if (upload.upgrade) {
    field("name=\"upgrade\"", "1");
  }
  body += "--" + kBoundary + "--\r\n";
  return body;
}

/// Posts the upload form as a browser would, with the token of the plugins page.
HttpResponse postUpload(HttpClient& client, const Upload& upload, const std::string& path = "/admin/plugins/install") {
  auto page = client.get("/admin/plugins");
  std::string csrf = page.status == 200 ? HttpClient::csrfFrom(page.body) : std::string();
  return client.post(path, multipartBody(csrf, upload), "multipart/form-data; boundary=" + kBoundary);
}

fs::path pluginsDir(TestServer& server) {
  return server.dataDir() / "plugins";
}

long long migrationRecords(TestServer& server, const std::string& module) {
  ruche::storage::Database::Session session(server.services().db);
  long long n = 0;
  *session << "SELECT COUNT(*) FROM schema_migrations WHERE module = :m", soci::use(module), soci::into(n);
  return n;
}

bool tableExists(TestServer& server, const std::string& table) {
  ruche::storage::Database::Session session(server.services().db);
  try {
    long long n = 0;
    *session << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

/// Nothing of the probe anywhere: folder, state, migrations, upload leftovers.
void checkNothingInstalled(TestServer& server) {
  CHECK_FALSE(fs::exists(pluginsDir(server) / "cli_probe"));
  CHECK_FALSE(ruche::plugins::PluginStore(server.services().db).state("cli_probe").has_value());
  CHECK(migrationRecords(server, "plugin:cli_probe") == 0);
  CHECK_FALSE(tableExists(server, "cli_probe_notes"));
  CHECK(fs::is_empty(server.dataDir() / "tmp"));
  CHECK_FALSE(fs::exists(server.dataDir() / "evil"));
}

}  // namespace

TEST_CASE("a federation admin installs a plugin by uploading its archive, and the server is asked to reload") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      TempDir work;
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      auto admin = server.signedIn("admin@example.org", kPassword);

      auto page = admin.get("/admin/plugins");
      REQUIRE(page.status == 200);
      CHECK(contains(page.body, "action=\"/admin/plugins/install\" enctype=\"multipart/form-data\""));
      CHECK(contains(page.body, "<label for=\"archive\">"));
      CHECK(contains(page.body, "aria-describedby=\"archive-hint\""));
      CHECK(contains(page.body, "NOM/plugin.json"));
      CHECK(contains(page.body, "64 Mio"));
      CHECK(contains(page.body, "<label for=\"upgrade\">"));
      CHECK(contains(admin.get("/admin/plugins?lang=en").body, "A .tar.gz archive holding one folder"));
      REQUIRE(admin.get("/admin/plugins?lang=fr").status == 200);  // back to French for what follows

      std::string archive = probeArchive(work.path());
      auto posted = postUpload(admin, {.content = archive});
      REQUIRE(posted.status == 303);
      CHECK(posted.header("location") == "/admin/plugins?done=installed_restart&plugin=cli_probe");
      CHECK(fs::exists(pluginsDir(server) / "cli_probe" / "plugin.json"));
      CHECK(fs::exists(pluginsDir(server) / "cli_probe" / "cli_probe.so"));
      CHECK(migrationRecords(server, "plugin:cli_probe") == 1);
      CHECK(tableExists(server, "cli_probe_notes"));
      auto state = ruche::plugins::PluginStore(server.services().db).state("cli_probe");
      REQUIRE(state.has_value());
      CHECK(state->version == "1.0.0");
      CHECK(fs::is_empty(server.dataDir() / "tmp"));
      auto done = admin.followRedirect(posted);
      CHECK(contains(done.body, "role=\"status\">L&apos;extension cli_probe est installée."));
      CHECK(contains(done.body, "systemctl reload ruche"));

      // Again: refused without the upgrade box, accepted with it, and a
      // process in the serve loop is asked to reload after the response.
      auto again = postUpload(admin, {.content = archive});
      CHECK(again.status == 422);
      CHECK(contains(again.body, "already installed"));
      std::atomic<int> reloads{0};
      server.services().reloadServer = [&reloads] { ++reloads; };
      auto upgraded = postUpload(admin, {.content = archive, .upgrade = true});
      server.services().reloadServer = nullptr;
      REQUIRE(upgraded.status == 303);
      CHECK(upgraded.header("location") == "/admin/plugins?done=installed&plugin=cli_probe");
      CHECK(reloads.load() == 1);
      CHECK(contains(admin.followRedirect(upgraded).body, "Le serveur redémarre pour la charger"));
      CHECK(migrationRecords(server, "plugin:cli_probe") == 1);
    }
  }
}

TEST_CASE("only a federation admin may upload a plugin, and only with the form's token") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      TempDir work;
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      long long volunteerId = server.createAccount("vol@example.org", kPassword, "Vol");
      server.grantRole(volunteerId, server.createAssociation("jardins", "Les Jardins"), "volunteer");
      std::string archive = probeArchive(work.path());

      auto volunteer = server.signedIn("vol@example.org", kPassword);
      std::string csrf = HttpClient::csrfFrom(volunteer.get("/me").body);
      auto refused = volunteer.post("/admin/plugins/install", multipartBody(csrf, {.content = archive}),
                                    "multipart/form-data; boundary=" + kBoundary);
      CHECK(refused.status == 403);

      auto admin = server.signedIn("admin@example.org", kPassword);
      CHECK(postUpload(admin, {.content = archive, .withCsrf = false}).status == 403);
      auto forged = admin.post("/admin/plugins/install", multipartBody("not-the-token", {.content = archive}),
                               "multipart/form-data; boundary=" + kBoundary);
      CHECK(forged.status == 403);
      CHECK_FALSE(fs::exists(pluginsDir(server) / "cli_probe"));
      CHECK_FALSE(ruche::plugins::PluginStore(server.services().db).state("cli_probe").has_value());
    }
  }
}

TEST_CASE("a bad archive is refused with the reason, and nothing is installed") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      TestServer server(backend);
      TempDir work;
      server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
      auto admin = server.signedIn("admin@example.org", kPassword);
      fs::path staged = stagedProbe(work.path());
      fs::create_directories(server.dataDir() / "tmp");

      auto refusedWith = [&](const Upload& upload, const std::string& reason) {
        auto response = postUpload(admin, upload);
        INFO(reason);
        INFO(response.body.substr(0, 4000));
        CHECK(response.status == 422);
        CHECK(contains(response.body, "class=\"error-summary\" role=\"alert\""));
        CHECK(contains(response.body, "<a href=\"#archive\">"));
        CHECK(contains(response.body, "id=\"archive-error\""));
        CHECK(contains(response.body, "aria-invalid=\"true\""));
        CHECK(contains(response.body, reason));
        checkNothingInstalled(server);
      };

      SUBCASE("not a tar.gz at all") {
        refusedWith({.content = "this is not gzip data, just text"}, "not a readable .tar.gz archive: ");
      }
      SUBCASE("no file chosen") {
        refusedWith({.filename = "", .content = ""}, "Choisissez l&apos;archive de l&apos;extension.");
      }
      SUBCASE("not named .tar.gz") {
        refusedWith({.filename = "cli_probe.zip", .content = "PK"}, "L&apos;archive doit être un fichier .tar.gz.");
      }
      SUBCASE("a member climbing out with ..") {
        fs::create_directories(work.path() / "evil");
        std::ofstream(work.path() / "evil" / "payload") << "owned";
        // -P keeps the leading "../" that tar would otherwise strip.
        std::string archive = makeArchive(work.path(), "evil.tar.gz", "cli_probe ../evil", "-P");
        refusedWith({.content = archive}, "points outside the archive&apos;s folder");
      }
      SUBCASE("a symbolic link") {
        fs::create_symlink("/etc/passwd", staged / "passwd");
        refusedWith({.content = makeArchive(work.path(), "link.tar.gz", "cli_probe")},
                    "is a symbolic link; only plain files and folders are accepted");
      }
      SUBCASE("two top folders") {
        fs::create_directories(work.path() / "stage" / "other");
        std::ofstream(work.path() / "stage" / "other" / "x") << "x";
        refusedWith({.content = makeArchive(work.path(), "two.tar.gz", "cli_probe other")}, "more than one top folder");
      }
      SUBCASE("a malformed plugin.json") {
        std::ofstream(staged / "plugin.json", std::ios::trunc) << R"({"name": "cli_probe", "version": 3})";
        std::string archive = makeArchive(work.path(), "bad.tar.gz", "cli_probe");
        auto response = postUpload(admin, {.content = archive});
        CHECK(response.status == 422);
        // The installer's message names the file (inside the archive, not the temporary folder) and the field.
        CHECK(contains(response.body, "L&apos;archive cli_probe.tar.gz est refusée et rien n&apos;a été installé"));
        CHECK(contains(response.body, "cli_probe/plugin.json"));
        CHECK(contains(response.body, "version"));
        CHECK_FALSE(contains(response.body, "plugin-upload-"));
        checkNothingInstalled(server);
      }
    }
  }
}

TEST_CASE("only the upload form may send a body larger than http.max_body_bytes") {
  TempDir work;
  std::string archive = probeArchive(work.path());
  REQUIRE(archive.size() > 4096);
  SUBCASE("the upload path takes plugins.max_upload_bytes, other paths keep http.max_body_bytes") {
    TestServer server(Backend::Sqlite, {.settings = {{"http.max_body_bytes", "4096"}}});
    server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
    auto admin = server.signedIn("admin@example.org", kPassword);
    CHECK(postUpload(admin, {.content = archive}, "/admin/plugins/cli_probe/enable").status == 413);
    CHECK(postUpload(admin, {.content = archive}).status == 303);
    CHECK(fs::exists(pluginsDir(server) / "cli_probe" / "cli_probe.so"));
  }
  SUBCASE("only a federation admin's session may send the upload path more than http.max_body_bytes") {
    // Such a body is read into memory before any route runs: an anonymous
    // client or a volunteer gets 413 at once, not 403 after 64 MiB.
    TestServer server(Backend::Sqlite, {.settings = {{"http.max_body_bytes", "4096"}}});
    server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
    long long volunteerId = server.createAccount("vol@example.org", kPassword, "Vol");
    server.grantRole(volunteerId, server.createAssociation("jardins", "Les Jardins"), "volunteer");
    HttpClient anonymous = server.client();
    std::string csrf = HttpClient::csrfFrom(anonymous.get("/login").body);
    auto body = multipartBody(csrf, {.content = archive});
    auto refused = anonymous.post("/admin/plugins/install", body, "multipart/form-data; boundary=" + kBoundary);
    CHECK(refused.status == 413);
    CHECK(refused.body.find("Only a signed-in federation admin may send more than 4096 bytes") != std::string::npos);
    auto volunteer = server.signedIn("vol@example.org", kPassword);
    csrf = HttpClient::csrfFrom(volunteer.get("/me").body);
    body = multipartBody(csrf, {.content = archive});
    CHECK(volunteer.post("/admin/plugins/install", body, "multipart/form-data; boundary=" + kBoundary).status == 413);
    auto small = volunteer.post("/admin/plugins/install", multipartBody(csrf, {.content = "tiny"}),
                                "multipart/form-data; boundary=" + kBoundary);
    CHECK(small.status == 403);  // under the limit, the route's own guard answers
    auto admin = server.signedIn("admin@example.org", kPassword);
    CHECK(postUpload(admin, {.content = archive}).status == 303);
    CHECK(fs::exists(pluginsDir(server) / "cli_probe" / "cli_probe.so"));
  }
  SUBCASE("an archive over plugins.max_upload_bytes is refused with 413") {
    TestServer server(Backend::Sqlite,
                      {.settings = {{"http.max_body_bytes", "2048"}, {"plugins.max_upload_bytes", "4096"}}});
    server.createAccount("admin@example.org", kPassword, "Fédé Admin", true);
    auto admin = server.signedIn("admin@example.org", kPassword);
    CHECK(postUpload(admin, {.content = archive}).status == 413);
    CHECK_FALSE(fs::exists(pluginsDir(server) / "cli_probe"));
  }
}

TEST_CASE("an archive that would unpack too much is refused from its listing, before unpacking") {
  TempDir work;
  stagedProbe(work.path());
  makeArchive(work.path(), "probe.tar.gz", "cli_probe");
  fs::path into = work.path() / "into";
  fs::create_directories(into);
  std::string archive = (work.path() / "probe.tar.gz").string();
  CHECK_THROWS_WITH_AS(ruche::plugins::unpackPluginArchive(archive, into.string(), {.maxMembers = 2}),
                       doctest::Contains("more than 2 files and folders"), ruche::plugins::ArchiveError);
  CHECK_THROWS_WITH_AS(ruche::plugins::unpackPluginArchive(archive, into.string(), {.maxUnpackedBytes = 100}),
                       doctest::Contains("unpacks to more than 100 bytes"), ruche::plugins::ArchiveError);
  CHECK(fs::is_empty(into));
  std::string folder = ruche::plugins::unpackPluginArchive(archive, into.string());
  CHECK(folder == (into / "cli_probe").string());
  CHECK(fs::exists(into / "cli_probe" / "migrations" / "001_notes.sql"));
}
