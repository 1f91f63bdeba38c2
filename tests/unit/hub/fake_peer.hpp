#pragma once
// A Peer that records what the hub sends, for tests without sockets. It
// keeps every frame in order (sent), the frames that came through send()
// alone (events: replies and events, not messages), and the letters
// themselves (letters: to check their batch marks and hand them back as
// written, as a connection would). Thread-safe: the hub sends from any thread.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hub/core/peer.hpp"
#include "hub/messaging/messaging_letter.hpp"

namespace edgehub::hub::testing {

class FakePeer final : public Peer {
 public:
  explicit FakePeer(std::string ip = "127.0.0.1") : ip_(std::move(ip)) {}
  void send(SharedBytes bytes) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(*bytes);
    events_.push_back(*bytes);
  }
  void send_letter(LetterPtr letter) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(letter->frame);
    letters_.push_back(std::move(letter));
  }
  void close_after_flush() override {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  const std::string& remote_ip() const override { return ip_; }
  // As a TLS connection whose client sent this certificate; set before the
  // first line, as the handshake does.
  void set_certificate(tls::PeerCertificate certificate) { certificate_ = std::move(certificate); }
  const tls::PeerCertificate* client_certificate() const override { return certificate_ ? &*certificate_ : nullptr; }

  std::vector<std::string> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  std::vector<std::string> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::vector<LetterPtr> letters() {
    std::lock_guard lock(mutex_);
    return letters_;
  }
  bool closed() {
    std::lock_guard lock(mutex_);
    return closed_;
  }

 private:
  std::string ip_;
  std::mutex mutex_;
  std::vector<std::string> sent_;
  std::vector<std::string> events_;
  std::vector<LetterPtr> letters_;
  bool closed_ = false;
  std::optional<tls::PeerCertificate> certificate_;
};

}  // namespace edgehub::hub::testing
