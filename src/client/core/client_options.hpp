#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace edgehub::client {

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7475;
  std::uint16_t udp_port = 0;           // 0: any free port
  std::optional<std::string> user;      // --user
  std::optional<std::string> password;  // EDGEHUB_PASSWORD
  bool json = false;
  bool stop_on_error = false;  // --stop-on-error: batch mode stops at the first failed command
  // Chunk requests served at once to swarm downloaders (docs/SWARM.md#5-downloader-and-seeder).
  std::size_t swarm_upload_slots = 8;
  // TLS (docs/SECURITY.md#tls): --plain, --insecure, --fingerprint.
  bool plain = false;
  bool insecure = false;
  std::optional<std::string> fingerprint;
  // Device certificate (docs/SECURITY.md#device-certificates): --cert and
  // --key; the login is `certlogin`, as --user or else the certificate's CN.
  std::optional<std::string> cert, key;
  std::string cert_name;
};

// Exit statuses of the edgehub client (documented in README and --help).
enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,          // cannot connect, connection lost, server full
  kExitUsage = 2,          // bad command line, or input that ends before the login
  kExitLoginFailed = 3,    // wrong name/password, already logged in
  kExitBlocked = 4,        // account blocked after too many failures
  kExitCommandFailed = 5,  // batch mode: a command failed (docs/CLIENT.md#exit-status)
};

}  // namespace edgehub::client
