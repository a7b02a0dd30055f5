#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/StreamCopier.h>
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/support/HttpClient.h"
#include "tests/support/SmtpSink.h"

using ruche::testing::HttpClient;
using ruche::testing::HttpResponse;
using ruche::testing::SmtpMessage;
using ruche::testing::SmtpSink;
using namespace std::chrono_literals;

namespace {

void send(const SmtpSink& sink, const Poco::Net::MailMessage& message) {
  Poco::Net::SMTPClientSession session("127.0.0.1", sink.port());
  session.login();
  session.sendMessage(message);
  session.close();
}

void sendWelcomeMail(const SmtpSink& sink) {
  Poco::Net::MailMessage message;
  message.setSender("Ruche <noreply@ruche.test>");
  message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, "alice@example.org"));
  message.setSubject(Poco::Net::MailMessage::encodeWord("Bienvenue à Ruche — été"));
  message.setContentType("text/plain; charset=UTF-8");
  message.setContent(
      "Bonjour Alicé,\r\n"
      "Confirmez votre adresse : https://ruche.test/account/verify?token=a%2Fb&next=%2F.\r\n"
      ".a line that starts with a dot\r\n"
      "A long line that quoted-printable has to break softly because it is longer than seventy-six "
      "characters: équipe, bénévoles, créneaux.\r\n",
      Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
  send(sink, message);
}

}  // namespace

TEST_CASE("a mail sent with Poco's SMTP client arrives decoded in the sink") {
  SmtpSink sink;
  REQUIRE(sink.port() != 0);
  sendWelcomeMail(sink);

  std::optional<SmtpMessage> mail = sink.waitForMessage("Alice@Example.org", 5s);
  REQUIRE(mail);
  CHECK(mail->from == "noreply@ruche.test");
  REQUIRE(mail->to.size() == 1);
  CHECK(mail->to[0] == "alice@example.org");
  CHECK(mail->subject == "Bienvenue à Ruche — été");
  CHECK(mail->body.starts_with("Bonjour Alicé,\n"));
  CHECK(mail->body.find("\n.a line that starts with a dot\n") != std::string::npos);
  CHECK(mail->body.find("longer than seventy-six characters: équipe, bénévoles, créneaux.") != std::string::npos);
  CHECK(mail->body.find('\r') == std::string::npos);
  CHECK(mail->data.find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
  CHECK(HttpClient::extractLink(mail->body, "/account/verify") == "/account/verify?token=a%2Fb&next=%2F");

  SUBCASE("a message is taken once per recipient") {
    CHECK_FALSE(sink.waitForMessage("alice@example.org", 50ms));
    CHECK(sink.messages().size() == 1);
  }
  SUBCASE("clear forgets every message") {
    sink.clear();
    CHECK(sink.messages().empty());
  }
}

TEST_CASE("the sink keeps one message per DATA and serves each recipient") {
  SmtpSink sink;
  Poco::Net::SMTPClientSession session("127.0.0.1", sink.port());
  session.login("client.test");
  std::string reply;
  CHECK(session.sendCommand("NOOP", reply) == 250);
  CHECK(session.sendCommand("RSET", reply) == 250);

  // Poco reads a part's source once, so each copy needs a message of its own.
  for (int copy = 0; copy < 2; ++copy) {
    Poco::Net::MailMessage message;
    message.setSender("a@ruche.test");
    message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, "bob@example.org"));
    message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::CC_RECIPIENT, "carol@example.org"));
    message.setSubject("Two parts");
    message.addPart("", new Poco::Net::StringPartSource("<p>HTML first</p>", "text/html; charset=UTF-8"),
                    Poco::Net::MailMessage::CONTENT_INLINE, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    message.addPart("", new Poco::Net::StringPartSource("Grüße in base64\r\nsecond line", "text/plain; charset=UTF-8"),
                    Poco::Net::MailMessage::CONTENT_INLINE, Poco::Net::MailMessage::ENCODING_BASE64);
    session.sendMessage(message);
  }
  session.close();

  for (std::string recipient : {"bob@example.org", "carol@example.org"}) {
    CAPTURE(recipient);
    for (int copy = 0; copy < 2; ++copy) {
      std::optional<SmtpMessage> mail = sink.waitForMessage(recipient, 5s);
      REQUIRE(mail);
      CHECK(mail->subject == "Two parts");
      CHECK(mail->body == "Grüße in base64\nsecond line");
    }
    CHECK_FALSE(sink.waitForMessage(recipient, 10ms));
  }
  CHECK(sink.messages().size() == 2);
}

TEST_CASE("waitForMessage waits for a mail sent later from another thread") {
  SmtpSink sink;
  std::thread sender([&] {
    std::this_thread::sleep_for(100ms);
    sendWelcomeMail(sink);
  });
  std::optional<SmtpMessage> mail = sink.waitForMessage("alice@example.org", 10s);
  sender.join();
  REQUIRE(mail);
  CHECK(mail->from == "noreply@ruche.test");
}

TEST_CASE("a sink with an idle client still open stops promptly") {
  auto started = std::chrono::steady_clock::now();
  {
    SmtpSink sink;
    Poco::Net::SMTPClientSession session("127.0.0.1", sink.port());
    session.login();
  }
  CHECK(std::chrono::steady_clock::now() - started < 3s);
}

TEST_CASE("SmtpMessage decodes nested multipart and encoded subjects") {
  SmtpMessage message;
  message.data =
      "From: a@b\r\n"
      "Subject: =?UTF-8?B?w6l0w6k=?= ok\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
      "\r\n"
      "--outer\r\n"
      "Content-Type: multipart/alternative; boundary=inner\r\n"
      "\r\n"
      "--inner\r\n"
      "Content-Type: text/html\r\n"
      "\r\n"
      "<b>html</b>\r\n"
      "--inner\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n"
      "\r\n"
      "caf=C3=A9 =\r\n"
      "joined\r\n"
      "--inner--\r\n"
      "--outer--\r\n";
  message.decode();
  CHECK(message.subject == "été ok");
  CHECK(message.body == "café joined");
  CHECK(message.html == "<b>html</b>");

  SUBCASE("without a text/plain part the first text part is used") {
    message.data =
        "Subject: html only\r\n"
        "Content-Type: multipart/alternative; boundary=b\r\n"
        "\r\n"
        "--b\r\n"
        "Content-Type: text/html\r\n"
        "\r\n"
        "<b>html</b>\r\n"
        "--b--\r\n";
    message.decode();
    CHECK(message.body == "<b>html</b>");
    CHECK(message.html == "<b>html</b>");
  }

  SUBCASE("a single-part message has no html") {
    message.data =
        "Subject: plain\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\n"
        "\r\n"
        "just text\r\n";
    message.decode();
    CHECK(message.body == "just text\n");
    CHECK(message.html.empty());
  }
}

namespace {

class EchoHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    const std::string& uri = request.getURI();
    response.setContentType("text/plain");
    std::string answer;
    if (uri == "/login") {
      response.add("Set-Cookie", "session=abc123; Path=/; HttpOnly; SameSite=Lax");
      response.add("Set-Cookie", "theme=dark; Path=/; Max-Age=3600");
      response.add("Set-Cookie", "admin=yes; Path=/admin");
    } else if (uri == "/logout") {
      response.add("Set-Cookie", "session=; Path=/; Max-Age=0");
      response.add("Set-Cookie", "theme=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    } else if (uri == "/form") {
      response.setContentType("text/html");
      answer =
          "<form method=post><input type=\"text\" name=\"title\">"
          "<INPUT value='tok+en&amp;1' name='_csrf'\n type=\"hidden\"/></form>";
    } else if (uri == "/redirect") {
      response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SEE_OTHER);
      response.set("Location", "http://localhost/echo?from=redirect");
    } else {
      answer = request.getMethod() + " " + uri + "\ncookie: " + request.get("Cookie", "") +
               "\ncontent-type: " + request.getContentType() + "\nbody: " + body;
    }
    response.add("X-Multi", "one");
    response.add("X-Multi", "two");
    response.setContentLength(static_cast<std::streamsize>(answer.size()));
    std::ostream& out = response.send();
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD) {
      out << answer;
    }
  }
};

class EchoFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new EchoHandler;  // the server owns and deletes it
  }
};

class EchoServer {
 public:
  EchoServer()
      : server_(new EchoFactory, Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)),
                new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~EchoServer() { server_.stopAll(true); }
  std::uint16_t port() const { return server_.port(); }

 private:
  Poco::Net::HTTPServer server_;
};

}  // namespace

TEST_CASE("HttpClient keeps cookies in a jar, sends them back and drops expired ones") {
  EchoServer server;
  HttpClient client("127.0.0.1", server.port());

  HttpResponse login = client.get("/login");
  CHECK(login.status == 200);
  CHECK(login.header("Set-Cookie") == "admin=yes; Path=/admin");
  CHECK(login.header("x-multi") == "one, two");
  CHECK(client.cookie("session") == "abc123");
  CHECK(client.cookie("theme") == "dark");

  HttpResponse echo = client.get("/echo?x=1");
  CHECK(echo.body.find("GET /echo?x=1\n") == 0);
  CHECK(echo.body.find("cookie: session=abc123; theme=dark\n") != std::string::npos);
  CHECK(client.get("/admin/x").body.find("admin=yes") != std::string::npos);

  client.get("/logout");
  CHECK_FALSE(client.cookie("session"));
  CHECK_FALSE(client.cookie("theme"));
  CHECK(client.get("/echo").body.find("cookie: \n") != std::string::npos);
}

TEST_CASE("HttpClient encodes forms, posts JSON, answers HEAD and does not follow redirects") {
  EchoServer server;
  HttpClient client("127.0.0.1", server.port());

  HttpResponse form = client.postForm("/echo", {{"name", "Zoé & Co"}, {"a+b", "1=2/3?~"}, {"empty", ""}});
  CHECK(form.body.find("content-type: application/x-www-form-urlencoded\n") != std::string::npos);
  CHECK(form.body.find("body: name=Zo%C3%A9+%26+Co&a%2Bb=1%3D2%2F3%3F%7E&empty=") != std::string::npos);

  HttpResponse json = client.postJson("/echo", R"({"a":1})");
  CHECK(json.body.find("content-type: application/json\nbody: {\"a\":1}") != std::string::npos);

  HttpResponse head = client.head("/echo");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(std::stoi(head.header("content-length")) > 0);

  HttpResponse redirect = client.get("/redirect");
  CHECK(redirect.status == 303);
  CHECK(client.followRedirect(redirect).body.find("GET /echo?from=redirect\n") == 0);

  HttpResponse put = client.request("PUT", "http://elsewhere/echo#frag", "x", "text/plain", {{"X-Test", "1"}});
  CHECK(put.body.find("PUT /echo\n") == 0);
}

TEST_CASE("HttpClient finds the CSRF token and posts it with the form") {
  EchoServer server;
  HttpClient client("127.0.0.1", server.port());

  CHECK(HttpClient::csrfFrom(R"(<input type="hidden" name="_csrf" value="t1">)") == "t1");
  CHECK(HttpClient::csrfFrom(R"(<input value="t2" name="_csrf" type="hidden">)") == "t2");
  CHECK_THROWS_AS(HttpClient::csrfFrom("<input name=\"other\" value=\"x\">"), std::runtime_error);

  HttpResponse posted = client.postFormWithCsrf("/echo", "/form", {{"title", "Hi"}});
  CHECK(posted.body.find("body: title=Hi&_csrf=tok%2Ben%261") != std::string::npos);
}

TEST_CASE("extractLink returns the path and query of the first matching link") {
  std::string text =
      "See https://example.org/about.\n"
      "<a href=\"http://ruche.test:8080/reset?token=x&amp;id=2#top\">reset</a>\n"
      "or (https://ruche.test/reset?token=y).";
  CHECK(HttpClient::extractLink(text, "/reset") == "/reset?token=x&id=2");
  CHECK(HttpClient::extractLink(text, "/about") == "/about");
  CHECK(HttpClient::extractLink("go to /join/abc now", "/join/") == "/join/abc");
  CHECK_THROWS_AS(HttpClient::extractLink(text, "/missing"), std::runtime_error);
}
