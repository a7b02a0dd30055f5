#pragma once

#include <kainjow/mustache.hpp>

#include <map>
#include <string>

#include "kernel/themes/Catalog.h"

namespace ruche::themes {

using Data = kainjow::mustache::data;

/// The active theme's templates (`<theme>/templates/*.mustache`) and texts.
///
/// Partials (`{{> name}}`) are expanded when loading, so a theme may override
/// one partial without copying the pages that use it. kainjow's render() is
/// not const, so each thread keeps its own parsed copy of a template.
class Templates {
 public:
  /// Loads `themesDir/themeName`. Throws std::runtime_error on a missing
  /// folder or a template that does not parse, naming the file.
  Templates(const std::string& themesDir, const std::string& themeName);

  /// Renders one template with `data`; `{{t.key}}` reads the catalogue of `locale`.
  std::string render(const std::string& name, Data data, const std::string& locale) const;

  bool has(const std::string& name) const { return sources_.count(name) != 0; }
  const Catalog& catalog() const { return catalog_; }
  const std::string& assetsDir() const { return assetsDir_; }

 private:
  std::string expandPartials(const std::string& text, int depth) const;

  std::map<std::string, std::string> partials_;
  std::map<std::string, std::string> sources_;
  Catalog catalog_;
  std::string assetsDir_;
  unsigned long generation_;
};

}  // namespace ruche::themes
