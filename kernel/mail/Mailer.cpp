#include "kernel/mail/Mailer.h"

#include <Poco/Logger.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>

#include <stdexcept>

namespace ruche::mail {

void Mailer::send(const OutgoingMail& mail) {
  if (!enabled()) {
    Poco::Logger::get("ruche.mail")
        .information("mail disabled (no smtp.host); would send to %s: %s\n%s", mail.to, mail.subject, mail.body);
    return;
  }
  Poco::Net::MailMessage message;
  message.setSender(settings_.from);
  message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
  message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
  message.setContentType("text/plain; charset=UTF-8");
  for (const auto& [name, value] : mail.headers) {
    message.set(name, value);
  }
  message.setContent(mail.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
  try {
    Poco::Net::SMTPClientSession session(settings_.host, static_cast<Poco::UInt16>(settings_.port));
    if (settings_.user.empty()) {
      session.login();
    } else {
      session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, settings_.user, settings_.password);
    }
    session.sendMessage(message);
    session.close();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot send mail through " + settings_.host + ":" + std::to_string(settings_.port) +
                             ": " + e.displayText());
  }
}

void Mailer::check() {
  if (!enabled()) {
    throw std::runtime_error("smtp.host is not set: mail is written to the log instead of being sent");
  }
  try {
    Poco::Net::SMTPClientSession session(settings_.host, static_cast<Poco::UInt16>(settings_.port));
    session.login();
    session.close();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot reach " + settings_.host + ":" + std::to_string(settings_.port) + ": " +
                             e.displayText());
  }
}

}  // namespace ruche::mail
