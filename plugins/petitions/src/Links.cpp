// Personal links mailed to a signer (withdrawal, stop the updates): a new
// random token per mail, of which only the SHA-256 is stored.
#include "Data.h"
#include "TokenHash.h"

namespace petitions {

using ruche::sdk::Context;

std::string associationUrl(Context& context, const std::string& slug, const std::string& path) {
  return context.baseUrl() + "/a/" + slug + "/petitions" + path;
}

std::string issueLink(Context& context, long long signatureId) {
  std::string token = context.randomToken();
  context.db().execute("INSERT INTO petitions_links (token_hash, signature_id, created_at) VALUES (?, ?, ?)",
                       {tokenHash(token), signatureId, context.now()});
  return token;
}

std::string withdrawalLines(Context& context, const std::string& slug, const std::string& token,
                            const std::string& locale) {
  return "\n\n" + context.text("petitions.mail.withdraw", locale) + "\n" +
         associationUrl(context, slug, "/withdraw/" + token) + "\n";
}

std::optional<LinkedSignature> signatureByLink(Context& context, const std::string& token) {
  if (token.empty() || token.size() > 200) {
    return std::nullopt;
  }
  auto rows = context.db().query(
      "SELECT s.id AS id, s.petition_id AS petition_id, p.title AS title, s.withdrawn_at AS withdrawn_at, "
      "s.consent AS consent FROM petitions_links l JOIN petitions_signatures s ON s.id = l.signature_id "
      "JOIN petitions_petitions p ON p.id = s.petition_id WHERE l.token_hash = ? AND p.association_id = ?",
      {tokenHash(token), context.association().id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const auto& row = rows.front();
  return LinkedSignature{row["id"].asInt(), row["petition_id"].asInt(), row["title"].asString(),
                         !row["withdrawn_at"].isNull(), row["consent"].asInt() != 0};
}

}  // namespace petitions
