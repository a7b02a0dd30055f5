// Coordinators' side: the list, the form that creates and edits a
// petition, and the CSV of confirmed signatures.
#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "Csv.h"
#include "Data.h"
#include "Email.h"
#include "Handlers.h"
#include "PageExtras.h"
#include "Rules.h"
#include "Status.h"
#include "Store.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::FieldError;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Value;

constexpr long long kMaxGoal = 100'000'000;

/// The form's raw values, shown back as typed when they are invalid.
struct PetitionForm {
  std::string title, body, addressee, goal, deadline, status, consentText;
  bool askPostcode = false, askCountry = false, askComment = false;
};

PetitionForm formOf(const Petition& petition) {
  return PetitionForm{petition.title,      petition.body,      petition.addressee,   std::to_string(petition.goal),
                      petition.deadline,   petition.status,    petition.consentText, petition.askPostcode,
                      petition.askCountry, petition.askComment};
}

PetitionForm readForm(const Request& request) {
  PetitionForm form;
  form.title = trim(request.form("title"));
  form.body = trim(request.form("body"));
  form.addressee = trim(request.form("addressee"));
  form.goal = trim(request.form("goal"));
  form.deadline = trim(request.form("deadline"));
  form.status = request.form("status");
  form.consentText = trim(request.form("consent_text"));
  form.askPostcode = request.form("ask_postcode") == "1";
  form.askCountry = request.form("ask_country") == "1";
  form.askComment = request.form("ask_comment") == "1";
  return form;
}

/// A required text of at most `max` characters.
void checkText(std::vector<FieldError>& errors, const std::string& field, const std::string& value, std::size_t max,
               bool required = true) {
  if (required && value.empty()) {
    errors.push_back({field, "This field is required.", "petitions.required"});
  } else if (characters(value) > max) {
    errors.push_back({field, "This text is too long.", "petitions.too_long"});
  }
}

/// The petition a valid form describes; field errors otherwise. `from`: the
/// stored status ("" for a new petition).
Petition validate(const PetitionForm& form, const std::string& from, std::vector<FieldError>& errors) {
  Petition petition;
  checkText(errors, "title", form.title, 200);
  checkText(errors, "body", form.body, 20000);
  checkText(errors, "addressee", form.addressee, 200);
  long long goal = 0;
  auto [end, error] = std::from_chars(form.goal.data(), form.goal.data() + form.goal.size(), goal);
  if (form.goal.empty() || error != std::errc() || end != form.goal.data() + form.goal.size() || goal < 1 ||
      goal > kMaxGoal) {
    errors.push_back({"goal", "The goal is a whole number from 1 to 100000000.", "petitions.goal_range"});
  }
  if (!form.deadline.empty() && !validDay(form.deadline)) {
    errors.push_back({"deadline", "The deadline is a day written YYYY-MM-DD.", "petitions.bad_day"});
  }
  auto offered = formStatuses(from);
  if (form.status != "draft" && form.status != "open" && form.status != "closed" && form.status != "delivered") {
    errors.push_back({"status", "Choose draft, open or closed.", "petitions.bad_status"});
  } else if (std::find(offered.begin(), offered.end(), form.status) == offered.end()) {
    errors.push_back({"status", "This status cannot follow the current one (draft, open, closed, delivered).",
                      "petitions.bad_transition"});
  }
  checkText(errors, "consent_text", form.consentText, 500, false);
  petition.title = form.title;
  petition.body = form.body;
  petition.addressee = form.addressee;
  petition.goal = goal;
  petition.deadline = form.deadline;
  petition.status = form.status;
  petition.askPostcode = form.askPostcode;
  petition.askCountry = form.askCountry;
  petition.askComment = form.askComment;
  petition.consentText = form.consentText;
  return petition;
}

void renderForm(Context& context, const Request& request, Response& response, const PetitionForm& form, long long id,
                int status = 200, const std::vector<FieldError>& errors = {}) {
  std::optional<Petition> stored = id == 0 ? std::nullopt : findPetition(context, id);
  Value statuses = Value::array();
  for (const auto& value : formStatuses(stored ? stored->status : "")) {
    statuses.push(Value::object(
        {{"value", value}, {"label", context.text("petitions.status." + value)}, {"selected", form.status == value}}));
  }
  Value data = Value::object({
      {"is_new", id == 0},
      {"action", pluginPath(context, id == 0 ? "/manage/new" : "/manage/" + std::to_string(id))},
      {"list_path", pluginPath(context, "/manage")},
      {"csrf", request.csrfToken()},
      {"statuses", statuses},
      {"values", Value::object({{"title", form.title},
                                {"body", form.body},
                                {"addressee", form.addressee},
                                {"goal", form.goal},
                                {"deadline", form.deadline},
                                {"consent_text", form.consentText},
                                {"ask_postcode", form.askPostcode},
                                {"ask_country", form.askCountry},
                                {"ask_comment", form.askComment}})},
  });
  if (stored) {
    data.set("public_path", pluginPath(context, "/" + std::to_string(id)));
    data.set("extras", manageExtras(context, request, *stored));
  }
  context.page(response, "manage_form", data, id == 0 ? "petitions.new_title" : "petitions.edit_title", status, errors);
}

/// The petition's columns in the order the INSERT and the UPDATE bind
/// them, then `last` (created_at for the INSERT, the id for the UPDATE).
std::vector<ruche::sdk::Value> columnsOf(const Petition& petition, long long associationId, long long now,
                                         long long last) {
  return {petition.title,
          petition.body,
          petition.addressee,
          petition.goal,
          petition.deadline.empty() ? Value() : Value(petition.deadline),
          petition.status,
          petition.askPostcode ? 1 : 0,
          petition.askCountry ? 1 : 0,
          petition.askComment ? 1 : 0,
          petition.consentText,
          now,
          associationId,
          last};
}

}  // namespace

void manageList(Context& context, const Request& request, Response& response) {
  Value items = Value::array();
  auto rows = context.db().query("SELECT id FROM petitions_petitions WHERE association_id = ? ORDER BY id DESC",
                                 {context.association().id});
  for (const auto& row : rows) {
    if (auto petition = findPetition(context, row["id"].asInt())) {
      Value item = petitionView(context, *petition);
      item.set("status_label", context.text("petitions.status." + petition->status));
      items.push(item);
    }
  }
  context.page(response, "manage_list",
               Value::object({{"petitions", items},
                              {"any", !rows.empty()},
                              {"saved", request.query("saved") == "1"},
                              {"new_path", pluginPath(context, "/manage/new")}}),
               "petitions.manage_title");
}

void newForm(Context& context, const Request& request, Response& response) {
  PetitionForm form;
  form.status = "draft";
  form.consentText = context.text("petitions.default_consent");
  renderForm(context, request, response, form, 0);
}

void create(Context& context, const Request& request, Response& response) {
  PetitionForm form = readForm(request);
  std::vector<FieldError> errors;
  Petition petition = validate(form, "", errors);
  if (!errors.empty()) {
    renderForm(context, request, response, form, 0, 422, errors);
    return;
  }
  long long now = context.now();
  auto values = columnsOf(petition, context.association().id, now, now);
  long long id = context.db().insert(
      "INSERT INTO petitions_petitions (title, body, addressee, goal, deadline, status, ask_postcode, ask_country, "
      "ask_comment, consent_text, updated_at, association_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?)",
      values);
  for (int shard = 0; shard < kCounterShards; ++shard) {
    context.db().execute("INSERT INTO petitions_counters (petition_id, shard, n) VALUES (?, ?, 0)", {id, shard});
  }
  response.redirect(pluginPath(context, "/manage?saved=1"));
}

void renderEditPage(Context& context, const Request& request, Response& response, const Petition& petition, int status,
                    const std::vector<FieldError>& errors) {
  renderForm(context, request, response, formOf(petition), petition.id, status, errors);
}

void editForm(Context& context, const Request& request, Response& response) {
  auto petition = findPetition(context, parseId(request.param("id")));
  if (!petition) {
    throw ruche::sdk::notFound(context.text("petitions.not_found"));
  }
  renderForm(context, request, response, formOf(*petition), petition->id);
}

void update(Context& context, const Request& request, Response& response) {
  auto existing = findPetition(context, parseId(request.param("id")));
  if (!existing) {
    throw ruche::sdk::notFound(context.text("petitions.not_found"));
  }
  PetitionForm form = readForm(request);
  std::vector<FieldError> errors;
  Petition petition = validate(form, existing->status, errors);
  if (!errors.empty()) {
    renderForm(context, request, response, form, existing->id, 422, errors);
    return;
  }
  auto values = columnsOf(petition, context.association().id, context.now(), existing->id);
  context.db().execute(
      "UPDATE petitions_petitions SET title = ?, body = ?, addressee = ?, goal = ?, deadline = ?, status = ?, "
      "ask_postcode = ?, ask_country = ?, ask_comment = ?, consent_text = ?, updated_at = ? "
      "WHERE association_id = ? AND id = ?",
      values);
  syncRetention(context, context.association().id);
  // Committed first, then forgotten: a signer reading in between gets the
  // new row, so signing sees the new status and fields at once.
  context.db().commit();
  forgetCachedPetitions();
  response.redirect(pluginPath(context, "/manage?saved=1"));
}

void exportCsv(Context& context, const Request& request, Response& response) {
  auto petition = findPetition(context, parseId(request.param("id")));
  if (!petition) {
    throw ruche::sdk::notFound(context.text("petitions.not_found"));
  }
  std::vector<std::string> header = {"name", "email"};
  if (petition->askPostcode) {
    header.push_back("postcode");
  }
  if (petition->askCountry) {
    header.push_back("country");
  }
  if (petition->askComment) {
    header.push_back("comment");
  }
  if (!petition->consentText.empty()) {
    header.push_back("keep_informed");
  }
  header.push_back("confirmed_on");
  std::string csv = csvRow(header);
  auto rows = context.db().query(
      "SELECT name, email, postcode, country, comment, consent, confirmed_at FROM petitions_signatures "
      "WHERE petition_id = ? AND confirmed_at IS NOT NULL AND withdrawn_at IS NULL AND erased_at IS NULL "
      "ORDER BY confirmed_at, id",
      {petition->id});
  for (const auto& row : rows) {
    std::vector<std::string> cells = {row["name"].asString(), row["email"].asString()};
    if (petition->askPostcode) {
      cells.push_back(row["postcode"].asString());
    }
    if (petition->askCountry) {
      cells.push_back(row["country"].asString());
    }
    if (petition->askComment) {
      cells.push_back(row["comment"].asString());
    }
    if (!petition->consentText.empty()) {
      cells.push_back(row["consent"].asInt() != 0 ? "yes" : "no");
    }
    cells.push_back(dayOf(row["confirmed_at"].asInt()));
    csv += csvRow(cells);
  }
  response.status = 200;
  response.contentType = "text/csv; charset=utf-8";
  response.body = std::move(csv);
  response.headers["Content-Disposition"] =
      "attachment; filename=\"petition-" + std::to_string(petition->id) + "-signatures.csv\"";
}

}  // namespace petitions
