// The example plugin: everything a plugin usually does, in one small file.
// A page and a form (settings, own table, post/redirect/get), a JSON route,
// an event published and received, a menu entry. It includes only the SDK.
#include <ruche/sdk/Sdk.h>
#include <stdexcept>
#include <string>

namespace {

using ruche::sdk::Access;
using ruche::sdk::Context;
using ruche::sdk::Event;
using ruche::sdk::MenuEntry;
using ruche::sdk::Registrar;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Route;
using ruche::sdk::Scope;
using ruche::sdk::Value;

/// Upper case for ASCII and the Latin-1 letters of UTF-8 text ("é" → "É"),
/// enough for French and English greetings; other characters are kept.
std::string shout(const std::string& text) {
  std::string out = text;
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto byte = static_cast<unsigned char>(out[i]);
    if (byte >= 'a' && byte <= 'z') {
      out[i] = static_cast<char>(byte - 'a' + 'A');
    } else if (byte == 0xC3 && i + 1 < out.size()) {
      auto next = static_cast<unsigned char>(out[i + 1]);
      // U+00E0..U+00FE are the lower-case forms of U+00C0..U+00DE, but for ÷.
      if (next >= 0xA0 && next <= 0xBE && next != 0xB7) {
        out[i + 1] = static_cast<char>(next - 0x20);
      }
      ++i;
    }
  }
  return out;
}

/// The plugin's home in the current association, as a path of this site:
/// what forms post to and redirects go back to.
std::string homePath(Context& context) {
  return "/a/" + context.association().slug + "/hello/";
}

/// Greetings recorded in the current association.
long long greetingCount(Context& context) {
  auto rows = context.db().query("SELECT COUNT(*) AS n FROM hello_greetings WHERE association_id = ?",
                                 {context.association().id});
  return rows.empty() ? 0 : rows.front()["n"].asInt();
}

/// GET /a/<slug>/hello/: the greeting from the settings, the count, and a
/// button that greets (for signed-in visitors).
void home(Context& context, const Request& request, Response& response) {
  std::string greeting = context.settings().text("greeting");
  if (context.settings().flag("shout")) {
    greeting = shout(greeting);
  }
  long long count = greetingCount(context);
  Value data = Value::object({
      {"greeting", greeting},
      {"count", count},
      {"count_text", context.plural("hello.count", count)},
      {"greeted", request.query("greeted") == "1"},
      {"signed_in", request.visitor().signedIn()},
      {"greet_action", homePath(context) + "greet"},
      {"csrf", request.csrfToken()},
  });
  context.page(response, "hello", data, "hello.title");
}

/// POST /a/<slug>/hello/greet: records one greeting and tells whoever
/// listens, in the request's transaction, then back to the page (303).
void greet(Context& context, const Request& request, Response& response) {
  long long accountId = request.visitor().accountId;
  long long associationId = context.association().id;
  long long id =
      context.db().insert("INSERT INTO hello_greetings (account_id, association_id, created_at) VALUES (?, ?, ?)",
                          {accountId, associationId, context.now()});
  context.publish("hello.greeted", Value::object({{"greeting_id", id}, {"account_id", accountId}}));
  response.redirect(homePath(context) + "?greeted=1");
}

/// GET /api/v1/associations/<slug>/hello/greetings: {"count": n}.
void greetings(Context& context, const Request&, Response& response) {
  response.json(Value::object({{"count", greetingCount(context)}}).toJson());
}

/// GET /a/<slug>/hello/boom always fails. It exists for the kernel's
/// fault-containment tests: a plugin's exception must fail only its own
/// request (a 500 page naming no internals), never the process, and count
/// towards switching the plugin off. Not a pattern to copy.
void boom(Context&, const Request&, Response&) {
  throw std::runtime_error("hello boom");
}

/// Receives the plugin's own event after the greeting committed.
void logGreeting(Context& context, const Event& event) {
  context.log().info("greeting " + event.payload["greeting_id"].asString() + " in association " +
                     std::to_string(event.associationId));
}

class HelloPlugin : public ruche::sdk::Plugin {
 public:
  void setUp(Registrar& registrar) override {
    registrar.route(Route{
        .scope = Scope::AssociationPage, .method = "GET", .path = "/", .access = Access::Public, .handler = home});
    registrar.route(Route{.scope = Scope::AssociationPage,
                          .method = "POST",
                          .path = "/greet",
                          .access = Access::SignedIn,
                          .handler = greet});
    registrar.route(Route{.scope = Scope::AssociationApi,
                          .method = "GET",
                          .path = "/greetings",
                          .access = Access::Public,
                          .handler = greetings});
    registrar.route(Route{
        .scope = Scope::AssociationPage, .method = "GET", .path = "/boom", .access = Access::Public, .handler = boom});
    registrar.subscribe("log_greetings", "hello.greeted", logGreeting);
    registrar.menu(MenuEntry{
        .where = MenuEntry::Where::Association, .labelKey = "hello.menu", .path = "/", .access = Access::Public});
  }
};

}  // namespace

RUCHE_PLUGIN(HelloPlugin)
