#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ruche/sdk/Value.h"

namespace ruche::sdk {

/// One row of a result: columns by name, values as JSON-like Values
/// (integers, doubles, text, null).
class Row {
 public:
  Row(std::vector<std::string> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}
  /// The column's value; null when the column does not exist.
  const Value& operator[](const std::string& column) const;
  const Value& at(std::size_t index) const { return values_.at(index); }
  const std::vector<std::string>& columns() const { return columns_; }
  /// The row as an object {column: value}, ready for a template or JSON.
  Value toValue() const;

 private:
  std::vector<std::string> columns_;
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

/// The kernel's database, seen from a plugin: the same connection and the
/// same transaction as the request, event or job being handled, so a
/// plugin's writes and the events it publishes commit or roll back together.
///
/// SQL uses `?` placeholders, bound in order; values are never spliced into
/// the text. A plugin reads and writes only its own tables (prefixed with
/// its name and "_") and reads the kernel's documented views (see the plugin
/// guide). Where SQL differs, ask `backend()`.
class Database {
 public:
  virtual ~Database() = default;
  /// "sqlite" or "postgresql".
  virtual std::string backend() const = 0;
  /// A SELECT (or anything with RETURNING): every row.
  virtual Rows query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  /// INSERT/UPDATE/DELETE: the number of rows affected.
  virtual long long execute(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  /// An INSERT into a table whose key is `id`: returns the new id.
  virtual long long insert(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  /// Runs `work` in a savepoint: if it throws, only its writes are undone
  /// and the exception goes on (e.g. to try another insert after a conflict).
  virtual void savepoint(const std::function<void()>& work) = 0;

  /// (SDK 1.2) Commits what this call has written so far, and goes on in a
  /// new transaction. For group commit: a plugin that writes the work of
  /// several concurrent requests together answers them only once it is
  /// durable. Everything before the call is kept even if the call fails later.
  /// Not inside savepoint().
  virtual void commit() = 0;
};

}  // namespace ruche::sdk
