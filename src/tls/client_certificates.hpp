#pragma once
// Device certificates on the server's TLS listener (mutual TLS,
// docs/SECURITY.md#device-certificates). The listener asks for a client
// certificate but never fails the handshake over one: a device without a
// certificate still logs in with its password, and one whose certificate is
// not trusted learns why from `certlogin`'s -ERR instead of a dropped
// connection.
#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <vector>

#include "tls/peer_certificate.hpp"
#include "tls/x509.hpp"

namespace edgehub::tls {

// The trusted CAs of --client-ca (every certificate in the PEM file).
// Throws std::runtime_error naming the file.
std::vector<CertPtr> load_client_cas(const std::filesystem::path& file);

// Makes ctx request (not require) a client certificate checked against cas.
void request_client_certificates(SSL_CTX* ctx, const std::vector<CertPtr>& cas);

// After the handshake: nullopt when the client sent no certificate.
std::optional<PeerCertificate> describe_peer_certificate(const SSL* ssl);

}  // namespace edgehub::tls
