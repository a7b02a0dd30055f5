#pragma once

#include <string>
#include <vector>

namespace ruche::admin {

/// One bar: its label (under the bar), its value, and the value as shown.
struct ChartBar {
  std::string label;
  double value = 0;
  std::string shown;  ///< the value written above the bar, e.g. "12,5"
};

/// What a chart says to someone who cannot see it.
struct ChartText {
  std::string id;     ///< unique in the page; the svg's title and desc ids derive from it
  std::string title;  ///< short name (the <title>)
  std::string desc;   ///< one sentence summing up the data (the <desc>)
};

/// A bar chart as inline SVG, drawn on the server (no script): role="img",
/// aria-labelledby naming its <title> and <desc>, each bar a <rect> with
/// its own <title> ("label: shown"), values and labels as text. Every text
/// is escaped; the result is safe to insert unescaped.
std::string svgBarChart(const ChartText& text, const std::vector<ChartBar>& bars);


}  // namespace ruche::admin
