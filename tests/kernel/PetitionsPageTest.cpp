// The petitions plugin's public page (issue 7, second slice), on a real
// server with both backends and the SMTP sink: Markdown text, image upload,
// delivered status, share links and QR code, the embeddable form (framed,
// without cookies, without JavaScript), the proof-of-work and the
// disposable-domain list. Bad input gets a clear answer and changes nothing.
#include <doctest/doctest.h>
#include <sodium.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "kernel/plugins/PluginHost.h"
#include "kernel/storage/Database.h"
#include "tests/kernel/TestServer.h"

using namespace ruche::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

/// A proof-of-work solution: a number n such that SHA-256 of
/// "<challenge>:<n>" starts with 14 zero bits (what pow.js computes).
std::string solvedBy(const std::string& challenge) {
  for (long long n = 0;; ++n) {
    std::string input = challenge + ":" + std::to_string(n);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    if (digest[0] == 0 && (digest[1] & 0xFC) == 0) {
      return std::to_string(n);
    }
  }
}

const std::string kPassword = "correct horse battery";
const std::string kHome = "/a/page-petitions/petitions";
const std::string kBoundary = "----RuchePetitionImage";

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The value of the hidden input `name` in a page; "" when absent.
std::string hidden(const std::string& html, const std::string& name) {
  std::smatch match;
  if (std::regex_search(html, match, std::regex("name=\"" + name + "\" value=\"([^\"]*)\""))) {
    return match[1].str();
  }
  return "";
}

/// A server with the petitions plugin on in one association and a
/// coordinator signed in.
struct World {
  explicit World(Backend backend)
      : server(backend, TestServer::withPlugins(plugins.path(), {"petitions"})), coordinator(server.client()) {
    associationId = server.createAssociation("page-petitions", "Pétitionnaires");
    server.app().plugins().store().setEnabled("petitions", associationId, true);
    long long coordinatorId = server.createAccount("coord@example.org", kPassword, "Camille");
    server.grantRole(coordinatorId, associationId, "coordinator");
    coordinator = server.signedIn("coord@example.org", kPassword);
  }

  /// Creates a petition through the coordinators' form; returns its id.
  long long create(const std::string& status, const std::string& body = "Premier paragraphe.") {
    auto created = coordinator.postFormWithCsrf(kHome + "/manage/new", kHome + "/manage/new",
                                                {{"title", "Sauvons le rucher"},
                                                 {"body", body},
                                                 {"addressee", "La mairie"},
                                                 {"goal", "1000"},
                                                 {"status", status}});
    REQUIRE(created.status == 303);
    return count("SELECT MAX(id) FROM petitions_petitions");
  }

  /// Saves the main form with another status.
  HttpResponse setStatus(long long id, const std::string& status) {
    std::string edit = kHome + "/manage/" + std::to_string(id);
    return coordinator.postFormWithCsrf(edit, edit,
                                        {{"title", "Sauvons le rucher"},
                                         {"body", "Premier paragraphe."},
                                         {"addressee", "La mairie"},
                                         {"goal", "1000"},
                                         {"status", status}});
  }

  long long count(const std::string& sql) { return server.scalar(sql); }

  std::string text(const std::string& sql) { return server.scalarText(sql); }

  long long signatures() { return count("SELECT COUNT(*) FROM petitions_signatures"); }

  std::string page(long long id) const { return kHome + "/" + std::to_string(id); }

  /// A multipart image upload as the edit page's form sends it.
  HttpResponse upload(long long id, const std::string& content, const std::string& alt, bool withCsrf = true) {
    std::string edit = kHome + "/manage/" + std::to_string(id);
    std::string csrf = HttpClient::csrfFrom(coordinator.get(edit).body);
    std::string body;
    auto part = [&body](const std::string& disposition, const std::string& value, const std::string& type = "") {
      body += "--" + kBoundary + "\r\nContent-Disposition: form-data; " + disposition + "\r\n";
      if (!type.empty()) {
        body += "Content-Type: " + type + "\r\n";
      }
      body += "\r\n" + value + "\r\n";
    };
    if (withCsrf) {
      part("name=\"_csrf\"", csrf);
    }
    part("name=\"image\"; filename=\"photo.png\"", content, "image/png");
    part("name=\"alt\"", alt);
    body += "--" + kBoundary + "--\r\n";
    return coordinator.post(edit + "/image", body, "multipart/form-data; boundary=" + kBoundary);
  }

  TempDir plugins;
  TestServer server;
  HttpClient coordinator;
  long long associationId = 0;
};

// The start of a 1×1 PNG (signature and IHDR); its length is the literal's
// own, counted by the compiler (a hand-written count once read past it).
constexpr char kPngBytes[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
const std::string kPng(kPngBytes, sizeof kPngBytes - 1);

}  // namespace

TEST_CASE("a petition's markdown text is rendered, its scripts and javascript links are not") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open",
                                  "# Pourquoi\n\nUn texte **important** et *urgent*.\n\n- abeilles\n- fleurs\n\n"
                                  "[la mairie](https://mairie.example.org) [piège](javascript:alert(1))\n\n"
                                  "<script>alert('x')</script>\n\n<img src=x onerror=alert(2)>\n");
      auto shown = world.server.client().get(world.page(id));
      REQUIRE(shown.status == 200);
      CHECK(has(shown.body, "<h2>Pourquoi</h2>"));
      CHECK(has(shown.body, "<strong>important</strong>"));
      CHECK(has(shown.body, "<em>urgent</em>"));
      CHECK(has(shown.body, "<li>abeilles</li>"));
      CHECK(has(shown.body, "<a href=\"https://mairie.example.org\">la mairie</a>"));
      CHECK(has(shown.body, "<a href=\"\">piège</a>"));
      CHECK_FALSE(has(shown.body, "javascript:"));
      CHECK_FALSE(has(shown.body, "alert('x')</script>"));
      CHECK_FALSE(has(shown.body, "onerror"));
    }
  }
}

TEST_CASE("a coordinator uploads an image checked by its bytes, served with its type and alt text") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");

      auto saved = world.upload(id, kPng, "Une ruche au soleil");
      REQUIRE(saved.status == 303);
      CHECK(saved.header("location") == kHome + "/manage/" + std::to_string(id) + "?saved=image");
      auto image = world.server.client().get(world.page(id) + "/image");
      REQUIRE(image.status == 200);
      CHECK(image.header("content-type") == "image/png");
      CHECK(image.body == kPng);
      CHECK(image.header("x-content-type-options") == "nosniff");
      auto shown = world.server.client().get(world.page(id));
      CHECK(has(shown.body, "<img src=\"" + world.page(id) + "/image\" alt=\"Une ruche au soleil\">"));

      // A draft's image: not public, but the edit page shows it.
      long long draft = world.create("draft");
      REQUIRE(world.upload(draft, kPng, "Brouillon").status == 303);
      CHECK(world.server.client().get(world.page(draft) + "/image").status == 404);
      auto preview = world.coordinator.get(kHome + "/manage/" + std::to_string(draft) + "/image");
      CHECK(preview.status == 200);
      CHECK(preview.body == kPng);
      CHECK(has(world.coordinator.get(kHome + "/manage/" + std::to_string(draft)).body,
                "<img src=\"" + kHome + "/manage/" + std::to_string(draft) + "/image\" alt=\"Brouillon\""));
      CHECK(world.server.client().get(kHome + "/manage/" + std::to_string(draft) + "/image").status == 401);

      // Refused, and the stored image stays as it was.
      auto gif = world.upload(id, "GIF89a\x01\x00\x01\x00", "Un gif");
      CHECK(gif.status == 422);
      CHECK(has(gif.body, "n’est pas une image JPEG, PNG ou WebP"));
      CHECK(has(gif.body, "value=\"Un gif\""));
      auto noAlt = world.upload(id, kPng, "   ");
      CHECK(noAlt.status == 422);
      CHECK(has(noAlt.body, "Décrivez l’image"));
      auto tooBig = world.upload(id, kPng + std::string(820 * 1024, 'x'), "Trop grande");
      CHECK(tooBig.status == 422);
      CHECK(has(tooBig.body, "taille maximale"));
      CHECK(world.text("SELECT alt FROM petitions_images WHERE petition_id = " + std::to_string(id)) ==
            "Une ruche au soleil");

      // The CSRF token is read from the multipart body: without it, 403.
      CHECK(world.upload(id, kPng, "Sans jeton", false).status == 403);
      // Only the association's coordinators upload.
      HttpClient visitor = world.server.client();
      auto anonymous = visitor.post(kHome + "/manage/" + std::to_string(id) + "/image", "x",
                                    "multipart/form-data; boundary=" + kBoundary);
      CHECK(anonymous.status != 303);
      CHECK(world.count("SELECT COUNT(*) FROM petitions_images") == 2);

      auto removed = world.coordinator.postFormWithCsrf(kHome + "/manage/" + std::to_string(id) + "/image/delete",
                                                        kHome + "/manage/" + std::to_string(id), {});
      CHECK(removed.status == 303);
      CHECK(world.server.client().get(world.page(id) + "/image").status == 404);
    }
  }
}

TEST_CASE("a petition goes draft, open, closed, delivered, its delivery is shown and no one signs it then") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");
      std::string manage = kHome + "/manage/" + std::to_string(id);
      std::string deliverPath = manage + "/deliver";

      auto back = world.setStatus(id, "draft");
      CHECK(back.status == 422);
      CHECK(has(back.body, "ne peut pas suivre l’état actuel"));
      auto early = world.coordinator.postFormWithCsrf(deliverPath, manage, {{"delivered_on", "2026-11-20"}});
      CHECK(early.status == 409);
      CHECK(has(early.body, "Seule une pétition close"));
      // The summary's link leads to the delivery section, shown even while the form is not.
      CHECK(has(early.body, "<a href=\"#deliver\">Seule une pétition close"));
      CHECK(has(early.body, "<section id=\"deliver\""));
      CHECK(has(early.body, "<p class=\"field-error\">Seule une pétition close"));
      CHECK(world.text("SELECT status FROM petitions_petitions") == "open");

      REQUIRE(world.setStatus(id, "closed").status == 303);
      CHECK(world.setStatus(id, "open").status == 422);
      CHECK(world.setStatus(id, "delivered").status == 422);
      auto badDay = world.coordinator.postFormWithCsrf(deliverPath, manage, {{"delivered_on", "2026-02-30"}});
      CHECK(badDay.status == 422);
      CHECK(world.text("SELECT status FROM petitions_petitions") == "closed");

      auto delivered = world.coordinator.postFormWithCsrf(
          deliverPath, manage, {{"delivered_on", "2026-11-20"}, {"delivery_note", "Remise en main propre au maire."}});
      REQUIRE(delivered.status == 303);
      CHECK(world.text("SELECT status FROM petitions_petitions") == "delivered");
      auto shown = world.server.client().get(world.page(id));
      REQUIRE(shown.status == 200);
      CHECK(has(shown.body, "Remise le <time datetime=\"2026-11-20\">2026-11-20</time>"));
      CHECK(has(shown.body, "Remise en main propre au maire."));
      CHECK_FALSE(has(shown.body, "name=\"email\""));

      HttpClient visitor = world.server.client();
      // (The page has no form any more: the CSRF token comes from another one.)
      auto refused =
          visitor.postFormWithCsrf(world.page(id) + "/sign", "/login", {{"name", "Ana"}, {"email", "ana@example.org"}});
      CHECK(refused.status == 409);
      CHECK(world.signatures() == 0);
      // The main form keeps it delivered (other fields can still be fixed).
      CHECK(world.setStatus(id, "delivered").status == 303);
      CHECK(world.setStatus(id, "closed").status == 422);
    }
  }
}

TEST_CASE("the public page has plain share links and a QR code, also downloadable as svg") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");
      auto shown = world.server.client().get(world.page(id));
      REQUIRE(shown.status == 200);
      CHECK(has(shown.body, "href=\"mailto:?subject=Sauvons%20le%20rucher&amp;body="));
      CHECK(has(shown.body, "https://www.facebook.com/sharer/sharer.php?u=http"));
      CHECK(has(shown.body, "%2Fa%2Fpage-petitions%2Fpetitions%2F" + std::to_string(id)));
      CHECK_FALSE(has(shown.body, "<script"));
      CHECK(has(shown.body, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
      CHECK(has(shown.body, "role=\"img\" aria-labelledby=\"qr-title\""));
      CHECK(has(shown.body, "<title id=\"qr-title\">QR code menant à la pétition :"));

      auto svg = world.server.client().get(world.page(id) + "/qr.svg");
      REQUIRE(svg.status == 200);
      CHECK(svg.header("content-type") == "image/svg+xml; charset=utf-8");
      CHECK(has(svg.header("content-disposition"), "attachment; filename=\"petition-"));
      CHECK(has(svg.body, "<path d=\"M4 4h1v1h-1z"));

      long long draft = world.create("draft");
      CHECK(world.server.client().get(world.page(draft) + "/qr.svg").status == 404);
      CHECK(world.server.client().get(world.page(draft) + "/embed").status == 404);
    }
  }
}

TEST_CASE("the embedded form may be framed, signs without cookies or javascript, and other pages still deny frames") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      long long id = world.create("open");
      std::string embed = world.page(id) + "/embed";

      HttpClient framed = world.server.client();
      auto form = framed.get(embed);
      REQUIRE(form.status == 200);
      CHECK(form.header("x-frame-options").empty());
      CHECK(has(form.header("content-security-policy"), "frame-ancestors *"));
      CHECK(has(form.body, "<h1>Sauvons le rucher</h1>"));
      CHECK_FALSE(has(form.body, "site-header"));
      std::string challenge = hidden(form.body, "challenge");
      REQUIRE_FALSE(challenge.empty());
      auto snippet = world.coordinator.get(kHome + "/manage/" + std::to_string(id));
      CHECK(has(snippet.body, "&lt;iframe src=&quot;"));

      auto publicPage = world.server.client().get(world.page(id));
      CHECK(publicPage.header("x-frame-options") == "DENY");
      CHECK(has(publicPage.header("content-security-policy"), "frame-ancestors 'none'"));
      CHECK(world.coordinator.get(kHome + "/manage").header("x-frame-options") == "DENY");

      // Inside another site's frame the browser keeps none of our cookies.
      framed.clearCookies();
      auto bad =
          framed.postForm(embed, {{"challenge", challenge + "x"}, {"name", "Ana"}, {"email", "ana@example.org"}});
      CHECK(bad.status == 422);
      CHECK(has(bad.body, "Ce formulaire a expiré"));
      CHECK(bad.header("x-frame-options").empty());
      CHECK(world.signatures() == 0);

      auto signedUp = framed.postForm(embed, {{"challenge", challenge}, {"name", "Ana"}, {"email", "ana@example.org"}});
      REQUIRE(signedUp.status == 303);
      CHECK(signedUp.header("location") == embed + "?signed=check");
      auto result = framed.followRedirect(signedUp);
      CHECK(result.status == 200);
      CHECK(result.header("x-frame-options").empty());
      CHECK(has(result.body, "Consultez votre messagerie"));
      CHECK(world.signatures() == 1);
      CHECK(world.server.smtp().waitForMessage("ana@example.org", 10s).has_value());

      // The public page's own form still needs its CSRF cookie.
      HttpClient stranger = world.server.client();
      CHECK(stranger.postForm(world.page(id) + "/sign", {{"name", "Bob"}, {"email", "bob@example.org"}}).status == 403);
    }
  }
}

TEST_CASE("with the proof-of-work on, an early form waits, a solved one passes, and a replay is refused") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      world.server.app().plugins().store().saveSettings("petitions", world.associationId,
                                                        {{"proof_of_work", "true"}, {"proof_of_work_seconds", "2"}});
      long long id = world.create("open");
      HttpClient visitor = world.server.client();
      auto shown = visitor.get(world.page(id));
      REQUIRE(shown.status == 200);
      CHECK(has(shown.body, "data-pow-bits=\"14\""));
      CHECK(has(shown.body, "<script src=\"" + kHome + "/pow.js\" defer></script>"));
      auto script = visitor.get(kHome + "/pow.js");
      CHECK(script.status == 200);
      CHECK(script.header("content-type") == "text/javascript; charset=utf-8");
      std::string challenge = hidden(shown.body, "challenge");
      std::string csrf = HttpClient::csrfFrom(shown.body);
      REQUIRE_FALSE(challenge.empty());

      // Without JavaScript, too early: told to wait, the values kept.
      auto early =
          visitor.postForm(world.page(id) + "/sign",
                           {{"_csrf", csrf}, {"challenge", challenge}, {"name", "Ana"}, {"email", "ana@example.org"}});
      CHECK(early.status == 422);
      CHECK(has(early.body, "Formulaire envoyé trop tôt : attendez"));
      CHECK(has(early.body, "value=\"ana@example.org\""));
      CHECK(hidden(early.body, "challenge") == challenge);
      CHECK(world.signatures() == 0);

      // After the wait, the same challenge passes once.
      std::this_thread::sleep_for(2100ms);
      auto waited =
          visitor.postForm(world.page(id) + "/sign",
                           {{"_csrf", csrf}, {"challenge", challenge}, {"name", "Ana"}, {"email", "ana@example.org"}});
      CHECK(waited.status == 303);
      CHECK(world.signatures() == 1);
      auto replay =
          visitor.postForm(world.page(id) + "/sign",
                           {{"_csrf", csrf}, {"challenge", challenge}, {"name", "Bob"}, {"email", "bob@example.org"}});
      CHECK(replay.status == 422);
      CHECK(has(replay.body, "déjà été envoyé une fois"));
      CHECK(world.signatures() == 1);

      // A forged challenge is refused.
      auto forged = visitor.postForm(
          world.page(id) + "/sign",
          {{"_csrf", csrf}, {"challenge", "1.1.abc.0000"}, {"name", "Eve"}, {"email", "eve@example.org"}});
      CHECK(forged.status == 422);
      CHECK(world.signatures() == 1);

      // With JavaScript: a fresh challenge, solved, passes at once (the wait
      // made long, so that only the solution can pass it).
      world.server.app().plugins().store().saveSettings("petitions", world.associationId,
                                                        {{"proof_of_work", "true"}, {"proof_of_work_seconds", "3600"}});
      auto again = visitor.get(world.page(id));
      std::string fresh = hidden(again.body, "challenge");
      REQUIRE_FALSE(fresh.empty());
      auto solved = visitor.postForm(world.page(id) + "/sign", {{"_csrf", csrf},
                                                                {"challenge", fresh},
                                                                {"pow_solution", solvedBy(fresh)},
                                                                {"name", "Cid"},
                                                                {"email", "cid@example.org"}});
      CHECK(solved.status == 303);
      CHECK(world.signatures() == 2);
    }
  }
}

TEST_CASE("with the proof-of-work on, the JSON API hands out challenges and signs only with a solved one") {
  // The API takes the same anonymous signatures as the form: without this
  // check a script would skip the proof-of-work by posting JSON.
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      world.server.app().plugins().store().saveSettings("petitions", world.associationId,
                                                        {{"proof_of_work", "true"}, {"proof_of_work_seconds", "3600"}});
      long long id = world.create("open");
      HttpClient api = world.server.client();
      const std::string petition = "/api/v1/associations/page-petitions/petitions/" + std::to_string(id);
      auto shown = api.get(petition);
      REQUIRE(shown.status == 200);
      std::smatch found;
      REQUIRE(std::regex_search(shown.body, found, std::regex("\"challenge\":\"([^\"]+)\"")));
      const std::string challenge = found[1];
      CHECK(has(shown.body, "\"bits\":14"));
      CHECK(has(shown.body, "\"wait_seconds\":3600"));
      REQUIRE(api.cookie("ruche_csrf"));
      HttpClient::Headers csrf = {{"X-CSRF-Token", *api.cookie("ruche_csrf")}};
      auto sign = [&](const std::string& extra) {
        return api.postJson(petition + "/signatures", R"({"name": "Ana", "email": "ana@example.org")" + extra + "}",
                            csrf);
      };

      auto without = sign("");
      CHECK(without.status == 422);
      CHECK(has(without.body, "\"pointer\":\"/challenge\""));
      auto unsolved = sign(R"(, "challenge": ")" + challenge + R"(", "pow_solution": "")");
      CHECK(unsolved.status == 422);
      CHECK(has(unsolved.body, "\"pointer\":\"/challenge\""));
      auto notText = sign(R"(, "challenge": 12, "pow_solution": "1")");
      CHECK(notText.status == 422);
      CHECK(has(notText.body, "\"pointer\":\"/challenge\""));
      CHECK(world.signatures() == 0);

      // A body refused for another field does not use up its challenge.
      const std::string solution = solvedBy(challenge);
      auto badEmail = api.postJson(petition + "/signatures",
                                   R"({"name": "Ana", "email": "ana@", "challenge": ")" + challenge +
                                       R"(", "pow_solution": ")" + solution + "\"}",
                                   csrf);
      CHECK(badEmail.status == 422);
      CHECK(has(badEmail.body, "\"pointer\":\"/email\""));
      auto solved = sign(R"(, "challenge": ")" + challenge + R"(", "pow_solution": ")" + solution + "\"");
      CHECK(solved.status == 202);
      CHECK(world.signatures() == 1);
      auto replay = api.postJson(petition + "/signatures",
                                 R"({"name": "Bob", "email": "bob@example.org", "challenge": ")" + challenge +
                                     R"(", "pow_solution": ")" + solution + "\"}",
                                 csrf);
      CHECK(replay.status == 422);
      CHECK(has(replay.body, "\"pointer\":\"/challenge\""));
      CHECK(world.signatures() == 1);
      // Refused attempts count towards the per-IP limit, as on the page: the
      // four refused after their fields were read, and the signature (the
      // type error is refused before).
      CHECK(world.server.scalar("SELECT SUM(n) FROM petitions_ip_counts") == 5);
    }
  }
}

TEST_CASE("addresses at disposable domains are refused, from the shipped list and the association's extras") {
  for (auto backend : allBackends()) {
    SUBCASE(backendName(backend)) {
      World world(backend);
      world.server.app().plugins().store().saveSettings("petitions", world.associationId,
                                                        {{"extra_disposable_domains", "jetable.example\nspam.test"}});
      long long id = world.create("open");
      for (const char* address : {"ana@mailinator.com", "ana@eu.yopmail.com", "ana@JETABLE.example", "ana@spam.test"}) {
        HttpClient visitor = world.server.client();
        auto refused =
            visitor.postFormWithCsrf(world.page(id) + "/sign", world.page(id), {{"name", "Ana"}, {"email", address}});
        CHECK(refused.status == 422);
        CHECK(has(refused.body, "Les adresses de boîtes jetables ne sont pas acceptées"));
        CHECK(has(refused.body, "aria-describedby=\"email-hint email-error\" aria-invalid=\"true\""));
      }
      CHECK(world.signatures() == 0);
      CHECK(world.server.smtp().messages().empty());
      HttpClient visitor = world.server.client();
      CHECK(visitor
                .postFormWithCsrf(world.page(id) + "/sign", world.page(id),
                                  {{"name", "Ana"}, {"email", "ana@example.org"}})
                .status == 303);
      CHECK(world.signatures() == 1);
    }
  }
}
