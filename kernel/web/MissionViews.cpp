#include "kernel/web/MissionViews.h"

#include <Poco/URI.h>

#include <charconv>

#include "kernel/domain/Taxonomy.h"

namespace ruche::web::missionviews {
namespace {

using themes::Data;

Data flag(bool value) {
  return value ? Data::type::bool_true : Data::type::bool_false;
}

Data termList(const std::vector<std::string>& slugs, const TermNames& names) {
  Data list{Data::type::list};
  for (const auto& slug : slugs) {
    Data item{Data::type::object};
    auto it = names.find(slug);
    item.set("slug", slug);
    item.set("name", it == names.end() ? slug : it->second);
    list.push_back(item);
  }
  return list;
}

TermNames namesOf(const std::vector<domain::Term>& terms) {
  TermNames names;
  for (const auto& term : terms) {
    names[term.slug] = term.name;
  }
  return names;
}

}  // namespace

TermNames skillNames(app::Services& services, const std::string& locale) {
  storage::Database::Session session(services.db);
  return namesOf(domain::listSkills(*session, locale));
}

TermNames causeNames(app::Services& services, const std::string& locale) {
  storage::Database::Session session(services.db);
  return namesOf(domain::listCauses(*session, locale));
}

Data missionData(const app::Services& services, const http::Request& request, const domain::Mission& mission,
                 const TermNames& skills, const TermNames& causes) {
  const auto& catalog = services.templates.catalog();
  Data data{Data::type::object};
  data.set("id", std::to_string(mission.id));
  data.set("association_slug", mission.associationSlug);
  data.set("association_name", mission.associationName);
  data.set("title", mission.title);
  data.set("description", mission.description);
  data.set("kind", mission.kind);
  data.set("kind_label", catalog.text(request.locale, "missions.kind." + mission.kind));
  data.set("mode", mission.mode);
  data.set("mode_label", catalog.text(request.locale, "missions.mode." + mission.mode));
  data.set("place", mission.place);
  data.set("has_place", flag(!mission.place.empty()));
  data.set("starts_on", mission.startsOn);
  data.set("ends_on", mission.endsOn);
  data.set("has_dates", flag(!mission.startsOn.empty()));
  data.set("has_end", flag(!mission.endsOn.empty() && mission.endsOn != mission.startsOn));
  data.set("schedule", mission.schedule);
  data.set("has_schedule", flag(!mission.schedule.empty()));
  data.set("duration_minutes", std::to_string(mission.durationMinutes));
  data.set("has_duration", flag(mission.durationMinutes > 0));
  data.set("places_available", catalog.plural(request.locale, "missions.places", mission.placesAvailable));
  data.set("status", mission.status);
  data.set("status_label", catalog.text(request.locale, "missions.status." + mission.status));
  data.set("is_draft", flag(mission.status == "draft"));
  data.set("is_published", flag(mission.status == "published"));
  data.set("is_closed", flag(mission.status == "closed"));
  data.set("required_skills", termList(mission.requiredSkills, skills));
  data.set("nice_skills", termList(mission.niceSkills, skills));
  data.set("has_required_skills", flag(!mission.requiredSkills.empty()));
  data.set("has_nice_skills", flag(!mission.niceSkills.empty()));
  data.set("causes", termList(mission.causes, causes));
  data.set("has_causes", flag(!mission.causes.empty()));
  Data languages{Data::type::list};
  for (const auto& language : mission.languages) {
    Data item{Data::type::object};
    item.set("code", language.language);
    item.set("required", flag(language.required));
    languages.push_back(item);
  }
  data.set("languages", languages);
  data.set("has_languages", flag(!mission.languages.empty()));
  return data;
}

std::string urlEncode(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]%\" <>", out);
  return out;
}

long long idParam(const http::Request& request, const std::string& name) {
  std::string text = request.param(name);
  long long id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    throw http::notFound("No such page.");
  }
  return id;
}

std::string excerpt(const std::string& text, std::size_t max) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) {
      if (count == max) {
        return text.substr(0, i) + "…";
      }
      ++count;
    }
  }
  return text;
}

}  // namespace ruche::web::missionviews
