#pragma once
// A connection as the hub sees it. The network layer implements it (plain
// TCP now, TLS later) so the hub never touches a socket. Every method may be
// called from any thread.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "tls/peer_certificate.hpp"

namespace edgehub::hub {

// One encoded frame, shared by every recipient of a broadcast: it is
// written to many sockets but copied never.
using SharedBytes = std::shared_ptr<const std::string>;

inline SharedBytes make_bytes(std::string bytes) { return std::make_shared<const std::string>(std::move(bytes)); }

// A message frame whose loss matters (hub/messaging_letter.hpp).
struct Letter;
using LetterPtr = std::shared_ptr<const Letter>;

// A region of an open file to stream (docs/FILES.md, "Downloads"). fd
// stays open for as long as `owner` lives; the connection keeps owner until
// the region is sent.
struct FileRegion {
  int fd = -1;
  std::shared_ptr<const void> owner;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};
// Called once, on the connection's thread (or where the connection is
// destroyed): the bytes of the region sent, and whether that was all of it.
using FileSent = std::function<void(std::uint64_t sent, bool complete)>;

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
  // Queues a file region after everything queued so far, to go out as
  // "$N" blocks of at most 1 MiB without ever being held in memory (plain
  // TCP: sendfile). Frames queued later wait until it is sent. A peer
  // without a streaming path closes instead.
  virtual void send_file(FileRegion /*region*/, FileSent done) {
    close_after_flush();
    if (done) done(0, false);
  }
  // Writes what is queued, then closes. Idempotent.
  virtual void close_after_flush() = 0;
  virtual const std::string& remote_ip() const = 0;
  // True if the calling thread is the one that owns this connection's
  // state (its Session included), for the debug-build thread checks
  // (common/thread_check.hpp). A peer with no thread of its own (a test's
  // fake) is owned by whoever calls it.
  virtual bool on_own_thread() const { return true; }
  // The client certificate the TLS handshake received, verified or not;
  // nullptr over plain TCP or when the client sent none. Set before the
  // first line is read and never changed (docs/SECURITY.md#device-certificates).
  virtual const tls::PeerCertificate* client_certificate() const { return nullptr; }

  // Set once this login's stored messages are delivered and no delivery of
  // stored ones is under way (hub/messaging/messaging_offline.hpp): a live
  // message may then go straight to the connection.
  std::atomic<bool> backlog_delivered{false};
};

}  // namespace edgehub::hub
