#pragma once

#include <string>
#include <vector>

namespace petitions {

/// One CSV cell, safe to open in a spreadsheet: a value starting with
/// = + - @ (or a tab or carriage return) is prefixed with ' so that it is
/// not run as a formula (CSV injection), then quoted as RFC 4180 says when
/// it holds a comma, a double quote or a line break (quotes doubled).
inline std::string csvCell(const std::string& value) {
  std::string cell = value;
  if (!cell.empty() && (cell.front() == '=' || cell.front() == '+' || cell.front() == '-' || cell.front() == '@' ||
                        cell.front() == '\t' || cell.front() == '\r')) {
    cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) {
    return cell;
  }
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') {
      quoted += '"';
    }
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

/// One CSV record, cells separated by commas, ended by CRLF (RFC 4180).
inline std::string csvRow(const std::vector<std::string>& cells) {
  std::string row;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i != 0) {
      row += ',';
    }
    row += csvCell(cells[i]);
  }
  row += "\r\n";
  return row;
}

}  // namespace petitions
