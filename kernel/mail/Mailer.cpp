#include "kernel/mail/Mailer.h"

#include <Poco/Logger.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/StringPartSource.h>

#include <stdexcept>

namespace ruche::mail {
namespace {

/// SMTP lines end with CR LF (RFC 5321). Poco dot-stuffs only after CR LF, so
/// a line of text starting with "." after a bare LF lost its dot; and servers
/// refuse or rewrite bare LFs (SMTP smuggling defences).
std::string withCrlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Mailer::send(const OutgoingMail& mail) {
  if (!enabled()) {
    Poco::Logger::get("ruche.mail")
        .information("mail disabled (no smtp.host); would send to %s: %s\n%s%s", mail.to, mail.subject, mail.body,
                     std::string(mail.html ? "\n(with an HTML part)" : ""));
    return;
  }
  Poco::Net::MailMessage message;
  message.setSender(settings_.from);
  message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
  message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
  for (const auto& [name, value] : mail.headers) {
    message.set(name, value);
  }
  if (mail.html) {
    // RFC 2046: the alternatives from the plainest to the richest; a reader
    // shows the last one it can. Quoted-printable keeps accents and long lines
    // (soft breaks at 76 characters) intact through any relay.
    message.setContentType("multipart/alternative");
    message.addContent(new Poco::Net::StringPartSource(withCrlf(mail.body), "text/plain; charset=UTF-8"),
                       Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    message.addContent(new Poco::Net::StringPartSource(withCrlf(*mail.html), "text/html; charset=UTF-8"),
                       Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
  } else {
    message.setContentType("text/plain; charset=UTF-8");
    message.setContent(withCrlf(mail.body), Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
  }
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
