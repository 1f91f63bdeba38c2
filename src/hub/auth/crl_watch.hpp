#pragma once
// --client-crl (docs/SECURITY.md#device-certificates): the file of CRLs the
// hub reads again when it changes. The hub checks its size and modification
// time once a second, with the accounts, on a worker thread (never a network
// thread: it is disk I/O), and keeps the last good list when a new one does
// not read. Reading and checking the CRLs is the app's (tls/crl.hpp), so
// the hub needs no OpenSSL.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_set>

namespace edgehub::hub {

struct CrlWatch {
  std::filesystem::path path;
  // The revoked certificates as tls::revocation_key()s; throws std::runtime_error.
  std::function<std::unordered_set<std::string>(const std::filesystem::path&)> load;
  // What the file looked like when last read; one check at a time (pending).
  std::filesystem::file_time_type mtime{};
  std::uintmax_t size = 0;
  bool unreadable_logged = false;
  std::atomic<bool> pending{false};
};

}  // namespace edgehub::hub
