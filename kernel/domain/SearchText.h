#pragma once

#include <string>

namespace ruche::domain {

/// Text as search compares it: lower case and without accents ("École" and
/// "ecole" are the same), computed in C++ so SQLite — whose LOWER() knows only
/// ASCII — and PostgreSQL find the same missions.
std::string foldForSearch(const std::string& utf8);

}  // namespace ruche::domain
