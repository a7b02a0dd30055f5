#include "Qr.h"

#include <memory>
#include <qrencode.h>
#include <ruche/sdk/Escape.h>

namespace petitions {
namespace {

struct QrDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

constexpr int kQuietZone = 4;

}  // namespace

std::string qrSvg(const std::string& text, const std::string& title, const std::string& titleId) {
  if (text.empty() || text.find('\0') != std::string::npos) {
    return "";
  }
  std::unique_ptr<QRcode, QrDeleter> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M));
  if (!code) {
    return "";
  }
  const int width = code->width;
  const int size = width + 2 * kQuietZone;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // The lowest bit of each byte says whether the module is black.
      if ((code->data[y * width + x] & 1) != 0) {
        path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h1v1h-1z";
      }
    }
  }
  std::string sizeText = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + sizeText + " " + sizeText +
         "\" width=\"200\" height=\"200\" role=\"img\" aria-labelledby=\"" + ruche::sdk::escapeXml(titleId) +
         "\" shape-rendering=\"crispEdges\">"
         "<title id=\"" +
         ruche::sdk::escapeXml(titleId) + "\">" + ruche::sdk::escapeXml(title) +
         "</title>"
         "<rect width=\"" +
         sizeText + "\" height=\"" + sizeText +
         "\" fill=\"#ffffff\"/>"
         "<path d=\"" +
         path + "\" fill=\"#000000\"/></svg>";
}

}  // namespace petitions
