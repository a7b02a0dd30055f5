#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kernel/http/HttpError.h"
#include "kernel/http/Request.h"
#include "kernel/http/Response.h"

namespace ruche::api {

/// Parses the request body as one JSON object. Malformed JSON, an empty body
/// or a body that is not an object is a 400; a Content-Type that is not JSON
/// is a 415. Nothing is read from the form.
Poco::JSON::Object::Ptr readJsonObject(const http::Request& request);

/// The same, but an empty body counts as {} (for actions whose members are
/// all optional, such as withdraw).
Poco::JSON::Object::Ptr readOptionalJsonObject(const http::Request& request);

/// Reads the members of one JSON object into domain inputs, collecting every
/// problem (wrong type, unknown member) as a field error whose name is a JSON
/// pointer without its leading "/" ("title", "languages/0/level"), then
/// throwing them all at once as a 422 with `check()`.
class JsonReader {
 public:
  /// `known` lists the members the body may have; any other one is an error,
  /// so a typo ("titel") is not silently ignored.
  JsonReader(Poco::JSON::Object::Ptr object, std::set<std::string> known, std::string prefix = {});

  bool has(const std::string& name) const;
  /// A string member; null counts as "" (clears an optional text).
  std::optional<std::string> string(const std::string& name);
  /// An integer member as text (the domain validates ranges); null is "".
  std::optional<std::string> integerText(const std::string& name);
  std::optional<bool> boolean(const std::string& name);
  /// An array of strings; null counts as [].
  std::optional<std::vector<std::string>> strings(const std::string& name);
  /// An array of objects: each one is handed to `each` with a reader whose
  /// pointers start with "name/i/". Null counts as [].
  template <typename F>
  bool objects(const std::string& name, const std::set<std::string>& known, F each);

  /// The pointer-shaped field name of `name` under this reader's prefix.
  std::string field(const std::string& name) const { return prefix_ + name; }
  void add(const std::string& name, const std::string& message);
  const std::vector<http::FieldError>& errors() const { return *errors_; }
  /// Throws 422 with every collected error, if any.
  void check() const;

 private:
  JsonReader(Poco::JSON::Object::Ptr object, std::set<std::string> known, std::string prefix,
             std::shared_ptr<std::vector<http::FieldError>> errors);
  void checkKnown();

  Poco::JSON::Object::Ptr object_;
  std::set<std::string> known_;
  std::string prefix_;
  std::shared_ptr<std::vector<http::FieldError>> errors_;
};

template <typename F>
bool JsonReader::objects(const std::string& name, const std::set<std::string>& known, F each) {
  if (!has(name)) {
    return false;
  }
  Poco::Dynamic::Var value = object_->get(name);
  if (value.isEmpty()) {
    return true;
  }
  Poco::JSON::Array::Ptr array;
  try {
    array = value.extract<Poco::JSON::Array::Ptr>();
  } catch (const Poco::Exception&) {
    add(name, "must be an array of objects");
    return true;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string itemField = name + "/" + std::to_string(i);
    Poco::JSON::Object::Ptr item = array->getObject(static_cast<unsigned>(i));
    if (!item) {
      add(itemField, "must be an object");
      continue;
    }
    JsonReader reader(item, known, prefix_ + itemField + "/", errors_);
    each(reader, i);
  }
  return true;
}

/// Rewrites a domain's form-shaped field names into pointer shape:
/// "languages_1_level" becomes "languages/1/level"; other names stay.
http::HttpError pointerShaped(const http::HttpError& error);

/// A JSON object that keeps members in insertion order (readable output).
Poco::JSON::Object::Ptr newObject();
Poco::JSON::Array::Ptr newArray();

/// Writes `value` as the JSON body (application/json) with `status`.
void writeJson(http::Response& response, const Poco::JSON::Object::Ptr& value, int status = 200);
std::string toJson(const Poco::JSON::Object::Ptr& value);

/// Epoch seconds → "2024-05-01T12:00:00Z"; 0 gives null.
Poco::Dynamic::Var isoTime(long long epochSeconds);
/// "" → null, else the text.
Poco::Dynamic::Var textOrNull(const std::string& text);
Poco::JSON::Array::Ptr stringArray(const std::vector<std::string>& items);

/// A positive id from a path parameter; anything else is a 404 (no such object).
long long pathId(const http::Request& request, const std::string& name);

}  // namespace ruche::api
