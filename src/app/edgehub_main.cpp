// edgehub: the client. "edgehub HOST PORT [UDP_PORT]" as in the original.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "app/daemon/version.hpp"
#include "client/core/client_app.hpp"
#include "client/core/device_certificate.hpp"
#include "client/core/known_hosts.hpp"

namespace {

// docs/SECURITY.md#tls
void add_tls_options(CLI::App& app, edgehub::client::ClientOptions& options) {
  auto* plain =
      app.add_flag("--plain", options.plain, "plaintext instead of TLS (only a server on this machine accepts it)");
  auto* insecure = app.add_flag("--insecure", options.insecure,
                                "TLS without checking the server's certificate: for tests only, said on stderr");
  auto* fingerprint = app.add_option("--fingerprint", options.fingerprint,
                                     "accept only the server certificate with this SHA256:... fingerprint "
                                     "(edgehubd fingerprint prints it)");
  fingerprint->check(CLI::Validator(
      [](const std::string& text) {
        return edgehub::client::valid_fingerprint(text) ? std::string()
                                                        : "'" + text + "' is not a SHA256:... fingerprint";
      },
      "SHA256:..."));
  plain->excludes(insecure)->excludes(fingerprint);
  insecure->excludes(fingerprint);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace edgehub::client;
  CLI::App app{
      "edgehub: client for an edgehub server.\n"
      "Interactive on a terminal; otherwise reads the username, the password and then\n"
      "one command a line from standard input, and logs out at end of input.\n"
      "The password can also come from the environment variable EDGEHUB_PASSWORD.\n"
      "Exit status: 0 ok, 1 connection error or server full, 2 usage (or input that\n"
      "ends before the login), 3 login refused (wrong name/password, already logged\n"
      "in), 4 account blocked, 5 batch mode: a command failed.",
      "edgehub"};
  ClientOptions options;
  std::string user;
  app.add_option("HOST", options.host, "server address")->required();
  app.add_option("PORT", options.port, "server TCP port")->required()->check(CLI::Range(1, 65535));
  app.add_option("UDP_PORT", options.udp_port, "UDP port for receiving peer-to-peer transfers (default: any free port)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--user", user, "log in as NAME without the Username: prompt");
  app.add_flag("--json", options.json, "print every reply and event as one JSON object a line");
  app.add_flag("--stop-on-error", options.stop_on_error,
               "batch mode: stop at the first command that fails (an -ERR reply or a client-side error)");
  app.add_option("--swarm-upload-slots", options.swarm_upload_slots,
                 "swarm chunk requests served at once, shared fairly between downloaders (default 8)")
      ->check(CLI::Range(1, 1024));
  add_tls_options(app, options);
  add_certificate_options(app, options);
  app.set_version_flag("--version", edgehub::app::version_text("edgehub"), "print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "edgehub: " << e.what() << "\nRun 'edgehub --help' for usage.\n";
    return kExitUsage;
  }
  if (!user.empty()) options.user = user;
  if (const auto problem = check_device_certificate(options)) {
    std::cerr << "edgehub: " << *problem << "\n";
    return kExitUsage;
  }
  if (const char* pw = std::getenv("EDGEHUB_PASSWORD")) options.password = std::string(pw);
  ClientApp client(std::move(options));
  return client.run();
}
