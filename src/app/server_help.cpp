#include "app/server_help.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace edgehub::app {
namespace {

constexpr std::size_t kWidth = 80;       // the whole line
constexpr std::size_t kNameColumn = 24;  // where descriptions start: 2 + longest usual "--name VALUE" + 2

constexpr char kGlue = '\x1f';  // a space where a line must not break

struct Group {
  const char* title;
  std::vector<std::string> options;
};

const std::vector<Group>& groups() {
  static const std::vector<Group> table{
      {"Network",
       {"--port", "--bind", "--proxy-protocol", "--threads", "--admission-threads", "--park-idle", "--heartbeat"}},
      {"Accounts and logins",
       {"--credentials", "--guest", "--max-attempts", "--block-seconds", "--login-timeout", "--idle-timeout",
        "--no-presence", "--argon2-ops", "--argon2-mem-kib"}},
      {"Data directory and files", {"--data-dir", "--database", "--files"}},
      {"TLS", {"--cert", "--key", "--tls-handshake-timeout"}},
      {"Limits",
       {"--max-clients", "--max-file-size", "--max-repo-size", "--upload-budget-per-user", "--upload-budget",
        "--keep-free", "--upload-timeout", "--max-offline", "--high-water", "--broadcast-budget"}},
      {"Logging", {"--log-level", "--log-file"}},
      {"Abuse limits, per source address and in all (docs/SECURITY.md#abuse-limits)",
       {"--connect-rate", "--connect-burst", "--max-per-address", "--max-failed-logins", "--max-unauthenticated",
        "--max-queued-bytes", "--max-tls-handshakes", "--tls-handshake-rate"}},
      {"Device certificates (docs/SECURITY.md#device-certificates)", {"--client-ca", "--client-crl", "--no-client-ca"}},
      {"Web console and HTTP API (docs/HTTP_API.md)",
       {"--http-port", "--http-bind", "--http-max-connections", "--http-header-timeout", "--http-body-timeout",
        "--http-session-idle", "--http-session-max"}},
  };
  return table;
}

// What to call an option's value; CLI11's own names (INT, UINT, TEXT) say
// little, so they are only the fallback.
std::string value_name(const CLI::Option& option) {
  static const std::map<std::string, std::string> names{
      {"--port", "N"},
      {"--bind", "ADDRESS"},
      {"--proxy-protocol", "CIDR"},
      {"--threads", "N"},
      {"--heartbeat", "S"},
      {"--park-idle", "MS"},
      {"--credentials", "FILE"},
      {"--config", "FILE"},
      {"--max-attempts", "N"},
      {"--block-seconds", "S"},
      {"--login-timeout", "S"},
      {"--idle-timeout", "S"},
      {"--argon2-ops", "N"},
      {"--argon2-mem-kib", "KIB"},
      {"--data-dir", "DIR"},
      {"--database", "URL"},
      {"--client-ca", "FILE"},
      {"--client-crl", "FILE"},
      {"--files", "DIR"},
      {"--max-clients", "N"},
      {"--max-file-size", "SIZE"},
      {"--max-repo-size", "SIZE"},
      {"--max-offline", "N"},
      {"--high-water", "BYTES"},
      {"--log-level", "LEVEL"},
      {"--log-file", "FILE"},
      {"--upload-timeout", "S"},
      {"--broadcast-budget", "BYTES"},
      {"--cert", "FILE"},
      {"--key", "FILE"},
      {"--tls-handshake-timeout", "S"},
      {"--admission-threads", "N"},
      {"--cluster-node-id", "NAME"},
      {"--http-port", "N"},
      {"--http-bind", "ADDRESS"},
      {"--http-max-connections", "N"},
      {"--http-header-timeout", "S"},
      {"--http-body-timeout", "S"},
      {"--http-session-idle", "S"},
      {"--http-session-max", "S"},
  };
  if (option.get_expected_max() == 0) return {};  // a flag
  if (const auto it = names.find(option.get_name()); it != names.end()) return it->second;
  if (option.get_type_name().find("SIZE") != std::string::npos) return "SIZE";  // CLI::AsSizeValue: 4G, 500M
  const std::string type = option.get_type_name().substr(0, option.get_type_name().find(':'));
  return type == "INT" || type == "UINT" ? "N" : type.empty() ? "VALUE" : type;
}

// 4294967296 -> "4G": how a SIZE option is written.
std::string size_text(const std::string& bytes) {
  std::uint64_t value = 0;
  if (std::sscanf(bytes.c_str(), "%lu", &value) != 1 || value == 0) return bytes;
  for (const char* unit : {"", "K", "M", "G", "T"}) {
    if (value % 1024 != 0 || *unit == 'T') return fmt::format("{}{}", value, unit);
    value /= 1024;
  }
  return bytes;
}

std::string description(const CLI::Option& option, const std::string& value) {
  std::string text = option.get_description();
  // A default the description states itself, "(default: one per core)",
  // is shown like the others.
  if (const auto at = text.find("(default: "); at != std::string::npos) {
    const auto end = text.find(')', at);
    if (end != std::string::npos) {
      text[at] = '[';
      text[end] = ']';
      std::replace(text.begin() + static_cast<std::ptrdiff_t>(at), text.begin() + static_cast<std::ptrdiff_t>(end), ' ',
                   kGlue);
    }
    return text;
  }
  std::string fallback = option.get_default_str();
  if (value == "SIZE") fallback = size_text(fallback);
  // kGlue keeps "[default: 7475]" on one line when the text wraps.
  if (!fallback.empty()) text += fmt::format(" [default:{}{}]", kGlue, fallback);
  return text;
}

// "  --name VALUE" padded to the column, then the text wrapped at kWidth.
void write_entry(std::ostream& out, const std::string& left, const std::string& text) {
  std::string line = "  " + left;
  line += line.size() + 2 <= kNameColumn ? std::string(kNameColumn - line.size(), ' ')
                                         : "\n" + std::string(kNameColumn, ' ');
  std::size_t column = kNameColumn;
  std::istringstream words(text);
  std::string word;
  bool first = true;
  while (words >> word) {
    if (!first && column + 1 + word.size() > kWidth) {
      line += "\n" + std::string(kNameColumn, ' ');
      column = kNameColumn;
      first = true;
    }
    if (!first) {
      line += ' ';
      ++column;
    }
    line += word;
    column += word.size();
    first = false;
  }
  std::replace(line.begin(), line.end(), kGlue, ' ');
  out << line << '\n';
}

std::string long_name(const CLI::Option& option) {
  return option.get_lnames().empty() ? option.get_name() : "--" + option.get_lnames()[0];
}

std::string group_of(const std::string& name) {
  for (const auto& g : groups())
    if (std::find(g.options.begin(), g.options.end(), name) != g.options.end()) return g.title;
  if (name == "--help" || name == "--version" || name == "--config" || name == "--print-config") return "General";
  if (name.rfind("--swarm", 0) == 0) return "Peer-to-peer swarm";
  return "Other options";
}

// Its place in groups(); options not there keep the order they were added.
std::size_t rank(const std::string& name) {
  for (const auto& g : groups()) {
    const auto it = std::find(g.options.begin(), g.options.end(), name);
    if (it != g.options.end()) return static_cast<std::size_t>(it - g.options.begin());
  }
  return SIZE_MAX;
}

void write_option(std::ostream& out, const CLI::Option& option) {
  std::string left = long_name(option);
  for (const auto& s : option.get_snames()) left = "-" + s + ", " + left;
  const std::string value = value_name(option);
  write_entry(out, value.empty() ? left : left + " " + value, description(option, value));
}

void write_options(std::ostream& out, const CLI::App& app) {
  std::vector<std::string> titles;
  for (const auto& g : groups()) titles.push_back(g.title);
  titles.insert(titles.end(), {"Peer-to-peer swarm", "Other options", "General"});
  auto options = app.get_options([](const CLI::Option* o) { return o->nonpositional(); });
  std::stable_sort(options.begin(), options.end(), [](const CLI::Option* a, const CLI::Option* b) {
    return rank(long_name(*a)) < rank(long_name(*b));
  });
  for (const auto& title : titles) {
    std::ostringstream group;
    for (const CLI::Option* option : options)
      if (group_of(long_name(*option)) == title) write_option(group, *option);
    if (!group.str().empty()) out << '\n' << title << ":\n" << group.str();
  }
}

}  // namespace

std::string server_help_text(const CLI::App& app) {
  std::ostringstream out;
  const std::string name = app.get_name();
  out << "Usage: " << name << " [OPTIONS]\n";
  out << "       " << name << " PORT [MAX_ATTEMPTS] [OPTIONS]   (original form)\n";
  out << "       " << name << " user ACTION [NAME]   (accounts: " << name << " user --help)\n";
  out << "       " << name << " ca ACTION [NAME]     (device certificates: " << name << " ca --help)\n";
  out << "       " << name << " migrate --from sqlite:DIR --to URL   (" << name << " migrate --help)\n";
  out << "       " << name << " backup DEST [--data-dir DIR]   (" << name << " backup --help)\n";
  out << "       " << name << " restore SRC --data-dir DIR   (" << name << " restore --help)\n";
  if (!app.get_description().empty()) out << '\n' << app.get_description() << '\n';
  write_options(out, app);
  if (!app.get_footer().empty()) out << '\n' << app.get_footer() << '\n';
  return out.str();
}

void use_server_help(CLI::App& app) {
  app.formatter_fn([](const CLI::App* a, std::string, CLI::AppFormatMode) { return server_help_text(*a); });
}

}  // namespace edgehub::app
