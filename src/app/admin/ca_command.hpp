#pragma once
// `edgehubd ca init|issue NAME|revoke NAME|list`: the small device CA in the
// data directory, the certificates it issues and their revocation, also
// while the server runs (docs/SECURITY.md#device-certificates).

namespace edgehub::app {

// argv[0] is "ca". Returns the process exit code: 0 done, 1 refused
// (e.g. no CA yet), 2 bad usage.
int run_ca_command(int argc, char** argv);

}  // namespace edgehub::app
