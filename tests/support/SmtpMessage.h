#pragma once

#include <string>
#include <vector>

namespace ruche::testing {

/// One message received by SmtpSink.
struct SmtpMessage {
  std::string from;             ///< envelope sender (MAIL FROM), without angle brackets
  std::vector<std::string> to;  ///< envelope recipients (RCPT TO), without angle brackets
  std::string data;             ///< raw message as sent after DATA, dot-unstuffed, CRLF line ends
  std::string subject;          ///< Subject header, RFC 2047 encoded words decoded (UTF-8 assumed)
  std::string body;             ///< decoded text: quoted-printable and base64 undone; for multipart,
                                ///< the first text/plain part (else the first text part); LF line ends
  std::string html;             ///< decoded like body: the first text/html part of a multipart
                                ///< message; empty when there is none

  /// Fills subject, body and html from data; from and to are left as they are.
  /// A message that cannot be parsed keeps an empty subject and the raw text after
  /// the headers as body.
  void decode();
};

}  // namespace ruche::testing
