#include "app/admin/migrate_command.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "app/admin/admin_cli.hpp"
#include "app/admin/migrate_source.hpp"
#include "app/database_choice.hpp"
#include "store/postgres/pg_url.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/store_copy.hpp"

namespace edgehub::app {
namespace {

struct MigrateArgs {
  std::string from;
  std::string to;
};

using Target = store::PostgresStore;

// The target's schema is created in the transaction the copy then uses:
// whatever fails before COMMIT leaves the database as it was.
std::unique_ptr<Target> open_target(const std::string& url) {
  try {
    auto db = std::make_unique<Target>(url, Target::SchemaTransaction::KeepOpen);
    db->connection().exec("SET application_name = 'edgehubd migrate'");
    return db;
  } catch (const std::runtime_error& e) {
    throw AdminRefused{fmt::format("--to: {}", e.what())};
  }
}

// A node running on the target would keep serving from what it loaded
// before the rows arrived (blocks, offline queues): refused.
void refuse_running_nodes(Target& db) {
  const auto r = db.connection().exec(
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'edgehubd' "
      "AND pid <> pg_backend_pid()");
  if (const auto n = r.int64(0, 0); n > 0)
    throw AdminRefused{fmt::format("--to: {} edgehubd connection{} to this database: stop every node first", n,
                                   n == 1 ? " is open" : "s are open")};
}

std::string nonzero_counts(const std::vector<store::TableCount>& counts) {
  std::string out;
  for (const auto& c : counts)
    if (c.rows > 0) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", c.table, c.rows);
  return out;
}

void refuse_nonempty(Target& db) {
  const auto counts = db.count_rows();
  if (store::holds_data(counts))
    throw AdminRefused{fmt::format(
        "--to: the database already holds data ({}): migrate only into an empty database; nothing was changed",
        nonzero_counts(counts))};
}

void print_progress(const store::TableCount& so_far, bool done) {
  if (done)
    std::printf("  %-20s %lld rows copied\n", so_far.table.c_str(), static_cast<long long>(so_far.rows));
  else
    std::printf("  %-20s %lld rows so far...\n", so_far.table.c_str(), static_cast<long long>(so_far.rows));
  std::fflush(stdout);
}

void verify(store::Store& source, Target& target) {
  const auto differences = store::count_differences(source.count_rows(), target.count_rows());
  if (!differences.empty())
    throw AdminRefused{fmt::format("the copy is incomplete ({}); rolled back, nothing was changed", differences)};
}

void print_summary(const std::vector<store::TableCount>& counts, double seconds) {
  std::printf("Verified: the target holds as many rows as the source in every table.\n");
  for (const auto& c : counts) std::printf("  %-20s %lld\n", c.table.c_str(), static_cast<long long>(c.rows));
  std::printf(
      "Committed in %.1f s. The data directory's files (uploads, files, device log, CA, TLS) stay where "
      "they are: start edgehubd with the same --data-dir and --database.\n",
      seconds);
}

void run(const MigrateArgs& a) {
  const auto started = std::chrono::steady_clock::now();
  auto source = open_migrate_source(sqlite_source_dir(a.from));
  auto target = open_target(a.to);
  try {
    refuse_nonempty(*target);  // first: a connection that just closed may still be listed a moment
    refuse_running_nodes(*target);
    source.db->begin();  // one snapshot, and `edgehubd user` waits until the copy ends
    std::printf("Copying %s into %s (one transaction)\n", source.file.c_str(),
                store::postgres_url_for_log(a.to).c_str());
    const auto copied = store::copy_store(*source.db, *target, print_progress);
    verify(*source.db, *target);
    target->commit();
    store::rollback_after_failure(*source.db);  // it only read
    print_summary(copied, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  } catch (const AdminRefused&) {
    store::rollback_after_failure(*target);
    throw;
  } catch (const std::exception& e) {
    store::rollback_after_failure(*target);
    throw AdminRefused{fmt::format("the copy failed and was rolled back, the target is unchanged: {}", e.what())};
  }
}

void add_options(CLI::App& app, MigrateArgs& a) {
  app.add_option("--from", a.from, "sqlite:DIR, the old server's data directory")->required();
  app.add_option("--to", a.to, "the PostgreSQL database, postgresql://... without a password")
      ->required()
      ->check(CLI::Validator(database_option_problem, "URL"));
}

constexpr const char* kHelp = R"(Usage: edgehubd migrate --from sqlite:DIR --to postgresql://USER@HOST:PORT/DB

Moves a single-node hub's database (DIR/edgehub.db) into an empty
PostgreSQL database, so that edgehubd --database can serve it
(docs/CLUSTER.md#moving-a-single-node-hub-to-postgresql).

Copied as they are: accounts (password hashes, origin, admin flag),
unlock requests, device certificates and revocations, meta, login
history, offline messages (with their order and per-recipient counts),
blocks. Files in DIR (uploads and edge data, the file repository, the
device log, the CA, the TLS certificate) are not in the database and stay
in DIR.

Safe to run again after a failure:
  - refused while an edgehubd runs on DIR (its lock file), or while an
    edgehubd is connected to the target database;
  - refused when the target database already holds data;
  - one PostgreSQL transaction: the schema and every row are committed
    together after the row counts were checked, or nothing is;
  - DIR is only read (an older schema is first upgraded, as edgehubd
    would at its start).

Options:
  --from sqlite:DIR   the old server's data directory
  --to URL            the PostgreSQL database (postgresql:// or postgres://);
                      no password here: ps shows every argument. Put it in
                      ~/.pgpass, PGPASSFILE or PGPASSWORD.

Exit status: 0 done, 1 refused or failed (the target unchanged), 2 bad usage.
)";

}  // namespace

int run_migrate_command(int argc, char** argv) {
  CLI::App app{"Move a single-node hub's SQLite database into PostgreSQL.", "edgehubd migrate"};
  MigrateArgs args;
  add_options(app, args);
  return run_admin_command(app, argc, argv, kHelp, "edgehubd migrate", [&] { run(args); });
}

}  // namespace edgehub::app
