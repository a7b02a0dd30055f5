#include "kernel/admin/SvgChart.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "ruche/sdk/Escape.h"

namespace ruche::admin {
namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 240;
constexpr int kTop = 24;     // room for the value above the tallest bar
constexpr int kBottom = 40;  // room for the labels
constexpr int kSide = 8;

std::string fixed(double value) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << value;
  return out.str();
}

}  // namespace

std::string svgBarChart(const ChartText& text, const std::vector<ChartBar>& bars) {
  std::string titleId = sdk::escapeXml(text.id) + "-title";
  std::string descId = sdk::escapeXml(text.id) + "-desc";
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" fill=\"currentColor\" role=\"img\" viewBox=\"0 0 "
      << kWidth << ' ' << kHeight << "\" aria-labelledby=\"" << titleId << ' ' << descId << "\">"
      << "<title id=\"" << titleId << "\">" << sdk::escapeXml(text.title) << "</title>"
      << "<desc id=\"" << descId << "\">" << sdk::escapeXml(text.desc) << "</desc>";
  double max = 0;
  for (const auto& bar : bars) {
    max = std::max(max, bar.value);
  }
  int plot = kHeight - kTop - kBottom;
  svg << "<line x1=\"" << kSide << "\" y1=\"" << kHeight - kBottom << "\" x2=\"" << kWidth - kSide << "\" y2=\""
      << kHeight - kBottom << "\" stroke=\"currentColor\" stroke-width=\"1\"/>";
  if (!bars.empty()) {
    double slot = static_cast<double>(kWidth - 2 * kSide) / static_cast<double>(bars.size());
    double width = slot * 0.7;
    for (std::size_t i = 0; i < bars.size(); ++i) {
      const auto& bar = bars[i];
      double height = max > 0 ? std::max(0.0, bar.value) / max * plot : 0.0;
      double x = kSide + slot * static_cast<double>(i) + (slot - width) / 2;
      double y = kHeight - kBottom - height;
      svg << "<g class=\"bar\"><title>" << sdk::escapeXml(bar.label + " : " + bar.shown) << "</title>"
          << "<rect x=\"" << fixed(x) << "\" y=\"" << fixed(y) << "\" width=\"" << fixed(width) << "\" height=\""
          << fixed(height) << "\" data-value=\"" << fixed(bar.value) << "\"/>"
          << "<text x=\"" << fixed(x + width / 2) << "\" y=\"" << fixed(y - 4)
          << "\" text-anchor=\"middle\" font-size=\"11\">" << sdk::escapeXml(bar.shown) << "</text>"
          << "<text x=\"" << fixed(x + width / 2) << "\" y=\"" << kHeight - kBottom + 16
          << "\" text-anchor=\"middle\" font-size=\"11\">" << sdk::escapeXml(bar.label) << "</text></g>";
    }
  }
  svg << "</svg>";
  return svg.str();
}

}  // namespace ruche::admin
