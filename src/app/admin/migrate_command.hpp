#pragma once
// `edgehubd migrate --from sqlite:DIR --to postgresql://...`: moves a
// single-node hub's database into PostgreSQL, in one transaction, and
// checks that every row arrived (docs/CLUSTER.md#moving-a-single-node-hub-to-postgresql).

namespace edgehub::app {

// argv[0] is "migrate". Returns the process exit code: 0 done, 1 refused
// or failed (the target unchanged), 2 bad usage.
int run_migrate_command(int argc, char** argv);

}  // namespace edgehub::app
