#pragma once
// Two devices' key pairs for tests of the encrypted transport
// (docs/UDP.md#14-end-to-end-encryption): the initiator's (UVF sender, swarm
// downloader) and the responder's session keys for any ticket.
#include <string_view>

#include "p2p/crypto/key_exchange.hpp"

namespace edgehub::p2p::testing {

struct TestKeys {
  crypto::KxKeyPair initiator_pair = crypto::make_kx_keypair();
  crypto::KxKeyPair responder_pair = crypto::make_kx_keypair();

  crypto::SessionKeys initiator(std::string_view ticket) const {
    return *crypto::derive_session_keys(initiator_pair, responder_pair.public_key, true, ticket);
  }
  crypto::SessionKeys responder(std::string_view ticket) const {
    return *crypto::derive_session_keys(responder_pair, initiator_pair.public_key, false, ticket);
  }
};

}  // namespace edgehub::p2p::testing
