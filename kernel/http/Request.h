#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/http/Multipart.h"

namespace ruche::http {

/// Who is making the request, filled by the session or API-token middleware.
struct Visitor {
  long long accountId = 0;  ///< 0 for an anonymous visitor
  std::string email;
  std::string displayName;
  bool federationAdmin = false;
  bool emailVerified = false;
  bool viaApiToken = false;
  bool signedIn() const { return accountId != 0; }
};

/// The association named by `/a/<slug>/…`, resolved by middleware.
struct AssociationRef {
  long long id = 0;
  std::string slug;
  std::string name;
  std::string defaultLocale;  ///< "fr" or "en": for visitors who chose no language
  std::string timeZone;       ///< an IANA zone, for visitors who chose none
};

/// One HTTP request as handlers see it: parsed once at the edge.
class Request {
 public:
  std::string method;  ///< upper case; HEAD is served by GET routes
  std::string path;    ///< decoded path, without the query
  std::string target;  ///< path and query as sent, for redirects back
  std::map<std::string, std::vector<std::string>> query;
  std::map<std::string, std::vector<std::string>> form;    ///< urlencoded or multipart body's text fields
  std::map<std::string, std::vector<UploadedFile>> files;  ///< multipart body's files, by field name
  std::map<std::string, std::string> headers;              ///< lower-case names
  std::map<std::string, std::string> cookies;
  std::map<std::string, std::string> pathParams;
  std::string body;
  std::string remoteIp;
  std::string requestId;

  // Context filled by middleware.
  Visitor visitor;
  std::optional<AssociationRef> association;
  std::string sessionToken;  ///< raw cookie value, empty if none
  std::string csrfToken;     ///< the token forms of this visitor must carry
  /// The CSRF token was made for this request (no cookie holds it yet): its
  /// cookie is sent only if the answer hands the token out (see SessionMiddleware).
  bool csrfTokenIsNew = false;
  std::string locale = "fr";
  std::string timeZone = "Europe/Paris";  ///< IANA zone dates are shown in (the person's, else the association's)
  /// Set by the pipeline when the matched route is embeddable: its pages may
  /// be framed by other sites and it runs without the visitor's session.
  bool embeddable = false;

  /// First value, or "" when absent.
  std::string queryValue(const std::string& name) const;
  std::string formValue(const std::string& name) const;
  std::vector<std::string> formValues(const std::string& name) const;
  std::vector<std::string> queryValues(const std::string& name) const;
  /// The first file sent in field `name`, or null when none was.
  const UploadedFile* file(const std::string& name) const;
  std::string header(const std::string& lowerName) const;
  std::string cookie(const std::string& name) const;
  std::string param(const std::string& name) const;

  /// True for /api/… requests: errors become problem JSON, not pages.
  bool isApi() const { return path.rfind("/api/", 0) == 0; }
  bool isUnsafeMethod() const { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }
};

/// A request target with the value of every query parameter whose name
/// contains "token" replaced by "…", for logs.
std::string redactTokens(const std::string& target);

/// Parses application/x-www-form-urlencoded text (also used for queries).
std::map<std::string, std::vector<std::string>> parseUrlEncoded(const std::string& text);

}  // namespace ruche::http
