#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/http/HttpError.h"
#include "kernel/storage/Database.h"
#include "kernel/storage/Migration.h"

namespace ruche::themes {

/// How an association dresses its pages without a theme of its own: the
/// theme it picked, two colours and a logo. Empty colours: the theme's own.
struct Branding {
  std::string theme = "default";
  std::string primary;   ///< "#rrggbb" or ""; background of the header, under white text
  std::string accent;    ///< "#rrggbb" or ""; links and buttons, on the white page
  std::string logoType;  ///< "image/png" | "image/jpeg" | "image/webp"; "" when no logo
  std::string logoHash;  ///< content hash of the logo, for its URL
};

/// An uploaded logo.
struct Logo {
  std::string type;
  std::string hash;
  std::string bytes;
};

/// What the branding form asks to change.
struct BrandingChange {
  std::string theme;
  std::string primary;
  std::string accent;
  std::optional<Logo> newLogo;  ///< a new upload replaces the old logo
  bool removeLogo = false;
};

/// Largest logo accepted, in bytes.
inline constexpr std::size_t kMaxLogoBytes = 256 * 1024;
/// The colours brand colours are checked against: white header text on the
/// primary colour, accent links and buttons on the white page.
inline constexpr const char* kBrandTextOnPrimary = "#ffffff";
inline constexpr const char* kBrandPageBackground = "#ffffff";

/// "image/png", "image/jpeg" or "image/webp" by the file's first bytes (its
/// name and the browser's word are never trusted); nullopt for anything else.
std::optional<std::string> sniffImageType(const std::string& bytes);
/// The extension of an image type ("png", "jpg", "webp").
std::string imageExtension(const std::string& type);

/// A branding form checked: normalised colours, and the refusals (a bad
/// colour, a contrast under 4.5:1 — the message gives the ratio —, an
/// unknown theme, a logo of the wrong type or too large).
struct BrandingCheck {
  BrandingChange change;
  std::vector<http::FieldError> errors;
  std::string primaryRatio;  ///< "3.20" when the primary colour's contrast was too low
  std::string accentRatio;
};
BrandingCheck checkBranding(const std::string& theme, const std::string& primary, const std::string& accent,
                            const std::string* logoBytes, bool removeLogo, const std::vector<std::string>& themes);

/// The small stylesheet that carries the colours as CSS custom properties
/// (the CSP forbids inline styles); "" when the association has no colours.
std::string brandingStylesheet(const Branding& branding);

/// The association_branding table (module "themes").
class BrandingStore {
 public:
  explicit BrandingStore(storage::Database& db) : db_(db) {}

  /// The association's branding; the defaults when it never set one.
  Branding get(long long associationId) const;
  std::optional<Logo> logo(long long associationId) const;
  /// Stores `change` inside the caller's transaction.
  void save(soci::session& sql, long long associationId, const BrandingChange& change, long long now) const;

  /// The "themes" module's migrations.
  static storage::ModuleMigrations migrations();

 private:
  storage::Database& db_;
};

}  // namespace ruche::themes
