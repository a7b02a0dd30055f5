#include "kernel/config/SettingsLoader.h"

#include <Poco/Net/IPAddress.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "kernel/config/ConfigError.h"

extern char** environ;

namespace ruche::config {
namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) {
    return "";
  }
  auto end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

std::string envNameFor(const std::string& key) {
  std::string name = "RUCHE_";
  for (char c : key) {
    name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

int parseInt(const std::string& key, const std::string& value, int min, int max) {
  int result = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (ec != std::errc() || end != value.data() + value.size()) {
    throw ConfigError(key, "expected a whole number, got \"" + value + "\"");
  }
  if (result < min || result > max) {
    throw ConfigError(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + value);
  }
  return result;
}

bool parseBool(const std::string& key, const std::string& value) {
  if (value == "true" || value == "yes" || value == "on" || value == "1") {
    return true;
  }
  if (value == "false" || value == "no" || value == "off" || value == "0") {
    return false;
  }
  throw ConfigError(key, "expected true or false, got \"" + value + "\"");
}

void requireNonEmpty(const std::string& key, const std::string& value) {
  if (value.empty()) {
    throw ConfigError(key, "must not be empty");
  }
}

using Setter = std::function<void(Settings&, const std::string& key, const std::string& value)>;

struct KeyDef {
  KeyInfo info;
  Setter set;
};

void setListen(Settings& s, const std::string& key, const std::string& value) {
  auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw ConfigError(key, "expected HOST:PORT, got \"" + value + "\"");
  }
  s.http.listenHost = value.substr(0, colon);
  if (s.http.listenHost.size() > 2 && s.http.listenHost.front() == '[') {
    s.http.listenHost = s.http.listenHost.substr(1, s.http.listenHost.size() - 2);
  }
  s.http.listenPort = parseInt(key, value.substr(colon + 1), 0, 65535);
}

const std::vector<KeyDef>& keyDefs() {
  static const std::vector<KeyDef> defs = {
      {{"data.dir", "", "folder holding the SQLite database, uploads and backups"},
       [](Settings& s, const std::string& k, const std::string& v) {
         requireNonEmpty(k, v);
         s.dataDir = v;
       }},
      {{"http.listen", "", "address and port to listen on, HOST:PORT (default 127.0.0.1:8080)"}, setListen},
      {{"http.threads", "", "worker threads serving requests (default 128)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.http.threads = parseInt(k, v, 2, 4096); }},
      {{"http.queue", "", "accepted connections waiting for a thread (default 4096)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.http.queue = parseInt(k, v, 1, 100000); }},
      {{"http.backlog", "", "listen backlog of the socket (default 1024)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.http.backlog = parseInt(k, v, 1, 65535); }},
      {{"http.keepalive_seconds", "", "idle time before a keep-alive connection is closed (default 3)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.http.keepAliveSeconds = parseInt(k, v, 0, 300);
       }},
      {{"http.keepalive_requests", "", "requests served on one connection before it is closed (default 100)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.http.keepAliveRequests = parseInt(k, v, 1, 100000);
       }},
      {{"http.request_timeout_seconds", "", "time a client has to send a request (default 15)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.http.requestTimeoutSeconds = parseInt(k, v, 1, 3600);
       }},
      {{"http.max_body_bytes", "", "largest request body accepted (default 1048576)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.http.maxBodyBytes = static_cast<std::size_t>(parseInt(k, v, 1024, 1 << 30));
       }},
      {{"http.trusted_proxies", "",
        "addresses of reverse proxies whose X-Forwarded-For gives the client address (default 127.0.0.1 ::1; "
        "\"none\" trusts nobody)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.http.trustedProxies.clear();
         std::string list = v;
         std::replace(list.begin(), list.end(), ',', ' ');
         std::istringstream words(list);
         std::string address;
         while (words >> address) {
           if (address == "none") {
             continue;
           }
           Poco::Net::IPAddress parsed;
           if (!Poco::Net::IPAddress::tryParse(address, parsed)) {
             throw ConfigError(k, "\"" + address + "\" is not an IP address");
           }
           s.http.trustedProxies.push_back(parsed.toString());
         }
       }},
      {{"base_url", "", "public URL of the instance, e.g. https://benevoles.example.org"},
       [](Settings& s, const std::string& k, const std::string& v) {
         if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
           throw ConfigError(k, "must start with http:// or https://, got \"" + v + "\"");
         }
         s.baseUrl = v.back() == '/' ? v.substr(0, v.size() - 1) : v;
       }},
      {{"database.url", "", "sqlite:PATH (default sqlite:DATA/ruche.db) or postgresql://user:pass@host:port/db"},
       [](Settings& s, const std::string& k, const std::string& v) {
         if (v.rfind("sqlite:", 0) != 0 && v.rfind("postgresql://", 0) != 0 && v.rfind("postgres://", 0) != 0) {
           throw ConfigError(k, "must start with sqlite: or postgresql://, got \"" + v + "\"");
         }
         s.databaseUrl = v;
       }},
      {{"database.pool", "", "database connections kept open (default 8)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.databasePool = parseInt(k, v, 1, 256); }},
      {{"database.read_cache_ms", "",
        "milliseconds an association, a plugin's enablement and its settings are kept in memory between reads; "
        "a change made by another process (the CLI) shows within it (default 1000, 0: off)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.readCacheMs = parseInt(k, v, 0, 60000); }},
      {{"themes.dir", "", "folder holding the themes (default: the installed themes)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         requireNonEmpty(k, v);
         s.themesDir = v;
       }},
      {{"themes.dev_reload", "",
        "true re-reads templates and assets when a theme file changes, for theme development (default false)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.themesDevReload = parseBool(k, v); }},
      {{"plugins.dirs", "",
        "folders holding plugin folders, separated by spaces (default DATA/plugins); installs go to the first"},
       [](Settings& s, const std::string& k, const std::string& v) {
         requireNonEmpty(k, v);
         s.plugins.dirs.clear();
         std::istringstream words(v);
         std::string folder;
         while (words >> folder) {
           s.plugins.dirs.push_back(folder);
         }
       }},
      {{"plugins.failure_limit", "", "failures within plugins.failure_window that switch a plugin off (default 5)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.plugins.failureLimit = parseInt(k, v, 1, 100000);
       }},
      {{"plugins.failure_window", "", "seconds over which a plugin's failures are counted (default 600)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.plugins.failureWindowSeconds = parseInt(k, v, 1, 86400 * 30);
       }},
      {{"plugins.max_upload_bytes", "",
        "largest plugin archive the admin panel accepts, in bytes (default 67108864, 64 MiB); only its upload "
        "form gets more than http.max_body_bytes"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.plugins.maxUploadBytes = static_cast<std::size_t>(parseInt(k, v, 1024, 1 << 30));
       }},
      {{"log.level", "", "fatal, critical, error, warning, notice, information, debug or trace"},
       [](Settings& s, const std::string& k, const std::string& v) {
         static const std::vector<std::string> levels = {"fatal",  "critical",    "error", "warning",
                                                         "notice", "information", "debug", "trace"};
         if (std::find(levels.begin(), levels.end(), v) == levels.end()) {
           throw ConfigError(k, "unknown level \"" + v + "\"");
         }
         s.logLevel = v;
       }},
      {{"smtp.host", "", "SMTP server; empty disables mail (it is logged instead)"},
       [](Settings& s, const std::string&, const std::string& v) { s.smtp.host = v; }},
      {{"smtp.port", "", "SMTP port (default 25)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.smtp.port = parseInt(k, v, 1, 65535); }},
      {{"smtp.user", "", "SMTP login, if the server needs one"},
       [](Settings& s, const std::string&, const std::string& v) { s.smtp.user = v; }},
      {{"smtp.password", "", "SMTP password"},
       [](Settings& s, const std::string&, const std::string& v) { s.smtp.password = v; }},
      {{"smtp.from", "", "sender of Ruche's mail, e.g. Ruche <no-reply@example.org>"},
       [](Settings& s, const std::string& k, const std::string& v) {
         if (v.find('@') == std::string::npos) {
           throw ConfigError(k, "must contain an e-mail address, got \"" + v + "\"");
         }
         s.smtp.from = v;
       }},
      {{"mail.retention_days", "", "days the log of sent notifications is kept (default 30)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.mail.retentionDays = parseInt(k, v, 1, 3650); }},
      {{"events.max_attempts", "", "delivery attempts before an event becomes a dead letter (default 6)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.events.maxAttempts = parseInt(k, v, 1, 100); }},
      {{"events.first_retry_ms", "", "delay before the first retry, doubled after each failure (default 1000)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.events.firstRetryMs = parseInt(k, v, 10, 3600 * 1000);
       }},
      {{"events.poll_interval_ms", "", "how often an idle dispatcher looks for due deliveries (default 200)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.events.pollIntervalMs = parseInt(k, v, 10, 60 * 1000);
       }},
      {{"events.batch_size", "", "deliveries a dispatcher claims at once (default 50)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.events.batchSize = parseInt(k, v, 1, 1000); }},
      {{"events.dispatcher_threads", "", "dispatcher threads per process (default 1)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.events.dispatcherThreads = parseInt(k, v, 1, 64);
       }},
      {{"events.retention_days", "",
        "days delivered events and webhook deliveries are kept (default 30; dead letters are kept)"},
       [](Settings& s, const std::string& k, const std::string& v) {
         s.events.retentionDays = parseInt(k, v, 1, 3650);
       }},
      {{"webhooks.allow_private", "",
        "true lets webhooks reach loopback, private, link-local and CGNAT addresses (default false)"},
       [](Settings& s, const std::string& k, const std::string& v) { s.webhooks.allowPrivate = parseBool(k, v); }},
  };
  return defs;
}

const KeyDef* findKey(const std::string& key) {
  for (const auto& def : keyDefs()) {
    if (def.info.key == key) {
      return &def;
    }
  }
  return nullptr;
}

void apply(Settings& settings, const std::string& key, const std::string& value, const std::string& origin) {
  const KeyDef* def = findKey(key);
  if (def == nullptr) {
    throw ConfigError(key, "unknown key (" + origin + ")");
  }
  def->set(settings, key, value);
}

void applyFile(Settings& settings, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw ConfigError("--config", "cannot read " + path);
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string text = trim(line);
    if (text.empty() || text[0] == '#' || text[0] == ';') {
      continue;
    }
    auto eq = text.find('=');
    std::string where = path + ":" + std::to_string(number);
    if (eq == std::string::npos) {
      throw ConfigError(where, "expected key = value, got \"" + text + "\"");
    }
    apply(settings, trim(text.substr(0, eq)), trim(text.substr(eq + 1)), where);
  }
}

}  // namespace

const std::vector<KeyInfo>& knownKeys() {
  static const std::vector<KeyInfo> keys = [] {
    std::vector<KeyInfo> out;
    for (const auto& def : keyDefs()) {
      KeyInfo info = def.info;
      info.envVar = envNameFor(info.key);
      out.push_back(info);
    }
    return out;
  }();
  return keys;
}

Settings loadSettings(const std::optional<std::string>& configFile,
                      const std::map<std::string, std::string>& environment,
                      const std::map<std::string, std::string>& overrides) {
  Settings settings;
  if (configFile) {
    applyFile(settings, *configFile);
  }
  for (const auto& info : knownKeys()) {
    auto it = environment.find(info.envVar);
    if (it != environment.end()) {
      apply(settings, info.key, it->second, "from " + info.envVar);
    }
  }
  // A data folder given on the command line wins over everything else.
  for (const auto& [key, value] : overrides) {
    apply(settings, key, value, "from the command line");
  }
  if (settings.databaseUrl.empty()) {
    settings.databaseUrl = "sqlite:" + settings.dataDir + "/ruche.db";
  }
  if (settings.baseUrl.empty()) {
    std::string host = settings.http.listenHost == "0.0.0.0" ? "localhost" : settings.http.listenHost;
    settings.baseUrl = "http://" + host + ":" + std::to_string(settings.http.listenPort);
  }
  if (settings.themesDir.empty()) {
    settings.themesDir = RUCHE_DEFAULT_THEMES_DIR;
  }
  if (settings.plugins.dirs.empty()) {
    settings.plugins.dirs.push_back(settings.dataDir + "/plugins");
  }
  return settings;
}

std::map<std::string, std::string> rucheEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string text = *entry;
    if (text.rfind("RUCHE_", 0) != 0) {
      continue;
    }
    auto eq = text.find('=');
    if (eq != std::string::npos) {
      env[text.substr(0, eq)] = text.substr(eq + 1);
    }
  }
  return env;
}

}  // namespace ruche::config
