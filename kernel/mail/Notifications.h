#pragma once

#include <string>

#include "kernel/events/EventBus.h"
#include "kernel/mail/MailLayout.h"
#include "kernel/mail/Mailer.h"
#include "kernel/storage/Database.h"
#include "kernel/themes/Templates.h"

namespace ruche::mail {

/// Turns domain events into notification mails, after commit, through the
/// outbox: application.created mails the association's coordinators and
/// admins (application_received), application.status_changed mails the
/// volunteer (application_status; not when they made the change themselves),
/// hours.validated mails the volunteer (hours_validated).
///
/// Each recipient gets the text of their account's locale, only if they have
/// not turned the kind off, with an unsubscribe link at the end of the body and
/// in a List-Unsubscribe header. The same text, in the theme's mail layout,
/// goes as an HTML alternative whose footer holds the same links. A failing SMTP server makes deliver() throw,
/// so the bus retries with backoff and finally dead-letters; recipients already
/// mailed for a delivery (mail_sent) are skipped on the retry.
class Notifications {
 public:
  Notifications(storage::Database& db, Mailer& mailer, const themes::Templates& templates, std::string baseUrl)
      : db_(db),
        mailer_(mailer),
        texts_(templates.catalog()),
        layout_(templates, baseUrl),
        baseUrl_(std::move(baseUrl)) {}

  /// Subscribes "mail" (application.*) and "mail.hours" (hours.validated).
  void subscribe(events::EventBus& bus);

  /// Handles one delivery; topics it does not know are ignored.
  void deliver(const events::Delivery& delivery);

 private:
  storage::Database& db_;
  Mailer& mailer_;
  const themes::Catalog& texts_;
  MailLayout layout_;
  std::string baseUrl_;
};

}  // namespace ruche::mail
