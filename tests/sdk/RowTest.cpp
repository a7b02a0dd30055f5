#include <doctest/doctest.h>

#include "ruche/sdk/Database.h"

using ruche::sdk::Row;
using ruche::sdk::Value;

TEST_CASE("a row reads columns by name, null for a column it does not have") {
  Row row({"id", "title", "score"}, {Value(7), Value("Hello"), Value()});
  CHECK(row["id"].asInt() == 7);
  CHECK(row["title"].asString() == "Hello");
  CHECK(row["score"].isNull());
  CHECK(row["nope"].isNull());
  CHECK(row.at(1).asString() == "Hello");
  CHECK_THROWS_AS(row.at(3), std::out_of_range);
  CHECK(row.columns().size() == 3);
}

TEST_CASE("a row becomes an object ready for a template or JSON") {
  Row row({"id", "title", "score"}, {Value(7), Value("Hello"), Value()});
  CHECK(row.toValue().toJson() == R"({"id":7,"score":null,"title":"Hello"})");
  CHECK(Row({}, {}).toValue().isObject());
}
