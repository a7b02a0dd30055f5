#include "kernel/mail/MailSchema.h"

namespace ruche::mail {

const storage::ModuleMigrations& mailMigrations() {
  static const storage::ModuleMigrations migrations{"mail",
                                                    {{1, "notification preferences, unsubscribe secret, sent log", R"(
CREATE TABLE notification_preferences (
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  PRIMARY KEY (account_id, kind)
);
CREATE TABLE mail_secrets (
  name TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE mail_sent (
  delivery_key TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (delivery_key, account_id)
);
CREATE INDEX mail_sent_at ON mail_sent (sent_at);
)"}}};
  return migrations;
}

}  // namespace ruche::mail
