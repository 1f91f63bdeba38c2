#include "app/admin/user_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "app/admin/admin_cli.hpp"
#include "app/admin/password_input.hpp"
#include "app/database_choice.hpp"
#include "hub/auth/credentials.hpp"
#include "hub/auth/password_hasher.hpp"
#include "hub/core/hub_config.hpp"
#include "store/store.hpp"

namespace edgehub::app {
namespace {

struct UserArgs {
  std::string action;
  std::string name;
  std::string value;  // `admin NAME [on|off]`
  std::filesystem::path data_dir = hub::HubConfig{}.data_dir;
  std::string database;  // --database: PostgreSQL instead of DATA_DIR/edgehub.db
  bool password_stdin = false;
  unsigned long long argon2_ops = hub::Argon2Cost{}.ops;
  std::size_t argon2_mem_kib = hub::Argon2Cost{}.mem_bytes / 1024;
};

using Refused = AdminRefused;

std::string new_password_hash(const UserArgs& a) {
  auto read = read_new_password(a.name, a.password_stdin);
  if (!read.password) throw Refused{read.error};
  if (auto problem = hub::password_problem(*read.password)) throw Refused{*problem + "; nothing changed"};
  return hub::hash_password(*read.password, {a.argon2_ops, a.argon2_mem_kib * 1024});
}

void write_account(store::Store& db, const UserArgs& a) {
  const std::string hash = new_password_hash(a);
  db.begin();
  db.set_account({a.name, hash, "admin"});
  db.commit();
}

void add(store::Store& db, const UserArgs& a) {
  if (has_account(db, a.name))
    throw Refused{fmt::format("{} already exists: use 'edgehubd user passwd {}'", a.name, a.name)};
  write_account(db, a);
  std::printf("Added account %s.\n", a.name.c_str());
}

void passwd(store::Store& db, const UserArgs& a) {
  if (!has_account(db, a.name)) throw Refused{fmt::format("no account {}", a.name)};
  write_account(db, a);
  std::printf("Changed the password of %s.\n", a.name.c_str());
}

void del(store::Store& db, const UserArgs& a) {
  db.begin();
  const bool gone = db.delete_account(a.name);
  db.commit();
  if (!gone) throw Refused{fmt::format("no account {}", a.name)};
  std::printf("Deleted account %s; a device logged in as %s is logged out.\n", a.name.c_str(), a.name.c_str());
}

const char* origin_text(const std::string& origin) {
  if (origin == "admin") return "edgehubd user";
  if (origin == "cert") return "edgehubd ca issue (certificate only, no password)";
  return "credentials file";
}

void list(store::Store& db, const UserArgs&) {
  const auto all = db.load_accounts();
  std::printf("%zu account%s\n", all.size(), all.size() == 1 ? "" : "s");
  for (const auto& account : all)
    std::printf("%-32s %s%s\n", account.name.c_str(), origin_text(account.origin), account.admin ? ", admin" : "");
}

void unlock(store::Store& db, const UserArgs& a) {
  db.begin();
  db.request_unlock(a.name, static_cast<std::int64_t>(std::time(nullptr)));
  db.commit();
  std::printf("Asked the server to lift any block on %s (a running server does within a second).\n", a.name.c_str());
}

// The web console's operator role (docs/HTTP_API.md#admin); a running
// server applies it at the browser's next login.
void admin(store::Store& db, const UserArgs& a) {
  if (a.value != "on" && a.value != "off" && !a.value.empty())
    throw Refused{"usage: edgehubd user admin NAME [on|off]", 2};
  const bool on = a.value != "off";
  db.begin();
  const bool found = db.set_admin(a.name, on);
  db.commit();
  if (!found) throw Refused{fmt::format("no account {}", a.name)};
  std::printf("%s is %s an admin of the web console (from its next login).\n", a.name.c_str(),
              on ? "now" : "no longer");
}

const std::map<std::string, std::function<void(store::Store&, const UserArgs&)>>& actions() {
  static const std::map<std::string, std::function<void(store::Store&, const UserArgs&)>> table = {
      {"add", add}, {"passwd", passwd}, {"del", del}, {"list", list}, {"unlock", unlock}, {"admin", admin}};
  return table;
}

// Only `add` may create the database (accounts before the first start);
// the others need one, so a mistyped --data-dir is said, not created.
std::filesystem::path database_for(const UserArgs& a) {
  const auto file = a.data_dir / "edgehub.db";
  if (a.action == "add") {
    std::filesystem::create_directories(a.data_dir);
    return file;
  }
  if (!std::filesystem::exists(file))
    throw Refused{fmt::format("no database in {}: wrong --data-dir?", a.data_dir.string())};
  return file;
}

void run(const UserArgs& a) {
  if (a.action != "list" && a.name.empty()) throw Refused{fmt::format("usage: edgehubd user {} NAME", a.action), 2};
  if (a.action != "list" && !hub::is_valid_device_name(a.name))
    throw Refused{"a name is 1 to 32 characters of A-Z a-z 0-9 _ . - and does not start with . or -", 2};
  const auto owned = open_admin_store(a.database, [&] { return database_for(a); });
  store::Store& db = *owned;
  actions().at(a.action)(db, a);
}

void add_options(CLI::App& app, UserArgs& a) {
  app.add_option("ACTION", a.action, "add, passwd, del, list, unlock or admin")
      ->required()
      ->check(CLI::IsMember({"add", "passwd", "del", "list", "unlock", "admin"}));
  app.add_option("NAME", a.name, "the account (device) name");
  app.add_option("VALUE", a.value, "admin: on (the default) or off");
  app.add_option("--data-dir", a.data_dir, "the server's data directory")->capture_default_str();
  app.add_option("--database", a.database, "the server's PostgreSQL database (postgresql://..., no password)")
      ->check(CLI::Validator(database_option_problem, "URL"));
  app.add_flag("--password-stdin", a.password_stdin, "read the password from the first line of standard input");
  app.add_option("--argon2-ops", a.argon2_ops, "argon2id time cost")->capture_default_str();
  app.add_option("--argon2-mem-kib", a.argon2_mem_kib, "argon2id memory cost in KiB")->capture_default_str();
}

constexpr const char* kUserHelp = R"(Usage: edgehubd user ACTION [NAME] [OPTIONS]

Manages the accounts in the server's database, also while it runs: a
running edgehubd picks a change up within a second (docs/SECURITY.md#accounts).

Actions:
  add NAME        create an account; asks for its password twice (no echo)
  passwd NAME     set a new password
  del NAME        delete an account; a device logged in as NAME is logged out
  list            every account, and whether it came from the credentials
                  file or from edgehubd user
  unlock NAME     lift a block after too many failed logins
  admin NAME [on|off]
                  give (on, the default) or take (off) the web console's
                  admin role; it applies from the account's next login
                  (docs/HTTP_API.md#admin)

Options:
  --data-dir DIR        the server's data directory [default: edgehub-data]
  --database URL        the server's PostgreSQL database instead, as given
                        to edgehubd --database (also EDGEHUB_DATABASE)
  --password-stdin      read the password from the first line of standard
                        input instead of the terminal (never from arguments)
  --argon2-ops N        argon2id time cost [default: 2]
  --argon2-mem-kib KIB  argon2id memory cost [default: 65536]

Exit status: 0 done, 1 refused (e.g. no such account), 2 bad usage.
)";

}  // namespace

int run_user_command(int argc, char** argv) {
  CLI::App app{"Manage edgehubd's accounts in its database, also while it runs (docs/SECURITY.md#accounts).",
               "edgehubd user"};
  UserArgs args;
  add_options(app, args);
  return run_admin_command(app, argc, argv, kUserHelp, "edgehubd user", [&] { run(args); });
}

}  // namespace edgehub::app
