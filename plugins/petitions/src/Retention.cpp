// Signers' personal data is kept only while it serves: a set number of
// months (the erase_months setting) after a petition stops taking
// signatures, a daily job erases it, keeping the counts and the delivery
// report's totals. Another job forgets old per-IP signing attempts.
#include <string>

#include "Data.h"

namespace petitions {

using ruche::sdk::Context;
using ruche::sdk::Value;

void syncRetention(Context& context, long long associationId) {
  std::string today = dayOf(context.now());
  // The association's setting, also when the daily job (at federation
  // level) asks, and also where the plugin has been switched off since.
  long long months = context.settingsFor(associationId).integer("erase_months");
  auto rows = context.db().query(
      "SELECT p.id AS id, p.status AS status, p.deadline AS deadline, p.updated_at AS updated_at, "
      "r.petition_id AS noted, r.erased_at AS erased_at, r.erase_months AS months FROM petitions_petitions p "
      "LEFT JOIN petitions_retention r ON r.petition_id = p.id WHERE p.association_id = ?",
      {associationId});
  for (const auto& row : rows) {
    std::string status = row["status"].asString();
    std::string deadline = row["deadline"].asString();
    bool stopped = status == "closed" || status == "delivered";
    bool expired = status == "open" && !deadline.empty() && deadline < today;
    long long id = row["id"].asInt();
    if (row["noted"].isNull()) {
      if (stopped || expired) {
        long long closedAt = stopped ? row["updated_at"].asInt() : startOfDay(deadline) + 86400;
        context.db().execute("INSERT INTO petitions_retention (petition_id, closed_at, erase_months) VALUES (?, ?, ?)",
                             {id, closedAt, months});
      }
    } else if (row["erased_at"].isNull()) {
      if (!stopped && !expired) {
        // Open again (or back to draft): nothing to erase for now.
        context.db().execute("DELETE FROM petitions_retention WHERE petition_id = ?", {id});
      } else if (row["months"].asInt() != months) {
        context.db().execute("UPDATE petitions_retention SET erase_months = ? WHERE petition_id = ?", {months, id});
      }
    }
  }
}

namespace {

/// Keeps the report's totals, then erases every signer's personal data of
/// one petition: pending signatures (never counted) go, confirmed ones stay
/// as blank rows, personal links go.
void erasePetition(Context& context, long long petitionId) {
  ReportCounts report = petitionReport(context, petitionId);
  context.db().execute("DELETE FROM petitions_report_totals WHERE petition_id = ?", {petitionId});
  for (const auto& [label, n] : report.areas) {
    context.db().execute("INSERT INTO petitions_report_totals (petition_id, kind, label, n) VALUES (?, 'area', ?, ?)",
                         {petitionId, label, n});
  }
  for (const auto& [label, n] : report.countries) {
    context.db().execute(
        "INSERT INTO petitions_report_totals (petition_id, kind, label, n) VALUES (?, 'country', ?, ?)",
        {petitionId, label, n});
  }
  long long now = context.now();
  context.db().execute(
      "DELETE FROM petitions_links WHERE signature_id IN (SELECT id FROM petitions_signatures WHERE petition_id = ?)",
      {petitionId});
  context.db().execute("DELETE FROM petitions_signatures WHERE petition_id = ? AND confirmed_at IS NULL", {petitionId});
  context.db().execute(
      "UPDATE petitions_signatures SET name = '', email = '', email_key = 'erased:' || CAST(id AS TEXT), "
      "postcode = '', country = '', comment = '', consent = 0, locale = '', token = 'erased:' || CAST(id AS TEXT), "
      "withdraw_hash = '', erased_at = ? WHERE petition_id = ? AND erased_at IS NULL",
      {now, petitionId});
  context.db().execute("DELETE FROM petitions_ip_counts WHERE petition_id = ?", {petitionId});
  context.db().execute("UPDATE petitions_retention SET erased_at = ? WHERE petition_id = ?", {now, petitionId});
}

}  // namespace

void eraseClosedJob(Context& context) {
  std::string today = dayOf(context.now());
  // Every association with petitions, also where the plugin was switched
  // off since: the data must go all the same.
  auto associations = context.db().query("SELECT DISTINCT association_id FROM petitions_petitions");
  for (const auto& association : associations) {
    long long associationId = association["association_id"].asInt();
    syncRetention(context, associationId);
    auto rows = context.db().query(
        "SELECT r.petition_id AS id, r.closed_at AS closed_at, r.erase_months AS months FROM petitions_retention r "
        "JOIN petitions_petitions p ON p.id = r.petition_id WHERE p.association_id = ? AND r.erased_at IS NULL",
        {associationId});
    for (const auto& row : rows) {
      if (erasureDue(row["closed_at"].asInt(), static_cast<int>(row["months"].asInt()), today)) {
        erasePetition(context, row["id"].asInt());
        context.log().info("erased the signers' personal data of petition " + row["id"].asString());
      }
    }
  }
}

void forgetIpHitsJob(Context& context) {
  context.db().execute("DELETE FROM petitions_ip_counts WHERE window_start <= ?", {context.now() - kIpWindowSeconds});
}

}  // namespace petitions
