#include "kernel/http/HttpServer.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Random.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <limits>
#include <sstream>
#include <thread>
#include <utility>

#include "kernel/http/Multipart.h"
#include "kernel/http/PolledSocket.h"
#include "kernel/http/RequestIdFormatter.h"

namespace ruche::http {
namespace {

std::string newRequestId() {
  static thread_local Poco::Random random = [] {
    Poco::Random r;
    r.seed();
    return r;
  }();
  static const char* hex = "0123456789abcdef";
  std::string id(16, '0');
  for (auto& c : id) {
    c = hex[random.next(16)];
  }
  return id;
}

bool acceptableRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::map<std::string, std::string> parseCookies(const std::string& header) {
  std::map<std::string, std::string> cookies;
  std::istringstream in(header);
  std::string part;
  while (std::getline(in, part, ';')) {
    auto eq = part.find('=');
    if (eq == std::string::npos) {
      continue;
    }
    auto begin = part.find_first_not_of(' ');
    std::string name = part.substr(begin, eq - begin);
    cookies.emplace(name, part.substr(eq + 1));
  }
  return cookies;
}

/// `IP "METHOD TARGET" STATUS BYTES 1.2ms`, built directly: Poco::format
/// cost more than the rest of the line's way to the log.
std::string accessLine(const std::string& ip, const std::string& method, const std::string& target, int status,
                       std::size_t bytes, long long micros) {
  char millis[32];
  std::snprintf(millis, sizeof millis, "%.1fms", static_cast<double>(micros) / 1000.0);
  std::string line;
  line.reserve(ip.size() + method.size() + target.size() + 48);
  line.append(ip).append(" \"").append(method).append(" ").append(target).append("\" ");
  line.append(std::to_string(status)).append(" ").append(std::to_string(bytes)).append(" ").append(millis);
  return line;
}

}  // namespace

class HttpServer::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(HttpServer& owner) : owner_(owner) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    auto started = std::chrono::steady_clock::now();
    InFlight counted(owner_.inFlight_);
    Request request;
    Response response;
    std::string incomingId = in.get("X-Request-Id", "");
    request.requestId = acceptableRequestId(incomingId) ? incomingId : newRequestId();
    setCurrentRequestId(request.requestId);
    try {
      if (parse(in, request, response)) {
        owner_.pipeline_.handle(request, response);
      }
    } catch (const std::exception& e) {
      Poco::Logger::get("ruche.http").error("request failed before the pipeline: %s", std::string(e.what()));
      response.text("Internal Server Error\n", 500);
    }
    try {
      write(in, out, request, response);
    } catch (const std::exception& e) {
      // The client went away mid-response: nothing more to tell it.
      Poco::Logger::get("ruche.http").notice("response not delivered: %s", std::string(e.what()));
    }
    auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    static Poco::Logger& accessLog = Poco::Logger::get("ruche.access");
    if (accessLog.information()) {
      accessLog.information(accessLine(request.remoteIp, in.getMethod(), redactTokens(in.getURI()), response.status,
                                       response.body.size(), micros));
    }
    setCurrentRequestId("");
  }

 private:
  // Counts a request as in flight for exactly as long as it is handled,
  // even when writing the response throws.
  class InFlight {
   public:
    explicit InFlight(std::atomic<int>& counter) : counter_(counter) { ++counter_; }
    ~InFlight() { --counter_; }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

   private:
    std::atomic<int>& counter_;
  };

  // The socket's peer, or — when that peer is our reverse proxy — the last
  // address it appended to X-Forwarded-For (earlier ones are the client's say).
  std::string clientIp(const Poco::Net::HTTPServerRequest& in) const {
    std::string peer = in.clientAddress().host().toString();
    const auto& trusted = owner_.settings_.trustedProxies;
    if (std::find(trusted.begin(), trusted.end(), peer) == trusted.end() || !in.has("X-Forwarded-For")) {
      return peer;
    }
    std::string forwarded = in.get("X-Forwarded-For");
    auto comma = forwarded.rfind(',');
    std::string last = forwarded.substr(comma == std::string::npos ? 0 : comma + 1);
    last.erase(0, last.find_first_not_of(' '));
    last.erase(last.find_last_not_of(' ') + 1);
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(last, address) ? address.toString() : peer;
  }

  // Fills `request`; on a request that must be refused, fills `response` and returns false.
  bool parse(Poco::Net::HTTPServerRequest& in, Request& request, Response& response) {
    request.method = in.getMethod();
    request.target = in.getURI();
    request.remoteIp = clientIp(in);
    try {
      Poco::URI uri(in.getURI());
      request.path = uri.getPath();
      request.query = parseUrlEncoded(uri.getRawQuery());
    } catch (const Poco::Exception&) {
      owner_.pipeline_.refuse(request, response, badRequest("The request URI is malformed."));
      return false;
    }
    if (request.path.empty()) {
      request.path = "/";
    }
    for (const auto& [name, value] : in) {
      std::string lower = name;
      for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      request.headers[lower] = value;
    }
    request.cookies = parseCookies(in.get("Cookie", ""));
    return readBody(in, request, response);
  }

  struct BodyLimit {
    std::size_t bytes;
    std::string refusal;  // the 413's message
  };

  // http.max_body_bytes, or the larger limit of an upload path
  // (uploadBodyLimits) for a request the gate lets through.
  BodyLimit bodyLimit(const Request& request) const {
    const std::size_t normal = owner_.settings_.maxBodyBytes;
    const auto& uploads = owner_.settings_.uploadBodyLimits;
    auto upload = uploads.find(request.path);
    if (request.method == "POST" && upload != uploads.end() && upload->second > normal) {
      if (mayExceed(request)) {
        return {upload->second, "The request body is larger than " + std::to_string(upload->second) + " bytes."};
      }
      return {normal, "Only a signed-in federation admin may send more than " + std::to_string(normal) +
                          " bytes here: sign in again, then retry."};
    }
    return {normal, "The request body is larger than " + std::to_string(normal) + " bytes."};
  }

  // The gate's answer; false without a gate or when it fails.
  bool mayExceed(const Request& request) const {
    if (!owner_.largeBodies_) {
      return false;
    }
    try {
      return owner_.largeBodies_(request);
    } catch (const std::exception& e) {
      Poco::Logger::get("ruche.http").error("the large-body gate failed: %s", std::string(e.what()));
      return false;
    }
  }

  bool readBody(Poco::Net::HTTPServerRequest& in, Request& request, Response& response) {
    const BodyLimit allowed = bodyLimit(request);
    const std::size_t limit = allowed.bytes;
    if (in.hasContentLength() && static_cast<std::size_t>(in.getContentLength64()) > limit) {
      response.closeConnection = true;
      // A body up to a few times the limit (at least 1 MiB) is read and
      // dropped, so the client sees our 413 instead of a connection reset in
      // the middle of sending.
      const std::size_t drained = std::max<std::size_t>(4 * limit, std::size_t{1} << 20);
      if (static_cast<std::size_t>(in.getContentLength64()) <= drained) {
        in.stream().ignore(std::numeric_limits<std::streamsize>::max());
      }
      owner_.pipeline_.refuse(request, response, HttpError(413, "Content Too Large", allowed.refusal));
      return false;
    }
    if (in.hasContentLength() || in.getChunkedTransferEncoding()) {
      std::istream& stream = in.stream();
      char buffer[8192];
      while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
        request.body.append(buffer, static_cast<std::size_t>(stream.gcount()));
        if (request.body.size() > limit) {
          response.closeConnection = true;
          owner_.pipeline_.refuse(request, response, HttpError(413, "Content Too Large", allowed.refusal));
          return false;
        }
      }
    }
    if (in.getContentType().rfind("application/x-www-form-urlencoded", 0) == 0) {
      request.form = parseUrlEncoded(request.body);
    } else if (isMultipartFormData(in.getContentType())) {
      // Taken apart here like a urlencoded form, so the CSRF check and the
      // handlers read its text fields from request.form.
      try {
        MultipartForm form = parseMultipart(request.body, in.getContentType());
        request.form = std::move(form.fields);
        request.files = std::move(form.files);
      } catch (const HttpError& error) {
        owner_.pipeline_.refuse(request, response, error);
        return false;
      }
    }
    return true;
  }

  void write(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out, const Request& request,
             Response& response) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    out.setContentType(response.contentType);
    out.set("X-Request-Id", request.requestId);
    for (const auto& [name, value] : response.headers) {
      out.set(name, value);
    }
    for (const auto& cookie : response.setCookies) {
      out.add("Set-Cookie", cookie);
    }
    // Fairness: if connections wait for a thread, this one gives its thread up.
    if (response.closeConnection || owner_.server_->queuedConnections() > 0 ||
        owner_.server_->currentThreads() >= owner_.settings_.threads) {
      out.setKeepAlive(false);
    }
    out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
    if (in.getMethod() == "HEAD") {
      out.send();
      return;
    }
    out.sendBuffer(response.body.data(), response.body.size());
  }

  HttpServer& owner_;
};

class HttpServer::Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(HttpServer& owner) : owner_(owner) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(owner_);
  }

 private:
  HttpServer& owner_;
};

HttpServer::HttpServer(const config::HttpSettings& settings, const Pipeline& pipeline, LargeBodyGate largeBodies)
    : settings_(settings), pipeline_(pipeline), largeBodies_(std::move(largeBodies)) {}

HttpServer::~HttpServer() {
  if (server_) {
    stop(std::chrono::seconds(5));
  }
}

void HttpServer::start() {
  PolledServerSocket socket;
  try {
    Poco::Net::SocketAddress address(settings_.listenHost, static_cast<Poco::UInt16>(settings_.listenPort));
    socket.bind(address, true);
    socket.listen(settings_.backlog);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + settings_.listenHost + ":" + std::to_string(settings_.listenPort) +
                             ": " + e.displayText());
  }
  port_ = socket.address().port();

  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(settings_.threads);
  params->setMaxQueued(settings_.queue);
  params->setKeepAlive(settings_.keepAliveSeconds > 0);
  params->setKeepAliveTimeout(Poco::Timespan(settings_.keepAliveSeconds, 0));
  params->setMaxKeepAliveRequests(settings_.keepAliveRequests);
  params->setTimeout(Poco::Timespan(settings_.requestTimeoutSeconds, 0));
  params->setServerName("Ruche");
  params->setThreadIdleTime(Poco::Timespan(10, 0));

  // Poco's default pool stops at 16 threads; ours grows to the configured size.
  pool_ = std::make_unique<Poco::ThreadPool>(2, settings_.threads, 10, 512 * 1024);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), *pool_, socket, params);
  server_->start();
}

void HttpServer::stop(std::chrono::milliseconds drain) {
  if (!server_) {
    return;
  }
  // Stop accepting; keep-alive loops end after their current request.
  server_->stopAll(false);
  auto deadline = std::chrono::steady_clock::now() + drain;
  while (inFlight_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Nothing in flight any more: close idle keep-alive connections now rather
  // than waiting for their timeout.
  server_->stopAll(true);
  server_.reset();
  pool_->joinAll();
}

}  // namespace ruche::http
