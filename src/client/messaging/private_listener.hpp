#pragma once
// The internals that private_channels.cpp and private_handshake.cpp share:
// a listener waiting for the peer after "accept", and an offer (!PRIVSTART)
// being connected to (docs/MESSAGING.md#private-sessions).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <string>

#include "client/messaging/private_channels.hpp"

namespace edgehub::client {

struct PrivateChannels::Listener {
  Listener(boost::asio::io_context& io, std::string p, std::string t, std::optional<p2p::crypto::PeerKey> k)
      : acceptor(io), deadline(io), peer(std::move(p)), token(std::move(t)), peer_key(k) {}
  void close() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    deadline.cancel();
  }
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::steady_timer deadline;
  const std::string peer;
  const std::string token;
  const p2p::crypto::KxKeyPair keys = p2p::crypto::make_kx_keypair();
  const std::optional<p2p::crypto::PeerKey> peer_key;  // from its !PRIVREQ
  bool admitted = false;                               // on the io thread only
};

struct PrivateChannels::Offer {
  std::string peer;
  std::string host;
  std::uint16_t port = 0;
  std::string token;
  p2p::crypto::PeerKey peer_key;
  p2p::crypto::KxKeyPair keys;  // made by ask()
};

}  // namespace edgehub::client
