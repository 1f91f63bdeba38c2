#pragma once
// A browser login as a hub device (docs/HTTP_API.md#browser-sessions): a
// hub::Peer with its hub::Session, pinned to one network executor like a TCP
// Connection. Commands are wire lines run through Hub::on_line, the same
// command layer as terminal clients; what the hub sends back is parsed with
// protocol::ServerMessageParser: the first reply answers the command, events
// become JSON for the session's WebSockets (or its bounded buffer).
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/core/hub.hpp"
#include "hub/core/peer.hpp"
#include "protocol/server_message.hpp"

namespace edgehub::web::api {

// Receives a device's events as JSON text, from any thread.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void deliver(std::shared_ptr<const std::string> json) = 0;
  // The device has ended (logout, expiry, the hub closed it): say bye and close.
  virtual void end(std::string reason) = 0;
};

class WebDevice final : public hub::Peer, public std::enable_shared_from_this<WebDevice> {
 public:
  static constexpr std::size_t kMaxBufferedEvents = 256;
  // Tells whether a name is logged in from a browser (the devices' "kind").
  using KindOf = std::function<std::string(const std::string& name)>;

  static std::shared_ptr<WebDevice> create(hub::Hub& hub, boost::asio::any_io_executor executor, std::string ip,
                                           KindOf kind_of);
  ~WebDevice() override;

  // Greets the hub (Hub::on_connect); the refusal if it refused.
  boost::asio::awaitable<std::optional<protocol::ServerMessage>> connect();
  // Runs one command line on the device's executor; the hub's reply. Lines
  // of one device run one after another, as on a TCP connection.
  boost::asio::awaitable<protocol::ServerMessage> run(std::string line);
  // Logs the device out (Hub::on_disconnect) once; idempotent, any thread.
  void stop(std::string reason);
  // Called once, on the device's executor, when the device has ended.
  void on_ended(std::function<void()> callback);
  // Asked at each of the hub's heartbeat PINGs, on the device's executor:
  // the browser session's own expiry. False ends the device ("Session
  // expired"), so an expired session logs out even if no request comes.
  // Any thread.
  void set_liveness(std::function<bool()> live);

  // Attaches a WebSocket: it first gets the buffered events. Any thread.
  void attach(std::shared_ptr<EventSink> sink);
  void detach(const EventSink* sink);
  std::size_t dropped_events() const { return dropped_.load(); }
  // Events waiting for a WebSocket (on the device's executor only).
  std::size_t buffered_events() const { return buffered_.size(); }

  // hub::Peer
  void send(hub::SharedBytes bytes) override;
  void send_letter(hub::LetterPtr letter) override;
  void close_after_flush() override;
  const std::string& remote_ip() const override { return ip_; }
  bool on_own_thread() const override;

 private:
  WebDevice(hub::Hub& hub, boost::asio::any_io_executor executor, std::string ip, KindOf kind_of);
  static boost::asio::awaitable<std::optional<protocol::ServerMessage>> connect_here(std::shared_ptr<WebDevice> self);
  static boost::asio::awaitable<protocol::ServerMessage> run_here(std::shared_ptr<WebDevice> self, std::string line);
  boost::asio::awaitable<protocol::ServerMessage> run_line(std::string line);
  boost::asio::awaitable<void> acquire();
  void release();
  void on_bytes(const std::string& bytes);
  void on_event(const protocol::ServerMessage& event);
  void on_letter(const hub::LetterPtr& letter);
  void publish(std::string json);
  void finish(const std::string& reason);

  hub::Hub& hub_;
  boost::asio::any_io_executor executor_;
  std::string ip_;
  KindOf kind_of_;
  std::unique_ptr<hub::Session> session_;
  protocol::ServerMessageParser parser_;
  // The rest only on executor_.
  bool capturing_ = false;
  std::optional<protocol::ServerMessage> reply_;
  bool busy_ = false;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;  // commands waiting their turn
  bool close_requested_ = false;
  bool ended_ = false;
  std::string end_reason_ = "Logged out";
  std::function<void()> ended_callback_;
  std::deque<std::shared_ptr<const std::string>> buffered_;
  std::vector<std::shared_ptr<EventSink>> sinks_;
  std::function<bool()> liveness_;  // on executor_ only
  std::atomic<std::size_t> dropped_{0};
};

}  // namespace edgehub::web::api
