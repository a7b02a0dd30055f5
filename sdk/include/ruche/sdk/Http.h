#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ruche::sdk {

class Context;

/// Who is asking, as the kernel's session or API-token check found them.
struct Visitor {
  long long accountId = 0;  ///< 0 for an anonymous visitor
  std::string email;
  std::string displayName;
  bool federationAdmin = false;
  bool viaApiToken = false;
  bool signedIn() const { return accountId != 0; }
};

/// The association of the path `/a/<slug>/…`, or of an event.
struct Association {
  long long id = 0;  ///< 0: federation level
  std::string slug;
  std::string name;
};

/// One file of a multipart/form-data body (SDK 1.1).
struct UploadedFile {
  std::string filename;     ///< as the browser named it, without folders; may be empty
  std::string contentType;  ///< as the browser said: never trust it, look at the bytes
  std::string content;      ///< the bytes
};

/// One HTTP request, read-only. Implemented by the kernel over its own
/// request; valid for the duration of the handler call only.
class Request {
 public:
  virtual ~Request() = default;
  virtual const std::string& method() const = 0;  ///< upper case
  virtual const std::string& path() const = 0;    ///< decoded, without the query
  virtual const std::string& target() const = 0;  ///< path and query as sent
  /// A `{name}` segment of the route's path.
  virtual std::string param(const std::string& name) const = 0;
  virtual std::string query(const std::string& name) const = 0;  ///< first value or ""
  virtual std::vector<std::string> queryValues(const std::string& name) const = 0;
  virtual std::string form(const std::string& name) const = 0;  ///< urlencoded body; first value or ""
  virtual std::vector<std::string> formValues(const std::string& name) const = 0;
  virtual std::string header(const std::string& name) const = 0;  ///< any case; "" when absent
  virtual const std::string& body() const = 0;                    ///< raw body (JSON APIs, signed callbacks)
  virtual const std::string& remoteIp() const = 0;                ///< the client, behind trusted proxies too
  virtual const std::string& requestId() const = 0;
  virtual const Visitor& visitor() const = 0;
  virtual const std::string& locale() const = 0;     ///< "fr" or "en"
  virtual const std::string& csrfToken() const = 0;  ///< every POST form carries it as the field `_csrf`
  /// (SDK 1.1) The first file sent in the multipart/form-data field `name`
  /// (a form with enctype="multipart/form-data"; its text fields are read
  /// with form()), or nullopt when none was. Its size is bounded by the
  /// kernel's http.max_body_bytes.
  virtual std::optional<UploadedFile> file(const std::string& name) const = 0;
};

/// What a handler produces. Status 200 HTML by default.
struct Response {
  int status = 200;
  std::string contentType = "text/html; charset=utf-8";
  std::string body;
  std::map<std::string, std::string> headers;

  void html(std::string content, int code = 200) {
    status = code;
    contentType = "text/html; charset=utf-8";
    body = std::move(content);
  }
  void json(std::string content, int code = 200) {
    status = code;
    contentType = "application/json";
    body = std::move(content);
  }
  void text(std::string content, int code = 200) {
    status = code;
    contentType = "text/plain; charset=utf-8";
    body = std::move(content);
  }
  /// 303 See Other (post/redirect/get). Only paths of this site: "/…".
  void redirect(const std::string& location, int code = 303) {
    status = code;
    headers["Location"] = location;
    body.clear();
  }
};

/// Who may call a route. The kernel checks it before the handler (401/403);
/// deny-by-default means every route names one.
enum class Access {
  Public,            ///< anyone, signed in or not
  SignedIn,          ///< any signed-in person
  Volunteer,         ///< a member of the path's association (any role)
  Coordinator,       ///< a coordinator or admin of the path's association
  AssociationAdmin,  ///< an admin of the path's association
  FederationAdmin,   ///< a federation admin
};

/// A route handler. Runs inside one database transaction, committed when it
/// returns and rolled back when it throws.
using Handler = std::function<void(Context& context, const Request& request, Response& response)>;

/// Where a route lives:
///  - Association pages: /a/<slug>/<plugin><path>; 404 where the plugin is off.
///  - Federation pages:  /p/<plugin><path>
///  - Association JSON:  /api/v1/associations/<slug>/<plugin><path> (errors are problem JSON)
///  - Federation JSON:   /api/v1/plugins/<plugin><path>
enum class Scope { AssociationPage, FederationPage, AssociationApi, FederationApi };

/// One route a plugin declares. `path` starts with "/" ("/" itself is the
/// plugin's home) and may hold `{name}` segments.
struct Route {
  Scope scope = Scope::AssociationPage;
  std::string method = "GET";
  std::string path = "/";
  Access access = Access::Public;
  Handler handler;
};

}  // namespace ruche::sdk
