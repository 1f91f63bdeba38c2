#include "app/daemon/print_config.hpp"

#include <sstream>

#include <fmt/format.h>

#include "store/postgres/pg_url.hpp"

namespace edgehub::app {
namespace {

// Not settings: what they do happens instead of serving.
bool is_setting(const CLI::Option& option) {
  if (option.get_lnames().empty()) return false;  // the positional PORT and MAX_ATTEMPTS
  const std::string& name = option.get_lnames()[0];
  return name != "help" && name != "version" && name != "config" && name != "print-config";
}

std::string value_line(const CLI::Option& option) {
  const std::string& name = option.get_lnames()[0];
  // A flag that is off stays a comment: "name = false" would count as given,
  // and a flag that excludes another (--no-client-ca) would then refuse it.
  if (option.get_expected_min() == 0)
    return option.count() > 0 && option.as<bool>() ? name + " = true" : "# " + name + " = false";
  if (option.count() > 0) return fmt::format("{} = {}", name, CLI::detail::ini_join(option.results()));
  if (!option.get_default_str().empty())
    return fmt::format("{} = {}", name, CLI::detail::convert_arg_for_ini(option.get_default_str()));
  return fmt::format("# {} =   (not set)", name);
}

// A password may stand in the configuration file, never in this output.
std::string database_line(const std::string& url) {
  if (url.empty()) return "# database =   (not set: SQLite in the data directory)";
  if (store::postgres_url_has_password(url))
    return fmt::format("# database =   (a URL with a password, not shown: {})", store::postgres_url_for_log(url));
  return "database = " + CLI::detail::convert_arg_for_ini(url);
}

}  // namespace

std::string config_text(const CLI::App& app, const std::string& database) {
  std::ostringstream out;
  out << "# edgehubd --print-config: the effective configuration\n";
  for (const CLI::Option* option : app.get_options()) {
    if (!is_setting(*option)) continue;
    const bool is_database = option->get_lnames()[0] == "database";
    out << (is_database ? database_line(database) : value_line(*option)) << '\n';
  }
  return out.str();
}

}  // namespace edgehub::app
