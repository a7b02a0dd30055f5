#include "kernel/domain/Taxonomy.h"

namespace ruche::domain {
namespace {

// Table names are fixed strings chosen here, never from input.
std::vector<Term> listTerms(soci::session& sql, const std::string& table, const std::string& locale) {
  std::vector<Term> terms;
  Term term;
  std::string column = locale == "en" ? "name_en" : "name_fr";
  soci::statement st = (sql.prepare << "SELECT id, slug, " + column + " FROM " + table + " ORDER BY " + column,
                        soci::into(term.id), soci::into(term.slug), soci::into(term.name));
  st.execute();
  while (st.fetch()) {
    terms.push_back(term);
  }
  return terms;
}

std::vector<long long> idsOf(soci::session& sql, const std::string& table, const std::vector<std::string>& slugs) {
  std::vector<long long> ids;
  for (const auto& slug : slugs) {
    long long id = 0;
    sql << "SELECT id FROM " + table + " WHERE slug = :s", soci::use(slug), soci::into(id);
    if (sql.got_data()) {
      ids.push_back(id);
    }
  }
  return ids;
}

std::vector<std::string> unknownOf(soci::session& sql, const std::string& table,
                                   const std::vector<std::string>& slugs) {
  std::vector<std::string> unknown;
  for (const auto& slug : slugs) {
    long long id = 0;
    sql << "SELECT id FROM " + table + " WHERE slug = :s", soci::use(slug), soci::into(id);
    if (!sql.got_data()) {
      unknown.push_back(slug);
    }
  }
  return unknown;
}

}  // namespace

std::vector<Term> listSkills(soci::session& sql, const std::string& locale) { return listTerms(sql, "skills", locale); }
std::vector<Term> listCauses(soci::session& sql, const std::string& locale) { return listTerms(sql, "causes", locale); }
std::vector<long long> skillIds(soci::session& sql, const std::vector<std::string>& slugs) {
  return idsOf(sql, "skills", slugs);
}
std::vector<long long> causeIds(soci::session& sql, const std::vector<std::string>& slugs) {
  return idsOf(sql, "causes", slugs);
}
std::vector<std::string> unknownSkills(soci::session& sql, const std::vector<std::string>& slugs) {
  return unknownOf(sql, "skills", slugs);
}
std::vector<std::string> unknownCauses(soci::session& sql, const std::vector<std::string>& slugs) {
  return unknownOf(sql, "causes", slugs);
}

}  // namespace ruche::domain
