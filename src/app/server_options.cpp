#include "app/server_options.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <stdexcept>
#include <thread>

#include "app/address_checks.hpp"
#include "app/daemon/config_file.hpp"
#include "app/daemon/print_config.hpp"
#include "app/daemon/version.hpp"
#include "app/database_choice.hpp"
#include "app/number_option.hpp"
#include "app/server_help.hpp"
#include "app/server_limit_options.hpp"
#include "hub/cluster/node_id.hpp"

namespace edgehub::app {
namespace {

struct RawOptions {
  std::optional<int> port_positional;
  std::optional<int> attempts_positional;
  int port = kDefaultPort;
  int max_attempts = 3;
  long block_seconds = 10;
  long cluster_lease = 10;
  long idle_timeout = 0;
  long login_timeout = 30;
  long heartbeat = 30;
  std::size_t max_clients = hub::AbuseConfig{}.max_connections;
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  unsigned long long argon2_ops = 2;
  std::size_t argon2_mem_kib = 64 * 1024;
  std::string files_dir;
  std::vector<std::string> proxy_protocol;
  bool no_presence = false;
  std::optional<std::uint64_t> upload_budget_per_user;  // default: --max-file-size
  long upload_timeout = 60;
  std::string cert, key;
  long tls_handshake_timeout = 10;
  std::size_t admission_threads = 1;
  long park_idle_ms = 1000;
  std::string client_ca;
  std::string client_crl;
  bool no_client_ca = false;
  int http_port = web::kDefaultHttpPort;
  long http_header_timeout = 10;
  long http_body_timeout = 30;
  long http_session_idle = 30 * 60;
  long http_session_max = 12 * 3600;
};

// The HTTP listener (docs/HTTP_API.md#the-http-server).
void add_http_options(CLI::App& app, RawOptions& raw, web::HttpOptions& http) {
  app.add_option("--http-port", raw.http_port, "HTTP/HTTPS port of the web console and API (0 = off)")
      ->capture_default_str()
      ->check(number_in(0, 65535));
  app.add_option("--http-bind", http.bind_address, "HTTP listen address (plain HTTP is served only to loopback)")
      ->capture_default_str()
      ->check(CLI::Validator(check_ip_address, "ADDRESS"));
  app.add_option("--http-max-connections", http.max_connections,
                 "HTTP connections at once; more get 503 (0 = no limit)")
      ->capture_default_str()
      ->check(number_in(std::size_t{0}, std::size_t{1'000'000}));
  app.add_option("--http-header-timeout", raw.http_header_timeout,
                 "close an HTTP connection (408) whose request headers take longer than S seconds")
      ->capture_default_str()
      ->check(number_in(1L, 3600L));
  app.add_option("--http-body-timeout", raw.http_body_timeout,
                 "close an HTTP connection (408) whose body or response stalls for S seconds")
      ->capture_default_str()
      ->check(number_in(1L, 3600L));
  constexpr long kYear = 366L * 24 * 3600;
  app.add_option("--http-session-idle", raw.http_session_idle,
                 "log a browser session out after S seconds without a request (at most --http-session-max)")
      ->capture_default_str()
      ->check(number_in(1L, kYear));
  app.add_option("--http-session-max", raw.http_session_max, "log a browser session out S seconds after its login")
      ->capture_default_str()
      ->check(number_in(1L, kYear));
}

// Said like CLI11's own refusals; nullopt if the options agree.
std::optional<std::string> http_session_problem(const RawOptions& raw) {
  if (raw.http_session_idle <= raw.http_session_max) return std::nullopt;
  return "--http-session-idle (" + std::to_string(raw.http_session_idle) + " s) is longer than --http-session-max (" +
         std::to_string(raw.http_session_max) + " s): a session could never be idle that long";
}

// TLS on the listening port (docs/SECURITY.md#tls).
void add_tls_options(CLI::App& app, RawOptions& raw) {
  auto* cert = app.add_option("--cert", raw.cert,
                              "serve this certificate chain (PEM; default: a self-signed one in the data directory)");
  auto* key = app.add_option("--key", raw.key, "the private key of --cert (PEM)");
  cert->needs(key);
  key->needs(cert);
  app.add_option("--tls-handshake-timeout", raw.tls_handshake_timeout,
                 "close a connection whose TLS handshake has not ended after S seconds")
      ->capture_default_str()
      ->check(number_in(1L, 3600L));
}

// Device certificates (docs/SECURITY.md#device-certificates).
void add_client_ca_options(CLI::App& app, RawOptions& raw) {
  auto* ca = app.add_option("--client-ca", raw.client_ca,
                            "CA certificates (PEM) whose device certificates may log in without a password "
                            "(default: DATA_DIR/ca/ca.crt, from 'edgehubd ca init')");
  auto* no_ca = app.add_flag("--no-client-ca", raw.no_client_ca,
                             "accept no device certificates, not even the data directory's CA")
                    ->excludes(ca);
  app.add_option("--client-crl", raw.client_crl,
                 "CRLs (PEM) of the --client-ca CAs: certificates they revoke cannot log in; read again when "
                 "the file changes")
      ->excludes(no_ca);
}

// --client-ca, else the data directory's own CA when there is one.
std::filesystem::path client_ca_of(const RawOptions& raw, const std::filesystem::path& data_dir) {
  if (raw.no_client_ca) return {};
  if (!raw.client_ca.empty()) return raw.client_ca;
  const auto own = data_dir / "ca" / "ca.crt";
  return std::filesystem::exists(own) ? own : std::filesystem::path{};
}

// What uploads in progress may hold of the disk (docs/FILES.md#limits).
void add_upload_options(CLI::App& app, RawOptions& raw, hub::HubConfig& hub) {
  app.add_option("--upload-budget-per-user", raw.upload_budget_per_user,
                 "disk space one user's uploads in progress may reserve together (default: --max-file-size)")
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--upload-budget", hub.upload_budget,
                 "disk space all uploads in progress may reserve together, e.g. 16G")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--keep-free", hub.keep_free,
                 "disk space uploads never reserve, left for messages and logins, e.g. 64M")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--upload-timeout", raw.upload_timeout,
                 "drop an upload that sends no data block for S seconds, freeing its space (0 = never)")
      ->capture_default_str()
      ->check(number_in(0L, 86400L));
}

void add_options(CLI::App& app, RawOptions& raw, ServerSettings& s) {
  app.add_option("PORT", raw.port_positional, "TCP port (original positional form)")->check(number_in(0, 65535));
  app.add_option("MAX_ATTEMPTS", raw.attempts_positional, "same as --max-attempts")->check(number_in(1, 5));
  app.add_option("--port", raw.port, "TCP port to listen on (0 = any free port)")
      ->capture_default_str()
      ->check(number_in(0, 65535));
  app.add_option("--bind", s.net.bind_address, "listen address")
      ->capture_default_str()
      ->check(CLI::Validator(check_ip_address, "ADDRESS"));
  app.add_option("--proxy-protocol", raw.proxy_protocol,
                 "proxies (IPv4/IPv6 CIDRs, repeatable or comma-separated) whose connections, to either port, begin "
                 "with a PROXY protocol header naming the client; a header from others is refused "
                 "(docs/CLUSTER.md#load-balancing)")
      ->allow_extra_args(false)
      ->check(CLI::Validator(check_cidr_list, "CIDR"));
  app.add_option("--max-attempts", raw.max_attempts, "consecutive failed logins before a block (1..5)")
      ->capture_default_str()
      ->check(number_in(1, 5));
  app.add_option("--block-seconds", raw.block_seconds, "how long a block lasts")
      ->capture_default_str()
      ->check(number_in(1L, 86400L));
  app.add_option("--idle-timeout", raw.idle_timeout, "log out after S seconds without a valid command (0 = never)")
      ->capture_default_str()
      ->check(number_in(0L, 86400L * 365));
  app.add_option("--login-timeout", raw.login_timeout, "close connections not logged in after S seconds")
      ->capture_default_str()
      ->check(number_in(1L, 3600L));
  app.add_option("--heartbeat", raw.heartbeat, "PING a silent client after S seconds; drop it after 2*S (0 = off)")
      ->capture_default_str()
      ->check(number_in(0L, 3600L));
  // The range check also refuses "-1", which CLI11 would otherwise wrap to a huge size_t.
  app.add_option("--max-clients", raw.max_clients, "connections in all; more get \"server full\" (0 = no limit)")
      ->capture_default_str()
      ->check(number_in(std::size_t{0}, std::size_t{100'000'000}));
  app.add_flag("--guest", s.hub.guest_mode, "clients connect without credentials, named Client01, Client02, ...");
  app.add_flag(
      "--no-presence", raw.no_presence,
      "devices start with 'notify off' (no login/logout events unless they send 'notify on'; guests never get them)");
  app.add_option("--data-dir", s.hub.data_dir, "database, uploads and logs")->capture_default_str();
  app.add_option("--database", s.database,
                 "a PostgreSQL database (postgresql://USER@HOST:PORT/DB; a password only in the configuration "
                 "file, ~/.pgpass, PGPASSWORD, or the URL in EDGEHUB_DATABASE) instead of SQLite in the data "
                 "directory (docs/CLUSTER.md); edgehubd migrate moves an existing SQLite hub into it")
      ->check(CLI::Validator(database_url_problem, "URL"));
  app.add_option("--cluster-lease", raw.cluster_lease,
                 "PostgreSQL: seconds a node's registration stays valid without renewal; renewed every third of "
                 "it (docs/CLUSTER.md#the-node-registry-and-its-lease)")
      ->capture_default_str()
      ->check(number_in(1L, 3600L));
  app.add_option("--cluster-node-id", s.hub.cluster.node_id,
                 "PostgreSQL: this node's id in the cluster tables and logs; a node refuses to start while a "
                 "running node holds the same id (docs/CLUSTER.md#choosing-node-ids) (default: HOST-RANDOM, "
                 "kept in DATA_DIR)")
      ->check(CLI::Validator([](const std::string& id) { return hub::node_id_problem(id).value_or(""); }, "NAME"));
  app.add_option("--credentials", s.hub.credentials, "'name password' lines, imported (hashed) into the database")
      ->capture_default_str();
  app.add_option("--files", raw.files_dir, "the shared file repository (default: DATA_DIR/files)");
  app.add_option("--max-file-size", s.hub.max_file_size, "largest file 'put' accepts, e.g. 4G or 500M (docs/FILES.md)")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--max-repo-size", s.hub.max_repo_size, "total size of the file repository, e.g. 32G")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--threads", raw.threads, "network threads (default: one per core)")
      ->check(number_in(std::size_t{1}, std::size_t{256}));
  app.add_option("--admission-threads", raw.admission_threads,
                 "threads at the lowest priority that accept new connections and run their TLS handshakes "
                 "before a network thread serves them (0: the network threads do it)")
      ->capture_default_str()
      ->check(number_in(std::size_t{0}, std::size_t{64}));
  app.add_option("--park-idle", raw.park_idle_ms,
                 "milliseconds a connection waits for input before it is parked: watched outside the event "
                 "loop's per-socket state, about 300 bytes less per idle device (0 = never)")
      ->capture_default_str()
      ->check(number_in(0L, 3'600'000L));
  app.add_option("--argon2-ops", raw.argon2_ops, "argon2id time cost for hashing imported passwords")
      ->capture_default_str()
      ->check(number_in(1ULL, 10ULL));
  app.add_option("--argon2-mem-kib", raw.argon2_mem_kib, "argon2id memory cost in KiB")
      ->capture_default_str()
      ->check(number_in(std::size_t{8}, std::size_t{4} * 1024 * 1024));
  app.add_option("--max-offline", s.hub.max_offline_messages,
                 "messages kept for one offline recipient; more are refused")
      ->capture_default_str()
      ->check(number_in(std::size_t{1}, std::size_t{10'000'000}));
  app.add_option("--high-water", s.net.high_water_bytes,
                 "bytes queued for a client that does not read before it is disconnected")
      ->capture_default_str()
      ->check(number_in(std::size_t{64} * 1024, std::size_t{1} << 32));
  add_upload_options(app, raw, s.hub);
  add_tls_options(app, raw);
  app.add_option("--broadcast-budget", s.hub.broadcast_budget,
                 "bytes of one sender's broadcasts queued at other devices before it is read no further")
      ->capture_default_str()
      ->check(number_in(std::size_t{64} * 1024, std::size_t{1} << 32));
  add_swarm_options(app, s.hub.swarm);
  add_client_ca_options(app, raw);
  add_abuse_options(app, s.hub.abuse);
  add_http_options(app, raw, s.http);
  app.add_option("--log-level", s.log_level, "trace, debug, info, warn, error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--log-file", s.log_file,
                 "append the log to FILE, reopened at SIGHUP (default: stderr, or the journal under systemd)");
}

void apply(const RawOptions& raw, ServerSettings& s) {
  s.net.port = static_cast<std::uint16_t>(raw.port_positional.value_or(raw.port));
  s.hub.max_attempts = raw.attempts_positional.value_or(raw.max_attempts);
  s.hub.block_time = std::chrono::seconds(raw.block_seconds);
  s.hub.idle_timeout = std::chrono::seconds(raw.idle_timeout);
  s.hub.login_timeout = std::chrono::seconds(raw.login_timeout);
  s.hub.cluster.lease = std::chrono::seconds(raw.cluster_lease);
  s.hub.cluster.node_id_chosen = !s.hub.cluster.node_id.empty();
  s.hub.heartbeat = std::chrono::seconds(raw.heartbeat);
  s.hub.abuse.max_connections = raw.max_clients;
  s.hub.presence_default = !raw.no_presence;
  s.hub.argon2 = {raw.argon2_ops, raw.argon2_mem_kib * 1024};
  s.hub.files_dir = raw.files_dir.empty() ? s.hub.data_dir / "files" : std::filesystem::path(raw.files_dir);
  s.net.threads = raw.threads;
  if (!raw.proxy_protocol.empty())
    s.net.proxies = std::make_shared<const net::TrustedProxies>(net::TrustedProxies::parse(raw.proxy_protocol));
  s.http.proxies = s.net.proxies;
  s.hub.upload_budget_per_user = raw.upload_budget_per_user.value_or(s.hub.max_file_size);
  s.hub.upload_timeout = std::chrono::seconds(raw.upload_timeout);
  if (!raw.cert.empty()) s.tls_files = net::TlsFiles{raw.cert, raw.key};
  s.net.tls_handshake_deadline = std::chrono::seconds(raw.tls_handshake_timeout);
  s.net.admission_threads = raw.admission_threads;
  s.net.park_idle = std::chrono::milliseconds(raw.park_idle_ms);
  s.hub.client_ca = client_ca_of(raw, s.hub.data_dir);
  s.http.port = static_cast<std::uint16_t>(raw.http_port);
  s.http.header_timeout = std::chrono::seconds(raw.http_header_timeout);
  s.http.body_timeout = std::chrono::seconds(raw.http_body_timeout);
  s.http.handshake_timeout = s.net.tls_handshake_deadline;
  s.http.session_idle = std::chrono::seconds(raw.http_session_idle);
  s.http.session_max = std::chrono::seconds(raw.http_session_max);
  s.hub.client_crl = raw.client_crl;
}

// A configuration file's line (app/daemon/config_file.hpp), judged as if
// it were the only option on the command line; what it needs or excludes
// is judged with the whole configuration, later.
std::string problem_alone(const std::string& name, const std::vector<std::string>& values) {
  CLI::App scratch;
  RawOptions raw;
  ServerSettings settings;
  add_options(scratch, raw, settings);
  std::vector<std::string> args;  // CLI11 takes them last first
  for (auto it = values.rbegin(); it != values.rend(); ++it) args.push_back("--" + name + "=" + *it);
  try {
    scratch.parse(args);
  } catch (const CLI::RequiresError&) {
  } catch (const CLI::ExcludesError&) {
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return {};
}

bool known_setting(const std::string& name) {
  CLI::App scratch;
  RawOptions raw;
  ServerSettings settings;
  add_options(scratch, raw, settings);
  return name != "help" && scratch.get_option_no_throw("--" + name) != nullptr;
}

// The configuration file is read by CLI11 (--config FILE, else
// /etc/edgehub/edgehubd.conf when it exists); the command line overrides it.
void add_config_options(CLI::App& app, bool& print_config) {
  app.set_config("--config", default_config_file(),
                 "read options from FILE, 'name = value' lines, see docs/OPERATIONS.md "
                 "(default: /etc/edgehub/edgehubd.conf)");
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.add_flag("--print-config", print_config,
               "print the effective configuration in the configuration file's format, without passwords, and exit");
}

// --help and --version work whatever the configuration file holds.
bool asks_for_help(int argc, char** argv) {
  return on_command_line(argc, argv, "--help") || on_command_line(argc, argv, "-h") ||
         on_command_line(argc, argv, "--version");
}

// Refusals said like CLI11's own, exit status 2.
ParseOutcome refuse(const std::string& why) {
  std::cerr << "edgehubd: " << why << "\nRun 'edgehubd --help' for the options.\n";
  return {std::nullopt, 2};
}

}  // namespace

ParseOutcome parse_server_options(int argc, char** argv) {
  CLI::App app{
      "The edgehub server for edge devices: logins, presence, messaging, edge data,\n"
      "a shared file repository and peer-to-peer transfers. State lives in the data\n"
      "directory; SIGINT or SIGTERM stops the server cleanly.",
      "edgehubd"};
  app.footer(
      "Exit status: 0 after a clean stop; 2 for a bad option, or a refused start (port\n"
      "in use, data directory in use, no accounts); 1 for other errors.\n"
      "More: README.md#the-server, docs/PROTOCOL.md.");
  use_server_help(app);
  app.set_help_flag("-h,--help", "print this help and exit");
  app.set_version_flag("--version", version_text("edgehubd"), "print the version and exit");
  RawOptions raw;
  ServerSettings settings;
  add_options(app, raw, settings);
  bool print_config = false;
  add_config_options(app, print_config);
  if (auto problem = check_config_file(config_file_of(argc, argv), {known_setting, problem_alone});
      problem && !asks_for_help(argc, argv))
    return refuse(*problem);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return {std::nullopt, app.exit(e)};
  } catch (const CLI::CallForVersion& e) {
    return {std::nullopt, app.exit(e)};
  } catch (const CLI::ParseError& e) {
    return refuse(e.what());
  }
  if (auto problem = http_session_problem(raw)) return refuse(*problem);
  // ps shows the command line to everyone; the configuration file is
  // readable by root and the edgehub user only (docs/OPERATIONS.md).
  if (on_command_line(argc, argv, "--database"))
    if (auto problem = database_option_problem(settings.database); !problem.empty())
      return refuse("--database: " + problem + ", or in the configuration file (--config)");
  apply(raw, settings);
  try {
    settings.database = chosen_database(settings.database);
  } catch (const std::invalid_argument& e) {
    std::cerr << "edgehubd: " << e.what() << "\n";
    return {std::nullopt, 2};
  }
  settings.config_text = config_text(app, settings.database);
  if (print_config) {
    std::cout << settings.config_text;
    return {std::nullopt, 0};
  }
  return {settings, 0};
}

}  // namespace edgehub::app
