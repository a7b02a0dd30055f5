#include "kernel/domain/KernelSchema.h"

#include "kernel/domain/AssociationLocaleSchema.h"

namespace ruche::domain {
namespace {

// Conventions: timestamps are BIGINT seconds since the epoch (UTC); booleans
// are INTEGER 0/1; calendar days are TEXT 'YYYY-MM-DD'. One text serves both
// SQLite and PostgreSQL; see storage/Migration.h for the placeholders.
const char* const kInitialSchema = R"SQL(
CREATE TABLE federation (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE TABLE skills (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  name_fr TEXT NOT NULL,
  name_en TEXT NOT NULL
);
CREATE TABLE causes (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  name_fr TEXT NOT NULL,
  name_en TEXT NOT NULL
);
CREATE TABLE associations (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  logo_url TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  charter TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE TABLE accounts (
  id {{id}},
  email TEXT UNIQUE,
  password_hash TEXT,
  display_name TEXT NOT NULL,
  email_verified_at BIGINT,
  federation_admin INTEGER NOT NULL DEFAULT 0,
  locale TEXT NOT NULL DEFAULT 'fr',
  timezone TEXT NOT NULL DEFAULT 'Europe/Paris',
  created_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE TABLE profiles (
  account_id BIGINT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  bio TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  remote_only INTEGER NOT NULL DEFAULT 0,
  hours_per_week INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);
CREATE TABLE profile_skills (
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  skill_id BIGINT NOT NULL REFERENCES skills(id),
  PRIMARY KEY (account_id, skill_id)
);
CREATE TABLE profile_causes (
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  cause_id BIGINT NOT NULL REFERENCES causes(id),
  PRIMARY KEY (account_id, cause_id)
);
CREATE TABLE profile_languages (
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('basic', 'conversational', 'fluent', 'native')),
  PRIMARY KEY (account_id, language)
);
CREATE TABLE availability_slots (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  CHECK (end_minute > start_minute)
);
CREATE INDEX availability_slots_account ON availability_slots (account_id);
CREATE TABLE memberships (
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  association_id BIGINT NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'volunteer')),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, association_id)
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE TABLE api_tokens (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE TABLE email_tokens (
  token_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE TABLE login_attempts (
  throttle_key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  failures INTEGER NOT NULL
);
CREATE TABLE mission_templates (
  id {{id}},
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('micro', 'regular', 'event')),
  mode TEXT NOT NULL CHECK (mode IN ('remote', 'onsite', 'hybrid')),
  duration_minutes INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE TABLE missions (
  id {{id}},
  association_id BIGINT NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('micro', 'regular', 'event')),
  mode TEXT NOT NULL CHECK (mode IN ('remote', 'onsite', 'hybrid')),
  place TEXT NOT NULL DEFAULT '',
  starts_on TEXT NOT NULL DEFAULT '',
  ends_on TEXT NOT NULL DEFAULT '',
  schedule TEXT NOT NULL DEFAULT '',
  duration_minutes INTEGER NOT NULL DEFAULT 0,
  places_available INTEGER NOT NULL DEFAULT 1,
  referent_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed')),
  created_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX missions_status ON missions (status, starts_on);
CREATE INDEX missions_association ON missions (association_id);
CREATE TABLE mission_skills (
  mission_id BIGINT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
  skill_id BIGINT NOT NULL REFERENCES skills(id),
  required INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (mission_id, skill_id)
);
CREATE INDEX mission_skills_skill ON mission_skills (skill_id);
CREATE TABLE mission_causes (
  mission_id BIGINT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
  cause_id BIGINT NOT NULL REFERENCES causes(id),
  PRIMARY KEY (mission_id, cause_id)
);
CREATE INDEX mission_causes_cause ON mission_causes (cause_id);
CREATE TABLE mission_languages (
  mission_id BIGINT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  required INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (mission_id, language)
);
CREATE TABLE applications (
  id {{id}},
  mission_id BIGINT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
  account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'interview_scheduled', 'charter_signed', 'training_done',
                                         'active', 'completed', 'withdrawn', 'declined')),
  motivation TEXT NOT NULL DEFAULT '',
  referent_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  charter_signed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX applications_one_per_person ON applications (mission_id, account_id);
CREATE INDEX applications_account ON applications (account_id);
CREATE TABLE application_events (
  id {{id}},
  application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  actor_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  note TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE INDEX application_events_application ON application_events (application_id);
CREATE TABLE hours (
  id {{id}},
  application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  association_id BIGINT NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('pending', 'validated', 'rejected')),
  validated_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  validated_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX hours_association ON hours (association_id, status);
CREATE TABLE feedback (
  id {{id}},
  application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  author_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  direction TEXT NOT NULL CHECK (direction IN ('from_volunteer', 'from_association')),
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE (application_id, direction)
);
)SQL";

// The federation's starting skills and causes lists; admins extend them.
const char* const kStartingLists = R"SQL(
INSERT INTO skills (slug, name_fr, name_en) VALUES
  ('writing', 'Rédaction', 'Writing'),
  ('translation', 'Traduction', 'Translation'),
  ('graphic-design', 'Graphisme', 'Graphic design'),
  ('web-development', 'Développement web', 'Web development'),
  ('social-media', 'Réseaux sociaux', 'Social media'),
  ('accounting', 'Comptabilité', 'Accounting'),
  ('legal', 'Droit', 'Law'),
  ('teaching', 'Soutien scolaire', 'Tutoring'),
  ('first-aid', 'Premiers secours', 'First aid'),
  ('driving', 'Conduite', 'Driving'),
  ('cooking', 'Cuisine', 'Cooking'),
  ('event-organisation', 'Organisation d''événements', 'Event organising'),
  ('moderation', 'Modération', 'Moderation'),
  ('fundraising', 'Collecte de fonds', 'Fundraising'),
  ('listening', 'Écoute', 'Listening'),
  ('photography', 'Photographie', 'Photography'),
  ('data-entry', 'Saisie de données', 'Data entry'),
  ('handiwork', 'Bricolage', 'Handiwork');
INSERT INTO causes (slug, name_fr, name_en) VALUES
  ('environment', 'Environnement', 'Environment'),
  ('solidarity', 'Solidarité', 'Solidarity'),
  ('education', 'Éducation', 'Education'),
  ('health', 'Santé', 'Health'),
  ('culture', 'Culture', 'Culture'),
  ('sport', 'Sport', 'Sport'),
  ('human-rights', 'Droits humains', 'Human rights'),
  ('animals', 'Protection animale', 'Animal welfare'),
  ('digital-inclusion', 'Inclusion numérique', 'Digital inclusion'),
  ('refugees', 'Accueil des réfugiés', 'Refugee support');
)SQL";

// Lower-cased, accent-free title and description (see SearchText.h), filled
// by the application; rows of older versions are filled at start.
const char* const kMissionSearchText = R"SQL(
ALTER TABLE missions ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
)SQL";

}  // namespace

const storage::ModuleMigrations& kernelMigrations() {
  static const storage::ModuleMigrations migrations{"kernel",
                                                    {{1, "initial schema", kInitialSchema},
                                                     {2, "starting skills and causes", kStartingLists},
                                                     {3, "mission search text", kMissionSearchText},
                                                     associationLocaleMigration()}};
  return migrations;
}

}  // namespace ruche::domain
