#pragma once
// The client's private sessions (docs/MESSAGING.md#private-sessions). The
// server only introduces the two devices; messages then travel over a TCP
// connection straight between them, so they arrive even when the server is
// stopped.
//   - "startprivate bob": ask() makes alice's ephemeral key pair; the
//     server passes the public key to bob (!PRIVREQ alice KEY).
//   - "accept alice": listen() opens a one-shot listener with a one-time
//     token and bob's key pair; the server passes port, token and bob's
//     public key to alice (!PRIVSTART).
//   - alice's client connects (on_event PRIVSTART) and proves the token;
//     from then on every line is encrypted end to end (private_records.hpp).
//   - "private bob TEXT" writes to the open channel; "stopprivate bob", a
//     !PRIVSTOP from the server, BYE from the peer or a broken connection
//     ends it. Logging out ends all of them (close_all).
// Thread-safe: commands call in from the command thread, sockets live on the
// client's I/O thread.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "client/messaging/private_channel.hpp"
#include "p2p/crypto/cipher_choice.hpp"
#include "p2p/crypto/key_exchange.hpp"
#include "protocol/server_message.hpp"

namespace edgehub::client {

class ClientApp;

class PrivateChannels {
 public:
  explicit PrivateChannels(ClientApp& app) : app_(app) {}
  ~PrivateChannels();

  // I/O thread: handles !PRIVSTART and !PRIVSTOP; notes the key of a
  // !PRIVREQ and forgets keys on !PRIVDECLINED and !PRIVCANCEL (false for
  // these, which are shown as they are, and for other events).
  bool on_event(const protocol::ServerMessage& m);

  // A fresh key pair for asking peer: the public key to send (64 hex digits).
  std::string ask(const std::string& peer);
  void forget_ask(const std::string& peer);

  struct Invitation {
    std::uint16_t port = 0;
    std::string token;
    std::string public_key;  // this side's, 64 hex digits
  };
  // Listens for peer's connection (one accepted, for a limited time).
  // Throws std::runtime_error if no port can be opened.
  Invitation listen(const std::string& peer);
  void cancel_listen(const std::string& peer);

  // Writes one message to the open session with peer; false if there is none.
  bool send(const std::string& peer, std::string_view text);
  // The open session's short authentication string; nullopt if none.
  std::optional<std::string> sas(const std::string& peer);
  // Ends the session with peer (BYE, then close); false if there was none.
  bool stop(const std::string& peer);
  // Ends every session and listener; waits (bounded) until BYEs are sent.
  void close_all();

 private:
  struct Listener;
  boost::asio::awaitable<void> accept_loop(std::shared_ptr<Listener> listener);
  // One connection's handshake; runs beside the others (docs/MESSAGING.md#private-sessions).
  boost::asio::awaitable<void> admit(std::shared_ptr<Listener> listener, boost::asio::ip::tcp::socket socket);
  struct Offer;  // a !PRIVSTART with this side's key pair
  boost::asio::awaitable<void> connect_to(std::shared_ptr<Offer> offer);
  void on_start_event(const std::string& text);
  void open(boost::asio::ip::tcp::socket socket, const std::string& peer, PrivateCipher cipher, std::string leftover);
  void closed_by_peer(const std::shared_ptr<PrivateChannel>& channel, const std::string& why);
  void forget_listener(const std::shared_ptr<Listener>& listener);
  void on_stop_event(const std::string& peer);

  ClientApp& app_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<PrivateChannel>> channels_;  // open, by peer
  std::map<std::string, std::shared_ptr<Listener>> listeners_;       // waiting, by peer
  std::map<std::string, p2p::crypto::KxKeyPair> asked_;              // our startprivate, by peer
  std::map<std::string, p2p::crypto::PeerKey> requests_;             // their !PRIVREQ's key, by peer
};

}  // namespace edgehub::client
