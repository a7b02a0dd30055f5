#include "kernel/themes/Branding.h"

namespace ruche::themes {
namespace {

// One row per association that changed its look. The logo is kept in the
// database (base64 text: SOCI's PostgreSQL blobs are large objects, not
// BYTEA), so several processes on several machines serve the same logo.
const char* const kBranding = R"SQL(
CREATE TABLE association_branding (
  association_id BIGINT PRIMARY KEY REFERENCES associations(id) ON DELETE CASCADE,
  theme TEXT NOT NULL DEFAULT 'default',
  primary_color TEXT NOT NULL DEFAULT '',
  accent_color TEXT NOT NULL DEFAULT '',
  logo_type TEXT NOT NULL DEFAULT '',
  logo_hash TEXT NOT NULL DEFAULT '',
  logo_data TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
)SQL";

}  // namespace

storage::ModuleMigrations BrandingStore::migrations() {
  return {"themes", {{1, "association branding", kBranding}}};
}

}  // namespace ruche::themes
