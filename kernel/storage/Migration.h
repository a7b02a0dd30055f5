#pragma once

#include <string>
#include <vector>

namespace ruche::storage {

/// One numbered schema change of a module. `sql` holds statements separated
/// by lines ending in ';'. Two placeholders keep one text for both backends:
///   {{id}}  an auto-increment primary key (INTEGER … AUTOINCREMENT / BIGSERIAL)
///   {{blob}} binary data (BLOB / BYTEA)
struct Migration {
  int version;
  std::string name;
  std::string sql;
};

/// All migrations of one module (the kernel, or one plugin), in order.
struct ModuleMigrations {
  std::string module;
  std::vector<Migration> migrations;
};

}  // namespace ruche::storage
