#include "kernel/domain/AssociationLocaleSchema.h"

namespace ruche::domain {

storage::Migration associationLocaleMigration() {
  return {4, "association language and time zone", R"SQL(
ALTER TABLE associations ADD COLUMN default_locale TEXT NOT NULL DEFAULT 'fr';
ALTER TABLE associations ADD COLUMN timezone TEXT NOT NULL DEFAULT 'Europe/Paris';
)SQL"};
}

}  // namespace ruche::domain
