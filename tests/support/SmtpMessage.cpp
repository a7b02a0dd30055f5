#include "tests/support/SmtpMessage.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/QuotedPrintableDecoder.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <iterator>
#include <optional>
#include <sstream>

namespace ruche::testing {

namespace {

std::string toLf(const std::string& text) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    }
    result += text[i];
  }
  return result;
}

/// Media type in lower case without parameters, and its parameters.
std::string mediaType(const Poco::Net::MessageHeader& header, Poco::Net::NameValueCollection& parameters) {
  std::string type;
  Poco::Net::MessageHeader::splitParameters(header.get("Content-Type", "text/plain"), type, parameters);
  return Poco::toLower(Poco::trim(type));
}

std::string decodeTransfer(const Poco::Net::MessageHeader& header, std::istream& content) {
  std::string encoding = Poco::toLower(Poco::trim(header.get("Content-Transfer-Encoding", "7bit")));
  std::string decoded;
  if (encoding == "quoted-printable") {
    Poco::Net::QuotedPrintableDecoder decoder(content);
    Poco::StreamCopier::copyToString(decoder, decoded);
  } else if (encoding == "base64") {
    Poco::Base64Decoder decoder(content);
    Poco::StreamCopier::copyToString(decoder, decoded);
  } else {
    Poco::StreamCopier::copyToString(content, decoded);
  }
  return toLf(decoded);
}

/// The first part, depth first, of the wanted media type; "text/" means any text type.
std::optional<std::string> textOf(const Poco::Net::MessageHeader& header, std::istream& content,
                                  const std::string& wantedType) {
  Poco::Net::NameValueCollection parameters;
  std::string type = mediaType(header, parameters);
  if (type.starts_with("multipart/")) {
    std::string boundary = parameters.get("boundary", "");
    if (boundary.empty()) {
      return std::nullopt;
    }
    Poco::Net::MultipartReader reader(content, boundary);
    while (reader.hasNextPart()) {
      Poco::Net::MessageHeader partHeader;
      reader.nextPart(partHeader);
      // Read the whole part first: MultipartReader needs it consumed before nextPart.
      std::string part;
      Poco::StreamCopier::copyToString(reader.stream(), part);
      std::istringstream partStream(part);
      std::optional<std::string> text = textOf(partHeader, partStream, wantedType);
      if (text) {
        return text;
      }
    }
    return std::nullopt;
  }
  bool wanted = wantedType == "text/" ? type.starts_with("text/") : type == wantedType;
  if (!wanted) {
    return std::nullopt;
  }
  return decodeTransfer(header, content);
}

}  // namespace

void SmtpMessage::decode() {
  subject.clear();
  body.clear();
  html.clear();
  std::istringstream input(data);
  Poco::Net::MessageHeader header;
  try {
    header.read(input);
  } catch (const Poco::Exception&) {
    body = toLf(data);
    return;
  }
  subject = header.get("Subject", "");
  std::string rest((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
  // MessageHeader::read leaves the line break of the empty line that ends the headers.
  if (rest.starts_with("\r\n")) {
    rest.erase(0, 2);
  } else if (rest.starts_with("\n")) {
    rest.erase(0, 1);
  }
  try {
    Poco::Net::NameValueCollection parameters;
    if (!mediaType(header, parameters).starts_with("multipart/")) {
      std::istringstream content(rest);
      body = decodeTransfer(header, content);
      return;
    }
    {
      std::istringstream content(rest);
      html = textOf(header, content, "text/html").value_or("");
    }
    for (const char* wantedType : {"text/plain", "text/"}) {
      std::istringstream content(rest);
      if (std::optional<std::string> text = textOf(header, content, wantedType)) {
        body = *text;
        return;
      }
    }
    body = toLf(rest);
  } catch (const Poco::Exception&) {
    body = toLf(rest);
  }
}

}  // namespace ruche::testing
