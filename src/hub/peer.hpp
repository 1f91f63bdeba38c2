#pragma once
// A connection as the hub sees it. The network layer implements it (plain
// TCP now, TLS later) so the hub never touches a socket. Every method may be
// called from any thread.
#include <memory>
#include <string>

namespace edgehub::hub {

// One encoded frame, shared by every recipient of a broadcast: it is
// written to many sockets but copied never.
using SharedBytes = std::shared_ptr<const std::string>;

inline SharedBytes make_bytes(std::string bytes) { return std::make_shared<const std::string>(std::move(bytes)); }

// A message frame whose loss matters (hub/messaging_letter.hpp).
struct Letter;
using LetterPtr = std::shared_ptr<const Letter>;

class Peer {
 public:
  virtual ~Peer() = default;
  // Queues bytes for writing. Past the connection's high-water mark of
  // queued bytes the connection is closed instead (a reader that does not
  // read never makes the server buffer without bound).
  virtual void send(SharedBytes bytes) = 0;
  // Like send, for a message: if the connection closes before the letter
  // is written to the socket (or refuses it at the high-water mark), it is
  // handed back to the hub's messaging, which stores it offline; one that
  // came from the offline store is reported once written (then deleted).
  virtual void send_letter(LetterPtr letter) = 0;
  // Writes what is queued, then closes. Idempotent.
  virtual void close_after_flush() = 0;
  virtual const std::string& remote_ip() const = 0;
};

}  // namespace edgehub::hub
