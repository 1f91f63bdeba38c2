#pragma once
// `edgehubd restore SRC --data-dir DIR`: makes a new data directory from a
// backup (docs/OPERATIONS.md#backup-and-restore).

namespace edgehub::app {

// argv[0] is "restore". Returns the process exit code: 0 done, 1 refused or
// failed (DIR unchanged), 2 bad usage.
int run_restore_command(int argc, char** argv);

}  // namespace edgehub::app
