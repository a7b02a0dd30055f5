#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <regex>
#include <thread>
#include <vector>

#include "kernel/http/HttpServer.h"
#include "tests/kernel/RecordingChannel.h"
#include "tests/support/HttpClient.h"

using namespace ruche;

namespace {

http::Guard open() {
  return {"public", [](const http::Request&) {}};
}

config::HttpSettings smallServer() {
  config::HttpSettings settings;
  settings.listenHost = "127.0.0.1";
  settings.listenPort = 0;
  settings.threads = 8;
  settings.keepAliveSeconds = 5;
  return settings;
}

// Sends one keep-alive request on `socket` and reads until the response body is complete.
bool askAndRead(Poco::Net::StreamSocket& socket) {
  std::string request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  std::string received;
  char buffer[4096];
  while (true) {
    int n = socket.receiveBytes(buffer, sizeof buffer);
    if (n <= 0) {
      return received.find("\r\n\r\nhello") != std::string::npos;
    }
    received.append(buffer, static_cast<std::size_t>(n));
    if (received.find("\r\n\r\nhello") != std::string::npos) {
      return true;
    }
  }
}

}  // namespace

TEST_CASE("each request leaves one access line: address, method, target with tokens hidden, status, bytes, time") {
  http::Router router;
  router.get("/reset", open(), [](http::Request&, http::Response& response) { response.text("hello"); });
  http::Pipeline pipeline(router);
  testing::RecordedLog accessLog("ruche.access");  // outlives the server's threads
  http::HttpServer server(smallServer(), pipeline);
  server.start();
  testing::HttpClient client("127.0.0.1", static_cast<std::uint16_t>(server.port()));
  CHECK(client.get("/reset?token=s3cret&page=2").status == 200);
  server.stop();
  auto lines = accessLog.lines();
  REQUIRE(lines.size() == 1);
  CHECK(std::regex_match(lines[0], std::regex(R"(127\.0\.0\.1 "GET /reset\?token=…&page=2" 200 5 \d+\.\dms)")));
}

TEST_CASE("idle keep-alive clients do not starve the others") {
  http::Router router;
  router.get("/", open(), [](http::Request&, http::Response& response) { response.text("hello"); });
  http::Pipeline pipeline(router);
  http::HttpServer server(smallServer(), pipeline);
  server.start();
  Poco::Net::SocketAddress address("127.0.0.1", static_cast<Poco::UInt16>(server.port()));

  // 25 times more keep-alive clients than threads, all asking at once and then idling.
  constexpr int kClients = 200;
  std::vector<Poco::Net::StreamSocket> sockets(kClients);
  for (auto& socket : sockets) {
    socket.connect(address);
    socket.setReceiveTimeout(Poco::Timespan(20, 0));
  }
  std::vector<std::future<bool>> answers;
  for (auto& socket : sockets) {
    answers.push_back(std::async(std::launch::async, [&socket] { return askAndRead(socket); }));
  }
  int answered = 0;
  for (auto& answer : answers) {
    answered += answer.get() ? 1 : 0;
  }
  CHECK(answered == kClients);

  // With every one of them still connected, a newcomer gets a page quickly.
  auto started = std::chrono::steady_clock::now();
  testing::HttpClient newcomer("127.0.0.1", static_cast<std::uint16_t>(server.port()));
  auto response = newcomer.get("/");
  auto waited = std::chrono::steady_clock::now() - started;
  CHECK(response.status == 200);
  CHECK(waited < std::chrono::seconds(8));
  server.stop();
}

TEST_CASE("stopping lets an in-flight request finish") {
  http::Router router;
  std::atomic<bool> entered{false};
  router.get("/slow", open(), [&](http::Request&, http::Response& response) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    response.text("done");
  });
  http::Pipeline pipeline(router);
  http::HttpServer server(smallServer(), pipeline);
  server.start();
  int port = server.port();
  auto pending = std::async(std::launch::async, [port] {
    testing::HttpClient client("127.0.0.1", static_cast<std::uint16_t>(port));
    return client.get("/slow");
  });
  while (!entered) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server.stop(std::chrono::seconds(5));
  auto response = pending.get();
  CHECK(response.status == 200);
  CHECK(response.body == "done");
  // And nothing is accepted after the stop.
  testing::HttpClient late("127.0.0.1", static_cast<std::uint16_t>(port));
  late.setTimeout(std::chrono::milliseconds(500));
  CHECK_THROWS(late.get("/slow"));
}

TEST_CASE("an exception in a handler becomes a 500 without details") {
  http::Router router;
  router.get("/boom", open(), [](http::Request&, http::Response&) { throw std::runtime_error("secret internals"); });
  http::Pipeline pipeline(router);
  http::HttpServer server(smallServer(), pipeline);
  server.start();
  testing::HttpClient client("127.0.0.1", static_cast<std::uint16_t>(server.port()));
  auto response = client.get("/boom");
  CHECK(response.status == 500);
  CHECK(response.body.find("secret internals") == std::string::npos);
  auto api = client.get("/boom", {{"Accept", "application/json"}});
  CHECK(api.header("content-type") == "application/problem+json");
  server.stop();
}

TEST_CASE("the large-body gate is asked only for a POST to an upload path, and a failing gate means no") {
  http::Router router;
  router.get("/", open(), [](http::Request&, http::Response& response) { response.html("hello"); });
  router.post("/upload", open(), [](http::Request& request, http::Response& response) {
    response.html("got " + std::to_string(request.body.size()));
  });
  router.post("/form", open(), [](http::Request&, http::Response& response) { response.html("form"); });
  http::Pipeline pipeline(router);
  config::HttpSettings settings = smallServer();
  settings.maxBodyBytes = 1024;
  settings.uploadBodyLimits["/upload"] = 8192;
  std::atomic<int> asked{0};
  std::atomic<bool> fail{false};
  http::HttpServer server(settings, pipeline, [&](const http::Request& request) {
    ++asked;
    if (fail) {
      throw std::runtime_error("the session store is down");
    }
    return request.cookie("trusted") == "yes";
  });
  server.start();
  testing::HttpClient client("127.0.0.1", static_cast<std::uint16_t>(server.port()));
  std::string big(4096, 'x');
  CHECK(client.get("/").status == 200);
  CHECK(client.post("/form", "a=1", "application/x-www-form-urlencoded").status == 200);
  CHECK(client.post("/form", big, "text/plain").status == 413);
  CHECK(asked == 0);  // ordinary requests never reach the gate (it may cost a database read)

  CHECK(client.post("/upload", big, "text/plain").status == 413);
  CHECK(asked == 1);
  auto trusted = client.post("/upload", big, "text/plain", {{"Cookie", "trusted=yes"}});
  CHECK(trusted.status == 200);
  CHECK(trusted.body.find("got 4096") != std::string::npos);
  fail = true;
  CHECK(client.post("/upload", big, "text/plain", {{"Cookie", "trusted=yes"}}).status == 413);
  CHECK(asked == 3);
  server.stop();
}
