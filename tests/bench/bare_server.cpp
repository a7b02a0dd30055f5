// The baseline of the `pages` benchmark: a bare Poco HTTPServer, sized like
// ruche's default HTTP settings, answering every request with one constant
// HTML page of a given size. What ruche adds on top (routing, middleware,
// database, templates) is what the ratio against this server measures.
//
//   ruche_bench_bare_server PORT BYTES
//   ruche_bench_bare_server PORT --see-other
//
// The second form is the `petitions` benchmark's floor: it reads each
// request's body and answers 303 to "?signed=check", as a signature does,
// and nothing else.
//
// Prints "listening on PORT" (the bound port, useful with 0) once it serves;
// stops on SIGINT or SIGTERM.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <memory>
#include <string>

#include "kernel/config/Settings.h"

namespace {

/// Answers with the constant page, nothing else.
class ConstantPageHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ConstantPageHandler(const std::string& page) : page_(page) {}

  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("text/html; charset=utf-8");
    response.setContentLength64(static_cast<Poco::Int64>(page_.size()));
    response.sendBuffer(page_.data(), page_.size());
  }

 private:
  const std::string& page_;
};

/// Reads the body and sends the client on, like an accepted form.
class SeeOtherHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    request.stream().ignore(std::numeric_limits<std::streamsize>::max());
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SEE_OTHER);
    response.set("Location", request.getURI() + "?signed=check");
    response.setContentLength64(0);
    response.send();
  }
};

/// One handler per request, as Poco wants; they share the page.
class ConstantPageFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ConstantPageFactory(std::string page) : page_(std::move(page)) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new ConstantPageHandler(page_);
  }

 private:
  std::string page_;
};

class SeeOtherFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new SeeOtherHandler;
  }
};

/// A page of exactly `bytes` bytes that looks like HTML.
std::string constantPage(std::size_t bytes) {
  std::string head = "<!doctype html><html><body><p>";
  std::string tail = "</p></body></html>\n";
  if (bytes <= head.size() + tail.size()) {
    return std::string(bytes, 'x');
  }
  return head + std::string(bytes - head.size() - tail.size(), 'x') + tail;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: ruche_bench_bare_server PORT BYTES|--see-other\n";
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const bool seeOther = std::string(argv[2]) == "--see-other";
  const long bytes = seeOther ? 0 : std::atol(argv[2]);
  if (port < 0 || port > 65535 || bytes < 0) {
    std::cerr << "ruche_bench_bare_server: bad PORT or BYTES\n";
    return 2;
  }

  // Block the stop signals before any thread starts, then wait for one.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  // The same sizing as ruche's HttpServer with default settings.
  const ruche::config::HttpSettings settings;
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), true);
  socket.listen(settings.backlog);

  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(settings.threads);
  params->setMaxQueued(settings.queue);
  params->setKeepAlive(settings.keepAliveSeconds > 0);
  params->setKeepAliveTimeout(Poco::Timespan(settings.keepAliveSeconds, 0));
  params->setMaxKeepAliveRequests(settings.keepAliveRequests);
  params->setTimeout(Poco::Timespan(settings.requestTimeoutSeconds, 0));
  Poco::ThreadPool pool(2, settings.threads, 10, 512 * 1024);
  auto server = std::make_unique<Poco::Net::HTTPServer>(
      seeOther ? static_cast<Poco::Net::HTTPRequestHandlerFactory*>(new SeeOtherFactory)
               : new ConstantPageFactory(constantPage(static_cast<std::size_t>(bytes))),
      pool, socket, params);
  server->start();
  std::cout << "listening on " << socket.address().port() << std::endl;

  int signal = 0;
  sigwait(&stopSignals, &signal);
  server->stopAll(true);
  server.reset();
  pool.joinAll();
  return 0;
}
