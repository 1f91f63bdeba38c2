#pragma once
// A Peer that records what the hub sends, for tests without sockets.
#include <mutex>
#include <string>
#include <vector>

#include "hub/messaging/messaging_letter.hpp"
#include "hub/core/peer.hpp"

namespace edgehub::hub::testing {

class FakePeer final : public Peer {
 public:
  explicit FakePeer(std::string ip = "127.0.0.1") : ip_(std::move(ip)) {}
  void send(SharedBytes bytes) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(*bytes);
  }
  void send_letter(LetterPtr letter) override {  // recorded like any frame
    std::lock_guard lock(mutex_);
    sent_.push_back(letter->frame);
  }
  void close_after_flush() override { closed_ = true; }
  const std::string& remote_ip() const override { return ip_; }

  std::vector<std::string> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  bool closed() const { return closed_; }

 private:
  std::string ip_;
  std::mutex mutex_;
  std::vector<std::string> sent_;
  bool closed_ = false;
};

}  // namespace edgehub::hub::testing
