// A person's rights over their signatures, through the SDK: their export
// (the kernel's /me/data) and erasure with their account, matched by the
// normalised e-mail of the account, since petitions are signed without one.
#include "Data.h"

namespace petitions {

using ruche::sdk::Context;
using ruche::sdk::Value;

namespace {

/// The signatures kept for an address (not withdrawn, not erased).
ruche::sdk::Rows signaturesOf(Context& context, const std::string& email) {
  auto normalised = normaliseEmail(email);
  if (!normalised) {
    return {};
  }
  return context.db().query(
      "SELECT s.id AS id, s.petition_id AS petition_id, p.title AS title, s.name AS name, s.email AS email, "
      "s.postcode AS postcode, s.country AS country, s.comment AS comment, s.consent AS consent, "
      "s.locale AS locale, s.created_at AS created_at, s.confirmed_at AS confirmed_at "
      "FROM petitions_signatures s JOIN petitions_petitions p ON p.id = s.petition_id "
      "WHERE s.email_key = ? AND s.withdrawn_at IS NULL AND s.erased_at IS NULL ORDER BY s.id",
      {normalised->key});
}

}  // namespace

Value exportSignatures(Context& context, const std::string& email) {
  Value list = Value::array();
  for (const auto& row : signaturesOf(context, email)) {
    list.push(Value::object({
        {"petition_id", row["petition_id"].asInt()},
        {"petition_title", row["title"].asString()},
        {"name", row["name"].asString()},
        {"email", row["email"].asString()},
        {"postcode", row["postcode"].asString()},
        {"country", row["country"].asString()},
        {"comment", row["comment"].asString()},
        {"keep_informed", row["consent"].asInt() != 0},
        {"language", row["locale"].asString()},
        {"signed_on", dayOf(row["created_at"].asInt())},
        {"confirmed_on", row["confirmed_at"].isNull() ? Value() : Value(dayOf(row["confirmed_at"].asInt()))},
    }));
  }
  return Value::object({{"signatures", list}});
}

void eraseSignatures(Context& context, const std::string& email) {
  for (const auto& row : signaturesOf(context, email)) {
    withdrawSignature(context, row["id"].asInt());
  }
}

}  // namespace petitions
