#pragma once
// A real Hub on a temporary SQLite store, built as edgehubd builds it
// (src/app/edgehubd_main.cpp), and devices that talk to it through fake
// peers. Commands are coroutines that run on the connection's thread: here
// that is the test's thread, driving an io_context until the command and
// everything it waits for (workers, store commits) are done.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "hub/auth/accounts.hpp"
#include "hub/auth/password_hasher.hpp"
#include "hub/core/hub.hpp"
#include "store/sqlite_store.hpp"
#include "store/store_queue.hpp"
#include "unit/hub/fake_peer.hpp"
#include "unit/store/temp_db.hpp"

namespace edgehub::hub::testing {

inline const Argon2Cost kCheapArgon2{1, 8 * 1024};  // libsodium's minimum: fast logins in a unit test
inline constexpr std::string_view kPassword = "wonder1and";

// One connection: the hub's Session over a FakePeer.
struct Device {
  std::shared_ptr<FakePeer> peer = std::make_shared<FakePeer>();
  Session session{*peer, peer};
  std::size_t seen = 0;  // frames of peer->sent() already returned by take()

  // The frames sent to this device since the last take(), without their
  // final "\n" (a listing keeps the "\n" between its lines).
  std::vector<std::string> take() {
    const auto all = peer->sent();
    std::vector<std::string> fresh;
    for (std::size_t i = seen; i < all.size(); ++i)
      fresh.push_back(all[i].ends_with('\n') ? all[i].substr(0, all[i].size() - 1) : all[i]);
    seen = all.size();
    return fresh;
  }
};

class HubHarness : public ::testing::Test {
 protected:
  // Accounts "alice", "bob" and "carol", all with kPassword.
  explicit HubHarness(HubConfig config = {}) : store_(open_store()) {
    config.data_dir = dir_.file("data");
    config.argon2 = kCheapArgon2;
    std::vector<store::Account> accounts;
    for (const char* name : {"alice", "bob", "carol"})
      accounts.push_back({name, hash_password(kPassword, kCheapArgon2)});
    hub_ = std::make_unique<Hub>(config, store_, workers_, std::make_unique<Accounts>(accounts, kCheapArgon2));
  }

  // Shuts down as edgehubd does: the hub's jobs on the workers and the
  // store finish before the hub they refer to goes.
  ~HubHarness() override {
    for (auto& device : devices_) hub_->on_disconnect(device->session);
    workers_.join();
    store_.stop();
    hub_.reset();
  }

  Hub& hub() { return *hub_; }

  // A new connection that got (and dropped) the greeting.
  Device& connect() {
    devices_.push_back(std::make_unique<Device>());
    Device& device = *devices_.back();
    EXPECT_TRUE(hub_->on_connect(device.session));
    device.take();
    return device;
  }

  // Runs one command line to completion; returns what the device was sent meanwhile.
  std::vector<std::string> send(Device& device, const std::string& line) {
    run(hub_->on_line(device.session, line));
    return device.take();
  }

  // Runs an awaitable on the test's io_context until it and all its work are done.
  void run(boost::asio::awaitable<void> task) {
    std::exception_ptr failure;
    bool finished = false;
    boost::asio::co_spawn(io_, std::move(task), [&](std::exception_ptr e) {
      failure = e;
      finished = true;
    });
    io_.restart();
    io_.run();
    ASSERT_TRUE(finished) << "the command never completed";
    if (failure) std::rethrow_exception(failure);
  }

  // A device logged in as name (with a UDP port if udp_port > 0).
  // A device given a UDP port also gives its public key, as the client does
  // (udp_key_of(name), docs/UDP.md#14-end-to-end-encryption).
  Device& logged_in(const std::string& name, int udp_port = 0) {
    Device& device = connect();
    const std::string port = udp_port > 0 ? " " + std::to_string(udp_port) : "";
    if (udp_port > 0) send(device, "udpkey " + udp_key_of(name));
    const auto reply = send(device, "login " + name + " " + std::string(kPassword) + port);
    EXPECT_EQ(reply.empty() ? std::string("(no reply)") : reply.front(), "+OK Welcome to edgehub, " + name + "!");
    return device;
  }

  // A stand-in public key per name: its bytes in hex, padded to 64 digits.
  static std::string udp_key_of(const std::string& name) {
    std::string hex;
    for (unsigned char c : name.substr(0, 32)) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15];
    return hex + std::string(64 - hex.size(), '0');
  }

 private:
  std::unique_ptr<store::Store> open_store() {
    std::filesystem::create_directories(dir_.file("data"));
    return std::make_unique<store::SqliteStore>(dir_.file("data") / "edgehub.db");
  }

  store::testing::TempDir dir_;
  store::StoreQueue store_;
  boost::asio::thread_pool workers_{1};
  std::unique_ptr<Hub> hub_;
  boost::asio::io_context io_;
  std::vector<std::unique_ptr<Device>> devices_;
};

}  // namespace edgehub::hub::testing
