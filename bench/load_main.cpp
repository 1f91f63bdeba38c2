// load: many concurrent edgehub devices that log in and then stay idle.
//
//   load --port P --connections N [--processes K] [--phases login,resume]
//        [--server-pid PID] [--hold-seconds S] ...
//   load --write-credentials FILE --connections N
//
// Each worker process binds its own source address (127.0.0.2, .3, ...) so
// that tens of thousands of connections fit in the ephemeral port range,
// and opens its share of the connections with at most --concurrency
// handshakes in flight. Phases: "login" (notify off + login NAME PASSWORD,
// keeps the !TOKEN), "resume" (reconnect all with resume NAME TOKEN),
// "guest" (the greeting of edgehubd --guest logs in). See bench/hub_bench.sh
// and docs/BENCHMARKS.md.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>

#include "load_edgehub.hpp"
#include "load_runner.hpp"

namespace {

using namespace edgehub::bench;

// Device i logs in as name(i) with password(i): the same scheme as here.
int write_credentials(const std::string& path, std::size_t count, const Accounts& accounts) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (std::size_t i = 1; i <= count && out; ++i) out << accounts.name(i) << ' ' << accounts.password(i) << '\n';
  out.close();
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"load: concurrent idle logged-in edgehub devices"};
  RunConfig config;
  Accounts accounts;
  std::string phases = "login";
  std::string credentials_out;
  bool presence = false;
  add_run_options(app, config);
  app.add_option("--phases", phases, "comma-separated: login, resume, guest")->capture_default_str();
  app.add_option("--name-prefix", accounts.name_prefix, "device i is PREFIX%06d")->capture_default_str();
  app.add_option("--password-prefix", accounts.password_prefix, "its password is PREFIX%06dx")->capture_default_str();
  app.add_flag("--presence", presence, "do not send 'notify off' before logging in");
  app.add_option("--write-credentials", credentials_out, "write a credentials file for --connections devices and exit");
  // --port is required for a load run only.
  app.get_option("--port")->required(false);
  CLI11_PARSE(app, argc, argv);
  if (!credentials_out.empty()) return write_credentials(credentials_out, config.connections, accounts);
  if (config.port == 0) {
    std::fprintf(stderr, "--port is required\n");
    return 2;
  }
  std::stringstream list(phases);
  for (std::string phase; std::getline(list, phase, ',');) {
    if (phase != "login" && phase != "resume" && phase != "guest") {
      std::fprintf(stderr, "unknown phase '%s' (login, resume, guest)\n", phase.c_str());
      return 2;
    }
    config.phases.push_back(phase);
  }
  return run_load(config, [&] { return std::make_unique<EdgehubProtocol>(accounts, !presence); });
}
