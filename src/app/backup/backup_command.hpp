#pragma once
// `edgehubd backup DEST [--data-dir DIR]`: a consistent copy of a SQLite data
// directory while edgehubd serves from it (docs/OPERATIONS.md#backup-and-restore).

namespace edgehub::app {

// argv[0] is "backup". Returns the process exit code: 0 done, 1 refused or
// failed (DEST not created), 2 bad usage.
int run_backup_command(int argc, char** argv);

}  // namespace edgehub::app
