#pragma once

#include <optional>
#include <string>

namespace ruche::themes {

/// What a theme's `theme.json` says about it. Read before anything else of the
/// theme, so a broken theme is refused with a message naming the file.
struct ThemeManifest {
  std::string name;                   ///< equals the folder's name
  std::string version;                ///< semantic version, e.g. "1.0.0"
  std::optional<std::string> parent;  ///< the theme it inherits from; none for a root theme
  std::string title;                  ///< shown to association admins; defaults to the name
  std::string description;
};

/// Parses and checks the text of `<folder>/theme.json`. Refuses, with a
/// std::runtime_error that names `file` and the problem: bad JSON, an
/// unknown key, a missing or malformed name or version, a name other than
/// `folderName`, a parent that is not a theme name, a theme its own parent.
ThemeManifest parseThemeManifest(const std::string& text, const std::string& file, const std::string& folderName);

/// True for a-z, 0-9, '-' and '_', 1 to 40 characters, starting with a letter or digit.
bool validThemeName(const std::string& name);

}  // namespace ruche::themes
