#include "kernel/api/JsonHelpers.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <ctime>
#include <limits>
#include <sstream>

namespace ruche::api {

Poco::JSON::Object::Ptr readJsonObject(const http::Request& request) {
  std::string contentType = request.header("content-type");
  if (!contentType.empty() && contentType.find("json") == std::string::npos) {
    throw http::HttpError(415, "Unsupported Media Type", "Send the body as application/json.");
  }
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw http::badRequest("The request body is empty; send a JSON object.");
  }
  Poco::Dynamic::Var parsed;
  try {
    Poco::JSON::Parser parser;
    parsed = parser.parse(request.body);
  } catch (const Poco::Exception& e) {
    throw http::badRequest("The request body is not valid JSON: " + e.message());
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw http::badRequest("The request body must be a JSON object.");
  }
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr readOptionalJsonObject(const http::Request& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return newObject();
  }
  return readJsonObject(request);
}

JsonReader::JsonReader(Poco::JSON::Object::Ptr object, std::set<std::string> known, std::string prefix)
    : JsonReader(std::move(object), std::move(known), std::move(prefix),
                 std::make_shared<std::vector<http::FieldError>>()) {}

JsonReader::JsonReader(Poco::JSON::Object::Ptr object, std::set<std::string> known, std::string prefix,
                       std::shared_ptr<std::vector<http::FieldError>> errors)
    : object_(std::move(object)), known_(std::move(known)), prefix_(std::move(prefix)), errors_(std::move(errors)) {
  checkKnown();
}

void JsonReader::checkKnown() {
  std::vector<std::string> names;
  object_->getNames(names);
  for (const auto& name : names) {
    if (known_.count(name) == 0) {
      add(name, "is not a known member");
    }
  }
}

bool JsonReader::has(const std::string& name) const {
  return object_->has(name);
}

void JsonReader::add(const std::string& name, const std::string& message) {
  errors_->push_back({field(name), message, "type"});
}

void JsonReader::check() const {
  if (!errors_->empty()) {
    throw http::unprocessable(*errors_);
  }
}

std::optional<std::string> JsonReader::string(const std::string& name) {
  if (!has(name)) {
    return std::nullopt;
  }
  Poco::Dynamic::Var value = object_->get(name);
  if (value.isEmpty()) {
    return std::string();
  }
  if (!value.isString()) {
    add(name, "must be a string");
    return std::nullopt;
  }
  return value.extract<std::string>();
}

std::optional<std::string> JsonReader::integerText(const std::string& name) {
  if (!has(name)) {
    return std::nullopt;
  }
  Poco::Dynamic::Var value = object_->get(name);
  if (value.isEmpty()) {
    return std::string();
  }
  if (!value.isInteger() || value.isBoolean()) {
    add(name, "must be an integer");
    return std::nullopt;
  }
  return value.toString();
}

std::optional<bool> JsonReader::boolean(const std::string& name) {
  if (!has(name)) {
    return std::nullopt;
  }
  Poco::Dynamic::Var value = object_->get(name);
  if (!value.isBoolean()) {
    add(name, "must be true or false");
    return std::nullopt;
  }
  return value.extract<bool>();
}

std::optional<std::vector<std::string>> JsonReader::strings(const std::string& name) {
  if (!has(name)) {
    return std::nullopt;
  }
  Poco::Dynamic::Var value = object_->get(name);
  if (value.isEmpty()) {
    return std::vector<std::string>();
  }
  Poco::JSON::Array::Ptr array;
  try {
    array = value.extract<Poco::JSON::Array::Ptr>();
  } catch (const Poco::Exception&) {
    add(name, "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
    if (!item.isString()) {
      add(name + "/" + std::to_string(i), "must be a string");
      ok = false;
      continue;
    }
    out.push_back(item.extract<std::string>());
  }
  if (!ok) {
    return std::nullopt;
  }
  return out;
}

http::HttpError pointerShaped(const http::HttpError& error) {
  std::vector<http::FieldError> fields;
  for (auto field : error.fields()) {
    // group_<digits>_part → group/<digits>/part
    auto first = field.field.find('_');
    while (first != std::string::npos) {
      auto second = field.field.find('_', first + 1);
      if (second == std::string::npos) {
        break;
      }
      std::string middle = field.field.substr(first + 1, second - first - 1);
      if (!middle.empty() && middle.find_first_not_of("0123456789") == std::string::npos) {
        field.field = field.field.substr(0, first) + "/" + middle + "/" + field.field.substr(second + 1);
        break;
      }
      first = second;
    }
    fields.push_back(field);
  }
  http::HttpError out(error.status(), error.title(), error.detail(), fields);
  out.headers = error.headers;
  return out;
}

Poco::JSON::Object::Ptr newObject() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::JSON::Array::Ptr newArray() {
  return new Poco::JSON::Array;
}

std::string toJson(const Poco::JSON::Object::Ptr& value) {
  std::ostringstream out;
  value->stringify(out);
  return out.str();
}

void writeJson(http::Response& response, const Poco::JSON::Object::Ptr& value, int status) {
  response.json(toJson(value), status);
}

Poco::Dynamic::Var isoTime(long long epochSeconds) {
  if (epochSeconds == 0) {
    return Poco::Dynamic::Var();
  }
  std::time_t t = static_cast<std::time_t>(epochSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buffer);
}

Poco::Dynamic::Var textOrNull(const std::string& text) {
  if (text.empty()) {
    return Poco::Dynamic::Var();
  }
  return text;
}

Poco::JSON::Array::Ptr stringArray(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr array = newArray();
  for (const auto& item : items) {
    array->add(item);
  }
  return array;
}

long long pathId(const http::Request& request, const std::string& name) {
  std::string text = request.param(name);
  long long id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    throw http::notFound("No such " + name + ": " + text + ".");
  }
  return id;
}

}  // namespace ruche::api
