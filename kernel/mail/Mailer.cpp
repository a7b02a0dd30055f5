#include "kernel/mail/Mailer.h"

#include <Poco/Logger.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StringPartSource.h>

#include <memory>
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

/// The MIME message of `mail`, from the configured sender.
std::unique_ptr<Poco::Net::MailMessage> Mailer::message(const OutgoingMail& mail) const {
  auto message = std::make_unique<Poco::Net::MailMessage>();
  message->setSender(settings_.from);
  message->addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
  message->setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
  for (const auto& [name, value] : mail.headers) {
    message->set(name, value);
  }
  if (mail.html) {
    // RFC 2046: the alternatives from the plainest to the richest; a reader
    // shows the last one it can. Quoted-printable keeps accents and long lines
    // (soft breaks at 76 characters) intact through any relay.
    message->setContentType("multipart/alternative");
    message->addContent(new Poco::Net::StringPartSource(withCrlf(mail.body), "text/plain; charset=UTF-8"),
                        Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    message->addContent(new Poco::Net::StringPartSource(withCrlf(*mail.html), "text/html; charset=UTF-8"),
                        Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
  } else {
    message->setContentType("text/plain; charset=UTF-8");
    message->setContent(withCrlf(mail.body), Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
  }
  return message;
}

std::unique_ptr<Poco::Net::SMTPClientSession> Mailer::connect() const {
  // Bounded waits: a batch of mails runs inside one event delivery, whose
  // lease (60 s by default) a hung relay must not outlast; `ruche doctor`
  // must answer too.
  const Poco::Timespan timeout(kSmtpTimeoutSeconds, 0);
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress(settings_.host, static_cast<Poco::UInt16>(settings_.port)), timeout);
  auto session = std::make_unique<Poco::Net::SMTPClientSession>(socket);
  session->setTimeout(timeout);
  return session;
}

std::unique_ptr<Poco::Net::SMTPClientSession> Mailer::openSession() const {
  auto session = connect();
  if (settings_.user.empty()) {
    session->login();
  } else {
    session->login(Poco::Net::SMTPClientSession::AUTH_LOGIN, settings_.user, settings_.password);
  }
  return session;
}

std::string Mailer::failure(const std::string& what) const {
  return "cannot send mail through " + settings_.host + ":" + std::to_string(settings_.port) + ": " + what;
}

void Mailer::send(const OutgoingMail& mail) {
  std::vector<std::string> errors = sendAll({mail});
  if (!errors.front().empty()) {
    throw std::runtime_error(errors.front());
  }
}

std::vector<std::string> Mailer::sendAll(const std::vector<OutgoingMail>& mails,
                                         std::chrono::steady_clock::time_point deadline) {
  std::vector<std::string> errors(mails.size());
  if (!enabled()) {
    for (const auto& mail : mails) {
      Poco::Logger::get("ruche.mail")
          .information("mail disabled (no smtp.host); would send to %s: %s\n%s%s", mail.to, mail.subject, mail.body,
                       std::string(mail.html ? "\n(with an HTML part)" : ""));
    }
    return errors;
  }
  // One session for them all: a connection and a greeting per mail cost the
  // relay and us more than the mail itself.
  std::unique_ptr<Poco::Net::SMTPClientSession> session;
  auto failTheRest = [&](std::size_t failed) {
    for (std::size_t rest = failed + 1; rest < mails.size(); ++rest) {
      errors[rest] = errors[failed];
    }
  };
  for (std::size_t i = 0; i < mails.size(); ++i) {
    if (i > 0 && std::chrono::steady_clock::now() >= deadline) {
      errors[i] = "not tried: the time for this batch of mails was up";
      failTheRest(i);
      break;
    }
    try {
      if (!session) {
        session = openSession();
      }
      session->sendMessage(*message(mails[i]));
    } catch (const Poco::Net::SMTPException& e) {
      errors[i] = failure(e.displayText());
      if (!session) {
        // Refused at the greeting or the login: so would the rest be.
        failTheRest(i);
        return errors;
      }
      // The server refused this mail (a recipient, say): the transaction is
      // left half open; RSET ends it, or the next mail starts a new session.
      try {
        std::string answer;
        if (session->sendCommand("RSET", answer) / 100 != 2) {  // 2xx: positive completion (RFC 5321)
          session.reset();
        }
      } catch (const Poco::Exception&) {
        session.reset();
      }
    } catch (const std::exception& e) {
      // Poco's network errors and anything else: the session's state is
      // unknown (a late answer may still come), so it is dropped.
      const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
      errors[i] = failure(poco != nullptr ? poco->displayText() : std::string(e.what()));
      if (!session) {
        // Not even a session: the rest would fail the same way, one timeout each.
        failTheRest(i);
        return errors;
      }
      session.reset();
    }
  }
  if (session) {
    try {
      session->close();
    } catch (const std::exception&) {
      // Every mail was answered already; a lost QUIT changes nothing.
    }
  }
  return errors;
}

void Mailer::check() {
  if (!enabled()) {
    throw std::runtime_error("smtp.host is not set: mail is written to the log instead of being sent");
  }
  try {
    auto session = connect();
    session->login();
    session->close();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot reach " + settings_.host + ":" + std::to_string(settings_.port) + ": " +
                             e.displayText());
  }
}

}  // namespace ruche::mail
