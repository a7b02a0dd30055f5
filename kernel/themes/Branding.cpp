#include "kernel/themes/Branding.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <algorithm>
#include <sstream>

#include "kernel/themes/Contrast.h"
#include "kernel/themes/ThemeSet.h"

namespace ruche::themes {
namespace {

std::string toBase64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

std::string fromBase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  std::ostringstream out;
  out << decoder.rdbuf();
  return out.str();
}

bool startsWith(const std::string& bytes, const std::string& prefix, std::size_t at = 0) {
  return bytes.size() >= at + prefix.size() && bytes.compare(at, prefix.size(), prefix) == 0;
}

/// A colour field: "" keeps the theme's; otherwise a hex colour with enough
/// contrast against `against`. Returns the normalised value.
std::string checkColour(const std::string& field, const std::string& raw, const char* against,
                        std::vector<http::FieldError>& errors, std::string& ratioText) {
  std::string value = raw;
  value.erase(0, value.find_first_not_of(" \t"));
  value.erase(value.find_last_not_of(" \t") + 1);
  if (value.empty()) {
    return "";
  }
  auto colour = parseHexColour(value);
  if (!colour) {
    errors.push_back({field, "Give a colour as #rrggbb, such as #1f5f8b.", "colour"});
    return value;
  }
  double ratio = contrastRatio(*colour, *parseHexColour(against));
  if (ratio < kMinimumTextContrast) {
    ratioText = formatRatio(ratio);
    errors.push_back({field,
                      "The contrast of this colour with " + std::string(against) + " is " + ratioText +
                          ":1; it must be at least 4.5:1 (WCAG AA). Choose a darker colour.",
                      "contrast"});
  }
  return toHex(*colour);
}

}  // namespace

std::optional<std::string> sniffImageType(const std::string& bytes) {
  if (startsWith(bytes, std::string("\x89PNG\r\n\x1a\n", 8))) {
    return "image/png";
  }
  if (startsWith(bytes, "\xff\xd8\xff")) {
    return "image/jpeg";
  }
  if (startsWith(bytes, "RIFF") && startsWith(bytes, "WEBP", 8)) {
    return "image/webp";
  }
  return std::nullopt;
}

std::string imageExtension(const std::string& type) {
  if (type == "image/png") {
    return "png";
  }
  if (type == "image/jpeg") {
    return "jpg";
  }
  return "webp";
}

BrandingCheck checkBranding(const std::string& theme, const std::string& primary, const std::string& accent,
                            const std::string* logoBytes, bool removeLogo, const std::vector<std::string>& themes) {
  BrandingCheck check;
  check.change.theme = theme;
  if (std::find(themes.begin(), themes.end(), theme) == themes.end()) {
    check.errors.push_back({"theme", "Choose one of the themes offered.", "theme"});
  }
  check.change.primary = checkColour("primary_color", primary, kBrandTextOnPrimary, check.errors, check.primaryRatio);
  check.change.accent = checkColour("accent_color", accent, kBrandPageBackground, check.errors, check.accentRatio);
  check.change.removeLogo = removeLogo;
  if (logoBytes != nullptr && !logoBytes->empty()) {
    auto type = sniffImageType(*logoBytes);
    if (!type) {
      check.errors.push_back({"logo", "The logo must be a PNG, JPEG or WebP image.", "logo_type"});
    } else if (logoBytes->size() > kMaxLogoBytes) {
      check.errors.push_back({"logo", "The logo must weigh at most 256 KB.", "logo_size"});
    } else {
      check.change.newLogo = Logo{*type, contentHash(*logoBytes), *logoBytes};
    }
  }
  return check;
}

std::string brandingStylesheet(const Branding& branding) {
  if (branding.primary.empty() && branding.accent.empty()) {
    return "";
  }
  std::string css = ":root {";
  if (!branding.primary.empty()) {
    css += " --brand-primary: " + branding.primary + "; --brand-on-primary: #fff;";
  }
  if (!branding.accent.empty()) {
    css += " --accent-dark: " + branding.accent + ";";
  }
  css += " }\n";
  return css;
}

Branding BrandingStore::get(long long associationId) const {
  Branding branding;
  storage::Database::Session session(db_);
  *session << "SELECT theme, primary_color, accent_color, logo_type, logo_hash FROM association_branding "
              "WHERE association_id = :id",
      soci::use(associationId), soci::into(branding.theme), soci::into(branding.primary), soci::into(branding.accent),
      soci::into(branding.logoType), soci::into(branding.logoHash);
  if (!session->got_data()) {
    return Branding{};
  }
  return branding;
}

std::optional<Logo> BrandingStore::logo(long long associationId) const {
  Logo logo;
  std::string data;
  storage::Database::Session session(db_);
  *session << "SELECT logo_type, logo_hash, logo_data FROM association_branding WHERE association_id = :id",
      soci::use(associationId), soci::into(logo.type), soci::into(logo.hash), soci::into(data);
  if (!session->got_data() || logo.type.empty()) {
    return std::nullopt;
  }
  logo.bytes = fromBase64(data);
  return logo;
}

void BrandingStore::save(soci::session& sql, long long associationId, const BrandingChange& change,
                         long long now) const {
  // Create the row first, then change the fields the form changed.
  long long existing = 0;
  sql << "SELECT COUNT(*) FROM association_branding WHERE association_id = :id", soci::use(associationId),
      soci::into(existing);
  if (existing == 0) {
    sql << "INSERT INTO association_branding (association_id, updated_at) VALUES (:id, :now)", soci::use(associationId),
        soci::use(now);
  }
  std::string theme = change.theme;
  std::string primary = change.primary;
  std::string accent = change.accent;
  sql << "UPDATE association_branding SET theme = :theme, primary_color = :primary, accent_color = :accent, "
         "updated_at = :now WHERE association_id = :id",
      soci::use(theme), soci::use(primary), soci::use(accent), soci::use(now), soci::use(associationId);
  if (change.newLogo) {
    std::string type = change.newLogo->type;
    std::string hash = change.newLogo->hash;
    std::string data = toBase64(change.newLogo->bytes);
    sql << "UPDATE association_branding SET logo_type = :type, logo_hash = :hash, logo_data = :data "
           "WHERE association_id = :id",
        soci::use(type), soci::use(hash), soci::use(data), soci::use(associationId);
  } else if (change.removeLogo) {
    sql << "UPDATE association_branding SET logo_type = '', logo_hash = '', logo_data = '' "
           "WHERE association_id = :id",
        soci::use(associationId);
  }
}

}  // namespace ruche::themes
