#include "kernel/domain/Taxonomy.h"

#include "kernel/domain/Missions.h"

#include "kernel/http/Validator.h"

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

std::vector<TermEntry> entriesOf(soci::session& sql, const std::string& table) {
  std::vector<TermEntry> entries;
  TermEntry entry;
  soci::statement st = (sql.prepare << "SELECT id, slug, name_fr, name_en FROM " + table + " ORDER BY name_fr, id",
                        soci::into(entry.id), soci::into(entry.slug), soci::into(entry.nameFr),
                        soci::into(entry.nameEn));
  st.execute();
  while (st.fetch()) {
    entries.push_back(entry);
  }
  return entries;
}

void validateNames(http::Validator& v, const TermInput& input, std::string& nameFr, std::string& nameEn) {
  nameFr = v.text("name_fr", input.nameFr, 2, 80);
  nameEn = v.text("name_en", input.nameEn, 2, 80);
}

long long addTerm(storage::Database& db, const std::string& table, const TermInput& input) {
  http::Validator v;
  std::string slug = v.slug("slug", input.slug);
  std::string nameFr;
  std::string nameEn;
  validateNames(v, input, nameFr, nameEn);
  v.check();
  long long id = 0;
  db.transaction([&](soci::session& sql) {
    long long other = 0;
    sql << "SELECT id FROM " + table + " WHERE slug = :s", soci::use(slug), soci::into(other);
    if (sql.got_data()) {
      throw http::unprocessable({{"slug", "is already used by another entry of this list", "term_slug_taken"}});
    }
    sql << "INSERT INTO " + table + " (slug, name_fr, name_en) VALUES (:s, :fr, :en) RETURNING id", soci::use(slug),
        soci::use(nameFr), soci::use(nameEn), soci::into(id);
  });
  Missions::touch();  // search forms list the terms: cached pages are stale
  return id;
}

bool renameTerm(storage::Database& db, const std::string& table, long long id, const TermInput& input) {
  http::Validator v;
  std::string nameFr;
  std::string nameEn;
  validateNames(v, input, nameFr, nameEn);
  v.check();
  bool found = false;
  db.transaction([&](soci::session& sql) {
    long long existing = 0;
    sql << "SELECT id FROM " + table + " WHERE id = :id", soci::use(id), soci::into(existing);
    found = sql.got_data();
    if (found) {
      sql << "UPDATE " + table + " SET name_fr = :fr, name_en = :en WHERE id = :id", soci::use(nameFr),
          soci::use(nameEn), soci::use(id);
    }
  });
  Missions::touch();
  return found;
}

}  // namespace

std::vector<TermEntry> skillEntries(soci::session& sql) { return entriesOf(sql, "skills"); }
std::vector<TermEntry> causeEntries(soci::session& sql) { return entriesOf(sql, "causes"); }
long long addSkill(storage::Database& db, const TermInput& input) { return addTerm(db, "skills", input); }
long long addCause(storage::Database& db, const TermInput& input) { return addTerm(db, "causes", input); }
bool renameSkill(storage::Database& db, long long id, const TermInput& input) {
  return renameTerm(db, "skills", id, input);
}
bool renameCause(storage::Database& db, long long id, const TermInput& input) {
  return renameTerm(db, "causes", id, input);
}

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
