// The delivery report for coordinators: confirmed signatures counted by
// postcode area (first two digits of a French postcode, "other") and by
// country, as an HTML table and as CSV. After the signers' data is erased
// it reads the totals kept at that moment.
#include <algorithm>
#include <string>

#include "Csv.h"
#include "Data.h"
#include "DataHandlers.h"

namespace petitions {

using ruche::sdk::Context;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Value;

ReportCounts petitionReport(Context& context, long long petitionId) {
  auto erased = context.db().query(
      "SELECT erased_at FROM petitions_retention WHERE petition_id = ? AND erased_at IS NOT NULL", {petitionId});
  if (!erased.empty()) {
    ReportCounts report;
    auto rows = context.db().query(
        "SELECT kind, label, n FROM petitions_report_totals WHERE petition_id = ? ORDER BY kind, n DESC, label",
        {petitionId});
    for (const auto& row : rows) {
      auto& lines = row["kind"].asString() == "area" ? report.areas : report.countries;
      lines.emplace_back(row["label"].asString(), row["n"].asInt());
    }
    std::stable_sort(report.areas.begin(), report.areas.end(), [](const ReportLine& a, const ReportLine& b) {
      return a.first != "other" && (b.first == "other" || a.first < b.first);
    });
    return report;
  }
  auto rows = context.db().query(
      "SELECT postcode, country FROM petitions_signatures WHERE petition_id = ? AND confirmed_at IS NOT NULL "
      "AND withdrawn_at IS NULL AND erased_at IS NULL",
      {petitionId});
  std::vector<std::pair<std::string, std::string>> signatures;
  signatures.reserve(rows.size());
  for (const auto& row : rows) {
    signatures.emplace_back(row["postcode"].asString(), row["country"].asString());
  }
  return aggregateReport(signatures);
}

std::string reportCsv(const ReportCounts& report) {
  std::string csv = csvRow({"kind", "label", "count"});
  for (const auto& [label, n] : report.areas) {
    csv += csvRow({"postcode_area", label, std::to_string(n)});
  }
  for (const auto& [label, n] : report.countries) {
    csv += csvRow({"country", label.empty() ? "unknown" : label, std::to_string(n)});
  }
  return csv;
}

Value reportJson(const ReportCounts& report) {
  Value areas = Value::array();
  for (const auto& [label, n] : report.areas) {
    areas.push(Value::object({{"area", label}, {"count", n}}));
  }
  Value countries = Value::array();
  for (const auto& [label, n] : report.countries) {
    countries.push(Value::object({{"country", label}, {"count", n}}));
  }
  return Value::object({{"areas", areas}, {"countries", countries}});
}

namespace {}  // namespace

void reportPage(Context& context, const Request& request, Response& response) {
  Petition petition = petitionOr404(context, request.param("id"), true);
  ReportCounts report = petitionReport(context, petition.id);
  long long total = 0;
  Value areas = Value::array();
  for (const auto& [label, n] : report.areas) {
    areas.push(
        Value::object({{"label", label == "other" ? context.text("petitions.report.other") : label}, {"count", n}}));
    total += n;
  }
  Value countries = Value::array();
  for (const auto& [label, n] : report.countries) {
    countries.push(
        Value::object({{"label", label.empty() ? context.text("petitions.report.unknown") : label}, {"count", n}}));
  }
  auto erased = context.db().query(
      "SELECT erased_at FROM petitions_retention WHERE petition_id = ? AND erased_at IS NOT NULL", {petition.id});
  std::string base = "/manage/" + std::to_string(petition.id);
  context.page(response, "report",
               Value::object({{"petition_title", petition.title},
                              {"areas", areas},
                              {"countries", countries},
                              {"any", total > 0},
                              {"total_text", context.plural("petitions.confirmed_count", total)},
                              {"erased", !erased.empty()},
                              {"erased_day", erased.empty() ? "" : dayOf(erased.front()["erased_at"].asInt())},
                              {"csv_path", pluginPath(context, base + "/report.csv")},
                              {"list_path", pluginPath(context, "/manage")}}),
               "petitions.report.title");
}

void reportCsvFile(Context& context, const Request& request, Response& response) {
  Petition petition = petitionOr404(context, request.param("id"), true);
  response.status = 200;
  response.contentType = "text/csv; charset=utf-8";
  response.body = reportCsv(petitionReport(context, petition.id));
  response.headers["Content-Disposition"] =
      "attachment; filename=\"petition-" + std::to_string(petition.id) + "-report.csv\"";
}

}  // namespace petitions
