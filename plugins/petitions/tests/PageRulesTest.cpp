// The petitions plugin's pure parts of its public page: Markdown, status
// transitions, share links, QR code, image types, proof-of-work, the
// disposable-domain list. No kernel, no database.
#include <doctest/doctest.h>

#include <string>

#include "../src/Disposable.h"
#include "../src/Image.h"
#include "../src/Markdown.h"
#include "../src/ProofOfWork.h"
#include "../src/Qr.h"
#include "../src/Share.h"
#include "../src/Status.h"

using namespace petitions;

namespace {
bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("markdown renders lists, links and emphasis") {
  std::string html =
      renderMarkdown("Some *emphasis* and **strong** text.\n\n- one\n- two\n\n[a link](https://example.org/x)\n");
  CHECK(has(html, "<em>emphasis</em>"));
  CHECK(has(html, "<strong>strong</strong>"));
  CHECK(has(html, "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"));
  CHECK(has(html, "<a href=\"https://example.org/x\">a link</a>"));
}

TEST_CASE("markdown drops raw html and script tags, and blanks javascript links") {
  std::string html = renderMarkdown(
      "Hello <script>alert(1)</script> there\n\n<script>alert(2)</script>\n\n<img src=x onerror=alert(3)>\n\n"
      "[click](javascript:alert(4)) [data](data:text/html;base64,PHNjcmlwdD4=)\n");
  CHECK_FALSE(has(html, "<script"));
  CHECK_FALSE(has(html, "onerror"));
  CHECK_FALSE(has(html, "javascript:"));
  CHECK_FALSE(has(html, "data:text/html"));
  CHECK(has(html, "<a href=\"\">click</a>"));
}

TEST_CASE("markdown headings move one level down so the page keeps its one h1") {
  std::string html = renderMarkdown("# Title\n\n## Sub\n\n###### Deep\n");
  CHECK(has(html, "<h2>Title</h2>"));
  CHECK(has(html, "<h3>Sub</h3>"));
  CHECK(has(html, "<h6>Deep</h6>"));
  CHECK_FALSE(has(html, "<h1>"));
}

TEST_CASE("a petition goes draft, open, closed, delivered and never back") {
  CHECK(allowedTransition("", "draft"));
  CHECK(allowedTransition("", "open"));
  CHECK_FALSE(allowedTransition("", "closed"));
  CHECK_FALSE(allowedTransition("", "delivered"));
  CHECK(allowedTransition("draft", "open"));
  CHECK(allowedTransition("open", "closed"));
  CHECK(allowedTransition("closed", "delivered"));
  CHECK_FALSE(allowedTransition("open", "draft"));
  CHECK_FALSE(allowedTransition("closed", "open"));
  CHECK_FALSE(allowedTransition("delivered", "closed"));
  CHECK_FALSE(allowedTransition("draft", "closed"));
  CHECK_FALSE(allowedTransition("open", "delivered"));
  CHECK_FALSE(allowedTransition("open", "bogus"));
  CHECK(formStatuses("closed") == std::vector<std::string>{"closed"});
  CHECK(formStatuses("delivered") == std::vector<std::string>{"delivered"});
  CHECK(formStatuses("") == std::vector<std::string>{"draft", "open"});
}

TEST_CASE("share links are plain urls with the page's address encoded") {
  auto links = shareLinks("https://x.org/a/b/petitions/3", "Sauvons & co", "Sujet é", "Corps");
  REQUIRE(links.size() == 7);
  CHECK(links[0].network == "email");
  CHECK(links[0].url == "mailto:?subject=Sujet%20%C3%A9&body=Corps%0A%0Ahttps%3A%2F%2Fx.org%2Fa%2Fb%2Fpetitions%2F3");
  CHECK(links[1].url == "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fx.org%2Fa%2Fb%2Fpetitions%2F3");
  CHECK(has(links[2].url, "&text=Sauvons%20%26%20co"));
  for (const auto& link : links) {
    CHECK_FALSE(has(link.url, " "));
  }
}

TEST_CASE("the qr code is an accessible svg with the url's modules and no script") {
  std::string svg = qrSvg("https://x.org/a/b/petitions/3", "QR <code> & co");
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(has(svg, "role=\"img\""));
  CHECK(has(svg, "aria-labelledby=\"qr-title\""));
  CHECK(has(svg, "<title id=\"qr-title\">QR &lt;code&gt; &amp; co</title>"));
  CHECK(has(svg, "<path d=\"M4 4h1v1h-1z"));  // the finder pattern's corner
  CHECK_FALSE(has(svg, "<script"));
  CHECK_FALSE(has(svg, "style="));
  CHECK(qrSvg("", "t").empty());
}

TEST_CASE("an image's type comes from its magic bytes, not its name") {
  CHECK(imageTypeOf(std::string("\xFF\xD8\xFF\xE0rest", 8)) == "image/jpeg");
  CHECK(imageTypeOf(std::string("\x89PNG\r\n\x1A\nrest", 12)) == "image/png");
  CHECK(imageTypeOf(std::string("RIFF\x10\0\0\0WEBPVP8 data", 20)) == "image/webp");
  CHECK(imageTypeOf("GIF89a......") == "");
  CHECK(imageTypeOf("<svg xmlns=...>") == "");
  CHECK(imageTypeOf("") == "");
  std::string bytes("\x00\x01\xFFzz\n", 6);
  CHECK(base64Decode(base64Encode(bytes)) == bytes);
  CHECK(base64Decode("***") == "");
}

TEST_CASE("a proof-of-work challenge is signed, solved, and accepted solved or after the wait") {
  const std::string key = "k3y";
  std::string challenge = makeChallenge(key, 7, 1000, "nonce");
  auto read = readChallenge(key, challenge);
  REQUIRE(read);
  CHECK(read->petitionId == 7);
  CHECK(read->issuedAt == 1000);
  CHECK_FALSE(readChallenge("other", challenge));
  CHECK_FALSE(readChallenge(key, "8" + challenge.substr(1)));
  CHECK_FALSE(readChallenge(key, "garbage"));
  std::string solution = solve(challenge, 8);
  CHECK(solves(challenge, solution, 8));
  CHECK(judge(key, challenge, "", 7, 1002, 5) == PowVerdict::TooEarly);
  CHECK(judge(key, challenge, "", 7, 1005, 5) == PowVerdict::Accepted);
  CHECK(judge(key, challenge, solve(challenge), 7, 1001, 5) == PowVerdict::Accepted);
  CHECK(judge(key, challenge, "", 8, 1005, 5) == PowVerdict::Invalid);
  CHECK(judge(key, challenge, "", 7, 1000 + kPowLifetimeSeconds + 1, 5) == PowVerdict::Expired);
}

TEST_CASE("disposable domains and their subdomains are recognised, from the shipped list and extras") {
  auto shipped = parseDomains(shippedDisposableDomains());
  CHECK(shipped.size() > 300);
  CHECK(isDisposable("mailinator.com", shipped));
  CHECK(isDisposable("yopmail.fr", shipped));
  CHECK(isDisposable("eu.mailinator.com", shipped));
  CHECK_FALSE(isDisposable("gmail.com", shipped));
  CHECK_FALSE(isDisposable("notmailinator.com", shipped));
  CHECK(shipped.count("#") == 0);
  auto extra = parseDomains("Spam.Example, @junk.test\n# a comment\n.other.test");
  CHECK(extra == std::set<std::string>{"spam.example", "junk.test", "other.test"});
}
