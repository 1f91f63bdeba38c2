#pragma once
// Everything the hub is told at start-up (README.md#the-server).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "hub/abuse/abuse_limits.hpp"
#include "hub/cluster/cluster_config.hpp"
#include "hub/p2p/swarm_limits.hpp"

namespace edgehub::hub {

struct Argon2Cost {
  unsigned long long ops = 2;                // libsodium's OPSLIMIT_INTERACTIVE
  std::size_t mem_bytes = 64 * 1024 * 1024;  // MEMLIMIT_INTERACTIVE
};

struct HubConfig {
  int max_attempts = 3;
  // Password verifications at once: in total (the worker pool has two
  // threads), and per remote address (docs/PROTOCOL.md#5-logging-in).
  std::size_t verify_slots = 2;
  std::size_t verify_per_address = 1;
  std::chrono::seconds block_time{10};
  std::chrono::seconds idle_timeout{0};    // 0 = never
  std::chrono::seconds login_timeout{30};  // to send a valid login
  std::chrono::seconds heartbeat{30};      // 0 = off; see docs/PROTOCOL.md
  bool guest_mode = false;
  // The CA certificates device certificates must chain to (--client-ca, or
  // DATA/ca/ca.crt once `edgehubd ca init` made it); empty: the TLS
  // listener asks for none and `certlogin` is refused
  // (docs/SECURITY.md#device-certificates).
  std::filesystem::path client_ca;
  // --client-crl: CRLs (PEM) of those CAs, checked at every certificate
  // login and read again when the file changes; empty: none.
  std::filesystem::path client_crl;
  bool presence_default = true;  // false (--no-presence): devices start with "notify off"
  std::filesystem::path data_dir = "edgehub-data";
  std::filesystem::path credentials = "credentials.txt";
  std::filesystem::path files_dir;            // empty = data_dir / "files"
  std::uint64_t max_file_size = 4ULL << 30;   // bytes of one file in the repository (docs/FILES.md)
  std::uint64_t max_repo_size = 32ULL << 30;  // bytes of all of them, uploads in progress included
  // Disk space uploads in progress may hold (docs/FILES.md#limits).
  std::uint64_t upload_budget_per_user = 4ULL << 30;  // default: --max-file-size
  std::uint64_t upload_budget = 16ULL << 30;
  std::uint64_t keep_free = 64ULL << 20;    // never reserved: the database's room
  std::chrono::seconds upload_timeout{60};  // an upload with no block for this long is dropped; 0 = never
  Argon2Cost argon2;
  std::chrono::hours token_lifetime{24};
  std::size_t max_offline_messages = 10'000;  // per recipient, docs/MESSAGING.md
  std::size_t broadcast_budget = 8 << 20;     // bytes per sender, docs/MESSAGING.md#broadcast
  SwarmLimits swarm;                          // docs/SWARM.md#limits
  AbuseConfig abuse;                          // docs/SECURITY.md#abuse-limits (--max-clients too)
  ClusterConfig cluster;                      // PostgreSQL only: docs/CLUSTER.md#the-node-registry-and-its-lease
};

}  // namespace edgehub::hub
