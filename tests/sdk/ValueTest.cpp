#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "ruche/sdk/Value.h"

using ruche::sdk::JsonError;
using ruche::sdk::Value;

namespace {

/// The offset a parse error reports; fails the test when it parses.
std::size_t errorOffset(const std::string& text) {
  try {
    Value::parseJson(text);
  } catch (const JsonError& e) {
    return e.offset();
  }
  FAIL("parsed without error: " << text);
  return 0;
}

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
}

}  // namespace

TEST_CASE("a value prints as compact JSON with its object keys sorted") {
  Value v = Value::object({{"name", "Ana"}, {"age", 30}, {"tags", Value::array({"a", true, nullptr, 1.5})}});
  CHECK(v.toJson() == R"({"age":30,"name":"Ana","tags":["a",true,null,1.5]})");
  CHECK(Value().toJson() == "null");
  CHECK(Value::object().toJson() == "{}");
  CHECK(Value::array().toJson() == "[]");
  CHECK(Value(-42).toJson() == "-42");
}

TEST_CASE("strings are escaped: quotes, backslash and control characters, UTF-8 passes through") {
  CHECK(Value("say \"hi\"").toJson() == R"("say \"hi\"")");
  CHECK(Value("a\\b").toJson() == R"("a\\b")");
  CHECK(Value("l1\nl2\r\t\b\f").toJson() == R"("l1\nl2\r\t\b\f")");
  CHECK(Value(std::string("\x01\x1f", 2)).toJson() == R"("\u0001\u001f")");
  CHECK(Value(std::string("nul\0end", 7)).toJson() == R"("nul\u0000end")");
  CHECK(Value("café 🐝 </script>").toJson() == "\"café 🐝 </script>\"");
}

TEST_CASE("doubles print so they read back equal, as doubles; infinities and NaN print as null") {
  for (double d : {0.1, 1.0 / 3.0, 2.0, -0.5, 1e300, 5e-324, 123456789.125}) {
    std::string text = Value(d).toJson();
    Value back = Value::parseJson(text);
    CHECK_MESSAGE(back.isNumber(), text);
    CHECK_MESSAGE(!back.isInt(), text);
    CHECK_MESSAGE(back.asDouble() == d, text);
  }
  CHECK(Value(2.0).toJson() == "2.0");
  CHECK(Value(std::numeric_limits<double>::infinity()).toJson() == "null");
  CHECK(Value(std::nan("")).toJson() == "null");
}

TEST_CASE("parsing then printing gives the same value back") {
  std::string text =
      R"({"a":[1,-2,3.25,true,false,null],"b":{"c":"d\"e","empty":{},"list":[]},"big":9223372036854775807})";
  Value v = Value::parseJson(text);
  CHECK(v.toJson() == text);
  CHECK(Value::parseJson(v.toJson()) == v);
  CHECK(v["big"].isInt());
  CHECK(v["big"].asInt() == 9223372036854775807LL);
}

TEST_CASE("whitespace is allowed around every token") {
  Value v = Value::parseJson(" \t\r\n{ \"a\" :\n[ 1 , 2 ] , \"b\" : null }\n ");
  CHECK(v["a"].size() == 2);
  CHECK(v.has("b"));
  CHECK(v["b"].isNull());
}

TEST_CASE("integers that fit 64 bits stay integers; others become doubles") {
  CHECK(Value::parseJson("-9223372036854775808").isInt());
  CHECK(Value::parseJson("-9223372036854775808").asInt() == std::numeric_limits<long long>::min());
  Value big = Value::parseJson("9223372036854775808");
  CHECK(!big.isInt());
  CHECK(big.isNumber());
  CHECK(big.asDouble() == doctest::Approx(9.223372036854775808e18));
  CHECK(!Value::parseJson("1.0").isInt());
  CHECK(!Value::parseJson("1e2").isInt());
  CHECK(Value::parseJson("1E+2").asDouble() == 100.0);
  CHECK(Value::parseJson("-0").isInt());
}

TEST_CASE("every string escape is decoded, surrogate pairs into one UTF-8 character") {
  CHECK(Value::parseJson(R"("\"\\\/\b\f\n\r\t")").asString() == "\"\\/\b\f\n\r\t");
  CHECK(Value::parseJson(R"("\u0041\u00e9\u20AC")").asString() == "Aé€");
  CHECK(Value::parseJson(R"("\ud83d\udc1d")").asString() == "🐝");
  CHECK(Value::parseJson(R"("\u0000")").asString() == std::string(1, '\0'));
  CHECK(Value::parseJson("\"déjà 🐝\"").asString() == "déjà 🐝");
}

TEST_CASE("malformed JSON is refused with the offset where the parser stopped") {
  CHECK(errorOffset("") == 0);
  CHECK(errorOffset("   ") == 3);
  CHECK(errorOffset("{\"a\":1,}") == 7);
  CHECK(errorOffset("[1,]") == 3);
  CHECK(errorOffset("[1 2]") == 3);
  CHECK(errorOffset("{\"a\" 1}") == 5);
  CHECK(errorOffset("{a:1}") == 1);
  CHECK(errorOffset("tru") == 0);
  CHECK(errorOffset("nul") == 0);
  CHECK(errorOffset("01") == 1);
  CHECK(errorOffset("1.") == 2);
  CHECK(errorOffset("-") == 1);
  CHECK(errorOffset("1e") == 2);
  CHECK(errorOffset("+1") == 0);
  CHECK(errorOffset("\"abc") == 4);
  CHECK(errorOffset("\"a\\x\"") == 2);
  CHECK(errorOffset("\"a\nb\"") == 2);
  CHECK(errorOffset("\"\\u12G4\"") == 5);
  CHECK(errorOffset("\"\\udc1d\"") == 1);
  CHECK(errorOffset("\"\\ud83d\"") == 1);
  CHECK(errorOffset("\"\\ud83d\\u0041\"") == 1);
  CHECK(errorOffset("\"\xff\"") == 1);
  CHECK(errorOffset("\"\xc3\"") == 1);
  CHECK(errorOffset("\"\xc0\xaf\"") == 1);
  CHECK(errorOffset("{\"a\":1,\"a\":2}") == 7);
  CHECK(errorOffset("1e999") == 0);
  CHECK(errorOffset("NaN") == 0);
}

TEST_CASE("trailing text after the value is refused") {
  CHECK(errorOffset("{} {}") == 3);
  CHECK(errorOffset("1 2") == 2);
  CHECK(errorOffset("null x") == 5);
  CHECK_THROWS_WITH_AS(Value::parseJson("[] x"), "unexpected text after the value at offset 3", JsonError);
}

TEST_CASE("nesting is limited to 64 levels") {
  CHECK(Value::parseJson(nested(64)).size() == 1);
  CHECK(errorOffset(nested(65)) == 64);
  std::string objects;
  for (int i = 0; i < 65; ++i) {
    objects += "{\"a\":";
  }
  objects += "1" + std::string(65, '}');
  CHECK_THROWS_AS(Value::parseJson(objects), JsonError);
  CHECK(errorOffset(nested(100000)) == 64);
}

TEST_CASE("lenient readers give a neutral value for a missing key or another type") {
  Value v = Value::object({{"n", 7}, {"d", 2.9}, {"s", "text"}, {"b", true}, {"o", Value::object({{"x", 1}})}});
  CHECK(v["missing"].isNull());
  CHECK(v["missing"]["deeper"].isNull());
  CHECK(v["s"]["x"].isNull());
  CHECK(v["s"].asInt() == 0);
  CHECK(v["s"].asBool() == false);
  CHECK(v["n"].asString() == "7");
  CHECK(v["d"].asString() == "2.9");
  CHECK(v["b"].asString() == "true");
  CHECK(v["missing"].asString() == "");
  CHECK(v["o"].asString() == "");
  CHECK(v["d"].asInt() == 2);
  CHECK(v["n"].asDouble() == 7.0);
  CHECK(v["n"].asArray().empty());
  CHECK(v["n"].asObject().empty());
  CHECK(v["o"].asObject().size() == 1);
  CHECK(v["n"].size() == 0);
  CHECK(v.has("n"));
  CHECK(!v.has("missing"));
  CHECK(!v["n"].has("n"));
}

TEST_CASE("at() is strict and names the missing key") {
  Value v = Value::object({{"a", 1}});
  CHECK(v.at("a").asInt() == 1);
  CHECK_THROWS_WITH_AS(v.at("zz"), doctest::Contains("zz"), std::out_of_range);
  CHECK_THROWS_AS(Value(3).at("a"), std::out_of_range);
}

TEST_CASE("set and push turn a null into an object or an array and can be chained") {
  Value o;
  o.set("b", 2).set("a", 1).set("b", 3);
  CHECK(o.isObject());
  CHECK(o.size() == 2);
  CHECK(o.toJson() == R"({"a":1,"b":3})");

  Value a;
  a.push(1).push("two").push(Value::array());
  CHECK(a.isArray());
  CHECK(a.size() == 3);
  CHECK(a.toJson() == R"([1,"two",[]])");

  Value s("text");
  CHECK_THROWS_AS(s.set("a", 1), std::logic_error);
  CHECK_THROWS_AS(s.push(1), std::logic_error);
}
