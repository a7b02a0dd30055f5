#include "kernel/domain/CalendarFeed.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <chrono>
#include <cstdio>

#include "kernel/auth/Secrets.h"

namespace ruche::domain {
namespace {

constexpr std::size_t kMaxLineOctets = 75;

/// "2024-05-01" → "20240501", plus `days` days.
std::string icalDate(const std::string& day, int days) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (std::sscanf(day.c_str(), "%d-%u-%u", &y, &m, &d) != 3) {
    return "";
  }
  std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!date.ok()) {
    return "";
  }
  std::chrono::year_month_day shifted{std::chrono::sys_days{date} + std::chrono::days{days}};
  char out[16];
  std::snprintf(out, sizeof out, "%04d%02u%02u", static_cast<int>(shifted.year()),
                static_cast<unsigned>(shifted.month()), static_cast<unsigned>(shifted.day()));
  return out;
}

}  // namespace

std::string icalEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i != text.size(); ++i) {
    char c = text[i];
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      out += "\\n";
      if (i + 1 != text.size() && text[i + 1] == '\n') {
        ++i;
      }
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      // other control characters are not allowed in TEXT
    } else {
      out += c;
    }
  }
  return out;
}

std::string icalFold(const std::string& line) {
  std::string out;
  std::size_t start = 0;
  std::size_t limit = kMaxLineOctets;  // the first line has no leading space
  while (line.size() - start > limit) {
    std::size_t cut = start + limit;
    // Back up to the first octet of a UTF-8 character (continuation octets are 10xxxxxx).
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out += line.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = kMaxLineOctets - 1;
  }
  out += line.substr(start) + "\r\n";
  return out;
}

std::string renderICalendar(const std::vector<CalendarEntry>& entries, const std::string& host, long long now) {
  std::string stamp =
      Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(now)), "%Y%m%dT%H%M%SZ");
  std::string out;
  out += icalFold("BEGIN:VCALENDAR");
  out += icalFold("VERSION:2.0");
  out += icalFold("PRODID:-//Ruche//Missions//FR");
  out += icalFold("CALSCALE:GREGORIAN");
  out += icalFold("X-WR-CALNAME:Ruche");
  for (const auto& entry : entries) {
    std::string start = icalDate(entry.startsOn, 0);
    if (start.empty()) {
      continue;
    }
    std::string end = icalDate(entry.endsOn.empty() ? entry.startsOn : entry.endsOn, 1);
    if (end.empty() || end <= start) {
      end = icalDate(entry.startsOn, 1);
    }
    out += icalFold("BEGIN:VEVENT");
    out += icalFold("UID:mission-" + std::to_string(entry.missionId) + "@" + host);
    out += icalFold("DTSTAMP:" + stamp);
    out += icalFold("DTSTART;VALUE=DATE:" + start);
    out += icalFold("DTEND;VALUE=DATE:" + end);
    out += icalFold("SUMMARY:" + icalEscape(entry.title));
    out += icalFold("DESCRIPTION:" + icalEscape(entry.description));
    out += icalFold("LOCATION:" + icalEscape(entry.place.empty() ? "À distance" : entry.place));
    out += icalFold("END:VEVENT");
  }
  out += icalFold("END:VCALENDAR");
  return out;
}

std::string CalendarFeeds::reset(long long accountId) {
  std::string token = auth::randomToken(32);
  std::string hash = auth::hashToken(token);
  long long now = storage::nowSeconds();
  db_.transaction([&](soci::session& sql) {
    sql << "DELETE FROM calendar_feeds WHERE account_id = :a", soci::use(accountId);
    sql << "INSERT INTO calendar_feeds (account_id, token_hash, created_at) VALUES (:a, :h, :c)", soci::use(accountId),
        soci::use(hash), soci::use(now);
  });
  return token;
}

long long CalendarFeeds::createdAt(long long accountId) {
  storage::Database::Session s(db_);
  long long created = 0;
  soci::indicator indicator = soci::i_null;
  *s << "SELECT created_at FROM calendar_feeds WHERE account_id = :a", soci::use(accountId),
      soci::into(created, indicator);
  return s->got_data() && indicator == soci::i_ok ? created : 0;
}

std::optional<long long> CalendarFeeds::accountFor(const std::string& token) {
  if (token.empty() || token.size() > 100) {
    return std::nullopt;
  }
  std::string hash = auth::hashToken(token);
  storage::Database::Session s(db_);
  long long accountId = 0;
  *s << "SELECT f.account_id FROM calendar_feeds f JOIN accounts a ON a.id = f.account_id "
        "WHERE f.token_hash = :h AND a.deleted_at IS NULL",
      soci::use(hash), soci::into(accountId);
  if (!s->got_data()) {
    return std::nullopt;
  }
  return accountId;
}

std::vector<CalendarEntry> CalendarFeeds::entries(long long accountId) {
  std::vector<CalendarEntry> out;
  storage::Database::Session s(db_);
  soci::rowset<soci::row> rows =
      (s->prepare << "SELECT m.id, m.title, m.description, m.place, m.starts_on, m.ends_on, m.mode "
                     "FROM applications a JOIN missions m ON m.id = a.mission_id "
                     "WHERE a.account_id = :a AND a.status NOT IN ('withdrawn', 'declined') AND m.starts_on <> '' "
                     "ORDER BY m.starts_on, m.id",
       soci::use(accountId));
  for (const auto& row : rows) {
    bool remote = row.get<std::string>(6) == "remote";
    out.push_back({row.get_properties(0).get_data_type() == soci::dt_integer ? row.get<int>(0) : row.get<long long>(0),
                   row.get<std::string>(1), row.get<std::string>(2), remote ? std::string() : row.get<std::string>(3),
                   row.get<std::string>(4), row.get<std::string>(5)});
  }
  return out;
}

const storage::ModuleMigrations& CalendarFeeds::migrations() {
  static const storage::ModuleMigrations module{"calendar", {{1, "secret iCal feeds of volunteers", R"SQL(
CREATE TABLE calendar_feeds (
  account_id BIGINT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
)SQL"}}};
  return module;
}

}  // namespace ruche::domain
