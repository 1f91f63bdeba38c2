#include "app/admin/ca_command.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "app/admin/admin_cli.hpp"
#include "app/admin/device_ca.hpp"
#include "app/database_choice.hpp"
#include "hub/auth/credentials.hpp"
#include "hub/core/hub_config.hpp"
#include "store/store.hpp"

namespace edgehub::app {
namespace {

struct CaArgs {
  std::string action;
  std::string name;
  std::filesystem::path data_dir = hub::HubConfig{}.data_dir;
  std::string database;  // --database: PostgreSQL instead of DATA_DIR/edgehub.db
  std::filesystem::path out = ".";
};

// issue may create the database (certificates before the first start, as
// `edgehubd user add` may); revoke and list need one, so a mistyped
// --data-dir is said, not created.
std::filesystem::path database_for(const CaArgs& a) {
  const auto file = a.data_dir / "edgehub.db";
  if (a.action != "issue" && !std::filesystem::exists(file))
    throw CaRefused{fmt::format("no database in {}: wrong --data-dir?", a.data_dir.string())};
  return file;
}

void run(const CaArgs& a) {
  const bool needs_name = a.action == "issue" || a.action == "revoke";
  if (needs_name && a.name.empty()) throw CaRefused{fmt::format("usage: edgehubd ca {} NAME", a.action), 2};
  if (!needs_name && !a.name.empty()) throw CaRefused{fmt::format("usage: edgehubd ca {} (no NAME)", a.action), 2};
  if (needs_name && !hub::is_valid_device_name(a.name))
    throw CaRefused{"a name is 1 to 32 characters of A-Z a-z 0-9 _ . - and does not start with . or -", 2};
  if (a.action == "init") return ca_init(a.data_dir);
  if (a.action != "revoke") require_ca(a.data_dir);  // before a database is opened (issue may create one)
  const auto owned = open_admin_store(a.database, [&] { return database_for(a); });
  store::Store& db = *owned;
  if (a.action == "issue") return ca_issue(db, a.data_dir, a.name, a.out);
  if (a.action == "revoke") return ca_revoke(db, a.name);
  ca_list(db, a.data_dir);
}

void add_options(CLI::App& app, CaArgs& a) {
  app.add_option("ACTION", a.action, "init, issue, revoke or list")
      ->required()
      ->check(CLI::IsMember({"init", "issue", "revoke", "list"}));
  app.add_option("NAME", a.name, "the device (account) name");
  app.add_option("--data-dir", a.data_dir, "the server's data directory")->capture_default_str();
  app.add_option("--database", a.database, "the server's PostgreSQL database (postgresql://..., no password)")
      ->check(CLI::Validator(database_option_problem, "URL"));
  app.add_option("--out", a.out, "where issue writes NAME.crt and NAME.key")->capture_default_str();
}

constexpr const char* kCaHelp = R"(Usage: edgehubd ca ACTION [NAME] [OPTIONS]

A small certificate authority for device certificates, kept in the data
directory (DIR/ca/ca.key, mode 0600, and DIR/ca/ca.crt). Devices log in
with a certificate it issued instead of a password (edgehub --cert FILE
--key FILE); edgehubd trusts this CA by default once it exists
(docs/SECURITY.md#device-certificates).

Actions:
  init            create the CA: an ECDSA P-256 key and a self-signed
                  certificate valid for 10 years; refused if one exists
  issue NAME      write NAME.crt and NAME.key (mode 0600) into --out: a
                  certificate for account NAME (CN and DNS name NAME), valid
                  for 2 years; creates account NAME without a password if
                  there is none; never replaces an existing file
  revoke NAME     revoke every certificate issued to NAME; a running server
                  refuses it within a second and logs out a device using it
  list            the CA, then every certificate issued: name, serial,
                  dates, and whether it is valid, expired or revoked

Options:
  --data-dir DIR  the server's data directory [default: edgehub-data]
  --database URL  the server's PostgreSQL database, as given to edgehubd
                  --database (also EDGEHUB_DATABASE); the CA stays in DIR
  --out DIR       where issue writes its files [default: .]

Exit status: 0 done, 1 refused (e.g. no CA yet), 2 bad usage.
)";

}  // namespace

int run_ca_command(int argc, char** argv) {
  CLI::App app{"Manage edgehubd's device CA (docs/SECURITY.md#device-certificates).", "edgehubd ca"};
  CaArgs args;
  add_options(app, args);
  return run_admin_command(app, argc, argv, kCaHelp, "edgehubd ca", [&] { run(args); });
}

}  // namespace edgehub::app
