// Personal links mailed to a signer (withdrawal, stop the updates): a
// random secret per link, of which only the SHA-256 is stored. The first
// mail's links name their signature ("<hidden id>.<secret>", the hashes in its
// row); later mails' links are rows of petitions_links.
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "Data.h"
#include "LinkIds.h"
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

std::string pluginSecret(Context& context, const std::string& name) {
  auto rows = context.db().query("SELECT value FROM petitions_secrets WHERE name = ?", {name});
  if (rows.empty()) {
    try {
      context.db().savepoint([&] {
        context.db().execute("INSERT INTO petitions_secrets (name, value) VALUES (?, ?)",
                             {name, context.randomToken(32)});
      });
    } catch (const std::exception&) {
      // Another request made it at the same moment: read theirs.
    }
    rows = context.db().query("SELECT value FROM petitions_secrets WHERE name = ?", {name});
  }
  return rows.front()["value"].asString();
}

namespace {

/// The key of the links' hidden ids, read once per process (a process
/// serves one database): migration 010 made and committed it, and it never
/// changes, so no batch of signatures, which may be rolled back, makes it.
const LinkIds& linkIds(Context& context) {
  static std::mutex mutex;
  static std::unique_ptr<const LinkIds> ids;
  std::lock_guard<std::mutex> lock(mutex);
  if (!ids) {
    auto rows = context.db().query("SELECT value FROM petitions_secrets WHERE name = 'link_key'");
    if (rows.empty()) {
      throw std::runtime_error("petitions: the links' key is missing from petitions_secrets (migration 010)");
    }
    ids = std::make_unique<const LinkIds>(rows.front()["value"].asString());
  }
  return *ids;
}

}  // namespace

std::string rowLink(Context& context, long long signatureId, const std::string& secret) {
  return rowToken(linkIds(context).hide(static_cast<std::uint64_t>(signatureId)), secret);
}

std::optional<RowLink> readRowLink(Context& context, const std::string& token) {
  auto parsed = parseRowToken(token);
  if (!parsed) {
    return std::nullopt;
  }
  std::uint64_t id = linkIds(context).reveal(parsed->selector);
  // Ids are positive: a selector nobody was given reveals an arbitrary
  // number, most often beyond them all (no row then).
  if (id == 0 || id > static_cast<std::uint64_t>(std::numeric_limits<long long>::max())) {
    return std::nullopt;
  }
  return RowLink{static_cast<long long>(id), parsed->secret};
}

bool secretMatches(const std::string& secret, const std::string& storedHash) {
  std::string hash = tokenHash(secret);
  return storedHash.size() == hash.size() && sodium_memcmp(hash.data(), storedHash.data(), hash.size()) == 0;
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
  const char* const kColumns =
      "SELECT s.id AS id, s.petition_id AS petition_id, p.title AS title, s.withdrawn_at AS withdrawn_at, "
      "s.consent AS consent, s.withdraw_hash AS withdraw_hash FROM ";
  auto byRow = readRowLink(context, token);
  auto rows = byRow
                  ? context.db().query(std::string(kColumns) +
                                           "petitions_signatures s JOIN petitions_petitions p ON p.id = s.petition_id "
                                           "WHERE s.id = ? AND p.association_id = ?",
                                       {byRow->signatureId, context.association().id})
                  : context.db().query(std::string(kColumns) +
                                           "petitions_links l JOIN petitions_signatures s ON s.id = l.signature_id "
                                           "JOIN petitions_petitions p ON p.id = s.petition_id "
                                           "WHERE l.token_hash = ? AND p.association_id = ?",
                                       {tokenHash(token), context.association().id});
  if (rows.empty() || (byRow && !secretMatches(byRow->secret, rows.front()["withdraw_hash"].asString()))) {
    return std::nullopt;
  }
  const auto& row = rows.front();
  return LinkedSignature{row["id"].asInt(), row["petition_id"].asInt(), row["title"].asString(),
                         !row["withdrawn_at"].isNull(), row["consent"].asInt() != 0};
}

}  // namespace petitions
