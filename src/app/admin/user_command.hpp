#pragma once
// `edgehubd user add|passwd|del|list|unlock NAME`: account administration
// on the data directory's database, also while the server runs (it picks
// the change up within a second). docs/SECURITY.md#accounts.

namespace edgehub::app {

// argv[0] is "user". Returns the process exit code: 0 done, 1 failed
// (e.g. no such account), 2 bad usage.
int run_user_command(int argc, char** argv);

}  // namespace edgehub::app
