// Updates to consenters: a coordinator writes news about a petition; it is
// listed on the public page and mailed, in batches through the kernel's
// outbox, to the confirmed signers who ticked "keep me informed", each in
// their language, each mail with its withdrawal and stop links.
#include <string>
#include <vector>

#include "Data.h"
#include "DataHandlers.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::FieldError;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Value;

Value paragraphList(const std::string& text) {
  Value list = Value::array();
  for (const auto& paragraph : paragraphs(text)) {
    list.push(paragraph);
  }
  return list;
}

void renderUpdates(Context& context, const Request& request, Response& response, const Petition& petition,
                   const Value& values, int status = 200, const std::vector<FieldError>& errors = {}) {
  Value items = Value::array();
  auto rows = context.db().query(
      "SELECT id, subject, created_at, recipients, queued, finished_at FROM petitions_updates WHERE petition_id = ? "
      "ORDER BY id DESC",
      {petition.id});
  for (const auto& row : rows) {
    items.push(Value::object({
        {"subject", row["subject"].asString()},
        {"day", dayOf(row["created_at"].asInt())},
        {"progress", context.plural("petitions.updates.progress", row["queued"].asInt()) + " / " +
                         context.plural("petitions.updates.recipients", row["recipients"].asInt())},
        {"finished", !row["finished_at"].isNull()},
    }));
  }
  std::string base = "/manage/" + std::to_string(petition.id);
  auto count = context.db().query(
      "SELECT COUNT(*) AS n FROM petitions_signatures WHERE petition_id = ? AND confirmed_at IS NOT NULL "
      "AND consent = 1 AND withdrawn_at IS NULL AND erased_at IS NULL",
      {petition.id});
  long long consenters = count.empty() ? 0 : count.front()["n"].asInt();
  Value data = Value::object({{"petition_title", petition.title},
                              {"updates", items},
                              {"any", !rows.empty()},
                              {"sent", request.method() == "GET" && request.query("sent") == "1"},
                              {"consenters_text", context.plural("petitions.updates.consenters", consenters)},
                              {"action", pluginPath(context, base + "/updates")},
                              {"list_path", pluginPath(context, "/manage")},
                              {"public_path", pluginPath(context, "/" + std::to_string(petition.id))},
                              {"csrf", request.csrfToken()},
                              {"values", values}});
  context.page(response, "updates", data, "petitions.updates.title", status, errors);
}

}  // namespace

Value publicUpdates(Context& context, long long petitionId) {
  Value items = Value::array();
  auto rows = context.db().query(
      "SELECT subject, body, created_at FROM petitions_updates WHERE petition_id = ? ORDER BY id DESC", {petitionId});
  for (const auto& row : rows) {
    items.push(Value::object({{"subject", row["subject"].asString()},
                              {"day", dayOf(row["created_at"].asInt())},
                              {"paragraphs", paragraphList(row["body"].asString())}}));
  }
  return items;
}

long long queueUpdateBatch(Context& context, const std::string& slug, long long updateId) {
  auto updates = context.db().query(
      "SELECT u.petition_id AS petition_id, u.subject AS subject, u.body AS body, u.cursor_id AS cursor_id, "
      "u.last_signature_id AS last_id, p.title AS title FROM petitions_updates u JOIN petitions_petitions p "
      "ON p.id = u.petition_id WHERE u.id = ? AND u.finished_at IS NULL",
      {updateId});
  if (updates.empty()) {
    return 0;
  }
  const auto& update = updates.front();
  long long petitionId = update["petition_id"].asInt();
  auto recipients = context.db().query(
      "SELECT id, email, locale FROM petitions_signatures WHERE petition_id = ? AND id > ? AND id <= ? "
      "AND confirmed_at IS NOT NULL AND consent = 1 AND withdrawn_at IS NULL AND erased_at IS NULL "
      "ORDER BY id LIMIT " +
          std::to_string(kUpdateBatch),
      {petitionId, update["cursor_id"].asInt(), update["last_id"].asInt()});
  long long cursor = update["cursor_id"].asInt();
  std::string petitionUrl = associationUrl(context, slug, "/" + std::to_string(petitionId));
  for (const auto& recipient : recipients) {
    std::string locale = recipient["locale"].asString().empty() ? "fr" : recipient["locale"].asString();
    std::string token = issueLink(context, recipient["id"].asInt());
    ruche::sdk::Mail mail;
    mail.to = recipient["email"].asString();
    mail.subject = update["subject"].asString();
    mail.text = context.text("petitions.updates.mail_intro", locale) + "\n" + update["title"].asString() + "\n" +
                petitionUrl + "\n\n" + update["body"].asString() + withdrawalLines(context, slug, token, locale);
    mail.unsubscribeUrl = associationUrl(context, slug, "/stop/" + token);
    context.sendMail(mail);
    cursor = recipient["id"].asInt();
  }
  long long queued = static_cast<long long>(recipients.size());
  bool finished = queued < kUpdateBatch;
  context.db().execute("UPDATE petitions_updates SET queued = queued + ?, cursor_id = ?, finished_at = ? WHERE id = ?",
                       {queued, cursor, finished ? Value(context.now()) : Value(), updateId});
  return queued;
}

void sendUpdatesJob(Context& context) {
  for (const auto& association : context.enabledAssociations()) {
    auto rows = context.db().query(
        "SELECT u.id AS id FROM petitions_updates u JOIN petitions_petitions p ON p.id = u.petition_id "
        "WHERE p.association_id = ? AND u.finished_at IS NULL ORDER BY u.id",
        {association.id});
    for (const auto& row : rows) {
      queueUpdateBatch(context, association.slug, row["id"].asInt());
    }
  }
}

void updatesPage(Context& context, const Request& request, Response& response) {
  renderUpdates(context, request, response, petitionOr404(context, request.param("id"), true), Value::object());
}

void postUpdate(Context& context, const Request& request, Response& response) {
  Petition petition = petitionOr404(context, request.param("id"), true);
  std::string subject = trim(request.form("subject"));
  std::string body = trim(request.form("body"));
  std::vector<FieldError> errors;
  if (subject.empty()) {
    errors.push_back({"subject", "This field is required.", "petitions.required"});
  } else if (characters(subject) > 200) {
    errors.push_back({"subject", "This text is too long.", "petitions.too_long"});
  } else if (subject.find_first_of("\r\n") != std::string::npos) {
    errors.push_back({"subject", "The subject is one line.", "petitions.one_line"});
  }
  if (body.empty()) {
    errors.push_back({"body", "This field is required.", "petitions.required"});
  } else if (characters(body) > 10000) {
    errors.push_back({"body", "This text is too long.", "petitions.too_long"});
  }
  if (!errors.empty()) {
    renderUpdates(context, request, response, petition, Value::object({{"subject", subject}, {"body", body}}), 422,
                  errors);
    return;
  }
  auto counts = context.db().query(
      "SELECT COUNT(*) AS n, CAST(COALESCE(MAX(id), 0) AS BIGINT) AS last_id FROM petitions_signatures "
      "WHERE petition_id = ? AND confirmed_at IS NOT NULL AND consent = 1 AND withdrawn_at IS NULL "
      "AND erased_at IS NULL",
      {petition.id});
  long long id = context.db().insert(
      "INSERT INTO petitions_updates (petition_id, subject, body, created_at, recipients, last_signature_id) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {petition.id, subject, body, context.now(), counts.front()["n"].asInt(), counts.front()["last_id"].asInt()});
  queueUpdateBatch(context, context.association().slug, id);
  response.redirect(pluginPath(context, "/manage/" + std::to_string(petition.id) + "/updates?sent=1"));
}

}  // namespace petitions
