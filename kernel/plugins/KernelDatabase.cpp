#include "kernel/plugins/KernelDatabase.h"

#include <deque>
#include <stdexcept>

namespace ruche::plugins {
namespace {

/// Keeps the bound values alive, at stable addresses, while SOCI uses them.
struct Bindings {
  std::deque<std::string> texts;
  std::deque<long long> integers;
  std::deque<double> doubles;
  std::deque<soci::indicator> indicators;

  void bind(soci::statement& statement, const std::vector<sdk::Value>& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const sdk::Value& value = params[i];
      std::string name = "p" + std::to_string(i + 1);
      if (value.isNull()) {
        texts.emplace_back();
        indicators.push_back(soci::i_null);
        statement.exchange(soci::use(texts.back(), indicators.back(), name));
      } else if (value.isBool() || value.isInt()) {
        integers.push_back(value.asInt());
        statement.exchange(soci::use(integers.back(), name));
      } else if (value.isNumber()) {
        doubles.push_back(value.asDouble());
        statement.exchange(soci::use(doubles.back(), name));
      } else if (value.isString()) {
        texts.push_back(value.asString());
        statement.exchange(soci::use(texts.back(), name));
      } else {
        throw std::invalid_argument("parameter " + std::to_string(i + 1) +
                                    " is an array or object; bind scalars (or its JSON text)");
      }
    }
  }
};

sdk::Value columnValue(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) {
    return sdk::Value();
  }
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return sdk::Value(static_cast<long long>(row.get<int>(i)));
    case soci::dt_long_long:
      return sdk::Value(row.get<long long>(i));
    case soci::dt_unsigned_long_long:
      return sdk::Value(static_cast<long long>(row.get<unsigned long long>(i)));
    case soci::dt_double:
      return sdk::Value(row.get<double>(i));
    case soci::dt_string:
      return sdk::Value(row.get<std::string>(i));
    default:
      throw std::runtime_error("column \"" + row.get_properties(i).get_name() +
                               "\" has a type plugins cannot read (use integers, reals or text)");
  }
}

/// Prepares `sql` as a one-time statement: on PostgreSQL SOCI runs it with
/// PQexecParams (an unnamed statement, values still bound) instead of a named
/// PREPARE, EXECUTE and DEALLOCATE, three round trips for one statement.
void prepareOnce(soci::statement& statement, Bindings& bindings, const std::string& sql,
                 const std::vector<sdk::Value>& params) {
  bindings.bind(statement, params);
  statement.alloc();
  statement.prepare(sql, soci::details::st_one_time_query);
  statement.define_and_bind();
}

}  // namespace

std::string KernelDatabase::backend() const {
  return backend_ == storage::Backend::Sqlite ? "sqlite" : "postgresql";
}

std::string KernelDatabase::namedPlaceholders(const std::string& sql, std::size_t params) {
  std::string out;
  out.reserve(sql.size() + 8);
  std::size_t count = 0;
  char quote = 0;
  bool lineComment = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (lineComment) {
      lineComment = c != '\n';
    } else if (quote != 0) {
      if (c == quote) {
        quote = 0;  // a doubled quote closes and reopens: same result
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      lineComment = true;
    } else if (c == '?') {
      out += ":p" + std::to_string(++count);
      continue;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] != ':' && (i == 0 || sql[i - 1] != ':')) {
      // SOCI would read ":name" as a placeholder of its own.
      throw std::invalid_argument("use ? placeholders, not \":name\" (a ':' outside quotes at offset " +
                                  std::to_string(i) + ")");
    }
    out += c;
  }
  if (count != params) {
    throw std::invalid_argument("the statement has " + std::to_string(count) + " placeholders but " +
                                std::to_string(params) + " parameters were given");
  }
  return out;
}

sdk::Rows KernelDatabase::query(const std::string& sql, const std::vector<sdk::Value>& params) {
  Bindings bindings;
  soci::row row;
  soci::statement statement(session());
  statement.exchange(soci::into(row));
  prepareOnce(statement, bindings, namedPlaceholders(sql, params.size()), params);
  sdk::Rows result;
  std::vector<std::string> columns;
  bool more = statement.execute(true);
  while (more) {
    if (columns.empty()) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        columns.push_back(row.get_properties(i).get_name());
      }
    }
    std::vector<sdk::Value> values;
    values.reserve(row.size());
    for (std::size_t i = 0; i < row.size(); ++i) {
      values.push_back(columnValue(row, i));
    }
    result.emplace_back(columns, std::move(values));
    more = statement.fetch();
  }
  return result;
}

long long KernelDatabase::execute(const std::string& sql, const std::vector<sdk::Value>& params) {
  Bindings bindings;
  soci::statement statement(session());
  prepareOnce(statement, bindings, namedPlaceholders(sql, params.size()), params);
  statement.execute(true);
  return statement.get_affected_rows();
}

long long KernelDatabase::insert(const std::string& sql, const std::vector<sdk::Value>& params) {
  // Both SQLite (3.35+) and PostgreSQL return the new key this way.
  sdk::Rows rows = query(sql + " RETURNING id", params);
  if (rows.empty()) {
    throw std::runtime_error("the INSERT returned no id");
  }
  return rows.front().at(0).asInt();
}

void KernelDatabase::savepoint(const std::function<void()>& work) {
  std::string name = "ruche_plugin_" + std::to_string(++savepoints_);
  session() << "SAVEPOINT " + name;
  ++openSavepoints_;
  try {
    work();
  } catch (...) {
    --openSavepoints_;
    session() << "ROLLBACK TO SAVEPOINT " + name;
    session() << "RELEASE SAVEPOINT " + name;
    throw;
  }
  --openSavepoints_;
  session() << "RELEASE SAVEPOINT " + name;
}

void KernelDatabase::commit() {
  if (openSavepoints_ > 0) {
    throw std::logic_error("commit() inside savepoint(): commit after the savepoint's work");
  }
  if (transaction_ == nullptr) {
    throw std::logic_error("commit() is only for a plugin call's own transaction");
  }
  if (transaction_->insideOuter()) {
    // E.g. a person's data being erased: the kernel's transaction decides,
    // and nothing of it may be committed apart.
    throw std::logic_error("commit() in a call that runs inside a kernel transaction");
  }
  transaction_->commit();  // the next statement begins a new one
}

soci::session& KernelDatabase::session() {
  return transaction_ != nullptr ? transaction_->session() : *sql_;
}

}  // namespace ruche::plugins
