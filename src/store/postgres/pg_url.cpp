#include "store/postgres/pg_url.hpp"

#include <libpq-fe.h>

#include <map>
#include <memory>

#include "common/strings.hpp"

namespace edgehub::store {
namespace {

// The URL's fields as libpq reads them; empty when it cannot.
std::map<std::string, std::string> fields(const std::string& url, std::string* error = nullptr) {
  char* message = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(PQconninfoParse(url.c_str(), &message),
                                                                         PQconninfoFree);
  if (message) {
    if (error) *error = message;
    PQfreemem(message);
  }
  std::map<std::string, std::string> out;
  if (!options) return out;
  for (const auto* o = options.get(); o->keyword; ++o)
    if (o->val && *o->val) out[o->keyword] = o->val;
  return out;
}

}  // namespace

bool is_postgres_url(std::string_view text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

std::optional<std::string> postgres_url_problem(const std::string& url) {
  std::string error;
  if (!fields(url, &error).empty() && error.empty()) return std::nullopt;
  const std::string_view reason = trim(error);
  return reason.empty() ? "cannot be parsed" : std::string(reason);
}

bool postgres_url_has_password(const std::string& url) { return fields(url).contains("password"); }

std::string postgres_url_for_log(const std::string& url) {
  auto f = fields(url);
  const std::string user = f.contains("user") ? f["user"] + "@" : "";
  const std::string host = f.contains("host") ? f["host"] : "localhost";
  const std::string port = f.contains("port") ? ":" + f["port"] : "";
  const std::string db = f.contains("dbname") ? f["dbname"] : (f.contains("user") ? f["user"] : "");
  return user + host + port + "/" + db;
}

}  // namespace edgehub::store
