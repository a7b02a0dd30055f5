// The plugin the kernel tests load, built from one source under several
// names. The full probe exercises every SDK seam; PROBE_MINIMAL builds one
// route only (for the dependency and refusal cases); PROBE_CRASH_ON_SETUP
// kills the process during set-up (the crash-on-load case); PROBE_BAD_EMBED
// declares a coordinators' route as embeddable (refused).
#include <cstdlib>
#include <ruche/sdk/Sdk.h>
#include <stdexcept>
#include <string>

namespace {

using namespace ruche::sdk;

const std::string kName = PROBE_NAME;

#ifndef PROBE_MINIMAL
long long itemCount(Context& context) {
  auto rows =
      context.db().query("SELECT COUNT(*) AS n FROM probe_items WHERE association_id = ?", {context.association().id});
  return rows.empty() ? 0 : rows.front()["n"].asInt();
}

void home(Context& context, const Request&, Response& response) {
  Value data = Value::object({{"motto", context.settings().text("motto")}, {"count", itemCount(context)}});
  context.page(response, "probe", data, "probe.title");
}

void addItem(Context& context, const Request& request, Response& response) {
  std::string label = request.form("label");
  if (label.empty()) {
    Value data = Value::object({{"motto", context.settings().text("motto")}, {"count", itemCount(context)}});
    context.page(response, "probe", data, "probe.title", 422, {FieldError{"label", "Required.", "required"}});
    return;
  }
  if (itemCount(context) >= context.settings().integer("limit")) {
    throw conflict("The limit of items is reached.");
  }
  long long id = context.db().insert("INSERT INTO probe_items (association_id, account_id, label) VALUES (?, ?, ?)",
                                     {context.association().id, request.visitor().accountId, label});
  context.publish("probe.added", Value::object({{"id", id}, {"label", label}}));
  if (request.form("fail_after_write") == "1") {
    throw std::runtime_error("failing after the write: it must roll back");
  }
  response.redirect("/a/" + context.association().slug + "/probe");
}
#endif

class ProbePlugin : public Plugin {
 public:
  void setUp(Registrar& registrar) override {
#ifdef PROBE_CRASH_ON_SETUP
    std::abort();
#endif
#ifdef PROBE_BAD_EMBED
    // Only public page routes may be embeddable: this one must be refused.
    registrar.embeddableRoute(Route{Scope::AssociationPage, "GET", "/embed", Access::Coordinator,
                                    [](Context&, const Request&, Response& response) { response.text("framed"); }});
#endif
    registrar.route(Route{Scope::AssociationPage, "GET", "/hello", Access::Public,
                          [](Context&, const Request&, Response& response) { response.text(kName + " says hello"); }});
#ifndef PROBE_MINIMAL
    registrar.route(Route{Scope::AssociationPage, "GET", "/", Access::Public, home});
    registrar.route(Route{Scope::AssociationPage, "POST", "/items", Access::SignedIn, addItem});
    registrar.route(Route{Scope::AssociationPage, "GET", "/boom", Access::Public,
                          [](Context&, const Request&, Response&) { throw std::runtime_error("probe boom"); }});
    registrar.route(Route{Scope::AssociationPage, "GET", "/staff", Access::Coordinator,
                          [](Context&, const Request&, Response& response) { response.text("staff only"); }});
    registrar.route(Route{Scope::AssociationApi, "GET", "/items", Access::Public,
                          [](Context& context, const Request&, Response& response) {
                            response.json(Value::object({{"count", itemCount(context)}}).toJson());
                          }});
    registrar.route(Route{Scope::AssociationApi, "GET", "/boom", Access::Public,
                          [](Context&, const Request&, Response&) { throw std::runtime_error("probe api boom"); }});
    registrar.route(Route{Scope::FederationPage, "GET", "/", Access::Public,
                          [](Context& context, const Request&, Response& response) {
                            response.text("federation probe in " +
                                          std::to_string(context.enabledAssociations().size()) + " associations");
                          }});
    registrar.route(Route{Scope::AssociationPage, "GET", "/setting/{key}", Access::Public,
                          [](Context& context, const Request& request, Response& response) {
                            response.text(context.settings().get(request.param("key")).toJson());
                          }});
    // Fails when the payload asks it to: the bus retries, then dead-letters.
    registrar.subscribe("watch", "probe.*", [](Context& context, const Event& event) {
      if (event.payload["label"].asString() == "poison") {
        throw std::runtime_error("poison pill");
      }
      context.db().execute("INSERT INTO probe_seen (event_id, note) VALUES (?, ?)",
                           {event.id, event.topic + " " + event.payload["label"].asString()});
    });
    // How many associations have it on, and each one's motto (SDK 1.3: a
    // job, at federation level, reads an association's settings).
    registrar.job(Job{"tally", 3600, -1, [](Context& context) {
                        auto associations = context.enabledAssociations();
                        std::string note = "tally " + std::to_string(associations.size());
                        for (const auto& association : associations) {
                          note += " " + association.slug + "=" + context.settingsFor(association.id).text("motto");
                        }
                        context.db().execute("INSERT INTO probe_seen (event_id, note) VALUES (0, ?)", {note});
                      }});
    registrar.menu(MenuEntry{MenuEntry::Where::Association, "probe.menu", "/", Access::Public});
    registrar.menu(MenuEntry{MenuEntry::Where::Federation, "probe.menu", "/", Access::Public});
    registrar.menu(MenuEntry{MenuEntry::Where::AssociationAdmin, "probe.staff", "/staff", Access::Coordinator});
    registrar.dashboardWidget(
        DashboardWidget{"probe.title", [](Context& context) {
                          return context.render("widget", Value::object({{"count", itemCount(context)}}));
                        }});
    registrar.profileField(ProfileField{"nickname", "probe.label", ProfileField::Type::Text, 40});
    registrar.personalData(PersonalDataHandler{
        [](Context& context, long long accountId, const std::string&) {
          Value items = Value::array();
          for (const auto& row :
               context.db().query("SELECT label FROM probe_items WHERE account_id = ? ORDER BY id", {accountId})) {
            items.push(row["label"]);
          }
          return Value::object({{"items", items}});
        },
        [](Context& context, long long accountId, const std::string&) {
          context.db().execute("DELETE FROM probe_items WHERE account_id = ?", {accountId});
        }});
#endif
  }
};

}  // namespace

RUCHE_PLUGIN(ProbePlugin)
