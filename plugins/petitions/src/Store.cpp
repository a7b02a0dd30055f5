#include "Store.h"

#include <charconv>
#include <chrono>
#include <map>
#include <mutex>

#include "Rules.h"

namespace petitions {

using ruche::sdk::Context;
using ruche::sdk::Value;

std::string pluginPath(Context& context, const std::string& path) {
  return "/a/" + context.association().slug + "/petitions" + path;
}

long long parseId(const std::string& text) {
  long long id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() || id <= 0) {
    return 0;
  }
  return id;
}

std::optional<Petition> findPetition(Context& context, long long id) {
  if (id <= 0) {
    return std::nullopt;
  }
  auto rows = context.db().query(
      "SELECT id, title, body, addressee, goal, deadline, status, ask_postcode, ask_country, ask_comment, "
      "consent_text FROM petitions_petitions WHERE id = ? AND association_id = ?",
      {id, context.association().id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const auto& row = rows.front();
  Petition petition;
  petition.id = row["id"].asInt();
  petition.title = row["title"].asString();
  petition.body = row["body"].asString();
  petition.addressee = row["addressee"].asString();
  petition.goal = row["goal"].asInt();
  petition.deadline = row["deadline"].asString();
  petition.status = row["status"].asString();
  petition.askPostcode = row["ask_postcode"].asInt() != 0;
  petition.askCountry = row["ask_country"].asInt() != 0;
  petition.askComment = row["ask_comment"].asInt() != 0;
  petition.consentText = row["consent_text"].asString();
  return petition;
}

Petition petitionOr404(Context& context, const std::string& idText, bool allowDraft) {
  auto petition = findPetition(context, parseId(idText));
  if (!petition || (!allowDraft && petition->status == "draft")) {
    throw ruche::sdk::notFound(context.text("petitions.not_found"));
  }
  return *petition;
}

namespace {

/// The copies of signablePetition: by (association, petition id).
struct PetitionCache {
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kLifetime{1000};
  static constexpr std::size_t kCapacity = 1024;

  std::mutex mutex;
  long long generation = 0;  ///< bumped by forgetCachedPetitions
  std::map<std::pair<long long, long long>, std::pair<Petition, Clock::time_point>> copies;

  static PetitionCache& instance() {
    static PetitionCache cache;
    return cache;
  }
};

}  // namespace

Petition signablePetition(Context& context, const std::string& idText) {
  PetitionCache& cache = PetitionCache::instance();
  std::pair<long long, long long> key{context.association().id, parseId(idText)};
  long long generation = 0;
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto found = cache.copies.find(key);
    if (found != cache.copies.end() && found->second.second > PetitionCache::Clock::now()) {
      return found->second.first;
    }
    generation = cache.generation;
  }
  Petition petition = petitionOr404(context, idText, false);
  std::lock_guard<std::mutex> lock(cache.mutex);
  if (cache.generation == generation) {  // else a change raced with this read: keep nothing
    if (cache.copies.size() >= PetitionCache::kCapacity) {
      cache.copies.clear();
    }
    cache.copies[key] = {petition, PetitionCache::Clock::now() + PetitionCache::kLifetime};
  }
  return petition;
}

void forgetCachedPetitions() {
  PetitionCache& cache = PetitionCache::instance();
  std::lock_guard<std::mutex> lock(cache.mutex);
  ++cache.generation;
  cache.copies.clear();
  forgetPendingCounts();
}

long long confirmedCount(Context& context, long long petitionId) {
  auto rows = context.db().query(
      "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM petitions_counters WHERE petition_id = ?", {petitionId});
  return rows.empty() ? 0 : rows.front()["n"].asInt();
}

namespace {

long long countPending(Context& context, long long petitionId) {
  auto rows = context.db().query(
      "SELECT COUNT(*) AS n FROM petitions_signatures WHERE petition_id = ? AND confirmed_at IS NULL "
      "AND withdrawn_at IS NULL AND token_expires_at >= ?",
      {petitionId, context.now()});
  return rows.empty() ? 0 : rows.front()["n"].asInt();
}

/// The last pending counts read, by petition (see pendingCount).
struct PendingCounts {
  using Clock = std::chrono::steady_clock;
  /// Below this the count is read every time: cheap, and exact.
  static constexpr long long kExactBelow = 1000;
  /// Above, it is read again at most this often (by one request at a time).
  static constexpr std::chrono::milliseconds kLifetime{1000};
  static constexpr std::size_t kCapacity = 4096;

  struct Entry {
    long long n = 0;
    Clock::time_point readAt;
    bool reading = false;
  };
  std::mutex mutex;
  std::map<long long, Entry> byPetition;

  static PendingCounts& instance() {
    static PendingCounts counts;
    return counts;
  }
};

}  // namespace

long long pendingCount(Context& context, long long petitionId) {
  // A COUNT over the pending rows, which every view of the page, the
  // embedded form and the API shows: in a burst, hundreds of thousands of
  // rows for each of thousands of views a second. A large count is read at
  // most once a second (a change of a second is invisible among thousands)
  // and meanwhile served from the last reading; a small one stays exact.
  PendingCounts& counts = PendingCounts::instance();
  {
    std::lock_guard<std::mutex> lock(counts.mutex);
    auto found = counts.byPetition.find(petitionId);
    if (found != counts.byPetition.end() && found->second.n >= PendingCounts::kExactBelow) {
      PendingCounts::Entry& entry = found->second;
      if (entry.reading || PendingCounts::Clock::now() - entry.readAt < PendingCounts::kLifetime) {
        return entry.n;
      }
      entry.reading = true;  // this request reads; the others keep the last count
    }
  }
  long long n = 0;
  try {
    n = countPending(context, petitionId);
  } catch (...) {
    std::lock_guard<std::mutex> lock(counts.mutex);
    auto found = counts.byPetition.find(petitionId);
    if (found != counts.byPetition.end()) {
      found->second.reading = false;  // the next request tries again
    }
    throw;
  }
  std::lock_guard<std::mutex> lock(counts.mutex);
  if (n < PendingCounts::kExactBelow) {
    counts.byPetition.erase(petitionId);  // read every time: nothing to keep
    return n;
  }
  if (counts.byPetition.size() >= PendingCounts::kCapacity && counts.byPetition.count(petitionId) == 0) {
    counts.byPetition.clear();
  }
  counts.byPetition[petitionId] = {n, PendingCounts::Clock::now(), false};
  return n;
}

void forgetPendingCounts() {
  PendingCounts& counts = PendingCounts::instance();
  std::lock_guard<std::mutex> lock(counts.mutex);
  counts.byPetition.clear();
}

Value petitionView(Context& context, const Petition& petition) {
  Value body = Value::array();
  for (const auto& paragraph : paragraphs(petition.body)) {
    body.push(paragraph);
  }
  long long confirmed = confirmedCount(context, petition.id);
  long long pending = pendingCount(context, petition.id);
  return Value::object({
      {"id", petition.id},
      {"title", petition.title},
      {"paragraphs", body},
      {"addressee", petition.addressee},
      {"goal", petition.goal},
      {"deadline", petition.deadline},
      {"has_deadline", !petition.deadline.empty()},
      {"status", petition.status},
      {"is_draft", petition.status == "draft"},
      {"is_open", petition.status == "open"},
      {"is_closed", petition.status == "closed"},
      {"ask_postcode", petition.askPostcode},
      {"ask_country", petition.askCountry},
      {"ask_comment", petition.askComment},
      {"consent_text", petition.consentText},
      {"has_consent", !petition.consentText.empty()},
      {"confirmed", confirmed},
      {"pending", pending},
      {"confirmed_text", context.plural("petitions.confirmed_count", confirmed)},
      {"pending_text", context.plural("petitions.pending_count", pending)},
      {"goal_text", context.plural("petitions.goal_count", petition.goal)},
      {"public_path", pluginPath(context, "/" + std::to_string(petition.id))},
      {"edit_path", pluginPath(context, "/manage/" + std::to_string(petition.id))},
      {"csv_path", pluginPath(context, "/manage/" + std::to_string(petition.id) + "/signatures.csv")},
      {"sign_action", pluginPath(context, "/" + std::to_string(petition.id) + "/sign")},
  });
}

}  // namespace petitions
