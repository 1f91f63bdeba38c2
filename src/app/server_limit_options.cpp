#include "app/server_limit_options.hpp"

#include "app/number_option.hpp"

namespace edgehub::app {

// Abuse limits (docs/SECURITY.md#abuse-limits); --max-clients is the global
// connection cap. 0 turns each off.
void add_abuse_options(CLI::App& app, hub::AbuseConfig& abuse) {
  const auto count = number_in(std::size_t{0}, std::size_t{100'000'000});
  app.add_option("--connect-rate", abuse.connect_rate, "new connections per second from one address (0 = no limit)")
      ->capture_default_str()
      ->check(count);
  app.add_option("--connect-burst", abuse.connect_burst, "new connections from one address at once, within the rate")
      ->capture_default_str()
      ->check(number_in(std::size_t{1}, std::size_t{100'000'000}));
  app.add_option("--max-per-address", abuse.max_per_address, "connections open from one address (0 = no limit)")
      ->capture_default_str()
      ->check(count);
  app.add_option("--max-failed-logins", abuse.failed_logins_per_minute,
                 "failed logins per minute from one address before it is refused (0 = no limit)")
      ->capture_default_str()
      ->check(count);
  app.add_option("--max-unauthenticated", abuse.max_unauthenticated,
                 "connections not logged in yet, in all (0 = no limit)")
      ->capture_default_str()
      ->check(count);
  app.add_option("--max-queued-bytes", abuse.max_queued_bytes,
                 "bytes queued for output to all clients; the client that would pass it is closed (0 = no limit)")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--max-tls-handshakes", abuse.max_tls_handshakes,
                 "TLS handshakes in progress at once; more connections are closed at once (0 = no limit)")
      ->capture_default_str()
      ->check(count);
  app.add_option("--tls-handshake-rate", abuse.tls_handshake_rate,
                 "TLS handshakes begun per second, in all; more connections are closed at once (0 = no limit)")
      ->capture_default_str()
      ->check(count);
}

// The swarm tracker's limits (docs/SWARM.md#limits).
void add_swarm_options(CLI::App& app, hub::SwarmLimits& limits) {
  app.add_option("--swarm-max-files", limits.max_files, "files one device may announce in the swarm (docs/SWARM.md)")
      ->capture_default_str()
      ->check(number_in(std::size_t{1}, std::size_t{10'000'000}));
  app.add_option("--swarm-max-chunks", limits.max_chunks, "chunks of one swarm manifest")
      ->capture_default_str()
      ->check(number_in(std::uint32_t{1}, std::uint32_t{1} << 26));
  app.add_option("--swarm-max-manifest-bytes", limits.max_manifest_bytes,
                 "bytes of chunk hashes in one swarm manifest, e.g. 2M")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false))
      ->check(number_in(std::size_t{32}, std::size_t{1} << 31));
  app.add_option("--swarm-max-memory", limits.max_memory, "memory of the whole swarm tracker, e.g. 256M")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false))
      ->check(number_in(std::size_t{4096}, std::size_t{1} << 40));
}

}  // namespace edgehub::app
