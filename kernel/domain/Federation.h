#pragma once

#include <string>

#include "kernel/storage/Database.h"

namespace ruche::domain {

/// The instance itself: its name and presentation (the one row id = 1).
struct FederationInfo {
  std::string name;
  std::string description;
};

/// Reads and writes the federation row. Before the first `set`, `get`
/// returns the name "Ruche" and `exists` is false.
class Federation {
 public:
  explicit Federation(storage::Database& db) : db_(db) {}

  FederationInfo get();
  bool exists();
  /// Validates (422: name 2–120, description ≤ 5000) and stores the row.
  void set(const FederationInfo& info);

 private:
  storage::Database& db_;
};

}  // namespace ruche::domain
