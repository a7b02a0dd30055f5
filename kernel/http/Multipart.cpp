#include "kernel/http/Multipart.h"

#include <Poco/Exception.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>

#include <sstream>

#include "kernel/http/HttpError.h"

namespace ruche::http {
namespace {

HttpError malformed(const std::string& why) {
  return badRequest("The multipart/form-data body is malformed: " + why + ".");
}

/// Reads the current part into `out`; false when it is longer than `limit`.
bool readPart(std::istream& in, std::string& out, std::size_t limit) {
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    out.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (out.size() > limit) {
      return false;
    }
  }
  return true;
}

/// Browsers send a bare name, old ones a full path (C:\Users\…\x.tar.gz): keep the last element.
std::string baseName(const std::string& filename) {
  auto slash = filename.find_last_of("/\\");
  return slash == std::string::npos ? filename : filename.substr(slash + 1);
}

}  // namespace

bool isMultipartFormData(const std::string& contentType) {
  try {
    return Poco::Net::MediaType(contentType).matches("multipart", "form-data");
  } catch (const Poco::Exception&) {
    return false;
  }
}

MultipartForm parseMultipart(const std::string& body, const std::string& contentType) {
  std::string boundary;
  try {
    boundary = Poco::Net::MediaType(contentType).getParameter("boundary");
  } catch (const Poco::Exception&) {
    throw malformed("the Content-Type names no boundary");
  }
  if (boundary.empty() || boundary.size() > 70) {
    throw malformed("the boundary is empty or longer than 70 characters");
  }
  MultipartForm form;
  std::istringstream in(body);
  try {
    Poco::Net::MultipartReader reader(in, boundary);
    std::size_t parts = 0;
    while (reader.hasNextPart()) {
      if (++parts > kMaxMultipartParts) {
        throw malformed("more than " + std::to_string(kMaxMultipartParts) + " parts");
      }
      Poco::Net::MessageHeader header;
      header.setFieldLimit(16);
      reader.nextPart(header);
      std::string disposition;
      Poco::Net::NameValueCollection parameters;
      Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, parameters);
      if (Poco::icompare(disposition, "form-data") != 0 || !parameters.has("name")) {
        throw malformed("a part has no Content-Disposition: form-data with a name");
      }
      std::string name = parameters.get("name");
      std::string content;
      bool isFile = parameters.has("filename");
      if (!readPart(reader.stream(), content, isFile ? body.size() : kMaxMultipartFieldBytes)) {
        throw malformed("the field \"" + name + "\" is longer than " + std::to_string(kMaxMultipartFieldBytes) +
                        " bytes");
      }
      if (isFile) {
        form.files[name].push_back({baseName(parameters.get("filename")),
                                    header.get("Content-Type", "application/octet-stream"), std::move(content)});
      } else {
        form.fields[name].push_back(std::move(content));
      }
    }
  } catch (const HttpError&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw malformed(e.displayText());
  }
  return form;
}

}  // namespace ruche::http
