#pragma once

#include <soci/soci.h>

#include <string>

namespace ruche::webhooks {

/// A whole number from a soci::row, whatever type the backend reports for it
/// (SQLite and PostgreSQL disagree on INTEGER, BIGINT and COUNT(*)); 0 for NULL.
inline long long wholeNumber(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) {
    return 0;
  }
  switch (row.get_properties(column).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(column);
    case soci::dt_long_long:
      return row.get<long long>(column);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(row.get<unsigned long long>(column));
    case soci::dt_double:
      return static_cast<long long>(row.get<double>(column));
    case soci::dt_string:
      return std::stoll(row.get<std::string>(column));
    default:
      return 0;
  }
}

}  // namespace ruche::webhooks
