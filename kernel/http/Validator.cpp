#include "kernel/http/Validator.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>

#include "kernel/http/TimeZones.h"

namespace ruche::http {
namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    return "";
  }
  auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

bool hasControlCharacters(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 && c != '\n' && c != '\r' && c != '\t';
  });
}

}  // namespace

long long utf8Length(const std::string& text) {
  long long count = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > text.size()) {
      return -1;
    }
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) {
        return -1;
      }
    }
    i += len;
    ++count;
  }
  return count;
}

void Validator::add(const std::string& field, const std::string& code, const std::string& message) {
  errors_.push_back({field, message, code});
}

void Validator::check() const {
  if (!errors_.empty()) {
    throw unprocessable(errors_);
  }
}

std::string Validator::text(const std::string& field, const std::string& value, std::size_t min, std::size_t max) {
  std::string t = trim(value);
  long long length = utf8Length(t);
  if (length < 0) {
    add(field, "encoding", "must be valid UTF-8 text");
  } else if (hasControlCharacters(t)) {
    add(field, "control", "must not contain control characters");
  } else if (length == 0 && min > 0) {
    add(field, "required", "is required");
  } else if (static_cast<std::size_t>(length) < min) {
    add(field, "too_short", "must have at least " + std::to_string(min) + " characters");
  } else if (static_cast<std::size_t>(length) > max) {
    add(field, "too_long", "must have at most " + std::to_string(max) + " characters");
  }
  return t;
}

std::string Validator::email(const std::string& field, const std::string& value) {
  std::string e = trim(value);
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto at = e.find('@');
  bool shape = e.size() >= 3 && e.size() <= 254 && at != std::string::npos && at > 0 &&
               e.find('@', at + 1) == std::string::npos && e.find('.', at) != std::string::npos && e.back() != '.' &&
               e.find_first_of(" \t\r\n<>()[],;:\"\\") == std::string::npos;
  if (e.empty()) {
    add(field, "required", "is required");
  } else if (!shape) {
    add(field, "email", "must be an e-mail address such as name@example.org");
  }
  return e;
}

std::string Validator::password(const std::string& field, const std::string& value) {
  long long length = utf8Length(value);
  if (length < 10) {
    add(field, "password_short", "must have at least 10 characters");
  } else if (length > 200) {
    add(field, "too_long", "must have at most 200 characters");
  }
  return value;
}

std::optional<long long> Validator::integer(const std::string& field, const std::string& value, long long min,
                                            long long max, bool required) {
  std::string t = trim(value);
  if (t.empty()) {
    if (required) {
      add(field, "required", "is required");
    }
    return std::nullopt;
  }
  long long n = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (ec != std::errc() || end != t.data() + t.size()) {
    add(field, "integer", "must be a whole number");
    return std::nullopt;
  }
  if (n < min || n > max) {
    add(field, "range", "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::string Validator::oneOf(const std::string& field, const std::string& value,
                             const std::vector<std::string>& allowed) {
  std::string t = trim(value);
  if (std::find(allowed.begin(), allowed.end(), t) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) {
      list += (list.empty() ? "" : ", ") + a;
    }
    add(field, t.empty() ? "required" : "choice", "must be one of: " + list);
  }
  return t;
}

std::string Validator::date(const std::string& field, const std::string& value, bool required) {
  std::string t = trim(value);
  if (t.empty()) {
    if (required) {
      add(field, "required", "is required");
    }
    return t;
  }
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  bool shape = t.size() == 10 && t[4] == '-' && t[7] == '-';
  if (shape) {
    auto r1 = std::from_chars(t.data(), t.data() + 4, y);
    auto r2 = std::from_chars(t.data() + 5, t.data() + 7, m);
    auto r3 = std::from_chars(t.data() + 8, t.data() + 10, d);
    shape = r1.ec == std::errc() && r2.ec == std::errc() && r3.ec == std::errc() && r1.ptr == t.data() + 4 &&
            r2.ptr == t.data() + 7 && r3.ptr == t.data() + 10;
  }
  if (!shape || y < 1900 || y > 2200 ||
      !std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)).ok()) {
    add(field, "date", "must be a date written YYYY-MM-DD");
  }
  return t;
}

std::string Validator::timeZone(const std::string& field, const std::string& value) {
  std::string t = trim(value);
  if (!isKnownTimeZone(t)) {
    add(field, "timezone", "must be a time zone such as Europe/Paris");
  }
  return t;
}

std::string Validator::language(const std::string& field, const std::string& value) {
  std::string t = trim(value);
  if (t.size() != 2 || !std::islower(static_cast<unsigned char>(t[0])) ||
      !std::islower(static_cast<unsigned char>(t[1]))) {
    add(field, "language", "must be a two-letter language code such as fr");
  }
  return t;
}

std::string Validator::slug(const std::string& field, const std::string& value) {
  std::string t = trim(value);
  bool shape = t.size() >= 2 && t.size() <= 40 &&
               t.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos && t.front() != '-' &&
               t.back() != '-';
  if (!shape) {
    add(field, "slug", "must be 2 to 40 characters among a-z, 0-9 and -");
  }
  return t;
}

}  // namespace ruche::http
