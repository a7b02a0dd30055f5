#include "kernel/admin/ImpactFigures.h"

#include <map>
#include <set>

#include "kernel/themes/LocalFormat.h"

namespace ruche::admin {

std::string monthBefore(const std::string& month, int back) {
  int year = std::stoi(month.substr(0, 4));
  int m = std::stoi(month.substr(5, 2)) - back;
  while (m < 1) {
    m += 12;
    --year;
  }
  std::string mm = std::to_string(m);
  return std::to_string(year) + "-" + (mm.size() == 1 ? "0" + mm : mm);
}

std::vector<ImpactMonth> impactByMonth(storage::Database& db, long long associationId, long long nowSeconds,
                                       const std::string& timeZone, int months) {
  std::string last = themes::monthOf(nowSeconds, timeZone);
  std::vector<ImpactMonth> result;
  std::map<std::string, std::size_t> index;
  for (int back = months - 1; back >= 0; --back) {
    ImpactMonth month;
    month.month = monthBefore(last, back);
    index[month.month] = result.size();
    result.push_back(month);
  }
  auto find = [&](const std::string& month) -> ImpactMonth* {
    auto it = index.find(month);
    return it == index.end() ? nullptr : &result[it->second];
  };
  std::string firstDay = result.front().month + "-01";
  // A little more than the months asked; the buckets keep only those.
  long long since = nowSeconds - static_cast<long long>(months + 1) * 31 * 86400;

  storage::Database::Session session(db);
  {
    std::map<std::string, std::set<long long>> people;
    std::string day;
    int minutes = 0;
    long long account = 0;
    soci::indicator accountInd = soci::i_ok;
    soci::statement st = (session->prepare << "SELECT day, minutes, account_id FROM hours "
                                              "WHERE association_id = :a AND status = 'validated' AND day >= :d",
                          soci::use(associationId), soci::use(firstDay), soci::into(day), soci::into(minutes),
                          soci::into(account, accountInd));
    st.execute();
    while (st.fetch()) {
      if (ImpactMonth* month = find(day.substr(0, 7))) {
        month->hours += minutes / 60.0;
        if (accountInd == soci::i_ok) {
          people[month->month].insert(account);
        }
      }
    }
    for (const auto& [month, ids] : people) {
      find(month)->activeVolunteers = static_cast<long long>(ids.size());
    }
  }
  {
    long long at = 0;
    soci::statement st = (session->prepare << "SELECT ev.at FROM application_events ev "
                                              "JOIN applications ap ON ap.id = ev.application_id "
                                              "JOIN missions m ON m.id = ap.mission_id "
                                              "WHERE m.association_id = :a AND ev.to_status = 'active' AND ev.at >= :s",
                          soci::use(associationId), soci::use(since), soci::into(at));
    st.execute();
    while (st.fetch()) {
      if (ImpactMonth* month = find(themes::monthOf(at, timeZone))) {
        ++month->placesFilled;
      }
    }
  }
  {
    // The first move out of "applied" made by someone else than the applicant.
    long long created = 0;
    long long answered = 0;
    soci::indicator answeredInd = soci::i_null;
    soci::statement st =
        (session->prepare << "SELECT ap.created_at, MIN(ev.at) FROM applications ap "
                             "JOIN missions m ON m.id = ap.mission_id "
                             "LEFT JOIN application_events ev ON ev.application_id = ap.id "
                             "AND ev.from_status = 'applied' AND (ap.account_id IS NULL "
                             "OR ev.actor_account_id IS NULL OR ev.actor_account_id <> ap.account_id) "
                             "WHERE m.association_id = :a AND ap.created_at >= :s GROUP BY ap.id, ap.created_at",
         soci::use(associationId), soci::use(since), soci::into(created), soci::into(answered, answeredInd));
    st.execute();
    while (st.fetch()) {
      if (ImpactMonth* month = find(themes::monthOf(created, timeZone))) {
        ++month->applications;
        if (answeredInd == soci::i_ok && answered - created <= kAnswerDays * 86400) {
          ++month->answeredInTime;
        }
      }
    }
  }
  return result;
}

}  // namespace ruche::admin
