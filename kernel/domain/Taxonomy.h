#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

#include "kernel/storage/Database.h"

namespace ruche::domain {

/// One entry of the federation's skills list or causes list.
struct Term {
  long long id = 0;
  std::string slug;
  std::string name;  ///< in the requested locale
};

/// The federation-wide lists volunteers and missions pick from.
std::vector<Term> listSkills(soci::session& sql, const std::string& locale);
std::vector<Term> listCauses(soci::session& sql, const std::string& locale);

/// Ids of the given slugs; an unknown slug is left out (callers validate
/// with `unknownSlugs`).
std::vector<long long> skillIds(soci::session& sql, const std::vector<std::string>& slugs);
std::vector<long long> causeIds(soci::session& sql, const std::vector<std::string>& slugs);
std::vector<std::string> unknownSkills(soci::session& sql, const std::vector<std::string>& slugs);
std::vector<std::string> unknownCauses(soci::session& sql, const std::vector<std::string>& slugs);

/// One entry with both of its names, for the federation admin's pages.
struct TermEntry {
  long long id = 0;
  std::string slug;
  std::string nameFr;
  std::string nameEn;
};

/// What a federation admin types to add or rename an entry.
struct TermInput {
  std::string slug;    ///< ignored by rename: the slug is in search URLs and the API
  std::string nameFr;
  std::string nameEn;
};

/// Every entry with both names, by French name.
std::vector<TermEntry> skillEntries(soci::session& sql);
std::vector<TermEntry> causeEntries(soci::session& sql);

/// Adds an entry; throws http::HttpError 422 naming slug (Validator::slug,
/// code "term_slug_taken" when another entry has it), name_fr, name_en
/// (2–80 characters each). Returns the new id.
long long addSkill(storage::Database& db, const TermInput& input);
long long addCause(storage::Database& db, const TermInput& input);

/// Changes both names of an entry (validated as for add; the slug stays).
/// False when no entry has this id.
bool renameSkill(storage::Database& db, long long id, const TermInput& input);
bool renameCause(storage::Database& db, long long id, const TermInput& input);

}  // namespace ruche::domain
