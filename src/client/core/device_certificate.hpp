#pragma once
// `edgehub --cert FILE --key FILE`: log in with a device certificate
// (docs/SECURITY.md#device-certificates, docs/CLIENT.md#device-certificates).
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "client/core/client_options.hpp"

namespace edgehub::client {

void add_certificate_options(CLI::App& app, ClientOptions& options);

// After parsing: reads both files, so a wrong path or a key of another
// certificate is said before connecting; sets options.cert_name to the
// certificate's CN. Returns the problem, or nullopt.
std::optional<std::string> check_device_certificate(ClientOptions& options);

}  // namespace edgehub::client
