#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

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

}  // namespace ruche::domain
